"""Masking of obvious personal identifiers in patient text (screen, exports, corrections).

Patients sometimes type their e-mail address, phone number, NHS or hospital number,
address, postcode, date of birth or name. Staff reviewing content quality need none
of these, so they are replaced by a placeholder everywhere the app shows or exports
patient text, and the searchable text is built from the masked text. Masking errs on
the side of hiding: any run of 7 or more digits is hidden, even when it is not an
identifier, and a name after "my name is" is hidden whatever its case.
"""

from __future__ import annotations

import re

# Hyphens and dashes patients (and phones' keyboards) put between digits.
DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"

EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# "john dot smith at example dot com", "jo(at)example(dot)co(dot)uk", "jo at example.com".
_AT = r"(?:\s+at\s+|\s*[(\[{]\s*at\s*[)\]}]\s*|\s*@\s*)"
_DOT = r"(?:\s+dot\s+|\s*[(\[{]\s*dot\s*[)\]}]\s*|\.)"
_TLD = r"(?:com|org|net|uk|co|edu|gov|info|io|me|ie|de|fr|es|it|nl|eu|us|ca|au|nz|nhs|ac|biz|email|online)"
SPELLED_EMAIL = re.compile(rf"(?i)\b[\w%+-]+(?:{_DOT}[\w%+-]+){{0,3}}{_AT}[\w-]+(?:{_DOT}[\w-]+){{0,2}}{_DOT}{_TLD}\b")
URL_WITH_USER = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/@]+@\S+", re.IGNORECASE)

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_MONTH_NOT_MAY = _MONTH.replace("may|", "")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'?\d{2})\b"
DATES = (
    re.compile(rf"\b\d{{1,2}}[/.{DASHES}]\d{{1,2}}[/.{DASHES}](?:\d{{4}}|\d{{2}})\b"),  # 03/04/1957, 3.4.57
    re.compile(rf"\b\d{{4}}[/.{DASHES}]\d{{1,2}}[/.{DASHES}]\d{{1,2}}\b"),  # 1957-04-03
    re.compile(rf"(?i)\b{_DAY}(?:\s+of)?[\s/.{DASHES}]+{_MONTH}\.?,?[\s/.{DASHES}]+{_YEAR}"),  # 3 April 1957, 03 Apr 57
    re.compile(rf"(?i)\b{_MONTH}\.?\s+{_DAY},?\s+{_YEAR}"),  # April 3rd, 1957
    re.compile(rf"(?i)\b{_DAY}(?:\s+of)?\s+{_MONTH_NOT_MAY}\b\.?"),  # 3rd April (not "2 may")
    re.compile(rf"(?i)\b{_MONTH_NOT_MAY}\.?\s+{_DAY}\b"),  # April 3rd
)
BIRTH_YEAR = re.compile(r"(?i)\b(dob|d\.o\.b\.?|date of birth|born(?:\s+(?:on|in))?)(\s*[:.\-]?\s*)(?:19|20)\d{2}\b")
# Hospital, NHS and other record numbers after a cue, and letters-then-digits ids such as "A1234567".
ID_AFTER_CUE = re.compile(
    r"(?i)\b(mrn|hospital\s+(?:no|number|id)|patient\s+(?:id|no|number)|nhs\s+(?:no|number)|unit\s+number|"
    rf"id\s+number)(\s*(?:is\s*|[:.#]\s*)?)[a-z]{{0,3}}[\s{DASHES}]?\d[\d\s{DASHES}]{{3,}}\d[a-z]?\b"
)
LETTERS_DIGITS = re.compile(r"\b[A-Za-z]{1,3}\d{6,}[A-Za-z]?\b")
# A run of digits, optionally with a leading + and spaces, dots, dashes or brackets between them.
DIGIT_RUN = re.compile(rf"(?<![\w+])\+?\(?\d(?:[\d\s().{DASHES}]*\d)?(?!\w)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE)
# "12 Acacia Avenue", "flat 3, 4 high st": a house number, 1-3 words (not small words), a street word.
_SMALL = r"(?:the|a|an|on|in|of|my|to|for|and|at|with|by|from|is|was|it|or|per|each|every|times|mg|ml)\b"
_STREET = (r"(?:street|st|road|rd|avenue|ave|lane|ln|crescent|cres|gardens|gdns|terrace|terr|mews|boulevard|"
           r"way|close|drive|court|place|grove|park|row|hill|walk|square|view|rise|parade|green|vale)")
ADDRESS = re.compile(rf"(?i)\b\d{{1,4}}[a-z]?,?\s+(?:(?!{_SMALL}){WORD}\s+){{1,3}}{_STREET}\b\.?")
# Names after a clear cue, whatever their case ("my name is john smith").
NAME_AFTER_CUE = re.compile(
    rf"(?i)\b(my\s+(?:full\s+)?name\s+is|my\s+name's|my\s+names|i\s+am\s+called|i'm\s+called|im\s+called|"
    rf"name\s*:)(\s+(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?)({WORD}(?:\s+{WORD}){{0,2}})"
)
# Capitalised names after a weaker cue ("I'm Sarah", "this is Dr Patel").
NAME = re.compile(
    r"(?i:\b(this is|call me|i am|i'm)\s+)"
    r"((?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
)
# Words after a cue that are not names.
NOT_NAMES = frozenset(
    "i im not scared worried taking on still very so really just now having feeling going pregnant sorry confused "
    "amitriptyline nortriptyline duloxetine venlafaxine gabapentin pregabalin and but the a an on in at with "
    "from to is was it that this private secret none nothing unknown".split()
)
MIN_DIGITS = 7


def _digits(match: re.Match) -> str:
    text = match.group(0)
    digits = sum(char.isdigit() for char in text)
    if digits < MIN_DIGITS:
        return text
    compact = text.rstrip(" ." + DASHES.replace("\\", ""))
    trailing = text[len(compact):]
    is_phone = compact.lstrip().startswith(("+", "0", "(0", "(+")) and 9 <= digits <= 13
    return ("[phone]" if is_phone else "[number]") + trailing


def _cued_name(match: re.Match) -> str:
    words = match.group(3).split()
    kept = []
    for word in words:
        if word.lower() in NOT_NAMES:
            break
        kept.append(word)
    if not kept:
        return match.group(0)
    rest = match.group(3)[len(" ".join(kept)):] if match.group(3).startswith(" ".join(kept)) else ""
    return f"{match.group(1)}{match.group(2)}[name]{rest}"


def _name(match: re.Match) -> str:
    if match.group(3).split()[0].lower() in NOT_NAMES:
        return match.group(0)
    name_start = match.start(2) if match.group(2) else match.start(3)
    return f"{match.group(0)[: name_start - match.start(0)]}[name]"


def mask(text: str | None) -> str:
    """``text`` with e-mail addresses, phone and ID numbers, addresses, postcodes, dates and names hidden."""
    if not text:
        return ""
    text = URL_WITH_USER.sub("[link]", text)
    text = EMAIL.sub("[email]", text)
    text = SPELLED_EMAIL.sub("[email]", text)
    for pattern in DATES:
        text = pattern.sub("[date]", text)
    text = BIRTH_YEAR.sub(lambda match: f"{match.group(1)}{match.group(2)}[date]", text)
    text = ID_AFTER_CUE.sub(lambda match: f"{match.group(1)}{match.group(2)}[number]", text)
    text = LETTERS_DIGITS.sub("[number]", text)
    text = ADDRESS.sub("[address]", text)
    text = DIGIT_RUN.sub(_digits, text)
    text = POSTCODE.sub("[postcode]", text)
    text = NAME_AFTER_CUE.sub(_cued_name, text)
    return NAME.sub(_name, text)
