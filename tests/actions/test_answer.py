from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from core.content import ContentStore
from core.vocabulary import INTENT_IDS, TOPIC_IDS
from tests.conftest import make_tracker


def run(action: ActionAnswer, tracker) -> list:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


@pytest.mark.parametrize("intent", INTENT_IDS)
def test_each_intent_gets_its_own_answer(store: ContentStore, intent: str) -> None:
    [message] = run(ActionAnswer(store), make_tracker(intent))
    assert message["content_id"] == intent
    assert message["text"].startswith(store.answer(intent).text)
    assert message["text"].endswith(store.disclaimer.text)


def test_unknown_intent_gets_the_fallback(store: ContentStore) -> None:
    [message] = run(ActionAnswer(store), make_tracker("some_retired_intent"))
    assert message["content_id"] == "fallback"


def test_follow_ups_become_buttons(store: ContentStore) -> None:
    answer = store.answer("why_antidepressant_for_pain")
    [message] = run(ActionAnswer(store), make_tracker("why_antidepressant_for_pain"))
    assert [button["title"] for button in message["buttons"]] == [store.answer(i).title for i in answer.follow_ups]


def test_topic_answer_names_the_brand_the_patient_used(store: ContentStore) -> None:
    entities = [{"entity": "medicine", "value": "cymbalta"}]
    tracker = make_tracker("how_long_until_relief", "how long till cymbalta works", entities)
    [message] = run(ActionAnswer(store), tracker)
    assert message["text"].startswith(store.medicines.mention.format(medicine="Cymbalta (duloxetine)"))
    assert message["content_id"] == "how_long_until_relief"


def test_safety_answers_never_get_a_medicine_lead(store: ContentStore) -> None:
    assert "personal_medical_advice" not in TOPIC_IDS
    entities = [{"entity": "medicine", "value": "amitriptyline"}]
    tracker = make_tracker("personal_medical_advice", "can i double my amitriptyline", entities)
    [message] = run(ActionAnswer(store), tracker)
    assert message["text"].startswith(store.answer("personal_medical_advice").text)


def test_a_failing_action_still_replies_with_error_and_disclaimer(store: ContentStore) -> None:
    class BrokenAnswer(ActionAnswer):
        def respond(self, tracker, domain):
            raise RuntimeError("boom")

    [message] = run(BrokenAnswer(store), make_tracker("alcohol"))
    assert message["content_id"] == "error"
    assert message["text"].endswith(store.disclaimer.text)


def tracker_with(intent: str, text: str, slots: dict, entities=(), ranking=None):
    tracker = make_tracker(intent, text, entities, ranking=ranking)
    tracker.slots.update(slots)
    return tracker


def test_a_topic_answer_remembers_the_topic_and_the_medicine(store: ContentStore) -> None:
    tracker = make_tracker("alcohol", "can i drink on cymbalta", [{"entity": "medicine", "value": "Cymbalta"}])
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswer(store).run(dispatcher, tracker, {}))
    assert {"event": "slot", "timestamp": None, "name": "current_topic", "value": "alcohol"} in events
    assert {"event": "slot", "timestamp": None, "name": "medicine", "value": "cymbalta"} in events


def test_and_for_another_medicine_re_answers_the_current_topic_naming_it(store: ContentStore) -> None:
    slots = {"current_topic": "alcohol", "medicine": "cymbalta"}
    entities = [{"entity": "medicine", "value": "nortriptyline"}]
    tracker = tracker_with("ask_about_medicine", "and nortriptyline?", slots, entities)
    [message] = run(ActionAnswer(store), tracker)
    assert message["content_id"] == "alcohol"
    assert message["text"].startswith(store.medicines.mention.format(medicine="nortriptyline"))


def test_a_later_question_names_the_remembered_medicine(store: ContentStore) -> None:
    tracker = tracker_with("side_effects", "any side effects?", {"current_topic": "alcohol", "medicine": "cymbalta"})
    [message] = run(ActionAnswer(store), tracker)
    assert message["text"].startswith(store.medicines.mention.format(medicine="Cymbalta (duloxetine)"))


def test_a_statement_is_acknowledged_with_its_relevant_topics(store: ContentStore) -> None:
    ranking = [{"name": "share_info", "confidence": 0.8}, {"name": "drowsiness_and_driving", "confidence": 0.1},
               {"name": "alcohol", "confidence": 0.06}]
    [message] = run(ActionAnswer(store), tracker_with("share_info", "i drive a bus", {}, ranking=ranking))
    assert message["content_id"] == "noted"
    titles = [button["title"] for button in message["buttons"]]
    assert titles == [store.answer(i).title for i in ("drowsiness_and_driving", "alcohol", "capabilities")]


def test_an_elliptical_question_is_answered_from_the_statement(store: ContentStore) -> None:
    tracker = tracker_with("follow_up", "can i still do that?", {"current_topic": "drowsiness_and_driving"})
    [message] = run(ActionAnswer(store), tracker)
    assert message["content_id"] == "drowsiness_and_driving"


def test_another_language_gets_the_english_only_answer(store: ContentStore) -> None:
    tracker = make_tracker("nlu_fallback", "hola")
    tracker.latest_message["language"] = {"language": "es", "rule": "lingua"}
    [message] = run(ActionAnswer(store), tracker)
    assert message["content_id"] == "non_english"
