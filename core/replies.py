"""Turning content into bot messages. The disclaimer is added here, and only here.

Every action sends its reply through :func:`send_reply`, so every bot turn, on every
channel and every path (answers, fallback, errors), ends with the disclaimer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Tuple

from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import ContentStore

SMS_CHANNELS = frozenset({"twilio", "twilio_sms"})
PARAGRAPH = "\n\n"


@dataclass(frozen=True)
class Reply:
    """What a bot turn says: one content item, optional lead-in and quick replies.

    Attributes:
        content_id: the answer to send.
        lead: a sentence from the content store put before the answer.
        quick_replies: content ids offered as buttons (their titles).

    """

    content_id: str
    lead: str | None = None
    quick_replies: Tuple[str, ...] = field(default_factory=tuple)


def is_sms(channel: str | None) -> bool:
    """True when replies on ``channel`` must use the short SMS texts."""
    return channel in SMS_CHANNELS


def reply_text(store: ContentStore, reply: Reply, channel: str | None) -> str:
    """Compose the full text of a reply, ending with the disclaimer."""
    answer = store.answer(reply.content_id)
    sms = is_sms(channel)
    body = answer.sms if sms else answer.text
    disclaimer = store.disclaimer.sms if sms else store.disclaimer.text
    return PARAGRAPH.join(part for part in (reply.lead, body, disclaimer) if part)


def reply_buttons(store: ContentStore, reply: Reply) -> List[Dict[str, str]]:
    """Quick-reply buttons; each sends the topic's title as if the patient typed it."""
    titles = [store.answer(content_id).title for content_id in reply.quick_replies]
    return [{"title": title, "payload": title} for title in titles]


def send_reply(
    dispatcher: CollectingDispatcher, store: ContentStore, reply: Reply, channel: str | None
) -> None:
    """Send one reply as one message, tagged with its ``content_id``."""
    dispatcher.utter_message(
        text=reply_text(store, reply, channel),
        buttons=reply_buttons(store, reply),
        content_id=reply.content_id,
    )
