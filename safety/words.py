"""The English word list the safety layer uses to leave real words uncorrected."""

from __future__ import annotations

from functools import lru_cache
from typing import FrozenSet, Set

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lookups import load_lookups


@lru_cache(maxsize=1)
def english_words() -> FrozenSet[str]:
    """Known English words: spaCy's stop words and the English lemmatizer tables.

    Loaded once per process and shared by the NLU component and the channels.
    """
    words: Set[str] = set(STOP_WORDS)
    for table_name in ("lemma_lookup", "lemma_exc", "lemma_index"):
        table = load_lookups("en", [table_name]).get_table(table_name)
        for key, value in table.items():
            if isinstance(key, str):
                words.add(key.lower())
            values = value if isinstance(value, (list, tuple)) else [value]
            for item in values:
                if isinstance(item, str):
                    words.add(item.lower())
                elif isinstance(item, (list, dict)):
                    words.update(str(word).lower() for word in item)
    return frozenset(words)
