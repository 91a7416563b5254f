"""Answering a recognised question with its curated answer."""

from __future__ import annotations

from typing import Any, Dict, Tuple

from rasa_sdk import Tracker

from actions.base import ContentAction, Events
from core.medicines import medicine_mention
from core.replies import Reply
from core.vocabulary import TOPIC_IDS, content_id_for_intent


class ActionAnswer(ContentAction):
    """Answer the latest intent with the content item of the same id."""

    def name(self) -> str:
        return "action_answer"

    def respond(self, tracker: Tracker, domain: Dict[str, Any]) -> Tuple[Reply, Events]:
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        content_id = content_id_for_intent(intent)
        answer = self.store.answer(content_id)
        lead = None
        if content_id in TOPIC_IDS:
            lead = medicine_mention(tracker.latest_message.get("entities", []), self.store.medicines)
        return Reply(content_id, lead=lead, quick_replies=tuple(answer.follow_ups)), []
