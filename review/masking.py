"""Masking of obvious personal identifiers in patient text (screen and exports).

Patients sometimes type their e-mail address, phone number, NHS number, postcode,
date of birth or name. Staff reviewing content quality need none of these, so they
are replaced by a placeholder everywhere the app shows or exports patient text, and
the searchable text is built from the masked text. Masking errs on the side of
hiding: any run of 7 or more digits is hidden, even when it is not an identifier.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
URL_WITH_USER = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/@]+@\S+", re.IGNORECASE)
# A run of digits, optionally with a leading + and spaces, dots, dashes or brackets between them.
DIGIT_RUN = re.compile(r"(?<![\w+])\+?\(?\d(?:[\d\s().-]*\d)?(?!\w)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b")
NAME = re.compile(
    r"(?i:\b(my name is|my name's|i am called|i'm called|this is|call me|i am|i'm)\s+)"
    r"((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
)
# Capitalised words after "I am"/"I'm" that are not names.
NOT_NAMES = frozenset(
    "I Im Not Scared Worried Taking On Still Very So Really Just Now Having Feeling Going Pregnant Sorry Confused "
    "Amitriptyline Nortriptyline Duloxetine Venlafaxine Gabapentin Pregabalin".split()
)
MIN_DIGITS = 7


def _digits(match: re.Match) -> str:
    text = match.group(0)
    digits = sum(char.isdigit() for char in text)
    if digits < MIN_DIGITS:
        return text
    trailing = text[len(text.rstrip(" .-")):]
    compact = text.strip()
    is_phone = compact.startswith(("+", "0", "(0", "(+")) and 9 <= digits <= 13
    return ("[phone]" if is_phone else "[number]") + trailing


def _name(match: re.Match) -> str:
    if match.group(3).split()[0] in NOT_NAMES:
        return match.group(0)
    name_start = match.start(2) if match.group(2) else match.start(3)
    return f"{match.group(0)[: name_start - match.start(0)]}[name]"


def mask(text: str | None) -> str:
    """``text`` with e-mail addresses, phone and ID numbers, postcodes, dates and stated names hidden."""
    if not text:
        return ""
    text = URL_WITH_USER.sub("[link]", text)
    text = EMAIL.sub("[email]", text)
    text = DATE.sub("[date]", text)
    text = DIGIT_RUN.sub(_digits, text)
    text = POSTCODE.sub("[postcode]", text)
    return NAME.sub(_name, text)
