from sqlalchemy.orm import Session

from crud.common import check_references, delete_record, paginate
from models.post import Post
from models.user import User
from schemas.post import PostCreate, PostListParams, PostUpdate

REFERENCES = {"user_id": User}


def get_post(session: Session, post_id: int) -> Post | None:
    return session.get(Post, post_id)


def list_posts(session: Session, params: PostListParams) -> tuple[list[Post], int]:
    return paginate(session, Post, params)


def create_post(session: Session, data: PostCreate) -> Post:
    values = data.model_dump()
    check_references(session, values, REFERENCES)
    post = Post(**values)
    session.add(post)
    session.commit()
    return post


def update_post(
    session: Session,
    post: Post,
    data: PostUpdate,
) -> Post:
    changes = data.model_dump(exclude_unset=True)
    check_references(session, changes, REFERENCES)
    for name, value in changes.items():
        setattr(post, name, value)
    session.commit()
    return post


def delete_post(session: Session, post: Post) -> None:
    delete_record(session, Post, post.id)
