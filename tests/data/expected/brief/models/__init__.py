"""SQLAlchemy models, one module per model; importing this package registers them all."""

from models.post import Post
from models.user import User

__all__ = ["Post", "User"]
