"""Conversation ids at each channel's edge: well formed, and in their channel's namespace.

Widget sessions are 32 hex digits (handed out by the server), SMS conversations are
``sms-`` plus a keyed hash of the phone number (:func:`channels.sms_config.pseudonym`),
and a REST client's own id is stored as ``rest-`` plus that id, so no REST request can
write into a widget or SMS conversation. Anything that could break a tracker store
(lone surrogates, NUL and other control characters, very long ids) is refused.
"""

from __future__ import annotations

import re

REST_PREFIX = "rest-"
MAX_CLIENT_ID_CHARS = 64
# Letters, digits and a few separators: enough for any client's ids, nothing a
# database, a log line or a CSV export can trip on.
_CLIENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@+-]*")
WIDGET_SESSION_ID = re.compile(r"[0-9a-f]{32}")
SMS_CONVERSATION_ID = re.compile(r"sms-[0-9a-f]{16,64}")


class BadSenderId(ValueError):
    """A sender id a channel must refuse (the message says why, without echoing it)."""


def rest_conversation_id(sender: object) -> str:
    """The conversation id for a REST client's ``sender``; :class:`BadSenderId` if unusable."""
    if not isinstance(sender, str):
        raise BadSenderId("'sender' must be a string")
    if not 0 < len(sender) <= MAX_CLIENT_ID_CHARS:
        raise BadSenderId(f"'sender' must be 1 to {MAX_CLIENT_ID_CHARS} characters")
    if not _CLIENT_ID.fullmatch(sender):
        raise BadSenderId("'sender' may hold only letters, digits and . _ : @ + -")
    return sender if sender.startswith(REST_PREFIX) else REST_PREFIX + sender


def is_widget_session_id(value: object) -> bool:
    """True for an id in the format the widget channel hands out."""
    return isinstance(value, str) and WIDGET_SESSION_ID.fullmatch(value) is not None


def is_sms_conversation_id(value: object) -> bool:
    """True for an id in the format the SMS channel derives from a phone number."""
    return isinstance(value, str) and SMS_CONVERSATION_ID.fullmatch(value) is not None
