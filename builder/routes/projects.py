"""Projects and their schema versions: every save is a new version; old ones can be restored."""

from __future__ import annotations

import difflib
import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import schema_io
from ..deps import CurrentUser, Id, OwnProject, SchemaBody, SessionDep
from ..models import Project, SchemaVersion
from ..text import clean_text

router = APIRouter(prefix="/api/projects", tags=["projects"])

ProjectName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(clean_text),
]


class NewProject(BaseModel):
    name: ProjectName


class ProjectOut(BaseModel):
    id: int
    name: str
    created_at: datetime
    latest_version: int | None = None


class VersionOut(BaseModel):
    version: int
    updated_at: datetime


class SavedVersion(VersionOut):
    # True when the schema was identical to the latest version: nothing new was stored.
    unchanged: bool = False


class VersionDiff(BaseModel):
    a: int
    b: int
    # A unified diff of the two versions' YAML (as `copier copy --data-file` reads it).
    diff: str


class VersionWithSchema(VersionOut):
    schema_: dict[str, Any] = Field(alias="schema", serialization_alias="schema")


def _latest_version(session: Session, project_id: int) -> SchemaVersion | None:
    return session.scalar(
        select(SchemaVersion)
        .where(SchemaVersion.project_id == project_id)
        .order_by(SchemaVersion.version.desc())
        .limit(1)
    )


def _version(session: Session, project: Project, version: int) -> SchemaVersion:
    found = session.scalar(
        select(SchemaVersion).where(
            SchemaVersion.project_id == project.id, SchemaVersion.version == version
        )
    )
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Schema version not found")
    return found


def schema_problems_response(problems: list[dict[str, Any]]) -> JSONResponse:
    """422 listing every problem, in FastAPI's error shape."""
    detail = [{**problem, "type": "schema"} for problem in problems]
    return JSONResponse({"detail": detail}, status_code=422)


def save_version(session: Session, project: Project, schema: dict[str, Any]) -> SchemaVersion:
    """Store `schema` as the project's newest version (numbers never repeat)."""
    for _attempt in range(5):
        newest = session.scalar(
            select(func.max(SchemaVersion.version)).where(SchemaVersion.project_id == project.id)
        )
        saved = SchemaVersion(project_id=project.id, version=(newest or 0) + 1, schema_json=schema)
        session.add(saved)
        try:
            session.commit()
        except IntegrityError:  # another save took that number first
            session.rollback()
            continue
        return saved
    raise HTTPException(status.HTTP_409_CONFLICT, detail="Too many saves at once; try again")


@router.get("")
def list_projects(session: SessionDep, user: CurrentUser) -> list[ProjectOut]:
    latest = (
        select(SchemaVersion.project_id, func.max(SchemaVersion.version).label("version"))
        .group_by(SchemaVersion.project_id)
        .subquery()
    )
    rows = session.execute(
        select(Project, latest.c.version)
        .outerjoin(latest, latest.c.project_id == Project.id)
        .where(Project.user_id == user.id)
        .order_by(Project.id)
    )
    return [
        ProjectOut(id=p.id, name=p.name, created_at=p.created_at, latest_version=v) for p, v in rows
    ]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_project(body: NewProject, session: SessionDep, user: CurrentUser) -> ProjectOut:
    project = Project(user_id=user.id, name=body.name)
    session.add(project)
    session.commit()
    return ProjectOut(id=project.id, name=project.name, created_at=project.created_at)


@router.get("/{project_id}/schema")
def get_schema(project: OwnProject, session: SessionDep) -> dict[str, Any]:
    """The latest saved version, exactly as saved (a file `copier copy --data-file` takes)."""
    latest = _latest_version(session, project.id)
    if latest is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="No schema saved yet")
    return latest.schema_json


@router.put(
    "/{project_id}/schema",
    openapi_extra=schema_io.OPENAPI_BODY,
    responses={422: {"description": "The schema's problems, each with its loc"}},
)
def put_schema(data: SchemaBody, project: OwnProject, session: SessionDep) -> Any:
    """Save a new version, or answer 422 listing every problem and save nothing."""
    problems = schema_io.problems(data)
    if problems:
        return schema_problems_response(problems)
    latest = _latest_version(session, project.id)
    if latest is not None and same_schema(latest.schema_json, data):
        return SavedVersion(version=latest.version, updated_at=latest.updated_at, unchanged=True)
    saved = save_version(session, project, data)
    return SavedVersion(version=saved.version, updated_at=saved.updated_at)


def same_schema(saved: Any, data: Any) -> bool:
    """Identical as saved: same keys in the same order, same values and value kinds."""
    return json.dumps(saved, ensure_ascii=False) == json.dumps(data, ensure_ascii=False)


@router.get("/{project_id}/schemas")
def list_versions(project: OwnProject, session: SessionDep) -> list[VersionOut]:
    versions = session.scalars(
        select(SchemaVersion)
        .where(SchemaVersion.project_id == project.id)
        .order_by(SchemaVersion.version)
    )
    return [VersionOut(version=v.version, updated_at=v.updated_at) for v in versions]


@router.get("/{project_id}/schemas/{version}")
def get_version(project: OwnProject, version: Id, session: SessionDep) -> VersionWithSchema:
    found = _version(session, project, version)
    return VersionWithSchema(
        version=found.version, updated_at=found.updated_at, schema=found.schema_json
    )


@router.get("/{project_id}/schemas/{a}/diff/{b}")
def diff_versions(project: OwnProject, a: Id, b: Id, session: SessionDep) -> VersionDiff:
    """What changed from version `a` to version `b`, as a diff of their YAML."""
    old, new = _version(session, project, a), _version(session, project, b)
    lines = difflib.unified_diff(
        schema_io.to_yaml(old.schema_json).splitlines(keepends=True),
        schema_io.to_yaml(new.schema_json).splitlines(keepends=True),
        fromfile=f"v{a}",
        tofile=f"v{b}",
    )
    return VersionDiff(a=a, b=b, diff="".join(lines))


@router.post("/{project_id}/schemas/{version}/restore", status_code=status.HTTP_201_CREATED)
def restore_version(project: OwnProject, version: Id, session: SessionDep) -> Any:
    """Save an older version again as the newest one (if today's rules still accept it)."""
    old = _version(session, project, version)
    problems = schema_io.problems(old.schema_json)
    if problems:
        return schema_problems_response(problems)
    latest = _latest_version(session, project.id)
    if latest is not None and same_schema(latest.schema_json, old.schema_json):
        return SavedVersion(version=latest.version, updated_at=latest.updated_at, unchanged=True)
    saved = save_version(session, project, old.schema_json)
    return SavedVersion(version=saved.version, updated_at=saved.updated_at)
