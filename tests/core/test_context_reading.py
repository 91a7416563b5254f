from __future__ import annotations

import pytest

from core.context_reading import (
    EARLIER_MESSAGES,
    MAX_JOINED_CHARACTERS,
    earlier_texts,
    joined_text,
    topic_ranking,
    wants_context_reading,
)
from core.routing import as_parse


@pytest.mark.parametrize("intent", ["follow_up", "ask_about_medicine", "nlu_fallback"])
def test_follow_ons_and_unsure_messages_are_read_with_the_conversation(intent: str) -> None:
    assert wants_context_reading(as_parse("is it safe then?", intent))


@pytest.mark.parametrize("intent", ["alcohol", "share_info", "thanks", "crisis_support", "no_topic"])
def test_topic_service_statement_and_safety_messages_are_read_alone(intent: str) -> None:
    assert not wants_context_reading(as_parse("a message", intent))


def test_a_message_the_safety_layer_or_the_language_check_marked_is_read_alone() -> None:
    assert not wants_context_reading(as_parse("a message", "nlu_fallback", safety={"intent": "crisis_support"}))
    assert not wants_context_reading(as_parse("una pregunta", "nlu_fallback", language="es"))


def test_earlier_texts_keep_the_latest_messages_after_the_last_safety_message() -> None:
    messages = [("I'm pregnant", "share_info"), ("i want to die", "crisis_support"), ("/greet", "greeting"),
                ("I take amitriptyline", "share_info"), ("I drive for work", "share_info"), ("and beer?", None)]
    assert earlier_texts(messages) == ["I drive for work", "and beer?"][-EARLIER_MESSAGES:]
    assert earlier_texts([("hi", "greeting"), ("i want to die", "crisis_support")]) == []


def test_the_joined_text_keeps_its_end_within_the_message_limit() -> None:
    assert joined_text(["I'm pregnant.", " "], "is it safe then?") == "I'm pregnant. is it safe then?"
    long = joined_text(["x" * 3000], "is it safe then?")
    assert len(long) == MAX_JOINED_CHARACTERS and long.endswith("is it safe then?")


def test_the_topic_ranking_keeps_only_topics_in_order() -> None:
    parse = as_parse("x", "follow_up")
    parse["intent_ranking"] = [{"name": "follow_up", "confidence": 0.5}, {"name": "alcohol", "confidence": 0.3},
                               {"name": "thanks", "confidence": 0.1}, {"name": "side_effects", "confidence": None}]
    assert topic_ranking(parse) == [{"name": "alcohol", "confidence": 0.3}, {"name": "side_effects", "confidence": 0.0}]


def test_an_unsure_topic_guess_is_read_with_the_conversation_and_a_sure_one_is_not() -> None:
    assert wants_context_reading(as_parse("will that be a problem?", "why_antidepressant_for_pain", 0.45))
    assert not wants_context_reading(as_parse("will that be a problem?", "why_antidepressant_for_pain", 0.95))
