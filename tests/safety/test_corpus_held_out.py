"""The safety training corpus never holds a sealed-corpus message."""

from __future__ import annotations

from pathlib import Path

from safety.classifier import corpus_examples
from scripts.merge_authored import key
from tests.safety.sealed_corpus import sealed_messages

CORPUS = Path(__file__).resolve().parents[2] / "safety" / "corpus"


def test_no_sealed_message_is_in_the_training_corpus() -> None:
    sealed = {key(text) for texts in sealed_messages().values() for text in texts}
    assert len(sealed) > 500
    leaked = [example.text for example in corpus_examples(CORPUS) if key(example.text) in sealed]
    assert leaked == []
