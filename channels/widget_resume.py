"""Resume tokens: a widget conversation is resumed only with a secret the server issued.

A session id alone is not enough (it is sent with every message and kept in the
browser); resuming also needs the token handed out with it: an HMAC-SHA256 over the
session id and the issue time, keyed by ``WIDGET_RESUME_KEY``. Tokens expire after
:data:`MAX_AGE_SECONDS`. Without the variable a random key is made per process, so
development works but conversations cannot be resumed after a restart (and replicas
would not accept each other's tokens): production sets it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import time
from typing import Callable, Mapping

logger = logging.getLogger(__name__)

KEY_VARIABLE = "WIDGET_RESUME_KEY"
MIN_KEY_CHARS = 32
MAX_AGE_SECONDS = 30 * 24 * 3600
CLOCK_SKEW_SECONDS = 300  # replicas' clocks may differ a little
MAX_TOKEN_CHARS = 128


class ResumeKeyError(ValueError):
    """``WIDGET_RESUME_KEY`` is unusable (the message names the variable)."""


class ResumeTokens:
    """Issues and checks resume tokens for widget session ids."""

    def __init__(self, key: bytes, max_age: float = MAX_AGE_SECONDS, clock: Callable[[], float] = time.time):
        self._key = key
        self.max_age = max_age
        self._clock = clock

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "ResumeTokens":
        """Tokens keyed by ``WIDGET_RESUME_KEY``, or by a random per-process key when unset."""
        raw = environ.get(KEY_VARIABLE, "")
        if not raw.strip():
            logger.warning("%s is not set: widget conversations cannot be resumed after a restart "
                           "(a random key is used; set it in production).", KEY_VARIABLE)
            return cls(secrets.token_bytes(32))
        if len(raw.strip()) < MIN_KEY_CHARS:
            raise ResumeKeyError(f"{KEY_VARIABLE}: too short, use at least {MIN_KEY_CHARS} random characters")
        return cls(raw.strip().encode("utf-8"))

    def _signature(self, session_id: str, issued_at: int) -> str:
        digest = hmac.new(self._key, f"{session_id}.{issued_at}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")

    def issue(self, session_id: str) -> str:
        """A token proving the holder was given ``session_id`` by this server."""
        issued_at = int(self._clock())
        return f"{issued_at}.{self._signature(session_id, issued_at)}"

    def valid(self, session_id: object, token: object) -> bool:
        """True when ``token`` was issued for ``session_id`` and has not expired."""
        if not isinstance(session_id, str) or not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
            return False
        issued, _, signature = token.partition(".")
        if not (issued.isascii() and issued.isdigit()) or not signature:
            return False
        age = self._clock() - int(issued)
        if not -CLOCK_SKEW_SECONDS <= age <= self.max_age:
            return False
        return hmac.compare_digest(signature, self._signature(session_id, int(issued)))
