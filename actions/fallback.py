"""Rasa's core fallback: no policy was sure of the next action."""

from __future__ import annotations

from typing import Any, Dict, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import UserUtteranceReverted

from actions.base import ContentAction, Events
from core.replies import Reply
from core.vocabulary import FALLBACK_ID, SOMETHING_ELSE_ID


class ActionDefaultFallback(ContentAction):
    """Say we did not understand, and forget the message."""

    def name(self) -> str:
        return "action_default_fallback"

    def respond(self, tracker: Tracker, domain: Dict[str, Any]) -> Tuple[Reply, Events]:
        return Reply(FALLBACK_ID, quick_replies=(SOMETHING_ELSE_ID,)), [UserUtteranceReverted()]
