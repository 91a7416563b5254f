from __future__ import annotations

import uuid

import pytest
import yaml

from channels.identity import rest_conversation_id
from core.content import ContentStore
from core.vocabulary import TOPIC_IDS
from tests.e2e.servers import RasaServer
from tests.training_data import examples_by_intent


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def bot_events(tracker: dict) -> list[dict]:
    return [event for event in tracker["events"] if event["event"] == "bot"]


def test_why_amitriptyline_gets_the_curated_answer_and_disclaimer(rasa: RasaServer, store: ContentStore) -> None:
    sender = new_sender()
    text = rasa.reply_text(sender, "why was I given amitriptyline for nerve pain?")
    answer = store.answer("why_antidepressant_for_pain")
    assert answer.text in text
    assert text.endswith(store.disclaimer.text)
    [bot] = bot_events(rasa.rest_tracker(sender))
    assert bot["metadata"]["content_id"] == "why_antidepressant_for_pain"


def test_follow_up_buttons_are_sent(rasa: RasaServer, store: ContentStore) -> None:
    message = rasa.say(new_sender(), "how long until duloxetine works?")[-1]
    follow_ups = store.answer("how_long_until_relief").follow_ups
    assert [button["title"] for button in message.get("buttons", [])] == [store.answer(i).title for i in follow_ups]


def test_brand_name_is_mentioned(rasa: RasaServer, store: ContentStore) -> None:
    text = rasa.reply_text(new_sender(), "how long does cymbalta take to kick in")
    assert text.startswith(store.medicines.mention.format(medicine="Cymbalta (duloxetine)"))


def button_ids(store: ContentStore) -> list[str]:
    """Every answer whose title can be sent as a quick reply: topics, follow-ups, "What else"."""
    follow_ups = {i for answer in store.answers.values() for i in answer.follow_ups}
    return sorted(follow_ups | set(TOPIC_IDS) | {"capabilities"})


def test_every_quick_reply_reaches_its_own_answer(rasa: RasaServer, store: ContentStore) -> None:
    wrong = []
    for content_id in button_ids(store):
        sender = new_sender()
        rasa.say(sender, store.answer(content_id).title)
        [served] = [event["metadata"]["content_id"] for event in bot_events(rasa.rest_tracker(sender))]
        if served != content_id:
            wrong.append((store.answer(content_id).title, content_id, served))
    assert wrong == []


def test_conversation_is_stored_in_sqlite(rasa: RasaServer) -> None:
    import sqlite3

    sender = new_sender()
    rasa.say(sender, "hello")
    db = yaml.safe_load(rasa.endpoints.read_text())["tracker_store"]["db"]
    with sqlite3.connect(db) as connection:
        query = "select type_name from events where sender_id = ?"
        rows = connection.execute(query, (rest_conversation_id(sender),)).fetchall()
    assert ("user",) in rows and ("bot",) in rows


def example_per_intent() -> list[tuple[str, str]]:
    return [(intent, examples[0]) for intent, examples in examples_by_intent().items()]


@pytest.mark.parametrize(("intent", "text"), example_per_intent())
def test_every_intent_over_rest_ends_with_disclaimer(
    rasa: RasaServer, store: ContentStore, intent: str, text: str
) -> None:
    messages = rasa.say(new_sender(), text)
    assert messages, f"no reply to {text!r}"
    assert messages[-1]["text"].endswith(store.disclaimer.text)
