"""Replies for messages the assistant did not understand."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import UserUtteranceReverted

from actions.base import ContentAction, Events
from core.replies import Reply
from core.vocabulary import CLARIFY_ID, FALLBACK_ID, SOMETHING_ELSE_ID, TOPIC_IDS

MAX_SUGGESTIONS = 3
MIN_SUGGESTION_CONFIDENCE = 0.05


def closest_topics(tracker: Tracker, limit: int = MAX_SUGGESTIONS) -> List[str]:
    """The topics NLU ranked highest for the latest message, best first."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    topics = [
        item["name"]
        for item in ranking
        if item.get("name") in TOPIC_IDS
        and (item.get("confidence") or 0.0) >= MIN_SUGGESTION_CONFIDENCE
    ]
    return topics[:limit]


class ActionClarify(ContentAction):
    """Low NLU confidence: offer "Did you mean ..." with the closest topics."""

    def name(self) -> str:
        return "action_clarify"

    def respond(self, tracker: Tracker, domain: Dict[str, Any]) -> Tuple[Reply, Events]:
        topics = closest_topics(tracker)
        if len(topics) < 2:
            return Reply(FALLBACK_ID, quick_replies=(SOMETHING_ELSE_ID,)), []
        return Reply(CLARIFY_ID, quick_replies=(*topics, SOMETHING_ELSE_ID)), []


class ActionDefaultFallback(ContentAction):
    """Rasa's core fallback (no policy was sure of the next action)."""

    def name(self) -> str:
        return "action_default_fallback"

    def respond(self, tracker: Tracker, domain: Dict[str, Any]) -> Tuple[Reply, Events]:
        return Reply(FALLBACK_ID, quick_replies=(SOMETHING_ELSE_ID,)), [UserUtteranceReverted()]
