"""Live validation: the page sends its draft on every change; nothing is saved."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from .. import schema_io
from ..deps import SchemaBody
from ..features import features as plugin_features

router = APIRouter(prefix="/api", tags=["validate"])


class Problem(BaseModel):
    loc: list[str | int]
    msg: str


class Validation(BaseModel):
    problems: list[Problem]
    # For a valid schema: what will be generated (models, relations, endpoints with
    # levels), as `schema/` normalises it. The page draws its diagram and table from it.
    preview: dict[str, Any] | None = None


@router.post("/validate", openapi_extra=schema_io.OPENAPI_BODY)
def validate(data: SchemaBody) -> Validation:
    problems = schema_io.problems(data)
    if problems:
        return Validation(problems=[Problem(**problem) for problem in problems])
    return Validation(problems=[], preview=schema_io.preview(data))


@router.get("/features")
def features() -> dict[str, Any]:
    """Which version 2 types and options the schema plugin accepts (the page shows only those)."""
    return plugin_features()
