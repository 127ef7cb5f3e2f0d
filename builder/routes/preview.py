"""Code preview: the files the current draft would generate (POST /api/preview)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel

from .. import schema_io
from ..deps import CurrentUser, SchemaBody, SettingsDep
from ..generate import BuildError
from ..preview import preview_files
from .projects import schema_problems_response

router = APIRouter(prefix="/api", tags=["preview"])


class PreviewFile(BaseModel):
    path: str
    size: int
    content: str | None
    note: str | None = None


class Preview(BaseModel):
    hash: str
    files: list[PreviewFile]


@router.post(
    "/preview",
    openapi_extra=schema_io.OPENAPI_BODY,
    responses={
        422: {"description": "The schema's problems, each with its loc"},
        503: {"description": "The render took too long"},
    },
)
def preview(
    data: SchemaBody,
    settings: SettingsDep,
    _user: CurrentUser,
    name: Annotated[str, Query(max_length=200)] = "",
) -> Any:
    """Render a draft with the template (as a build would) and list its files.

    `name` is the project's name, used when the schema has no `project_name`. Nothing
    is saved; renders are cached per schema.
    """
    problems = schema_io.problems(data)
    if problems:
        return schema_problems_response(problems)
    try:
        key, files = preview_files(settings, data, name)
    except BuildError as error:
        code = status.HTTP_503_SERVICE_UNAVAILABLE if error.timed_out else 422
        raise HTTPException(code, detail=error.detail) from None
    return Preview(hash=key, files=[PreviewFile(**entry) for entry in files])
