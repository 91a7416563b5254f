"""Store the safe reply a channel sent in place of the assistant's, with its review flags.

When the action server is down, the patient gets :mod:`channels.safe_reply`'s
crisis, emergency or error answer, but Rasa stores no bot message and no review
flag for it. :func:`record_safe_reply` adds to the conversation what the actions
would have stored: the patient's message (if Rasa did not store it), the
``review_flags`` slot (:func:`core.vocabulary.flags_for`) and a ``BotUttered`` event
with the ``content_id`` and reply parts in its metadata, the same shape as
:func:`actions.base.send_reply`. If that cannot be stored, an ERROR log line says
what the patient received and why it was not stored; it never raises.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from core.vocabulary import CONTENT_ID_KEY, REPLY_KEY, REVIEW_FLAGS_SLOT, flags_for
from stores.health import STORAGE_HEALTH, TRACKER_STORE, describe

logger = logging.getLogger(__name__)

RECORD_TIMEOUT = 30.0


def review_flag_events(tracker: DialogueStateTracker, content_id: Optional[str]) -> list:
    """A SlotSet adding the review flags of ``content_id`` that the conversation lacks (or nothing)."""
    flags = list(tracker.get_slot(REVIEW_FLAGS_SLOT) or [])
    new_flags = [flag for flag in flags_for(content_id or "") if flag not in flags]
    return [SlotSet(REVIEW_FLAGS_SLOT, [*flags, *new_flags])] if new_flags else []


def safe_reply_events(tracker: DialogueStateTracker, message: UserMessage, reply: Dict[str, Any]) -> list:
    """The events that record ``reply`` (sent for ``message``) in ``tracker``."""
    events: list = []
    if not tracker.events:
        events += [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    stored_ids = {event.message_id for event in tracker.events if isinstance(event, UserUttered)}
    if message.message_id not in stored_ids:
        events.append(UserUttered(message.text, input_channel=message.input_channel,
                                  message_id=message.message_id, metadata=message.metadata))
    content_id = reply[CONTENT_ID_KEY]
    events += review_flag_events(tracker, content_id)
    buttons = (reply.get(REPLY_KEY) or {}).get("quick_replies") or None
    events.append(BotUttered(reply["text"], data={"buttons": buttons},
                             metadata={CONTENT_ID_KEY: content_id, REPLY_KEY: reply.get(REPLY_KEY)}))
    return events


async def record_safe_reply(agent: Optional[Any], message: UserMessage, reply: Dict[str, Any],
                            timeout: float = RECORD_TIMEOUT) -> bool:
    """Store ``reply`` in ``message``'s conversation; False (and an ERROR log line) if it could not be."""
    content_id = reply.get(CONTENT_ID_KEY)
    if agent is None or getattr(agent, "tracker_store", None) is None:
        logger.error("Conversation %s: the patient received the safe reply '%s'; not stored: no model loaded",
                     message.sender_id, content_id)
        return False
    try:
        await asyncio.wait_for(_store(agent, message, reply), timeout)
    except Exception as error:
        reason = "timed out" if isinstance(error, asyncio.TimeoutError) else describe(error)
        STORAGE_HEALTH.failed(TRACKER_STORE, f"could not store a safe reply ({reason})")
        logger.error("Conversation %s: the patient received the safe reply '%s'; it was not stored: %s",
                     message.sender_id, content_id, reason)
        return False
    return True


async def _store(agent: Any, message: UserMessage, reply: Dict[str, Any]) -> None:
    async with agent.lock_store.lock(message.sender_id):
        store = agent.tracker_store
        tracker = await store.retrieve(message.sender_id) or store.init_tracker(message.sender_id)
        for event in safe_reply_events(tracker, message, reply):
            tracker.update(event, agent.domain)
        await store.save(tracker)
