"""Route dependencies with names: the session, the signed-in user, their own project."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import schema_io
from .models import Build, Project, User
from .security import token_user_id
from .settings import Settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)

# Ids are 64-bit; a larger one is a 422, never an overflow in the database driver.
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]


def get_current_user(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User:
    user_id = token_user_id(token, request.app.state.secret_key) if token else None
    user = session.get(User, user_id) if user_id is not None else None
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="Not signed in, or the session has expired",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_own_project(project_id: Id, session: SessionDep, user: CurrentUser) -> Project:
    """The caller's project; another user's id answers 404, exactly like a missing one."""
    project = session.scalar(
        select(Project).where(Project.id == project_id, Project.user_id == user.id)
    )
    if project is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Project not found")
    return project


OwnProject = Annotated[Project, Depends(get_own_project)]


def get_own_build(build_id: Id, session: SessionDep, user: CurrentUser) -> Build:
    build = session.scalar(
        select(Build).join(Project).where(Build.id == build_id, Project.user_id == user.id)
    )
    if build is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Build not found")
    return build


OwnBuild = Annotated[Build, Depends(get_own_build)]


async def read_schema_body(request: Request) -> Any:
    """The request body as a schema: strict JSON (documented by schema_io.OPENAPI_BODY)."""
    return schema_io.parse_json(await request.body())


SchemaBody = Annotated[Any, Depends(read_schema_body)]
