"""Authentication: password hashing and tokens, the current-user dependencies, auth routes."""
