"""Flags that mark a conversation for staff review."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from core.vocabulary import REVIEW_FLAGS_SLOT, flags_for

__all__ = ["flag_events", "flags_for"]


def flag_events(tracker: Tracker, content_id: str) -> List[Dict[str, Any]]:
    """A SlotSet adding the review flags for ``content_id``, if it has any that are new."""
    flags = list(tracker.get_slot(REVIEW_FLAGS_SLOT) or [])
    new = [flag for flag in flags_for(content_id) if flag not in flags]
    if not new:
        return []
    return [SlotSet(REVIEW_FLAGS_SLOT, [*flags, *new])]
