"""The admin named by ADMIN_EMAIL and ADMIN_PASSWORD, made sure of at startup."""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from auth.security import hash_password
from config import settings
from models.user import Role, User

logger = logging.getLogger(__name__)


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).filter_by(email=username))


def ensure_admin(session: Session) -> None:
    """Create the configured admin, or give that user the admin role. Safe to run twice."""
    if not (settings.admin_email and settings.admin_password):
        return
    user = find_user(session, settings.admin_email)
    if user is None:
        user = User(
            email=settings.admin_email,
            password=hash_password(settings.admin_password),
            role=Role.admin,
        )
        session.add(user)
    elif user.role != Role.admin:
        user.role = Role.admin
    else:
        return
    try:
        session.commit()
        logger.info("Admin %s is ready", settings.admin_email)
    except IntegrityError as error:
        session.rollback()
        if find_user(session, settings.admin_email) is not None:
            return  # another worker created it at the same moment
        logger.error("Cannot create the admin %s: %s", settings.admin_email, error.orig)
