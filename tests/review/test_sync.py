"""Summaries of conversations the real Rasa wrote, on SQLite and PostgreSQL; incremental sync."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from review.config import database_url
from review.db import review_engine, tracker_engine
from review.schema import conversation_topics, conversations, sync_state
from review.summary import EventRow, split_conversations
from review.sync import GAP_GRACE_SECONDS, recent_gap, sync
from scripts.review_tools.seed import create_events_table, seed
from tests.review.helpers import EMAIL, PHONE, SCRIPT, conversation_ids


def summaries(engine) -> dict:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(conversations)).all()
    return {row.sender_id: row for row in rows}


def test_sync_summarises_every_real_conversation(backend, review_db) -> None:
    result = sync(backend.tracker, review_db)
    assert result.tracker_problem is None
    assert result.events_read > 0 and result.watermark > 0
    rows = summaries(review_db)
    assert set(rows) == set(SCRIPT)
    for sender, messages in SCRIPT.items():
        assert rows[sender].n_user == len(messages), sender
        assert rows[sender].n_bot == len(messages), sender
        assert rows[sender].channel == "rest"


def test_flags_and_topics_come_from_the_real_events(backend, review_db) -> None:
    sync(backend.tracker, review_db)
    rows = summaries(review_db)
    assert rows["rest-patient-crisis"].flag_crisis and not rows["rest-patient-crisis"].flag_emergency
    assert "crisis_support" in rows["rest-patient-crisis"].topics.split()
    assert "why_antidepressant_for_pain" in rows["rest-patient-crisis"].topics.split()
    assert rows["rest-patient-emergency"].flag_emergency
    assert rows["rest-patient-handoff"].flag_handoff
    assert rows["rest-patient-advice"].flag_personal_advice
    assert rows["rest-patient-fallback"].flag_low_confidence and rows["rest-patient-fallback"].n_fallback >= 1
    assert rows["rest-patient-pii"].flag_not_helpful and rows["rest-patient-pii"].not_helpful == 1
    assert not any(getattr(rows["rest-patient-pii"], f"flag_{flag}") for flag in ("crisis", "emergency"))


def test_searchable_text_is_masked(backend, review_db) -> None:
    sync(backend.tracker, review_db)
    row = summaries(review_db)["rest-patient-pii"]
    assert PHONE not in row.search_text and EMAIL not in row.search_text
    assert "[phone]" in row.search_text and "[email]" in row.search_text
    assert PHONE not in row.preview


def test_topic_rows_count_what_was_served(backend, review_db) -> None:
    sync(backend.tracker, review_db)
    ids = conversation_ids(review_db)
    with review_db.connect() as connection:
        topics = dict(connection.execute(
            sa.select(conversation_topics.c.content_id, conversation_topics.c.served)
            .where(conversation_topics.c.conversation_id == ids["rest-patient-crisis"])
        ).all())
    assert topics == {"greeting": 1, "why_antidepressant_for_pain": 1, "crisis_support": 1}


def test_second_sync_reads_nothing_and_changes_nothing(backend, review_db) -> None:
    first = sync(backend.tracker, review_db)
    before = {sender: tuple(row) for sender, row in summaries(review_db).items()}
    second = sync(backend.tracker, review_db)
    assert second.events_read == 0 and second.watermark == first.watermark
    assert {sender: tuple(row) for sender, row in summaries(review_db).items()} == before


def test_resync_from_zero_is_idempotent(backend, review_db) -> None:
    sync(backend.tracker, review_db)
    before = {sender: tuple(row) for sender, row in summaries(review_db).items()}
    with review_db.begin() as connection:
        connection.execute(sa.update(sync_state).values(watermark=0))
    again = sync(backend.tracker, review_db)
    assert again.events_read > 0
    assert {sender: tuple(row) for sender, row in summaries(review_db).items()} == before


def test_the_app_cannot_write_to_rasas_tables(backend) -> None:
    """The web app's tracker connection is read-only, on both databases."""
    with pytest.raises(DBAPIError) as failure, backend.tracker.begin() as connection:
        connection.execute(sa.text("DELETE FROM events"))
    assert "read-only" in str(failure.value).lower() or "readonly" in str(failure.value).lower()
    with pytest.raises(DBAPIError), backend.tracker.begin() as connection:
        connection.execute(sa.text("CREATE TABLE sneaky (id integer)"))


