"""Text a user types that goes into the platform database."""

from __future__ import annotations


def clean_text(value: str) -> str:
    """Refuse what a database cannot store: NUL characters and unpaired surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value
