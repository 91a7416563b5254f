"""The clinic's time: its time zone and date format, for what staff see and type.

Times are shown in the clinic's time zone (``REVIEW_TIME_ZONE``, an IANA name such as
Europe/London) with the zone's abbreviation, and dates in the clinic's locale
(``REVIEW_LOCALE``: ``en-GB`` is day/month/year). Date filters are typed into text
boxes in that format (a browser's ``<input type=date>`` follows the browser's locale,
not the clinic's); ``2025-01-31`` is accepted too. Days are the clinic's days, from
local midnight to local midnight, and only years 2000-2099 are accepted, so no date
can overflow anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Dict, Optional, Tuple
from zoneinfo import ZoneInfo

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
# Locale -> (strftime date format, the hint shown beside date boxes, field order in typed dates).
LOCALES: Dict[str, Tuple[str, str, str]] = {
    "en-GB": ("%d/%m/%Y", "dd/mm/yyyy", "dmy"),
    "en-IE": ("%d/%m/%Y", "dd/mm/yyyy", "dmy"),
    "en-AU": ("%d/%m/%Y", "dd/mm/yyyy", "dmy"),
    "en-NZ": ("%d/%m/%Y", "dd/mm/yyyy", "dmy"),
    "en-US": ("%m/%d/%Y", "mm/dd/yyyy", "mdy"),
    "en-CA": ("%Y-%m-%d", "yyyy-mm-dd", "ymd"),
}
ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
TYPED_DAY = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")


class DateError(ValueError):
    """A date that cannot be used; the message says what is expected."""


@dataclass(frozen=True)
class ClinicTime:
    """Formats and parses times and days in the clinic's zone and locale."""

    zone: tzinfo = field(default=timezone.utc)
    locale: str = "en-GB"

    @classmethod
    def named(cls, zone: str, locale: str) -> ClinicTime:
        """From an IANA zone name and a locale in :data:`LOCALES`."""
        return cls(ZoneInfo(zone), locale)

    @property
    def zone_name(self) -> str:
        """The zone's IANA name (``Europe/London``)."""
        return str(getattr(self.zone, "key", None) or self.zone)

    @property
    def hint(self) -> str:
        """How to type a date, e.g. ``dd/mm/yyyy``."""
        return LOCALES[self.locale][1]

    def local(self, timestamp: float) -> datetime:
        """A UNIX time in the clinic's zone."""
        return datetime.fromtimestamp(timestamp, tz=self.zone)

    def when(self, timestamp: Optional[float], seconds: bool = False) -> str:
        """``31/01/2025 14:05`` (en-GB), in the clinic's zone; empty for None."""
        if timestamp is None:
            return ""
        moment = self.local(timestamp)
        return moment.strftime(f"{LOCALES[self.locale][0]} %H:%M" + (":%S" if seconds else ""))

    def abbreviation(self, timestamp: float) -> str:
        """The zone's abbreviation at that time (``GMT``, ``BST``)."""
        return self.local(timestamp).tzname() or self.zone_name

    def day(self, value: Optional[date]) -> str:
        """A day as the clinic writes it; empty for None."""
        return value.strftime(LOCALES[self.locale][0]) if value else ""

    def today(self, timestamp: float) -> date:
        """The clinic's date at that time."""
        return self.local(timestamp).date()

    def day_start(self, value: date) -> float:
        """UNIX time of the clinic's midnight starting ``value``."""
        return datetime(value.year, value.month, value.day, tzinfo=self.zone).timestamp()

    def day_end(self, value: date) -> float:
        """UNIX time of the clinic's midnight ending ``value``."""
        return self.day_start(value + timedelta(days=1))

    def parse_day(self, text: Optional[str]) -> Optional[date]:
        """The day in ``text`` (clinic format or ``2025-01-31``); None when empty; :class:`DateError` otherwise."""
        raw = (text or "").strip()
        if not raw:
            return None
        expected = f"expected a date like {self.day(date(2025, 1, 31))} ({self.hint})"
        iso, typed = ISO_DAY.fullmatch(raw), TYPED_DAY.fullmatch(raw)
        if iso:
            year, month, day = (int(part) for part in iso.groups())
        elif typed and len(raw) <= 10:
            parts = dict(zip(LOCALES[self.locale][2], typed.groups(), strict=True))
            if len(parts["y"]) not in (2, 4):
                raise DateError(expected)
            year, month, day = int(parts["y"]), int(parts["m"]), int(parts["d"])
            year += 2000 if len(parts["y"]) == 2 else 0  # 31/01/25
        else:
            raise DateError(expected)
        try:
            value = date(year, month, day)
        except ValueError:
            raise DateError(expected) from None
        if not FIRST_DAY <= value <= LAST_DAY:
            raise DateError(f"use a date between {self.day(FIRST_DAY)} and {self.day(LAST_DAY)}")
        return value


UTC = ClinicTime()


def parse_day(text: Optional[str]) -> Optional[date]:
    """A day typed as ``31/01/2025`` or ``2025-01-31`` (the default en-GB locale)."""
    return UTC.parse_day(text)
