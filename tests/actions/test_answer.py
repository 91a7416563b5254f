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
