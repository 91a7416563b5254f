"""Incremental sync of Rasa's ``events`` into the app's conversation summaries.

The app remembers the highest event id it has summarised (the *watermark*). A
sync reads the events above it in id order, re-summarises the conversations they
belong to (re-reading a conversation's earlier events from ``events`` when it
continues one already summarised) and moves the watermark. Summaries are
recomputed from the events, never incremented, so reading an event twice is
harmless.

On PostgreSQL, ids are handed out when a row is inserted but become visible when
its transaction commits, so a sync can see id 12 before id 11. When a sync finds
such a gap it keeps the watermark below it for up to ``GAP_GRACE_SECONDS`` (the
events above are re-read next time); a gap still open after that is a rolled-back
insert or a purged row, and is passed over.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from itertools import groupby
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from review.db import EVENTS
from review.schema import SYNC_STATE_NAME, conversation_topics, conversations, sync_state
from review.summary import SESSION_START_ACTION, EventRow, Summary, split_conversations, summarise

logger = logging.getLogger(__name__)

STATE_NAME = SYNC_STATE_NAME
BATCH_SIZE = 20_000
IN_CHUNK = 500
GAP_GRACE_SECONDS = 60.0
ANALYZE_AFTER = 5_000
SUMMARY_COLUMNS = tuple(Summary("", 0, 0, 0.0, 0.0).row())
EVENT_COLUMNS = (
    EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp,
    EVENTS.c.intent_name, EVENTS.c.action_name, EVENTS.c.data,
)
_request_lock = threading.Lock()


@dataclass
class SyncResult:
    """What one sync did."""

    events_read: int = 0
    conversations_written: int = 0
    watermark: int = 0
    tracker_problem: Optional[str] = None


def chunks(items: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def read_state(review: Connection) -> Tuple[int, Optional[float]]:
    """The watermark and since when a gap has held it back."""
    row = review.execute(
        sa.select(sync_state.c.watermark, sync_state.c.held_since).where(sync_state.c.name == STATE_NAME)
    ).first()
    return (int(row.watermark), row.held_since) if row else (0, None)


def write_state(review: Connection, watermark: int, held_since: Optional[float], now: float) -> None:
    """Store the watermark (insert the state row the first time)."""
    values = {"watermark": watermark, "held_since": held_since, "synced_at": now}
    updated = review.execute(sa.update(sync_state).where(sync_state.c.name == STATE_NAME).values(**values))
    if updated.rowcount == 0:
        review.execute(sa.insert(sync_state).values(name=STATE_NAME, **values))


def tracker_max_id(tracker: Connection) -> int:
    """The highest event id in Rasa's table (0 when empty)."""
    return int(tracker.execute(sa.select(sa.func.max(EVENTS.c.id))).scalar() or 0)


def read_events(tracker: Connection, after: int, limit: int) -> List[EventRow]:
    """Events with ``id > after``, in id order."""
    rows = tracker.execute(sa.select(*EVENT_COLUMNS).where(EVENTS.c.id > after).order_by(EVENTS.c.id).limit(limit))
    return [EventRow(*row) for row in rows]


def sender_events(tracker: Connection, sender_id: str, from_id: int) -> List[EventRow]:
    """One sender's events from ``from_id`` on, in id order."""
    rows = tracker.execute(
        sa.select(*EVENT_COLUMNS)
        .where(EVENTS.c.sender_id == sender_id, EVENTS.c.id >= from_id)
        .order_by(EVENTS.c.id)
    )
    return [EventRow(*row) for row in rows]


def existing_conversations(review: Connection, senders: Sequence[str]) -> Dict[str, List[Tuple[int, int, int]]]:
    """``sender -> [(id, first_event_id, last_event_id), ...]`` ordered by first event."""
    found: Dict[str, List[Tuple[int, int, int]]] = {}
    for chunk in chunks(sorted(senders)):
        rows = review.execute(
            sa.select(conversations.c.id, conversations.c.sender_id, conversations.c.first_event_id,
                      conversations.c.last_event_id).where(conversations.c.sender_id.in_(chunk))
        )
        for row in rows:
            found.setdefault(row.sender_id, []).append((row.id, row.first_event_id, row.last_event_id))
    for items in found.values():
        items.sort(key=lambda item: item[1])
    return found


