"""The admin named by ADMIN_EMAIL and ADMIN_PASSWORD, created at startup when missing."""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from auth.security import hash_password
from config import settings
from models.customer import Customer, Role
from schemas.common import normalize_username

logger = logging.getLogger(__name__)


class AdminUsernameTaken(Exception):
    """ADMIN_EMAIL names a user who is not an admin: never promoted, startup stops."""

    def __init__(self, username: str) -> None:
        super().__init__(
            f"ADMIN_EMAIL {username!r} belongs to a user who is not an admin; give that user"
            " the admin role yourself, or set another ADMIN_EMAIL"
        )


def find_user(session: Session, username: str) -> Customer | None:
    return session.scalar(select(Customer).filter_by(login=username))


def ensure_admin(session: Session) -> None:
    """Create the configured admin unless a user has that username. Never promotes anyone
    and never changes an admin's password. Safe to run twice, or in several workers at once.
    """
    if not (settings.admin_email and settings.admin_password):
        return
    username = normalize_username(settings.admin_email)
    user = find_user(session, username) or _create_admin(
        session, username, settings.admin_password
    )
    if user is not None and user.role != Role.admin:
        raise AdminUsernameTaken(username)


def _create_admin(session: Session, username: str, password: str) -> Customer | None:
    """The new admin, or the user another worker created meanwhile; None on failure."""
    admin = Customer(
        login=username,
        secret_hash=hash_password(password),
        full_name="",
        role=Role.admin,
    )
    session.add(admin)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        existing = find_user(session, username)
        if existing is None:
            logger.error("Cannot create the admin %s: %s", username, error.orig)
        return existing
    logger.info("Admin %s created", username)
    return admin
