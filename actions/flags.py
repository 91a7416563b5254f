"""Flags that mark a conversation for staff review."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from core.vocabulary import FLAG_FOR_CONTENT, REVIEW_FLAGS_SLOT


def flag_events(tracker: Tracker, content_id: str) -> List[Dict[str, Any]]:
    """A SlotSet adding the review flag for ``content_id``, if it has one and it is new."""
    flag: str | None = FLAG_FOR_CONTENT.get(content_id)
    flags = list(tracker.get_slot(REVIEW_FLAGS_SLOT) or [])
    if flag is None or flag in flags:
        return []
    return [SlotSet(REVIEW_FLAGS_SLOT, [*flags, flag])]
