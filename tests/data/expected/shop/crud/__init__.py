"""Data access, one module per model: plain functions taking a session, no HTTP."""
