"""The base class every content action derives from."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.flags import flag_events
from core.content import ContentStore
from core.replies import Reply, compose
from core.vocabulary import CONTENT_ID_KEY, ERROR_ID, REPLY_KEY

logger = logging.getLogger(__name__)

Events = List[Dict[str, Any]]


def send_reply(dispatcher: CollectingDispatcher, store: ContentStore, reply: Reply, channel: str | None) -> None:
    """Send one reply as one message: its full text, buttons, and its parts in the metadata."""
    parts = compose(store, reply, channel)
    dispatcher.utter_message(
        text=parts.text,
        buttons=parts.buttons(),
        **{CONTENT_ID_KEY: reply.content_id, REPLY_KEY: parts.as_metadata()},
    )


class ContentAction(Action):
    """An action that answers with exactly one reply from the content store.

    Subclasses implement :meth:`respond`. If it raises, the patient gets the
    content store's ``error`` answer instead of silence; either way the reply goes
    through :func:`core.replies.compose`, which adds the disclaimer, and
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
