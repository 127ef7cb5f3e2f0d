"""Password hashing (argon2) and access tokens (HS256 JWTs)."""

from datetime import timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from config import settings
from database import utcnow

ALGORITHM = "HS256"

# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): a few tens of
# milliseconds per hash, so logins stay cheap for the server and costly for an attacker.
password_hash = PasswordHash(
    (Argon2Hasher(time_cost=2, memory_cost=19456, parallelism=1),)
)
# Verified against when a username is unknown, so both failures take as long.
_DUMMY_HASH = password_hash.hash("not a real password")


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if hashed is None:
        password_hash.verify(password, _DUMMY_HASH)
        return False
    return password_hash.verify(password, hashed)


def create_access_token(user_id: int, expires_in: timedelta | None = None) -> str:
    expires_in = expires_in or timedelta(minutes=settings.access_token_expire_minutes)
    payload = {"sub": str(user_id), "exp": utcnow() + expires_in}
    return jwt.encode(payload, settings.secret_key, algorithm=ALGORITHM)


def read_access_token(token: str) -> int | None:
    """The user id a valid token names; None for a forged, malformed or expired one."""
    try:
        payload = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub"]},
        )
        return int(payload["sub"])
    except (jwt.InvalidTokenError, ValueError):
        return None
