"""Follow-up questions over REST: the topic and the medicine are kept across turns."""

from __future__ import annotations

import uuid
from typing import List

from core.content import ContentStore
from tests.e2e.servers import RasaServer


def content_ids(rasa: RasaServer, sender: str) -> List[str]:
    events = rasa.rest_tracker(sender)["events"]
    return [event["metadata"].get("content_id") for event in events if event["event"] == "bot"]


def conversation(rasa: RasaServer, *turns: str) -> tuple[str, List[str]]:
    sender = f"followup-{uuid.uuid4().hex[:12]}"
    texts = [rasa.reply_text(sender, turn) for turn in turns]
    return sender, texts


def test_another_medicine_alone_gets_the_same_topic_for_it(rasa: RasaServer, store: ContentStore) -> None:
    sender, texts = conversation(rasa, "is it ok to have a glass of wine with cymbalta?", "and with nortriptyline?")
    assert content_ids(rasa, sender) == ["alcohol", "alcohol"]
    assert texts[1].startswith(store.medicines.mention.format(medicine="nortriptyline"))


def test_a_statement_is_acknowledged_then_the_short_question_is_answered_from_it(rasa: RasaServer) -> None:
    sender, _ = conversation(rasa, "I drive a delivery van for a living", "can I still do that while on amitriptyline?")
    ids = content_ids(rasa, sender)
    assert ids[0] == "noted"
    assert ids[1] == "drowsiness_and_driving"


def test_three_turns_keep_the_topic_and_then_switch_the_medicine(rasa: RasaServer, store: ContentStore) -> None:
    sender, texts = conversation(
        rasa, "what side effects does duloxetine have?", "is that normal?", "what about venlafaxine then?"
    )
    assert content_ids(rasa, sender) == ["side_effects", "side_effects", "side_effects"]
    assert texts[1].startswith(store.medicines.mention.format(medicine="duloxetine"))
    assert texts[2].startswith(store.medicines.mention.format(medicine="venlafaxine"))


def test_context_never_turns_a_crisis_into_a_topic(rasa: RasaServer) -> None:
    sender, _ = conversation(rasa, "can I drink beer on amitriptyline?", "i want to end my life", "and on cymbalta?")
    ids = content_ids(rasa, sender)
    assert ids[:2] == ["alcohol", "crisis_support"]
    assert ids[2] == "alcohol"


def test_a_short_reply_with_no_topic_gets_the_prompt_not_goodbye(rasa: RasaServer) -> None:
    sender, _ = conversation(rasa, "hello", "ok")
    assert content_ids(rasa, sender) == ["greeting", "no_topic"]


def test_a_follow_on_is_read_with_the_earlier_message_and_answered_from_that_reading(rasa: RasaServer) -> None:
    sender, _ = conversation(rasa, "I have glaucoma", "my GP wants me on amitriptyline, is that a problem?")
    assert content_ids(rasa, sender) == ["noted", "heart_and_other_conditions"]
    users = [event for event in rasa.rest_tracker(sender)["events"] if event["event"] == "user"]
    assert "context_ranking" not in users[0]["parse_data"]
    assert users[1]["parse_data"]["context_ranking"][0]["name"] == "heart_and_other_conditions"
