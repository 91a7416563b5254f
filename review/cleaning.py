"""Text from Rasa's events made safe to show and export: any character in, printable text out.

Rasa's JSON ``data`` column can hold any character a client sent: NUL, lone UTF-16
surrogates (which cannot be encoded as UTF-8 at all), terminal escapes, bidi
overrides that make text read backwards. Before the app shows, stores or exports
event text, those become U+FFFD; CR and CRLF line breaks become LF.
"""

from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"
# Lone surrogates; C0 and C1 controls except tab and newline; bidi embeddings, overrides and isolates; BOM;
# the noncharacters U+FFFE and U+FFFF (YAML and XML refuse them).
UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")


def clean_text(text: Any) -> str:
    """``text`` as a string with unsafe characters replaced and CR / CRLF turned into LF."""
    value = "" if text is None else str(text)
    return UNSAFE.sub(REPLACEMENT, value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_value(value: Any) -> Any:
    """``value`` with every string inside it (dict keys and values, list items) cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(key): clean_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_value(item) for item in value]
    return value
