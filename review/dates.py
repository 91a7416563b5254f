"""Dates typed into filters: parsed strictly, within the years the app can hold, never a 500."""

from __future__ import annotations

from datetime import date
from typing import Optional

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)


class DateError(ValueError):
    """A date that cannot be used; the message says what is expected."""


def parse_day(text: Optional[str]) -> Optional[date]:
    """The day in ``text`` (``2025-01-31``), None when empty; :class:`DateError` otherwise."""
    raw = (text or "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise DateError("expected a date like 2025-01-31") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateError(f"use a date between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return day
