"""Unexpected failures in words for the person using the app.

A database error is told in the logbook's words, never in the driver's: its own text, with SQL
and parameters, belongs in the error log only.
"""

from __future__ import annotations

from logbook.storage.failures import explain, is_database_error


def in_words(error: BaseException) -> str:
    """What to tell the user about an unexpected error."""
    return explain(error) if is_database_error(error) else str(error)
