"""A cheap, offline check for messages that are not in English."""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORDS = 3
MIN_ENGLISH_SHARE = 0.4


def _is_latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(char, "") for char in word)


def looks_non_english(text: str, is_english_word: Callable[[str], bool]) -> bool:
    """True when the message is mostly words in another language or script.

    A message in a non-Latin script (Cyrillic, Arabic, CJK, ...) with at least one
    word, or of ``MIN_WORDS`` or more Latin words of which fewer than
    ``MIN_ENGLISH_SHARE`` are English words, counts as non-English. Short or
    misspelled English stays English: the NLU model and the fallback handle it.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return False
    non_latin = [word for word in words if not _is_latin(word)]
    if len(non_latin) > len(words) / 2:
        return True
    if len(words) < MIN_WORDS:
        return False
    english = sum(1 for word in words if is_english_word(word))
    return english / len(words) < MIN_ENGLISH_SHARE
