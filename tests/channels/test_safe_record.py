"""Safety replies are stored, with their review flags, whatever fails.

A real Rasa server whose action server is not running, on the project's tracker
store; and one whose SQLite tracker database is read-only.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Iterator

import pytest
import sqlalchemy as sa

from channels.identity import rest_conversation_id
from core.content import ContentStore
from core.replies import ReplyParts
from review.summary import split_conversations, summarise
from review.sync import sender_events
from tests.e2e.servers import (
    ActionServer,
    RasaServer,
    eventually,
    free_port,
    start_action_server,
    start_rasa_server,
    write_guarded_endpoints,
)

CRISIS = "i want to end my life"
EMERGENCY = "i took 10 of my amitriptyline"
QUESTION = "how long until duloxetine works?"


def new_sender() -> str:
    return f"record-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def no_actions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RasaServer, str]]:
    """A Rasa server whose action endpoint has nothing listening, and its tracker store URL."""
    workdir = tmp_path_factory.mktemp("no-actions")
    url = f"sqlite:///{workdir / 'tracker.db'}"
    server = start_rasa_server(workdir, write_guarded_endpoints(workdir, free_port(), url))
    yield server, url
    server.stop()


def bot_events(rasa: RasaServer, sender: str, count: int = 1) -> list:
    """The conversation's bot events, once ``count`` are stored (safe replies are stored after the answer)."""
    def stored() -> list:
        bots = [event for event in rasa.rest_tracker(sender)["events"] if event["event"] == "bot"]
        return bots if len(bots) >= count else []
    return eventually(stored)


def review_summary(url: str, sender: str):
    """The review app's summary of the conversation, read from the tracker database."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            [events] = split_conversations(sender_events(connection, rest_conversation_id(sender), 0))
    finally:
        engine.dispose()
    return summarise(events)


@pytest.mark.parametrize(
    ("message", "content_id", "flag"),
    [(CRISIS, "crisis_support", "crisis"), (EMERGENCY, "emergency_symptoms", "emergency"),
     (QUESTION, "error", "error"), (CRISIS + " \ud800", "crisis_support", "crisis")],
    ids=["crisis", "emergency", "error", "crisis-with-broken-character"],
)
def test_safe_reply_is_stored_with_its_flag_when_the_action_server_is_down(
    no_actions: tuple[RasaServer, str], store: ContentStore, message: str, content_id: str, flag: str
) -> None:
    rasa, url = no_actions
    sender = new_sender()
    text = rasa.reply_text(sender, message)
    assert store.answer(content_id).text in text and text.endswith(store.disclaimer.text)
    [bot] = bot_events(rasa, sender)
    assert bot["text"] == text
    assert bot["metadata"]["content_id"] == content_id
    parts = ReplyParts.from_metadata(bot["metadata"]["reply"])
    assert parts is not None and parts.content_id == content_id and parts.disclaimer == store.disclaimer.text
    tracker = rasa.rest_tracker(sender)
    assert flag in tracker["slots"]["review_flags"]
    [user] = [event for event in tracker["events"] if event["event"] == "user"]
    assert user["text"] == message.replace(" \ud800", "")
    summary = review_summary(url, sender)
    assert flag in summary.flags
    assert summary.flagged() is not None


def test_flags_are_added_once_per_conversation(no_actions: tuple[RasaServer, str]) -> None:
    rasa, _ = no_actions
    sender = new_sender()
    for turn, message in enumerate((CRISIS, EMERGENCY, CRISIS), start=1):
        rasa.say(sender, message)
        bot_events(rasa, sender, count=turn)
    served = [event["metadata"]["content_id"] for event in bot_events(rasa, sender, count=3)]
    assert served == ["crisis_support", "emergency_symptoms", "crisis_support"]
    tracker = rasa.rest_tracker(sender)
    assert tracker["slots"]["review_flags"] == ["crisis", "emergency"]


# --- A read-only tracker database -------------------------------------------------------------


KNOWN = "rest-known-patient"


def prepare_database(path) -> None:
    """Create the tracker tables and one stored conversation, as a writable server would have."""
    from rasa.shared.core.domain import Domain

    from stores.tracker_store import GuardedSQLTrackerStore
    from tests.conftest import ROOT

    tracker_store = GuardedSQLTrackerStore(Domain.load(str(ROOT / "domain.yml")), dialect="sqlite", db=str(path))
    asyncio.run(tracker_store.create_tracker(KNOWN))
    tracker_store.engine.dispose()


@pytest.fixture(scope="module")
def read_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RasaServer, ActionServer]]:
    """A Rasa server (with its action server) whose SQLite tracker database is read-only."""
    workdir = tmp_path_factory.mktemp("read-only")
    database = workdir / "tracker.db"
    prepare_database(database)
    actions = start_action_server(workdir)
    url = f"sqlite:///file:{database}?mode=ro&uri=true"
    try:
        server = start_rasa_server(workdir, write_guarded_endpoints(workdir, actions.port, url))
        yield server, actions
        server.stop()
    finally:
        actions.stop()


@pytest.mark.integration  # starts Rasa on a read-only database
def test_read_only_database_answers_logs_what_was_lost_and_reports_degraded(
    read_only: tuple[RasaServer, ActionServer], store: ContentStore
) -> None:
    rasa, _ = read_only
    assert rasa.health() == {"status": "ok"}
    text = rasa.reply_text(KNOWN, QUESTION)
    assert store.answer("how_long_until_relief").text in text and text.endswith(store.disclaimer.text)
    log = rasa.log.read_text()
    assert f"Conversation {KNOWN}: the patient received how_long_until_relief, but handling the message failed" \
        in log
    assert "attempt to write a readonly database" in log
    health = rasa.health()
    assert health["status"] == "degraded"
    assert health["problems"] == [
        "tracker_store: could not save a conversation (OperationalError: attempt to write a readonly database)"]


@pytest.mark.integration  # starts Rasa on a read-only database
def test_read_only_database_still_gives_a_new_patient_the_crisis_reply(
    read_only: tuple[RasaServer, ActionServer], store: ContentStore
) -> None:
    rasa, _ = read_only
    sender = new_sender()
    text = rasa.reply_text(sender, CRISIS)
    assert store.answer("crisis_support").text in text and text.endswith(store.disclaimer.text)
    assert f"Conversation {rest_conversation_id(sender)}: the patient received crisis_support, but handling the " \
           "message failed (the conversation may not be stored): OperationalError: attempt to write a readonly " \
           "database" in rasa.log.read_text()
    assert rasa.process.poll() is None
