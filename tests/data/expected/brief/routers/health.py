"""Health checks for load balancers and orchestrators; no auth."""

from functools import cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter, HTTPException, status

from config import BASE_DIR
from database import SessionDep

router = APIRouter(prefix="/health", tags=["health"])


@cache
def _head_revision() -> str | None:
    return ScriptDirectory.from_config(
        Config(BASE_DIR / "alembic.ini")
    ).get_current_head()


@router.get("")
def alive() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get(
    "/ready", responses={503: {"description": "Database unreachable or not migrated"}}
)
def ready(session: SessionDep) -> dict[str, str]:
    """The database answers and its migrations are at the latest revision."""
    revision = MigrationContext.configure(session.connection()).get_current_revision()
    if revision != _head_revision():
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            f"Database at revision {revision}, expected {_head_revision()}: run migrations",
        )
    return {"status": "ok"}
