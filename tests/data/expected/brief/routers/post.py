from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response, status
from sqlalchemy.orm import Session

import crud.post
from auth.deps import CurrentUser, RequireAdmin
from auth.expand import BearerToken, expansions_for_token
from auth.ownership import ensure_owner_kept, owner_of_new_record
from crud.queries import embed, embed_one
from database import RecordId, SessionDep
from errors import error_responses
from models.post import Post
from schemas.post import (
    PostCreate,
    PostDetailParams,
    PostListParams,
    PostRead,
    PostUpdate,
)

router = APIRouter(prefix="/posts", tags=["posts"])


def get_post_or_404(session: Session, post_id: int) -> Post:
    post = crud.post.get_post(session, post_id)
    if post is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Post not found")
    return post


@router.post(
    "",
    response_model=PostRead,
    status_code=status.HTTP_201_CREATED,
    response_model_exclude_unset=True,
    responses=error_responses(400, 401, 403),
)
def create_post(
    data: PostCreate, session: SessionDep, current_user: CurrentUser
) -> Post:
    data.user_id = owner_of_new_record(current_user, data.user_id, "user_id")
    return crud.post.create_post(session, data)


@router.get(
    "",
    response_model=list[PostRead],
    response_model_exclude_unset=True,
    responses=error_responses(401, 403),
)
def list_posts(
    session: SessionDep,
    params: Annotated[PostListParams, Query()],
    response: Response,
    token: BearerToken,
) -> list[PostRead]:
    expand = expansions_for_token(Post, params.expand, session, token)
    posts, total = crud.post.list_posts(session, params)
    response.headers["X-Total-Count"] = str(total)
    return embed(session, PostRead, posts, expand)


@router.get(
    "/{post_id:int}",
    response_model=PostRead,
    response_model_exclude_unset=True,
    responses=error_responses(401, 403, 404),
)
def read_post(
    post_id: RecordId,
    session: SessionDep,
    params: Annotated[PostDetailParams, Query()],
    token: BearerToken,
) -> PostRead:
    expand = expansions_for_token(Post, params.expand, session, token)
    post = get_post_or_404(session, post_id)
    return embed_one(session, PostRead, post, expand)


@router.patch(
    "/{post_id:int}",
    response_model=PostRead,
    response_model_exclude_unset=True,
    responses=error_responses(400, 401, 403, 404),
)
def update_post(
    post_id: RecordId, data: PostUpdate, session: SessionDep, current_user: CurrentUser
) -> Post:
    post = get_post_or_404(session, post_id)
    if "user_id" in data.model_fields_set:
        ensure_owner_kept(session, current_user, "user_id", data.user_id, post.user_id)
    return crud.post.update_post(session, post, data)


@router.delete(
    "/{post_id:int}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404),
    dependencies=[RequireAdmin],
)
def delete_post(post_id: RecordId, session: SessionDep) -> None:
    post = get_post_or_404(session, post_id)
    crud.post.delete_post(session, post)
