"""Input guards shared by every public channel."""

from __future__ import annotations

import re
from typing import Any

# Rasa treats a message starting with "/" (after whitespace) as a hard-coded
# intent, e.g. '/greeting{"slot": "x"}', skipping NLU and setting entities/slots.
_COMMAND_PREFIX = re.compile(r"^[\s/]+")
# Control characters, and lone UTF-16 surrogates (valid in JSON escapes, but no
# database can store them as text).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_MESSAGE_CHARS = 2000


def clean_text(text: Any) -> str:
    """Patient text as :func:`as_plain_text` makes it, but never cut (the caller checks the length)."""
    if not isinstance(text, str):
        return ""
    text = _CONTROL.sub("", text)
    if text.lstrip().startswith("/"):
        text = _COMMAND_PREFIX.sub("", text)
    return text


def as_plain_text(text: Any) -> str:
    """Return patient text that Rasa can only treat as plain text.

    Leading slashes are removed (so no one can trigger an intent or set a slot by
    typing ``/intent{...}``), control characters are dropped, non-strings become
    empty text, lone surrogates are dropped, and very long messages are cut to :data:`MAX_MESSAGE_CHARS`.
    """
    return clean_text(text)[:MAX_MESSAGE_CHARS]
