from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionAnswer
from actions.flags import flag_events
from core.content import ContentStore
from tests.conftest import make_tracker


@pytest.mark.parametrize(
    ("intent", "flag"),
    [("crisis_support", "crisis"), ("emergency_symptoms", "emergency"),
     ("personal_medical_advice", "personal_advice"), ("contact_clinic", "handoff")],
)
def test_safety_answers_flag_the_conversation(store: ContentStore, intent: str, flag: str) -> None:
    events = asyncio.run(ActionAnswer(store).run(CollectingDispatcher(), make_tracker(intent), {}))
    assert {"event": "slot", "timestamp": None, "name": "review_flags", "value": [flag]} in events


def test_ordinary_answers_set_no_flag(store: ContentStore) -> None:
    events = asyncio.run(ActionAnswer(store).run(CollectingDispatcher(), make_tracker("alcohol"), {}))
    assert [event for event in events if event.get("name") == "review_flags"] == []


def test_an_overdose_taken_on_purpose_flags_emergency_and_crisis() -> None:
    tracker = make_tracker("emergency_symptoms")
    assert flag_events(tracker, "emergency_and_crisis") == [
        {"event": "slot", "timestamp": None, "name": "review_flags", "value": ["emergency", "crisis"]}]


def test_existing_flags_are_kept_and_not_repeated() -> None:
    tracker = make_tracker("crisis_support")
    tracker.slots["review_flags"] = ["handoff"]
    [event] = flag_events(tracker, "crisis_support")
    assert event["value"] == ["handoff", "crisis"]
    tracker.slots["review_flags"] = ["crisis"]
    assert flag_events(tracker, "crisis_support") == []
