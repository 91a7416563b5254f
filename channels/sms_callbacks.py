"""Call-back requests over SMS.

After the assistant has sent the ``request_callback`` reply to a number, that
number has an *offer* (kept one hour, with no patient data: only the pseudonym and
the time). The patient accepts by texting ``AGREE`` followed by their name and a good
time to call, e.g. "AGREE Sam Jones, weekday mornings": the word is the explicit
consent to store the name, the sender's phone number and the time. ``YES`` is not
used: Twilio treats it as an opt-in keyword.

With consent the request goes to the encrypted call-back store
(:mod:`stores.callbacks`), never into the tracker: the AGREE text is not passed to
Rasa. Any other text withdraws the offer, nothing is stored, and Rasa answers it as
usual; so does an AGREE text that the safety patterns read as a crisis or an
emergency, so those always get the safety reply.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
from dataclasses import dataclass
from typing import Callable, Optional, Tuple

from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from channels.callback_requests import RequestLimit
from core.vocabulary import CALLBACK_NOT_SAVED_ID, CALLBACK_SAVED_ID, ERROR_ID, RATE_LIMITED_ID, SMS_CHANNEL
from safety.detector import CRISIS, EMERGENCY, SafetyDetector
from stores.callbacks import CallbackError, CallbackRequest, CallbackStore

logger = logging.getLogger(__name__)

CONSENT_WORD = "AGREE"
OFFER_LIFETIME = datetime.timedelta(hours=1)
NO_TIME_GIVEN = "no time given"
_CONSENT = re.compile(rf"\s*{CONSENT_WORD}\b[\s,.:;!-]*(?P<details>.*)", re.IGNORECASE | re.DOTALL)
# "Sam Jones, mornings" / "Sam Jones - after 2pm" / "Sam Jones; any time"
_NAME_AND_TIME = re.compile(r"(?P<name>[^,;\n]+?)\s*(?:[,;\n]|\s-\s)\s*(?P<time>.+)", re.DOTALL)

metadata = MetaData()
offers = Table(
    "sms_callback_offers",
    metadata,
    Column("sender_id", String(80), primary_key=True),
    Column("offered_at", DateTime, nullable=False),
)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def consent_details(text: str) -> Optional[Tuple[str, str]]:
    """``(name, preferred time)`` from an ``AGREE ...`` text; None when it does not start with AGREE."""
    match = _CONSENT.fullmatch(text or "")
    if match is None:
        return None
    details = " ".join(match.group("details").split())
    split = _NAME_AND_TIME.fullmatch(details)
    if split is None:
        return details, NO_TIME_GIVEN
    return split.group("name").strip(), split.group("time").strip()


class CallbackOffers:
    """Which numbers were offered a call back in the last hour (pseudonyms only)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    def offer(self, sender_id: str) -> None:
        """Remember that ``sender_id`` was just offered a call back."""
        with self.engine.begin() as connection:
            connection.execute(delete(offers).where(offers.c.sender_id == sender_id))
            try:
                connection.execute(insert(offers).values(sender_id=sender_id, offered_at=_now()))
            except IntegrityError:  # a concurrent offer to the same number: one is enough
                pass

    def take(self, sender_id: str) -> bool:
        """Withdraw ``sender_id``'s offer; True when it was there and still open."""
        with self.engine.begin() as connection:
            row = connection.execute(select(offers.c.offered_at).where(offers.c.sender_id == sender_id)).first()
            if row is None:
                return False
            connection.execute(delete(offers).where(offers.c.sender_id == sender_id))
            connection.execute(delete(offers).where(offers.c.offered_at < _now() - OFFER_LIFETIME))
        return row.offered_at >= _now() - OFFER_LIFETIME


@dataclass(frozen=True)
class CallbackAnswer:
    """The reply to an AGREE text, and whether a request was stored."""

    content_id: str
    saved: bool


class SmsCallbacks:
    """Turns an AGREE text after an offer into a stored call-back request.

    Blocking (database calls): run from a worker thread.

    Args:
        offers: the open offers.
        store: returns the call-back store (created on first use).
        detector: the safety patterns (crisis and emergency texts go to Rasa).

    """

    def __init__(
        self,
        offers: CallbackOffers,
        store: Callable[[], CallbackStore],
        detector: Optional[SafetyDetector] = None,
    ) -> None:
        self.offers = offers
        self.store = store
        self.detector = detector or SafetyDetector()
        self.limit = RequestLimit()

    def answer(self, sender_id: str, phone_number: str, text: str) -> Optional[CallbackAnswer]:
        """The answer to ``text`` if it accepts an open offer; None: let Rasa answer it."""
        if not self.offers.take(sender_id):
            return None
        details = consent_details(text)
        if details is None:
            return None
        verdict = self.detector.detect(text)
        if verdict is not None and verdict.intent in (CRISIS, EMERGENCY):
            logger.warning("A call-back reply from %s reads as %s: answered by the assistant", sender_id,
                           verdict.intent)
            return None
        name, preferred_time = details
        try:
            request = CallbackRequest(SMS_CHANNEL, sender_id, name, phone_number, preferred_time).checked()
        except CallbackError as error:  # names the field, never its value
            logger.info("SMS call-back request from %s not stored: %s", sender_id, error)
            return CallbackAnswer(CALLBACK_NOT_SAVED_ID, False)
        now = time.time()
        if not self.limit.allows(sender_id, now):
            logger.warning("Too many call-back requests from %s; not stored.", sender_id)
            return CallbackAnswer(RATE_LIMITED_ID, False)
        self.limit.record(sender_id, now)
        try:
            self.store().add(request, now)
        except Exception as error:  # the database or its configuration failed: say so, don't crash
            logger.error("Could not store an SMS call-back request from %s: %s", sender_id, type(error).__name__)
            return CallbackAnswer(ERROR_ID, False)
        logger.info("SMS call-back request from %s stored", sender_id)
        return CallbackAnswer(CALLBACK_SAVED_ID, True)
