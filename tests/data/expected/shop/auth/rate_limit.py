"""Brute-force protection for the auth routes, with the `limits` library.

Every attempt counts against the client's address; failed logins also count against
the username. Past either limit the answer is 429 with `Retry-After`.
"""

import math
import time

from fastapi import Depends, HTTPException, Request, status
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from config import settings

_storage = storage_from_string(settings.rate_limit_storage)
_limiter = MovingWindowRateLimiter(_storage)
_per_client = parse(settings.client_rate_limit)
_failed_per_username = parse(settings.failed_login_limit)


def _too_many(limit: RateLimitItem, *keys: str) -> HTTPException:
    reset_at = _limiter.get_window_stats(limit, *keys).reset_time
    return HTTPException(
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        detail="Too many attempts; try again later",
        headers={"Retry-After": str(max(1, math.ceil(reset_at - time.time())))},
    )


def limit_client(request: Request) -> None:
    client = request.client.host if request.client else "unknown"
    if not _limiter.hit(_per_client, "auth", client):
        raise _too_many(_per_client, "auth", client)


ClientRateLimit = Depends(limit_client)


def ensure_login_allowed(username: str) -> None:
    if not _limiter.test(_failed_per_username, "failed-login", username):
        raise _too_many(_failed_per_username, "failed-login", username)


def record_failed_login(username: str) -> None:
    _limiter.hit(_failed_per_username, "failed-login", username)


def reset_rate_limits() -> None:
    """Forget every count (the test suite starts each test afresh)."""
    _storage.reset()
