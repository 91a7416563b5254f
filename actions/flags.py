"""Flags that mark a conversation for staff review."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

REVIEW_FLAGS_SLOT = "review_flags"
FLAG_FOR_CONTENT = {
    "crisis_support": "crisis",
    "emergency_symptoms": "emergency",
    "personal_medical_advice": "personal_advice",
    "contact_clinic": "handoff",
    "clarify": "low_confidence",
    "fallback": "low_confidence",
    "error": "error",
}


def flag_events(tracker: Tracker, content_id: str) -> List[Dict[str, Any]]:
    """A SlotSet adding the review flag for ``content_id``, if it has one and it is new."""
    flag: str | None = FLAG_FOR_CONTENT.get(content_id)
    flags = list(tracker.get_slot(REVIEW_FLAGS_SLOT) or [])
    if flag is None or flag in flags:
        return []
    return [SlotSet(REVIEW_FLAGS_SLOT, [*flags, flag])]
