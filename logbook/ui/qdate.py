"""Dates between Qt and Python.

``QDate.toPython()`` returns a ``datetime.date`` but is typed as returning ``object``; this
conversion keeps the type.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate


def to_date(value: QDate) -> date:
    """The day ``value`` holds, as a Python date."""
    return date(value.year(), value.month(), value.day())


def to_qdate(day: date) -> QDate:
    """``day`` as a QDate."""
    return QDate(day.year, day.month, day.day)
