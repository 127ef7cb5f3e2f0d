"""Pydantic models of request and response bodies, one module per model."""

from schemas.post import PostRead
from schemas.user import UserRead

__all__ = ["PostRead", "UserRead"]

# Read shapes embed one another (?expand=): their annotations name shapes defined in other
# modules, resolved here once every one is.
PostRead.model_rebuild()
