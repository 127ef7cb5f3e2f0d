"""Passwords (argon2 via pwdlib) and the builder's login tokens (HS256 JWTs via PyJWT)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

ALGORITHM = "HS256"

_hasher = PasswordHash.recommended()
# Verified against when the e-mail is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


def create_token(user_id: int, secret: str, expire_minutes: int) -> str:
    expires = datetime.now(UTC) + timedelta(minutes=expire_minutes)
    return jwt.encode({"sub": str(user_id), "exp": expires}, secret, algorithm=ALGORITHM)


def token_user_id(token: str, secret: str) -> int | None:
    """The user id a valid, unexpired token names; None for anything else."""
    try:
        payload = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp"]})
        user_id = int(payload["sub"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return None
    return user_id if 0 < user_id < 2**63 else None