def conversations_for_sender(
    tracker: Connection, sender_id: str, new_events: List[EventRow], existing: List[Tuple[int, int, int]]
) -> Tuple[List[Summary], int]:
    """Summaries of the sender's conversations touched by ``new_events``, and the first event id they cover."""
    first_new, opening = new_events[0].id, new_events[0]
    opens_session = opening.type_name == "action" and opening.action_name == SESSION_START_ACTION
    if not existing or (first_new > existing[-1][2] and opens_session):
        events = new_events
    else:
        before = [first for _, first, _ in existing if first <= first_new]
        start = max(before) if before else min(first_new, existing[0][1])
        events = sender_events(tracker, sender_id, start)
    return [summarise(conversation) for conversation in split_conversations(events)], events[0].id


def write_summaries(
    review: Connection, summaries: List[Summary], existing: Dict[str, List[Tuple[int, int, int]]],
    covered_from: Dict[str, int],
) -> None:
    """Insert or update summaries and their topic rows; drop summaries the events no longer support."""
    ids = {(sender, first): cid for sender, items in existing.items() for cid, first, _ in items}
    keep = {(summary.sender_id, summary.first_event_id) for summary in summaries}
    stale = [cid for (sender, first), cid in ids.items() if first >= covered_from.get(sender, first + 1)
             and (sender, first) not in keep]
    updates = [
        {"_id": ids[(summary.sender_id, summary.first_event_id)],
         **{f"v_{name}": value for name, value in summary.row().items()}}
        for summary in summaries if (summary.sender_id, summary.first_event_id) in ids
    ]
    inserts = [summary.row() for summary in summaries if (summary.sender_id, summary.first_event_id) not in ids]
    for chunk in chunks(stale):
        review.execute(sa.delete(conversation_topics).where(conversation_topics.c.conversation_id.in_(chunk)))
        review.execute(sa.delete(conversations).where(conversations.c.id.in_(chunk)))
    if updates:
        statement = (
            sa.update(conversations).where(conversations.c.id == sa.bindparam("_id"))
            .values({column: sa.bindparam(f"v_{column}") for column in SUMMARY_COLUMNS})
        )
        review.execute(statement, updates)
        for chunk in chunks([row["_id"] for row in updates]):
            review.execute(sa.delete(conversation_topics).where(conversation_topics.c.conversation_id.in_(chunk)))
    if inserts:
        review.execute(sa.insert(conversations), [dict(row, reviewed=False, content_gap=False, tags="")
                                                  for row in inserts])
    new_ids = dict(ids)
    if inserts:
        new_ids.update(existing_ids(review, sorted({row["sender_id"] for row in inserts})))
    topic_rows = [
        {"conversation_id": new_ids[(summary.sender_id, summary.first_event_id)], "content_id": content_id,
         "started_at": summary.started_at, "served": counts.served, "helpful": counts.helpful,
         "not_helpful": counts.not_helpful}
        for summary in summaries for content_id, counts in summary.topics.items()
    ]
    if topic_rows:
        review.execute(sa.insert(conversation_topics), topic_rows)


def existing_ids(review: Connection, senders: Sequence[str]) -> Dict[Tuple[str, int], int]:
    """``(sender, first_event_id) -> conversation id`` for ``senders``."""
    return {
        (sender, first): cid
        for sender, items in existing_conversations(review, senders).items()
        for cid, first, _ in items
    }


