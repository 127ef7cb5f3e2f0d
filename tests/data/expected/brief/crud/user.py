from sqlalchemy.orm import Session

from auth.security import hash_password
from crud.common import delete_record, paginate
from models.post import Post
from models.user import Role, User
from schemas.user import UserCreate, UserListParams, UserMeUpdate, UserUpdate

# The foreign keys that refuse this record's deletion while they point at it.
REFERRED_BY = (Post.user_id,)


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def list_users(session: Session, params: UserListParams) -> tuple[list[User], int]:
    return paginate(session, User, params)


def create_user(session: Session, data: UserCreate) -> User:
    values = data.model_dump()
    values["role"] = data.role or Role.user
    values["password"] = hash_password(values["password"])
    user = User(**values)
    session.add(user)
    session.commit()
    return user


def update_user(
    session: Session,
    user: User,
    data: UserUpdate | UserMeUpdate,
) -> User:
    changes = data.model_dump(exclude_unset=True)
    if "password" in changes:
        changes["password"] = hash_password(changes["password"])
    for name, value in changes.items():
        setattr(user, name, value)
    session.commit()
    return user


def delete_user(session: Session, user: User) -> None:
    delete_record(session, User, user.id, REFERRED_BY)
