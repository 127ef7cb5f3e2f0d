"""Errors turned into HTTP answers: a client never sees a 500 for its input."""

import json
import logging
import math
import re
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

logger = logging.getLogger(__name__)


class ErrorMessage(BaseModel):
    detail: str


_DESCRIPTIONS = {
    400: "The body cannot be parsed",
    401: "Missing, invalid or expired token",
    403: "The caller's role or ownership does not allow it",
    404: "No record with this id",
    409: "A unique value is taken, or other records still refer to this one",
    413: "The request body is larger than MAX_BODY_BYTES",
    429: "Too many attempts; see Retry-After",
    503: "The database is unavailable",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the errors a route can answer (422 is documented already)."""
    return {
        code: {"model": ErrorMessage, "description": _DESCRIPTIONS[code]}
        for code in codes
    }


class ReferenceNotFound(Exception):
    """A foreign key names a record that does not exist."""

    def __init__(self, field: str, value: int) -> None:
        super().__init__(f"{field}={value}")
        self.field = field
        self.value = value


class RecordInUse(Exception):
    """Rows of another model still refer to the record being deleted."""

    def __init__(self, model: str) -> None:
        super().__init__(model)
        self.model = model


def _validation_error(loc: list[str], msg: str, type_: str) -> JSONResponse:
    # The shape FastAPI gives every 422, so clients and the OpenAPI document agree.
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": [{"loc": loc, "msg": msg, "type": type_}]},
    )


# An error shows at most this much of any value it received.
MAX_ECHO_BYTES = 1024


def _clipped(text: str) -> str:
    """`text` cut to MAX_ECHO_BYTES of UTF-8; a lone surrogate (not UTF-8) becomes "?"."""
    data = text.encode(errors="replace")
    if len(data) <= MAX_ECHO_BYTES:
        return data.decode()
    return data[: MAX_ECHO_BYTES - 3].decode(errors="ignore") + "..."


def _echo(value: Any) -> Any:
    """A value as an error shows it: valid JSON, at most MAX_ECHO_BYTES of it."""
    if isinstance(value, bytes):  # a body that is not JSON
        value = value.decode(errors="replace")
    if isinstance(value, Exception):
        value = str(value)
    if isinstance(value, str):
        return _clipped(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or Infinity: "nan", "inf"
    if value is None or isinstance(value, bool | int | float):
        return value
    try:
        size = len(json.dumps(value, ensure_ascii=False, allow_nan=False).encode())
    except (
        TypeError,
        ValueError,
        RecursionError,
    ):  # a NaN, a lone surrogate, bytes, ...
        return _clipped(_as_text(value))
    return value if size <= MAX_ECHO_BYTES else _clipped(_as_text(value))


def _as_text(value: Any) -> str:
    try:
        return json.dumps(
            value, default=str
        )  # ASCII; NaN written as NaN, inside a string
    except RecursionError:
        return "(too deeply nested to show)"


async def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    # FastAPI's own 422 shape, but every value it echoes is bounded and valid JSON.
    assert isinstance(error, RequestValidationError)
    detail = []
    for e in error.errors():
        item = {
            "type": e["type"],
            "loc": [_echo(part) for part in e["loc"]],
            "msg": _echo(e["msg"]),
        }
        if "input" in e:
            item["input"] = _echo(e["input"])
        if "ctx" in e:
            item["ctx"] = {key: _echo(value) for key, value in e["ctx"].items()}
        detail.append(item)
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": detail}
    )


def _constraint_kind(error: IntegrityError) -> str:
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate is not None:
        return {"23505": "unique", "23503": "foreign_key"}.get(sqlstate, "other")
    message = str(error.orig).upper()
    if "UNIQUE" in message:
        return "unique"
    if "FOREIGN KEY" in message:
        return "foreign_key"
    return "other"


# SQLite: "UNIQUE constraint failed: users.email, users.name";
# PostgreSQL's detail: "Key (email)=(a@b.c) already exists."
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")
_POSTGRESQL_KEY = re.compile(r"Key \(([^)]+)\)=")


def _unique_fields(error: IntegrityError) -> list[str]:
    diag = getattr(error.orig, "diag", None)
    if diag is not None:
        match = _POSTGRESQL_KEY.match(diag.message_detail or "")
        return match[1].split(", ") if match else []
    match = _SQLITE_UNIQUE.search(str(error.orig))
    if match is None:
        return []
    return [column.rpartition(".")[2] for column in match[1].split(", ")]


def _unique_detail(error: IntegrityError) -> str:
    fields = _unique_fields(error)
    if not fields:
        return "A record with the same unique value already exists"
    if len(fields) == 1:
        return f"A record with this {fields[0]} already exists"
    return f"A record with these values of {', '.join(fields)} already exists"


async def _reference_not_found(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ReferenceNotFound)
    return _validation_error(
        ["body", error.field], f"No record with id {error.value}", "foreign_key"
    )


async def _record_in_use(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RecordInUse)
    return JSONResponse(
        status_code=status.HTTP_409_CONFLICT,
        content={"detail": f"{error.model} records still refer to this one"},
    )


async def _integrity_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, IntegrityError)
    kind = _constraint_kind(error)
    if kind == "unique":
        return JSONResponse(
            status_code=status.HTTP_409_CONFLICT,
            content={"detail": _unique_detail(error)},
        )
    if kind == "foreign_key" and request.method == "DELETE":
        return JSONResponse(
            status_code=status.HTTP_409_CONFLICT,
            content={"detail": "Other records still refer to this one"},
        )
    if kind == "foreign_key":
        return _validation_error(
            ["body"], "A referenced record does not exist", "foreign_key"
        )
    logger.warning("Integrity error: %s", error.orig)
    return _validation_error(
        ["body"], "The data breaks a database constraint", "constraint"
    )


async def _data_error(request: Request, error: Exception) -> JSONResponse:
    # A value the database cannot hold, which validation did not catch.
    assert isinstance(error, DataError)
    logger.warning("Data error: %s", error.orig)
    return _validation_error(["body"], "A value cannot be stored", "data_error")


async def _stale_data(request: Request, error: Exception) -> JSONResponse:
    # The row was deleted by another request between reading and writing it.
    return JSONResponse(
        status_code=status.HTTP_404_NOT_FOUND, content={"detail": "Not found"}
    )


async def _database_unavailable(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DBAPIError)
    logger.error("Database error: %s", error.orig)
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"detail": "The database is unavailable; try again shortly"},
        headers={"Retry-After": "5"},
    )


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(ReferenceNotFound, _reference_not_found)
    app.add_exception_handler(RecordInUse, _record_in_use)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(StaleDataError, _stale_data)
    app.add_exception_handler(DBAPIError, _database_unavailable)
