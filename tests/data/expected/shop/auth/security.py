"""Password hashing (argon2) and access tokens (HS256 JWTs)."""

import hashlib
import hmac
import re
from datetime import timedelta
from typing import NamedTuple

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from config import settings
from database import INT64_MAX, utcnow
from models.customer import Customer

ALGORITHM = "HS256"
_USER_ID = re.compile(r"[1-9][0-9]{0,18}")

# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): a few tens of
# milliseconds per hash, so logins stay cheap for the server and costly for an attacker.
password_hash = PasswordHash(
    (Argon2Hasher(time_cost=2, memory_cost=19456, parallelism=1),)
)
# Verified against when a username is unknown, so both failures take as long.
_DUMMY_HASH = password_hash.hash("not a real password")


class AccessToken(NamedTuple):
    user_id: int
    password_stamp: str


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    """Whether `password` matches `hashed`; as slow when there is no hash (unknown user)."""
    if hashed is None:
        password_hash.verify(password, _DUMMY_HASH)
        return False
    return password_hash.verify(password, hashed)


def password_stamp(hashed: str) -> str:
    """A short keyed digest of the password hash: changing the password changes it, so
    tokens issued before stop working. Keyed, so a token reveals nothing of the hash."""
    key = settings.secret_key.encode()
    return hmac.new(key, hashed.encode(), hashlib.sha256).hexdigest()[:32]


def create_access_token(user: Customer, expires_in: timedelta | None = None) -> str:
    expires_in = expires_in or timedelta(minutes=settings.access_token_expire_minutes)
    payload = {
        "sub": str(user.id),
        "pwd": password_stamp(user.secret_hash),
        "exp": utcnow() + expires_in,
    }
    return jwt.encode(payload, settings.secret_key, algorithm=ALGORITHM)


def read_access_token(token: str) -> AccessToken | None:
    """What a valid token says; None for a forged, malformed or expired one."""
    try:
        payload = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub", "pwd"]},
        )
    except jwt.InvalidTokenError:
        return None
    subject, stamp = payload["sub"], payload["pwd"]
    # A stamp is a hex digest: anything else (non-ASCII too) is no token of ours.
    if not (
        isinstance(subject, str)
        and _USER_ID.fullmatch(subject)
        and isinstance(stamp, str)
        and stamp.isascii()
    ):
        return None
    user_id = int(subject)
    return AccessToken(user_id, stamp) if user_id <= INT64_MAX else None
