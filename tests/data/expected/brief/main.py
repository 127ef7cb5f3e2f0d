"""brief: the FastAPI application."""

import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from sqlalchemy.exc import OperationalError

from api_docs import add_offline_docs
from auth.admin import AdminUsernameTaken, ensure_admin
from auth.router import router as auth_router
from config import settings
from database import SessionLocal, migrate_database
from errors import error_responses, register_error_handlers
from middleware import AccessLogMiddleware, BodyLimitMiddleware
from routers.health import router as health_router
from routers.post import router as post_router
from routers.user import router as user_router

logging.basicConfig(
    level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
)
logger = logging.getLogger(__name__)
# AccessLogMiddleware logs every request once, with its duration: not uvicorn as well.
logging.getLogger("uvicorn.access").disabled = True


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    try:
        if settings.run_migrations:
            migrate_database()
        with SessionLocal() as session:
            ensure_admin(session)
    except OperationalError as error:
        # One clear line rather than a traceback: the usual cause is DATABASE_URL.
        reason = str(error.orig).splitlines()[0]
        logger.critical(
            "Cannot start: the database at DATABASE_URL is unreachable: %s", reason
        )
        os._exit(3)
    except AdminUsernameTaken as error:
        logger.critical("Cannot start: %s", error)
        os._exit(3)
    freeze_startup_objects()
    yield
    gc.unfreeze()


def freeze_startup_objects() -> None:
    """What startup loaded lives as long as the process: the garbage collector's full passes
    walked it again and again, stalling requests for tens of milliseconds."""
    gc.freeze()


def operation_id(route: APIRoute) -> str:
    # Readable operation ids in the OpenAPI document: create_post, list_posts, ...
    return route.name


app = FastAPI(
    title="brief",
    lifespan=lifespan,
    generate_unique_id_function=operation_id,
    responses=error_responses(503),
    docs_url=None,
    redoc_url=None,
    openapi_url="/openapi.json" if settings.docs_enabled else None,
)
if settings.docs_enabled:
    add_offline_docs(app, "/openapi.json")
app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
if settings.cors_origins:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["X-Total-Count"],
    )
app.add_middleware(AccessLogMiddleware)
register_error_handlers(app)

# Requests are matched against the routers in this order: the busiest first.
app.include_router(post_router)
app.include_router(user_router)
app.include_router(auth_router)
app.include_router(health_router)
# Your own routers and middleware go below, apart from the generated lines above.
