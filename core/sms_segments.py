r"""Counting SMS segments the way carriers bill them (GSM 03.38 / UCS-2), and fitting texts into them.

A message using only GSM-7 characters is sent in 7-bit units (septets): 160 fit in one
SMS, 153 in each part of a concatenated SMS, and the extension-table characters
(``{}[]~\\^|€`` and form feed) take two septets each. One character outside GSM-7
(an emoji, a curly quote) switches the whole message to UCS-2: 70 UTF-16 code units
in one SMS, 67 per part, an emoji taking two. A character is never split between two
parts, so parts are filled greedily.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, List

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# The GSM 03.38 default alphabet (0x1B, the escape to the extension table, left out).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Characters sent as escape + character: two septets each.
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE_CAPACITY = {GSM7: 160, UCS2: 70}
PART_CAPACITY = {GSM7: 153, UCS2: 67}


@dataclass(frozen=True)
class SegmentCount:
    """How a text is sent.

    Attributes:
        encoding: ``"GSM-7"`` or ``"UCS-2"``.
        units: septets (GSM-7) or UTF-16 code units (UCS-2).
        segments: SMS parts needed; 0 for an empty text.

    """

    encoding: str
    units: int
    segments: int


def is_gsm7(text: str) -> bool:
    """True when every character of ``text`` is in the GSM-7 alphabet or its extension."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def encoding_of(text: str) -> str:
    """The encoding a phone network uses for ``text``: GSM-7 if possible, else UCS-2."""
    return GSM7 if is_gsm7(text) else UCS2


def _unit_costs(text: str, encoding: str) -> List[int]:
    if encoding == GSM7:
        return [2 if char in GSM7_EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _parts(costs: Iterable[int], capacity: int) -> int:
    parts, used = 1, 0
    for cost in costs:
        if used + cost > capacity:
            parts, used = parts + 1, 0
        used += cost
    return parts


def count(text: str) -> SegmentCount:
    """Count the encoding, units and segments of ``text``."""
    encoding = encoding_of(text)
    costs = _unit_costs(text, encoding)
    units = sum(costs)
    if units == 0:
        segments = 0
    elif units <= SINGLE_CAPACITY[encoding]:
        segments = 1
    else:
        segments = _parts(costs, PART_CAPACITY[encoding])
    return SegmentCount(encoding, units, segments)


def segments(text: str) -> int:
    """Number of SMS segments needed to send ``text``."""
    return count(text).segments


MAX_SEGMENTS = 3
ELLIPSIS = "..."
_TRAILING = " \t\n,;:-"
_WHITESPACE = re.compile(r"\s+")
_PARAGRAPH = "\n\n"


def _word_cuts(body: str) -> Iterator[int]:
    """Positions where ``body`` can be cut, longest first: word ends, then characters."""
    ends = [match.start() for match in _WHITESPACE.finditer(body)]
    yield from reversed(ends)
    yield from range(len(body) - 1, -1, -1)


def fit(body: str, disclaimer: str, lead: str | None = None, max_segments: int = MAX_SEGMENTS) -> str:
    """Join lead, body and disclaimer, shortened to fit in ``max_segments``.

    The lead is dropped first, then the body is cut at a word boundary and ends
    with "..."; the disclaimer is always kept, whole, at the end.

    Args:
        body: the answer text.
        disclaimer: the SMS disclaimer.
        lead: an optional first line (e.g. "You asked about duloxetine.").
        max_segments: the most SMS segments the result may take.

    """

    def join(*parts: str | None) -> str:
        return _PARAGRAPH.join(part for part in parts if part)

    for candidate in (join(lead, body, disclaimer), join(body, disclaimer)):
        if segments(candidate) <= max_segments:
            return candidate
    for cut in _word_cuts(body):
        shortened = body[:cut].rstrip(_TRAILING)
        if shortened:
            candidate = join(shortened + ELLIPSIS, disclaimer)
            if segments(candidate) <= max_segments:
                return candidate
    return disclaimer
