"""Accuracy floors on the unseen sets (written by separate authors, never trained or tuned on).

The trained model (models/assistant.tar.gz) is run in this process on every message of
tests/nlu/unseen/, through the whole NLU pipeline and the action server's reply choice
(core/routing.py). The floors are the figures reached (docs/nlu-report.md), rounded
down: a change that makes the assistant understand patients worse fails here.
"""

from __future__ import annotations

from typing import Any, Dict

import pytest

from core.content import ContentStore
from core.medicines import generic_names
from scripts.nlu_eval import Parser, eval_set, evaluate
from tests.conftest import ROOT

MODEL = ROOT / "models" / "assistant.tar.gz"
# Measured 2026-12-02 (seventh session): right 95.4% (1,507 of 1,580), confidently wrong
# 2.2% (34), other languages 117 of 120, follow-ups 80 of 90. Training runs on other
# machines vary by a message or two.
MIN_RIGHT = 0.945
MAX_WRONG = 0.025
MIN_NON_ENGLISH = 0.95
MIN_FOLLOWUPS = 0.86


@pytest.fixture(scope="module")
def unseen(store: ContentStore) -> Dict[str, Any]:
    parser = Parser(MODEL)
    return evaluate(parser, eval_set("unseen", ROOT), generic_names(store.medicines))


def test_the_unseen_set_is_large_enough(unseen: Dict[str, Any]) -> None:
    topics = {label: row["support"] for label, row in unseen["per_label"].items()}
    assert min(topics.values()) >= 20 and unseen["total"] >= 1500
    assert unseen["non_english"]["total"] >= 100 and unseen["followups"]["total"] >= 80


def test_right_answers_stay_above_the_floor(unseen: Dict[str, Any]) -> None:
    assert unseen["outcomes"]["right"] / unseen["total"] >= MIN_RIGHT


def test_confident_wrong_answers_stay_below_the_ceiling(unseen: Dict[str, Any]) -> None:
    assert unseen["outcomes"]["wrong"] / unseen["total"] <= MAX_WRONG


def test_no_english_message_is_told_english_only(unseen: Dict[str, Any]) -> None:
    assert unseen["english_marked_non_english"] == []


def test_messages_in_other_languages_are_recognised(unseen: Dict[str, Any]) -> None:
    assert unseen["non_english"]["recognised"] / unseen["non_english"]["total"] >= MIN_NON_ENGLISH


def test_follow_up_conversations_get_the_right_topic(unseen: Dict[str, Any]) -> None:
    follow = unseen["followups"]
    assert follow["outcomes"]["right"] / follow["total"] >= MIN_FOLLOWUPS
