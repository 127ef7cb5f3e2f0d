"""Generate & download: a build renders the latest schema version into a ZIP."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse
from pydantic import BaseModel

from .. import schema_io
from ..deps import OwnBuild, OwnProject, SessionDep, SettingsDep
from ..generate import BuildError, build_zip, slug
from ..models import Build
from .projects import _latest_version, schema_problems_response

router = APIRouter(prefix="/api", tags=["builds"])


class BuildOut(BaseModel):
    id: int
    project_id: int
    schema_version: int
    created_at: datetime
    download_url: str


@router.post(
    "/projects/{project_id}/builds",
    status_code=status.HTTP_201_CREATED,
    responses={
        409: {"description": "No schema saved yet"},
        422: {"description": "The schema or the render was refused"},
        503: {"description": "The render took too long"},
    },
)
def create_build(project: OwnProject, session: SessionDep, settings: SettingsDep) -> Any:
    """Render the latest saved version; answers once the ZIP is ready."""
    latest = _latest_version(session, project.id)
    if latest is None:
        raise HTTPException(status.HTTP_409_CONFLICT, detail="Save a valid schema first")
    problems = schema_io.problems(latest.schema_json)
    if problems:  # saved under older rules that today's template refuses
        return schema_problems_response(problems)

    _keep_out_of_git(settings.data_dir)
    relative = f"builds/{uuid.uuid4().hex}.zip"
    zip_path = settings.data_dir / relative
    try:
        build_zip(settings, latest.schema_json, project.name, zip_path)
    except BuildError as error:
        code = status.HTTP_503_SERVICE_UNAVAILABLE if error.timed_out else 422
        raise HTTPException(code, detail=error.detail) from None
    except OSError as error:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=str(error)) from None
    build = Build(project_id=project.id, schema_version=latest.version, zip_path=relative)
    session.add(build)
    session.commit()
    return BuildOut(
        id=build.id,
        project_id=project.id,
        schema_version=build.schema_version,
        created_at=build.created_at,
        download_url=f"/api/builds/{build.id}/download",
    )


@router.get(
    "/builds/{build_id}/download",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}}},
)
def download_build(build: OwnBuild, settings: SettingsDep) -> FileResponse:
    path = settings.data_dir / build.zip_path
    if not path.is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="The build's ZIP is gone")
    name = f"{slug(build.project.name)}-v{build.schema_version}.zip"
    return FileResponse(path, media_type="application/zip", filename=name)


def _keep_out_of_git(data_dir: Path) -> None:
    """The data folder may sit in the template's repository: keep git from adding it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    ignore = data_dir / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Backend Builder's build ZIPs\n*\n")