def recent_gap(after: int, events: Sequence[EventRow], now: float) -> Optional[int]:
    """The smallest id above ``after`` missing from ``events`` (sorted by id) next to recent events.

    A gap followed by an event older than ``GAP_GRACE_SECONDS`` cannot be an insert
    still being committed (rolled back or purged), so it is not reported.
    """
    expected = after + 1
    for event in events:
        if event.id != expected and event.timestamp is not None and event.timestamp >= now - GAP_GRACE_SECONDS:
            return expected
        expected = event.id + 1
    return None


def sync(
    tracker_engine: Engine, review_engine: Engine, max_events: Optional[int] = None,
    batch_size: int = BATCH_SIZE, clock: Callable[[], float] = time.time,
) -> SyncResult:
    """Summarise the events added since the last sync (at most ``max_events``, if given)."""
    result = SyncResult()
    now = clock()
    with review_engine.connect() as review:
        watermark, held_since = read_state(review)
    try:
        with tracker_engine.connect() as tracker:
            top = tracker_max_id(tracker)
            if top < watermark:
                logger.warning("events ids restart below the watermark (%d < %d): re-reading them", top, watermark)
                watermark, held_since = 0, None
            cursor = watermark
            while max_events is None or result.events_read < max_events:
                limit = batch_size if max_events is None else min(batch_size, max_events - result.events_read)
                batch = read_events(tracker, cursor, limit)
                if not batch:
                    break
                result.events_read += len(batch)
                gap = recent_gap(cursor, batch, now) if cursor == watermark else None
                with review_engine.begin() as review:
                    result.conversations_written += _apply(tracker, review, batch)
                    if gap is not None and held_since is None:
                        watermark, held_since = gap - 1, now
                    elif gap is not None and now - held_since < GAP_GRACE_SECONDS:
                        watermark = gap - 1
                    elif cursor == watermark:
                        watermark, held_since = batch[-1].id, None
                    write_state(review, watermark, held_since, now)
                cursor = batch[-1].id
    except IntegrityError:
        logger.info("another sync wrote the same conversations; this one stops here")
    except DBAPIError as error:
        result.tracker_problem = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        logger.warning("cannot read the tracker store: %s", result.tracker_problem)
    result.watermark = watermark
    if result.conversations_written >= ANALYZE_AFTER:
        refresh_statistics(review_engine)
    return result


def refresh_statistics(review_engine: Engine) -> None:
    """Let the query planner know the tables' new sizes after a large sync."""
    with review_engine.begin() as review:
        if review_engine.dialect.name == "sqlite":
            review.exec_driver_sql("ANALYZE")
        else:
            review.exec_driver_sql("ANALYZE review_conversations, review_conversation_topics, review_tags")


def storable(review: Connection, sender_id: str) -> bool:
    """Whether the app's database can hold this sender id (PostgreSQL text cannot contain NUL)."""
    return review.dialect.name != "postgresql" or "\x00" not in sender_id


def _apply(tracker: Connection, review: Connection, batch: List[EventRow]) -> int:
    by_sender: Dict[str, List[EventRow]] = {}
    for sender, events in groupby(sorted(batch, key=lambda event: (event.sender_id, event.id)),
                                  key=lambda event: event.sender_id):
        if storable(review, sender):
            by_sender[sender] = list(events)
        else:
            logger.warning("passed over %d events of a sender id with a NUL byte: PostgreSQL cannot store it",
                           len(list(events)))
    existing = existing_conversations(review, list(by_sender))
    summaries: List[Summary] = []
    covered_from: Dict[str, int] = {}
    for sender, events in by_sender.items():
        sender_summaries, covered_from[sender] = conversations_for_sender(
            tracker, sender, events, existing.get(sender, [])
        )
        summaries.extend(sender_summaries)
    write_summaries(review, summaries, existing, covered_from)
    return len(summaries)


def sync_for_request(tracker_engine: Engine, review_engine: Engine, max_events: int = 5_000) -> Optional[SyncResult]:
    """A bounded sync before serving a page; skipped if another thread is already syncing."""
    if not _request_lock.acquire(blocking=False):
        return None
    try:
        return sync(tracker_engine, review_engine, max_events=max_events)
    finally:
        _request_lock.release()
