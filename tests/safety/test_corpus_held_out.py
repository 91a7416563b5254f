"""The safety training corpus never holds a sealed-corpus message."""

from __future__ import annotations

from pathlib import Path

import yaml

from scripts.merge_authored import key
from tests.safety.sealed_corpus import sealed_messages

CORPUS = Path(__file__).resolve().parents[2] / "safety" / "corpus"


def corpus_messages(folder: Path = CORPUS) -> list:
    """Every message of every training-corpus author."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        for messages in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values():
            found.extend(str(text) for text in messages or [])
    return found


def test_no_sealed_message_is_in_the_training_corpus() -> None:
    sealed = {key(text) for texts in sealed_messages().values() for text in texts}
    assert len(sealed) > 500
    leaked = [text for text in corpus_messages() if key(text) in sealed]
    assert leaked == []
