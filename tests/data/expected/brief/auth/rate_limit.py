"""Brute-force protection for the auth routes, with the `limits` library.

Every attempt counts against the client's address. Failed logins also count against the
client and the username together: past that limit this client may not try that username for
a while, and the account stays open to everyone else. Past either limit the answer is 429
with `Retry-After`.
"""

import hashlib
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
FAILED_LOGINS = parse(settings.failed_login_limit)


def _too_many(limit: RateLimitItem, *keys: str) -> HTTPException:
    reset_at = _limiter.get_window_stats(limit, *keys).reset_time
    return HTTPException(
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        detail="Too many attempts; try again later",
        headers={"Retry-After": str(max(1, math.ceil(reset_at - time.time())))},
    )


def client_address(request: Request) -> str:
    # Behind a proxy, run uvicorn with --forwarded-allow-ips so this is the real client.
    return request.client.host if request.client else "unknown"


def limit_client(request: Request) -> None:
    client = client_address(request)
    if not _limiter.hit(_per_client, "auth", client):
        raise _too_many(_per_client, "auth", client)


ClientRateLimit = Depends(limit_client)


def failed_login_keys(request: Request, username: str) -> tuple[str, str, str]:
    """The counter of one client's failures on one username. The username is hashed, so a
    key has the same small size however long the username sent."""
    digest = hashlib.blake2b(username.encode(errors="surrogatepass"), digest_size=16)
    return "failed-login", client_address(request), digest.hexdigest()


def ensure_login_allowed(request: Request, username: str) -> None:
    keys = failed_login_keys(request, username)
    if not _limiter.test(FAILED_LOGINS, *keys):
        raise _too_many(FAILED_LOGINS, *keys)


def record_failed_login(request: Request, username: str) -> None:
    _limiter.hit(FAILED_LOGINS, *failed_login_keys(request, username))


def reset_rate_limits() -> None:
    """Forget every count (the test suite starts each test afresh)."""
    _storage.reset()
