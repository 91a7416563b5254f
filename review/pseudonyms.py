"""Sender ids as stable pseudonyms, for display, exports and the audit log.

REST clients choose their own sender ids, so one can be an e-mail address or a
phone number. Staff never need the id itself, only to tell senders apart and to
link a call-back request to its conversation, so the app shows ``sender-`` and 12
hex digits of an HMAC-SHA256 of the id, keyed from ``REVIEW_SECRET_KEY``. The same
sender always gets the same pseudonym; without the key it cannot be reversed.
``review pseudonym SENDER_ID`` prints one (e.g. to find a patient's rows in the audit log).
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sender-"
DIGITS = 12
CONTEXT = b"review-app sender pseudonym\x00"


class Pseudonyms:
    """Maps sender ids to pseudonyms with a key derived from the app's secret key."""

    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(CONTEXT + secret_key.encode("utf-8")).digest()

    def __call__(self, sender_id: str) -> str:
        """The pseudonym of ``sender_id`` (any string, even with lone surrogates)."""
        data = str(sender_id).encode("utf-8", "surrogatepass")
        return PREFIX + hmac.new(self._key, data, hashlib.sha256).hexdigest()[:DIGITS]
