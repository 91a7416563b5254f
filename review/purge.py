"""Retention: delete conversations older than a cut-off, with their review records, and audit it.

A conversation is old when its *last* event is older than the cut-off, so a
conversation that is still going on is never cut in half. Its Rasa events (by
sender and event-id range) and the app's summary, topics, tags and notes are
deleted, with its corrections; so are call-back requests made before the cut-off.
This is the only code that writes to Rasa's tables, through its own writable
connection. The audit log has its own, longer retention (``REVIEW_AUDIT_RETENTION_DAYS``):
rows older than that go in the same run.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from review import audit
from review.db import EVENTS
from review.schema import audit as audit_log
from review.schema import (
    conversation_topics,
    conversations,
    corrections,
    login_attempts,
    notes,
    sessions,
    sync_state,
    tags,
)
from review.sync import STATE_NAME, chunks, sync
from stores.callbacks import callbacks

AGE = re.compile(r"(\d{1,5})([dwh])")
UNIT_SECONDS = {"h": 3600, "d": 86_400, "w": 7 * 86_400}
MIN_AGE_SECONDS = 3600
SECONDS_PER_DAY = 86_400
DEFAULT_AUDIT_DAYS = 730


class PurgeError(ValueError):
    """A purge request that cannot be run (bad age)."""


@dataclass(frozen=True)
class PurgeResult:
    """What a purge deleted."""

    cutoff: float
    conversations: int
    events: int
    audit_rows: int = 0
    callbacks: int = 0


def parse_age(text: str) -> float:
    """``90d``, ``12w`` or ``48h`` in seconds."""
    match = AGE.fullmatch((text or "").strip().lower())
    if not match:
        raise PurgeError(
            f"--older-than: expected a number of days, weeks or hours such as 90d, 12w or 48h; got {text!r}"
        )
    seconds = int(match.group(1)) * UNIT_SECONDS[match.group(2)]
    if seconds < MIN_AGE_SECONDS:
        raise PurgeError("--older-than: must be at least 1h")
    return float(seconds)


def purge(
    tracker_writable: Engine, tracker_readonly: Engine, review: Engine, older_than: str, username: str,
    ip: str = "cli", clock: Callable[[], float] = time.time, *, pseudonym: Callable[[str], str],
    audit_days: int = DEFAULT_AUDIT_DAYS,
) -> PurgeResult:
    """Delete old conversations and old audit rows, then audit the purge.

    Conversations go when their last event is older than ``older_than`` (e.g. ``90d``),
    audit rows when older than ``audit_days``; the purge's own audit row names the
    senders by their pseudonyms.
    """
    now = clock()
    cutoff = now - parse_age(older_than)
    sync(tracker_readonly, review)
    with review.connect() as connection:
        old = connection.execute(
            sa.select(conversations.c.id, conversations.c.sender_id, conversations.c.first_event_id,
                      conversations.c.last_event_id).where(conversations.c.last_at < cutoff)
        ).all()
    events_deleted = _delete_events(tracker_writable, old)
    ids = [row.id for row in old]
    with review.begin() as connection:
        for chunk in chunks(ids):
            for table in (notes, tags, conversation_topics, corrections):
                connection.execute(sa.delete(table).where(table.c.conversation_id.in_(chunk)))
            connection.execute(sa.delete(conversations).where(conversations.c.id.in_(chunk)))
        callbacks_deleted = connection.execute(sa.delete(callbacks).where(callbacks.c.created_at < cutoff)).rowcount
        connection.execute(sa.delete(login_attempts).where(login_attempts.c.at < cutoff))
        connection.execute(sa.delete(sessions).where(sessions.c.expires_at < now))
        _lower_watermark(tracker_readonly, connection)
        audit_rows = connection.execute(
            sa.delete(audit_log).where(audit_log.c.at < now - audit_days * SECONDS_PER_DAY)
        ).rowcount
        audit.record(connection, username, ip, "purge", {
            "older_than": older_than, "cutoff": cutoff, "conversations": len(ids), "events": events_deleted,
            "senders": sorted({pseudonym(row.sender_id) for row in old})[:200],
            "audit_days": audit_days, "audit_rows": audit_rows, "callbacks": callbacks_deleted,
        }, at=now)
    return PurgeResult(cutoff, len(ids), events_deleted, audit_rows, callbacks_deleted)


def _delete_events(tracker_writable: Engine, old: List[sa.engine.Row]) -> int:
    statement = sa.delete(EVENTS).where(
        EVENTS.c.sender_id == sa.bindparam("sender"), EVENTS.c.id.between(sa.bindparam("low"), sa.bindparam("high"))
    )
    deleted = 0
    for chunk in chunks(old, 1000):
        with tracker_writable.begin() as connection:
            result = connection.execute(
                statement, [{"sender": row.sender_id, "low": row.first_event_id, "high": row.last_event_id}
                            for row in chunk]
            )
            deleted += max(result.rowcount, 0)
    return deleted


def _lower_watermark(tracker_readonly: Engine, connection: sa.engine.Connection) -> None:
    """SQLite hands out ids again after the newest rows are deleted: keep the watermark below them."""
    with tracker_readonly.connect() as tracker:
        top: Optional[int] = tracker.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar()
    connection.execute(
        sa.update(sync_state).where(sync_state.c.name == STATE_NAME, sync_state.c.watermark > (top or 0))
        .values(watermark=top or 0, held_since=None)
    )
