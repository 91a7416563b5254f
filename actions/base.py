"""The base class every content action derives from."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import ContentStore
from actions.flags import flag_events
from actions.replies import Reply, send_reply
from actions.topics import ERROR_ID

logger = logging.getLogger(__name__)

Events = List[Dict[str, Any]]


class ContentAction(Action):
    """An action that answers with exactly one reply from the content store.

    Subclasses implement :meth:`respond`. If it raises, the patient gets the
    content store's ``error`` answer instead of silence; either way the reply goes
    through :func:`actions.replies.send_reply`, which adds the disclaimer, and
    safety-relevant replies flag the conversation for staff review.
    """

    def __init__(self, store: ContentStore) -> None:
        self.store = store

    def respond(self, tracker: Tracker, domain: Dict[str, Any]) -> Tuple[Reply, Events]:
        """Choose the reply and the events to return."""
        raise NotImplementedError

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> Events:
        """Send the reply chosen by :meth:`respond`, or the error reply."""
        try:
            reply, events = self.respond(tracker, domain)
        except Exception:
            logger.exception("Action %s failed; sending the error reply", self.name())
            reply, events = Reply(ERROR_ID), []
        send_reply(dispatcher, self.store, reply, tracker.get_latest_input_channel())
        return [*events, *flag_events(tracker, reply.content_id)]
