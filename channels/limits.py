"""Limits at the REST edge: message length, request size, messages per conversation per minute.

A message over a limit is never cut silently: it gets the content store's
``too_long`` or ``rate_limited`` reply — unless the safety check (run on the whole
text first) finds a crisis or an emergency, which always gets that reply. The
settings come from the channel's entry in the credentials file; a bad value stops
start-up with a message naming the file and the field.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Deque, Dict, Mapping, Optional

from rasa.shared.exceptions import RasaException

from core.vocabulary import RATE_LIMITED_ID, TOO_LONG_ID

CHANNEL_KEY = "channels.rest.GuardedRestInput"
MAX_MESSAGE_CHARS = 2000
DEFAULTS: Dict[str, int] = {"max_message_chars": MAX_MESSAGE_CHARS, "max_body_bytes": 64 * 1024,
                            "messages_per_minute": 30}
WINDOW_SECONDS = 60.0
MAX_TRACKED_CONVERSATIONS = 10_000


class LimitsConfigError(RasaException):
    """A limit in the credentials file is not a positive whole number."""


@dataclass(frozen=True)
class Limits:
    """The REST channel's limits."""

    max_message_chars: int = DEFAULTS["max_message_chars"]
    max_body_bytes: int = DEFAULTS["max_body_bytes"]
    messages_per_minute: int = DEFAULTS["messages_per_minute"]

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any]) -> "Limits":
        """The limits set in the channel's credentials (defaults for those not set)."""
        values = {}
        for name, default in DEFAULTS.items():
            value = credentials.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise LimitsConfigError(
                    f"credentials.yml: {CHANNEL_KEY}: field '{name}': must be a whole number of at least 1, "
                    f"got {value!r}"
                )
            values[name] = value
        return cls(**values)


class ConversationRate:
    """Messages per conversation in the last minute (in this process)."""

    def __init__(self, per_minute: int, window: float = WINDOW_SECONDS) -> None:
        self.per_minute = per_minute
        self.window = window
        self._times: Dict[str, Deque[float]] = {}

    def allows(self, sender_id: str, now: float) -> bool:
        """Count a message; False when the conversation already sent ``per_minute`` in the window."""
        if len(self._times) >= MAX_TRACKED_CONVERSATIONS and sender_id not in self._times:
            self._times = {key: times for key, times in self._times.items() if times and times[-1] > now - self.window}
        times = self._times.setdefault(sender_id, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        return True


def refusal(limits: Limits, rate: ConversationRate, sender_id: str, text: str, now: float) -> Optional[str]:
    """The content id of the reply refusing this message (``too_long``, ``rate_limited``), or None."""
    allowed = rate.allows(sender_id, now)
    if len(text) > limits.max_message_chars:
        return TOO_LONG_ID
    return None if allowed else RATE_LIMITED_ID
