from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

import crud.user
from auth.deps import RequireAdmin
from database import RecordId, SessionDep
from errors import error_responses
from models.user import User
from schemas.user import UserCreate, UserListParams, UserRead, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])


def get_user_or_404(session: Session, user_id: int) -> User:
    user = crud.user.get_user(session, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "User not found")
    return user


@router.post(
    "",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 409),
    dependencies=[RequireAdmin],
)
def create_user(data: UserCreate, session: SessionDep) -> User:
    return crud.user.create_user(session, data)


@router.get(
    "",
    response_model=list[UserRead],
    responses=error_responses(401, 403),
    dependencies=[RequireAdmin],
)
def list_users(
    session: SessionDep, params: Annotated[UserListParams, Query()], response: Response
) -> list[User]:
    users, total = crud.user.list_users(session, params)
    response.headers["X-Total-Count"] = str(total)
    return users


@router.get(
    "/{user_id:int}",
    response_model=UserRead,
    responses=error_responses(401, 403, 404),
    dependencies=[RequireAdmin],
)
def read_user(user_id: RecordId, session: SessionDep) -> User:
    return get_user_or_404(session, user_id)


@router.patch(
    "/{user_id:int}",
    response_model=UserRead,
    responses=error_responses(400, 401, 403, 404, 409),
    dependencies=[RequireAdmin],
)
def update_user(user_id: RecordId, data: UserUpdate, session: SessionDep) -> User:
    user = get_user_or_404(session, user_id)
    return crud.user.update_user(session, user, data)


@router.delete(
    "/{user_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 409),
    dependencies=[RequireAdmin],
)
def delete_user(user_id: RecordId, session: SessionDep) -> None:
    user = get_user_or_404(session, user_id)
    crud.user.delete_user(session, user)
