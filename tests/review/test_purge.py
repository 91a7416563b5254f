"""Retention: `purge` deletes old conversations from Rasa's events and the app's tables, and audits it."""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa

from review import corrections, review_work
from review.db import tracker_engine
from review.purge import PurgeError, parse_age, purge
from review.schema import audit, conversations, notes, tags
from review.schema import corrections as corrections_table
from review.sync import sync
from scripts.review_tools.seed import seed
from stores.callbacks import CallbackRequest, CallbackStore
from tests.review.helpers import CALLBACK_KEY, pseudonym

DAY = 86_400


@pytest.fixture
def seeded(backend, tmp_path, postgres_databases):
    """A tracker store with 120 conversations over 200 days: (writable engine, read-only engine)."""
    url = backend.new_database("review_purge", tmp_path, postgres_databases)
    writable = tracker_engine(url, writable=True)
    seed(writable, conversations=120, events=1200, days=200, seed_value=3)
    readonly = tracker_engine(url)
    yield writable, readonly
    readonly.dispose()
    writable.dispose()


def ranges(review_db, old: bool, cutoff: float) -> list:
    condition = conversations.c.last_at < cutoff if old else conversations.c.last_at >= cutoff
    with review_db.connect() as connection:
        return connection.execute(sa.select(conversations.c.id, conversations.c.sender_id,
                                            conversations.c.first_event_id, conversations.c.last_event_id)
                                  .where(condition)).all()


def events_in(engine, rows) -> int:
    with engine.connect() as connection:
        return sum(connection.execute(sa.text(
            "SELECT count(*) FROM events WHERE sender_id = :s AND id BETWEEN :a AND :b"),
            {"s": row.sender_id, "a": row.first_event_id, "b": row.last_event_id}).scalar() for row in rows)


def test_purge_deletes_old_conversations_everywhere_and_audits(seeded, review_db) -> None:
    writable, readonly = seeded
    sync(readonly, review_db)
    cutoff = time.time() - 90 * DAY
    old, recent = ranges(review_db, True, cutoff), ranges(review_db, False, cutoff)
    assert len(old) > 20 and len(recent) > 20
    old_events, recent_events = events_in(readonly, old), events_in(readonly, recent)
    for row in (old[0], recent[0]):
        review_work.add_tag(review_db, row.id, "kept-or-not", "rita")
        review_work.add_note(review_db, row.id, "a note", "rita")

    result = purge(writable, readonly, review_db, "90d", "cli:tester", pseudonym=pseudonym)

    assert result.conversations == len(old) and result.events == old_events
    assert events_in(readonly, old) == 0 and events_in(readonly, recent) == recent_events
    assert ranges(review_db, True, cutoff) == [] and len(ranges(review_db, False, cutoff)) == len(recent)
    with review_db.connect() as connection:
        tagged = {row[0] for row in connection.execute(sa.select(tags.c.conversation_id))}
        noted = {row[0] for row in connection.execute(sa.select(notes.c.conversation_id))}
        entry = connection.execute(sa.select(audit).where(audit.c.action == "purge")).one()
    assert tagged == noted == {recent[0].id}
    detail = json.loads(entry.detail)
    assert entry.username == "cli:tester" and detail["conversations"] == len(old) and detail["events"] == old_events
    assert detail["older_than"] == "90d" and pseudonym(old[0].sender_id) in detail["senders"]
    assert old[0].sender_id not in entry.detail
    assert sync(readonly, review_db).events_read == 0  # nothing comes back


def test_purge_takes_corrections_and_old_call_back_requests_too(seeded, review_db) -> None:
    writable, readonly = seeded
    sync(readonly, review_db)
    cutoff = time.time() - 90 * DAY
    old, recent = ranges(review_db, True, cutoff)[0], ranges(review_db, False, cutoff)[0]
    for row in (old, recent):
        corrections.save(review_db, row.id, row.first_event_id + 3, "masked text", "alcohol", "alcohol", "none", "rita")
    store = CallbackStore(review_db, CALLBACK_KEY, create=False)
    stale = store.add(CallbackRequest("rest", old.sender_id, "Jo", "07700 900461", "mornings"), now=cutoff - DAY)
    fresh = store.add(CallbackRequest("rest", recent.sender_id, "Al", "07700 900462", "evenings"), now=cutoff + DAY)
    result = purge(writable, readonly, review_db, "90d", "cli:tester", pseudonym=pseudonym)
    assert result.callbacks == 1 and store.get(stale) is None and store.get(fresh) is not None
    with review_db.connect() as connection:
        left = connection.execute(sa.select(corrections_table.c.conversation_id)).scalars().all()
    assert left == [recent.id]


def test_purging_everything_then_new_events_are_still_synced(seeded, review_db) -> None:
    writable, readonly = seeded
    with writable.begin() as connection:  # move every event to more than a day ago
        connection.execute(sa.text("UPDATE events SET timestamp = timestamp - 3 * 86400"))
    purge(writable, readonly, review_db, "24h", "cli:tester", pseudonym=pseudonym)
    with readonly.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() == 0
    seed(writable, conversations=2, events=20, days=1, seed_value=11)
    sync(readonly, review_db)
    with review_db.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(conversations)).scalar() == 2


def test_the_audit_log_has_its_own_retention(seeded, review_db) -> None:
    writable, readonly = seeded
    now = time.time()
    with review_db.begin() as connection:
        connection.execute(sa.insert(audit), [
            {"at": now - days * DAY, "username": "rita", "ip": "127.0.0.1", "action": "view_transcript",
             "detail": json.dumps({"days": days})} for days in (800, 731, 729, 100, 1)
        ])
    result = purge(writable, readonly, review_db, "90d", "cli:tester", pseudonym=pseudonym, audit_days=730)
    with review_db.connect() as connection:
        kept = [json.loads(row.detail) for row in connection.execute(sa.select(audit).order_by(audit.c.at))]
    assert result.audit_rows == 2
    assert [entry.get("days") for entry in kept[:-1]] == [729, 100, 1]
    assert kept[-1]["audit_rows"] == 2 and kept[-1]["audit_days"] == 730  # the purge's own row
    assert purge(writable, readonly, review_db, "90d", "cli:tester", pseudonym=pseudonym, audit_days=30) \
        .audit_rows == 2  # 729 and 100 days old; the rows of the purges themselves are new


@pytest.mark.parametrize("age", ["90", "90x", "-1d", "0h", "d", "90 days"])
def test_bad_ages_are_refused(age) -> None:
    with pytest.raises(PurgeError) as error:
        parse_age(age)
    assert str(error.value).startswith("--older-than: ")


def test_ages() -> None:
    assert parse_age("90d") == 90 * DAY and parse_age("12w") == 84 * DAY and parse_age("48h") == 2 * DAY
