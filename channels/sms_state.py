"""The SMS channel's small state store (SQLAlchemy; SQLite by default).

Three tables: the TwiML answered for each Twilio ``MessageSid`` (so a retried
webhook gets the same reply without reaching Rasa twice; forgotten after 7 days),
the opt-outs, keyed by the phone number's pseudonym, and every opt-out/opt-in
keyword message ever applied, in arrival order (kept for good: a captured, signed
STOP replayed after the 7 days is recognised by its ``MessageSid`` and changes
nothing, so it cannot undo a later START). No phone number is ever stored. The methods are
blocking; call them from a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

metadata = MetaData()
processed_messages = Table(
    "sms_processed_messages",
    metadata,
    Column("message_sid", String(64), primary_key=True),
    Column("twiml", Text, nullable=True),  # NULL while the message is being answered
    Column("received_at", DateTime, nullable=False, index=True),
)
opt_outs = Table(
    "sms_opt_outs",
    metadata,
    Column("sender_id", String(64), primary_key=True),
    Column("opted_out_at", DateTime, nullable=False),
)
consent_changes = Table(
    "sms_consent_changes",
    metadata,
    Column("sequence", Integer, primary_key=True, autoincrement=True),  # arrival order
    Column("message_sid", String(64), nullable=False, unique=True),
    Column("sender_id", String(64), nullable=False, index=True),
    Column("opted_out", Boolean, nullable=False),
    Column("received_at", DateTime, nullable=False),
)

# A claim older than this belongs to a worker that died; another may take it over.
STALE_CLAIM = datetime.timedelta(seconds=120)
# Twilio retries within minutes; older message ids are forgotten.
KEEP_PROCESSED = datetime.timedelta(days=7)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class ClaimStatus(enum.Enum):
    """Outcome of :meth:`SmsState.claim`."""

    NEW = "new"  # the caller must answer, then complete() or release()
    DONE = "done"  # answered before; the stored TwiML is returned
    PENDING = "pending"  # being answered by another request right now


@dataclass(frozen=True)
class Claim:
    """A claim on a message id, with the stored TwiML when already answered."""

    status: ClaimStatus
    twiml: str | None = None


class SmsState:
    """Processed message ids and opt-outs in a SQL database."""

    def __init__(self, url: str) -> None:
        """Connect to ``url`` (an SQLAlchemy URL) and create the tables if needed."""
        connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
        self.engine: Engine = create_engine(url, future=True, connect_args=connect_args)
        metadata.create_all(self.engine)

    def claim(self, message_sid: str) -> Claim:
        """Claim a message id for answering, or return its stored TwiML."""
        now = _now()
        try:
            with self.engine.begin() as connection:
                expired = processed_messages.c.received_at < now - KEEP_PROCESSED
                connection.execute(delete(processed_messages).where(expired))
                connection.execute(insert(processed_messages).values(message_sid=message_sid, received_at=now))
            return Claim(ClaimStatus.NEW)
        except IntegrityError:
            pass
        with self.engine.begin() as connection:
            row = connection.execute(
                select(processed_messages.c.twiml, processed_messages.c.received_at).where(
                    processed_messages.c.message_sid == message_sid
                )
            ).first()
            if row is None:  # released in the meantime
                connection.execute(insert(processed_messages).values(message_sid=message_sid, received_at=now))
                return Claim(ClaimStatus.NEW)
            if row.twiml is not None:
                return Claim(ClaimStatus.DONE, row.twiml)
            if row.received_at < now - STALE_CLAIM:
                taken = connection.execute(
                    update(processed_messages)
                    .where(processed_messages.c.message_sid == message_sid)
                    .where(processed_messages.c.received_at == row.received_at)
                    .where(processed_messages.c.twiml.is_(None))
                    .values(received_at=now)
                ).rowcount
                if taken == 1:
                    return Claim(ClaimStatus.NEW)
        return Claim(ClaimStatus.PENDING)

    def complete(self, message_sid: str, twiml: str) -> None:
        """Store the TwiML answered for a claimed message id."""
        with self.engine.begin() as connection:
            connection.execute(
                update(processed_messages).where(processed_messages.c.message_sid == message_sid).values(twiml=twiml)
            )

    def release(self, message_sid: str) -> None:
        """Give up a claim (answering failed), so a retry is answered afresh."""
        with self.engine.begin() as connection:
            connection.execute(
                delete(processed_messages)
                .where(processed_messages.c.message_sid == message_sid)
                .where(processed_messages.c.twiml.is_(None))
            )

    def is_opted_out(self, sender_id: str) -> bool:
        """True when this pseudonym has texted STOP and not START since."""
        with self.engine.connect() as connection:
            row = connection.execute(select(opt_outs.c.sender_id).where(opt_outs.c.sender_id == sender_id)).first()
        return row is not None

    def opt_out(self, sender_id: str) -> None:
        """Record that this pseudonym texted STOP."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(opt_outs).values(sender_id=sender_id, opted_out_at=_now()))
        except IntegrityError:
            pass  # already opted out

    def opt_in(self, sender_id: str) -> None:
        """Forget this pseudonym's opt-out (it texted START)."""
        with self.engine.begin() as connection:
            connection.execute(delete(opt_outs).where(opt_outs.c.sender_id == sender_id))

    def change_consent(self, sender_id: str, message_sid: str, opted_out: bool) -> bool:
        """Apply an opt-out (STOP...) or opt-in (START...) message once; False for a replay.

        The message id is remembered for good, so the same signed request sent again,
        even after the processed-message memory expired, is recognised and ignored.
        """
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(consent_changes).values(
                    message_sid=message_sid, sender_id=sender_id, opted_out=opted_out, received_at=_now()))
                connection.execute(delete(opt_outs).where(opt_outs.c.sender_id == sender_id))
                if opted_out:
                    connection.execute(insert(opt_outs).values(sender_id=sender_id, opted_out_at=_now()))
        except IntegrityError:
            return False
        return True

    def dispose(self) -> None:
        """Close the database connections."""
        self.engine.dispose()
