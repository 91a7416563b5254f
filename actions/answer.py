"""Answering a message: the reply chosen by core/routing.py in the conversation's context."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.base import ContentAction, Events
from core.medicines import medicine_display_names
from core.replies import Reply
from core.routing import Context, Decision, decide
from core.vocabulary import CURRENT_TOPIC_SLOT, MEDICINE_SLOT, TOPIC_IDS


class ActionAnswer(ContentAction):
    """Answer the latest message from the content store, keeping the topic and medicine."""

    def name(self) -> str:
        return "action_answer"

    def respond(self, tracker: Tracker, domain: Dict[str, Any]) -> Tuple[Reply, Events]:
        context = Context(tracker.get_slot(CURRENT_TOPIC_SLOT), tracker.get_slot(MEDICINE_SLOT))
        decision = decide(tracker.latest_message, context)
        answer = self.store.answer(decision.content_id)
        quick_replies = decision.quick_replies if decision.quick_replies is not None else tuple(answer.follow_ups)
        return Reply(decision.content_id, self._lead(decision), quick_replies), _slot_events(context, decision)

    def _lead(self, decision: Decision) -> str | None:
        """"You asked about Cymbalta (duloxetine)." before a topic answer about a known medicine."""
        if decision.content_id not in TOPIC_IDS or not decision.medicine:
            return None
        name = medicine_display_names(self.store.medicines).get(decision.medicine)
        return self.store.medicines.mention.format(medicine=name) if name else None


class ActionClarify(ActionAnswer):
    """Low NLU confidence or another language: "Did you mean ..." or "English only"."""

    def name(self) -> str:
        return "action_clarify"


def _slot_events(before: Context, decision: Decision) -> List[Dict[str, Any]]:
    after = decision.context
    events = []
    if after.topic != before.topic:
        events.append(SlotSet(CURRENT_TOPIC_SLOT, after.topic))
    if after.medicine != before.medicine:
        events.append(SlotSet(MEDICINE_SLOT, after.medicine))
    return events
