from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.answer import ActionClarify
from actions.fallback import ActionDefaultFallback
from core.content import ContentStore
from tests.conftest import make_tracker


def run(action, tracker) -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


def ranking(*pairs: tuple[str, float]) -> list[dict]:
    return [{"name": name, "confidence": confidence} for name, confidence in pairs]


def test_clarify_offers_the_closest_topics_and_something_else(store: ContentStore) -> None:
    tracker = make_tracker(
        "nlu_fallback",
        ranking=ranking(
            ("nlu_fallback", 0.45), ("how_they_work", 0.3), ("greeting", 0.2),
            ("why_antidepressant_for_pain", 0.25), ("not_in_your_head", 0.1), ("alcohol", 0.06),
        ),
    )
    [message], _ = run(ActionClarify(store), tracker)
    titles = [button["title"] for button in message["buttons"]]
    expected = ["how_they_work", "why_antidepressant_for_pain", "not_in_your_head", "capabilities"]
    assert titles == [store.answer(i).title for i in expected]
    assert message["content_id"] == "clarify"
    assert message["text"].endswith(store.disclaimer.text)


def test_clarify_without_candidates_sends_the_fallback(store: ContentStore) -> None:
    tracker = make_tracker("nlu_fallback", ranking=ranking(("nlu_fallback", 0.9), ("greeting", 0.05)))
    [message], _ = run(ActionClarify(store), tracker)
    assert message["content_id"] == "fallback"
    assert message["text"].endswith(store.disclaimer.text)


def test_core_fallback_reverts_and_replies(store: ContentStore) -> None:
    [message], events = run(ActionDefaultFallback(store), make_tracker("alcohol"))
    assert message["content_id"] == "fallback"
    assert events == [
        {"event": "rewind", "timestamp": None},
        {"event": "slot", "timestamp": None, "name": "review_flags", "value": ["low_confidence"]},
    ]