def test_sync_follows_new_events_incrementally(backend, review_db, tmp_path, postgres_databases) -> None:
    url = backend.new_database("review_incremental", tmp_path, postgres_databases)
    writable = tracker_engine(url, writable=True)
    try:
        seed(writable, conversations=30, events=300, days=3, seed_value=7)
        readonly = tracker_engine(url)
        first = sync(readonly, review_db, batch_size=97)  # batches end mid-conversation
        counts = _counts(review_db)
        assert counts[0] == 30
        # The last conversation goes on: a new user message and bot reply arrive.
        with writable.connect() as connection:
            last = connection.execute(sa.text("SELECT sender_id, max(timestamp) FROM events GROUP BY sender_id "
                                              "ORDER BY max(timestamp) DESC LIMIT 1")).first()
        sender, at = last
        _append(writable, sender, at + 5, "user", {"event": "user", "timestamp": at + 5, "text": "and alcohol?",
                                                  "parse_data": {"intent": {"name": "alcohol", "confidence": 0.9}},
                                                  "input_channel": "socketio"}, intent="alcohol")
        _append(writable, sender, at + 6, "bot", {"event": "bot", "timestamp": at + 6, "text": "…",
                                                 "metadata": {"content_id": "alcohol"}})
        second = sync(readonly, review_db)
        assert second.events_read == 2 and second.watermark > first.watermark
        with review_db.connect() as connection:
            rows = connection.execute(sa.select(conversations).where(conversations.c.sender_id == sender)
                                      .order_by(conversations.c.started_at)).all()
        assert "alcohol" in rows[-1].topics.split()
        assert _counts(review_db) == (30, counts[1] + 1)
        readonly.dispose()
    finally:
        writable.dispose()


def _counts(engine) -> tuple:
    with engine.connect() as connection:
        return tuple(connection.execute(sa.select(sa.func.count(), sa.func.sum(conversations.c.n_user))).first())


def _append(engine, sender: str, at: float, type_name: str, data: dict, intent: str | None = None) -> None:
    with engine.begin() as connection:
        connection.execute(
            sa.text("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                    "VALUES (:sender, :type, :at, :intent, NULL, :data)"),
            {"sender": sender, "type": type_name, "at": at, "intent": intent, "data": json.dumps(data)},
        )


def sqlite_url(path) -> sa.engine.URL:
    return database_url("test", f"sqlite:///{path}")


def test_an_unreadable_tracker_store_is_reported_not_raised(tmp_path) -> None:
    review = review_engine(sqlite_url(tmp_path / "review.db"))
    result = sync(tracker_engine(sqlite_url(tmp_path / "missing.db")), review)
    assert result.tracker_problem and "unable to open" in result.tracker_problem
    assert not (tmp_path / "missing.db").exists()


def test_a_tracker_without_events_table_is_reported(tmp_path) -> None:
    review = review_engine(sqlite_url(tmp_path / "review.db"))
    url = sqlite_url(tmp_path / "tracker.db")
    writable = tracker_engine(url, writable=True)
    with writable.begin() as connection:
        connection.execute(sa.text("CREATE TABLE other (id integer)"))
    result = sync(tracker_engine(url), review)
    assert result.tracker_problem and "events" in result.tracker_problem
    create_events_table(writable)
    assert sync(tracker_engine(url), review).tracker_problem is None


def event(event_id: int, type_name: str = "action", action: str | None = None, at: float = 0.0) -> EventRow:
    return EventRow(event_id, "s", type_name, at, None, action, "{}")


def test_a_session_start_opens_a_new_conversation() -> None:
    events = [event(1, action="action_session_start"), event(2, "session_started"), event(3, action="action_listen"),
              event(4, "user"), event(5, action="action_session_start"), event(6, "session_started"), event(7, "user")]
    assert [[e.id for e in c] for c in split_conversations(events)] == [[1, 2, 3, 4], [5, 6, 7]]


def test_a_recent_gap_holds_the_watermark_and_an_old_gap_does_not() -> None:
    now = 10_000.0
    recent = [event(1, at=now - 5), event(3, at=now - 4)]
    assert recent_gap(0, recent, now) == 2
    old = [event(1, at=now - 500), event(3, at=now - GAP_GRACE_SECONDS - 1)]
    assert recent_gap(0, old, now) is None
    assert recent_gap(0, [event(1), event(2)], now) is None


def test_batch_boundaries_do_not_change_the_summaries(backend, review_db) -> None:
    """Every event its own batch (conversations split across batches at every point) gives the same result."""
    sync(backend.tracker, review_db)
    whole = {sender: tuple(row)[1:] for sender, row in summaries(review_db).items()}
    with review_db.begin() as connection:
        connection.execute(sa.delete(conversation_topics))
        connection.execute(sa.delete(conversations))
        connection.execute(sa.delete(sync_state))
    sync(backend.tracker, review_db, batch_size=1)
    assert {sender: tuple(row)[1:] for sender, row in summaries(review_db).items()} == whole
