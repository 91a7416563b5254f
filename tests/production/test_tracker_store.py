"""GuardedSQLTrackerStore against a real PostgreSQL that is stopped and restarted.

Uses a throwaway PostgreSQL server (see instances.py), never the shared one.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from typing import Iterator

import psycopg2
import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import ConversationHistoryMismatch, GuardedSQLTrackerStore, TrackerStoreUnavailable
from tests.conftest import ROOT
from tests.production.instances import ThrowawayPostgres

RETRY_SECONDS = 1.5


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="module")
def postgres() -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres().start()
    try:
        yield server
    finally:
        server.destroy()


@pytest.fixture
def database(postgres: ThrowawayPostgres) -> str:
    name = f"store_{uuid.uuid4().hex[:10]}"
    postgres.create_database(name)
    return name


@pytest.fixture
def store(postgres: ThrowawayPostgres, database: str, domain: Domain) -> GuardedSQLTrackerStore:
    return GuardedSQLTrackerStore(domain, dialect="postgresql", host="127.0.0.1", port=postgres.port, db=database,
                                  username="postgres", password="", retry_seconds=RETRY_SECONDS)


@pytest.fixture
def ensure_running(postgres: ThrowawayPostgres) -> Iterator[None]:
    """Whatever a test does to the server, it is running afterwards."""
    yield
    if not postgres.running():
        postgres.start()


def run(coroutine):
    return asyncio.run(coroutine)


def conversation(store: GuardedSQLTrackerStore, sender: str, turns: int = 2) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, store.domain.slots)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for turn in range(turns):
        tracker.update(UserUttered(f"question {turn}", {"name": "alcohol", "confidence": 0.9}))
        tracker.update(SlotSet("review_flags", ["personal_advice"]))
        tracker.update(BotUttered(f"answer {turn}", metadata={"content_id": "alcohol"}))
        tracker.update(ActionExecuted("action_listen"))
    return tracker


def stored_rows(postgres: ThrowawayPostgres, database: str, sender: str) -> list:
    connection = psycopg2.connect(postgres.url(database))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT type_name, data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
            return cursor.fetchall()
    finally:
        connection.close()


def test_each_event_is_stored_once(store, postgres, database) -> None:
    tracker = conversation(store, "once")
    run(store.save(tracker))
    run(store.save(tracker))
    tracker.update(UserUttered("one more", {"name": "thanks", "confidence": 0.9}))
    run(store.save(tracker))
    rows = stored_rows(postgres, database, "once")
    assert [row[0] for row in rows] == [event.type_name for event in tracker.events]
    retrieved = run(store.retrieve_full_tracker("once"))
    assert retrieved.get_slot("review_flags") == ["personal_advice"]
    assert [event.type_name for event in retrieved.events] == [event.type_name for event in tracker.events]


def test_restart_is_invisible_to_callers(store, postgres, ensure_running) -> None:
    run(store.save(conversation(store, "restart")))
    assert run(store.retrieve("restart")) is not None  # the pool now holds a connection
    postgres.restart()  # that connection is now stale
    retrieved = run(store.retrieve("restart"))
    assert retrieved is not None and retrieved.get_slot("review_flags") == ["personal_advice"]


def test_short_outage_is_retried(store, postgres, ensure_running) -> None:
    run(store.save(conversation(store, "short-outage")))
    postgres.stop()
    threading.Timer(0.5, postgres.start).start()
    started = time.monotonic()
    retrieved = run(store.retrieve("short-outage"))
    assert retrieved is not None
    assert [event.text for event in retrieved.events if isinstance(event, UserUttered)] == ["question 0", "question 1"]
    assert time.monotonic() - started < RETRY_SECONDS + 3


def test_database_down_raises_instead_of_forgetting(store, postgres, domain, ensure_running, caplog) -> None:
    run(store.save(conversation(store, "down")))
    postgres.stop()
    started = time.monotonic()
    with pytest.raises(TrackerStoreUnavailable):
        run(store.retrieve("down"))
    assert RETRY_SECONDS - 0.5 < time.monotonic() - started < RETRY_SECONDS + 3
    assert "conversation database is unavailable" in caplog.text
    with pytest.raises(TrackerStoreUnavailable):
        run(store.save(conversation(store, "down", turns=3)))
    # Rasa's own wrapper, by contrast, answers "no such conversation": the patient
    # would silently start over.
    rasa_default = FailSafeTrackerStore(store)
    assert run(rasa_default.retrieve("down")) is None


def test_fresh_tracker_never_overwrites_history(store, postgres, database) -> None:
    run(store.save(conversation(store, "history", turns=3)))
    before = stored_rows(postgres, database, "history")
    forgotten = conversation(store, "history", turns=1)  # what FailSafeTrackerStore would hand back
    with pytest.raises(ConversationHistoryMismatch):
        run(store.save(forgotten))
    longer_but_different = conversation(store, "history", turns=5)
    with pytest.raises(ConversationHistoryMismatch):
        run(store.save(longer_but_different))
    assert stored_rows(postgres, database, "history") == before


def test_rasa_sql_store_silently_drops_those_turns(postgres, database, domain) -> None:
    """Why the guard exists: Rasa's store compares counts only and loses the new turn."""
    plain = SQLTrackerStore(domain, dialect="postgresql", host="127.0.0.1", port=postgres.port, db=database,
                            username="postgres")
    run(plain.save(conversation(plain, "plain", turns=3)))
    forgotten = conversation(plain, "plain", turns=1)
    forgotten.update(UserUttered("a new question", {"name": "alcohol", "confidence": 0.9}))
    run(plain.save(forgotten))
    texts = [row[1] for row in stored_rows(postgres, database, "plain")]
    assert not any("a new question" in text for text in texts)


def test_agent_does_not_wrap_the_guarded_store(store, postgres, database, domain) -> None:
    assert Agent._create_tracker_store(store, domain) is store
    plain = SQLTrackerStore(domain, dialect="postgresql", host="127.0.0.1", port=postgres.port, db=database,
                            username="postgres")
    assert isinstance(Agent._create_tracker_store(plain, domain), FailSafeTrackerStore)


def test_embedded_sqlite_default_uses_the_guarded_store(tmp_path, domain) -> None:
    """endpoints.yml (``make run``) keeps SQLite, with the same guards; no services needed."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    assert config.kwargs["dialect"] == "sqlite" and config.kwargs["db"] == "var/tracker.db"
    config.kwargs["db"] = str(tmp_path / "tracker.db")
    sqlite = TrackerStore.create(config, domain)
    assert isinstance(sqlite, GuardedSQLTrackerStore)
    tracker = conversation(sqlite, "sqlite", turns=2)
    run(sqlite.save(tracker))
    run(sqlite.save(tracker))
    assert len(run(sqlite.retrieve_full_tracker("sqlite")).events) == len(tracker.events)
    with pytest.raises(ConversationHistoryMismatch):
        run(sqlite.save(conversation(sqlite, "sqlite", turns=1)))
