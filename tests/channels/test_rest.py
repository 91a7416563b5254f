"""The REST edge against a real Rasa server on SQLite and on PostgreSQL (``stores.tracker_store``).

Bad sender ids and bad text must never break the tracker store or end the process;
a storage error gives the safe reply and an ERROR log line, and the server keeps
answering.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa

from channels.identity import rest_conversation_id
from core.content import ContentStore
from tests.e2e.servers import (
    ActionServer,
    RasaServer,
    eventually,
    start_action_server,
    start_rasa_server,
    write_guarded_endpoints,
)
from tests.services import temporary_database


def new_sender() -> str:
    return f"edge-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def actions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ActionServer]:
    server = start_action_server(tmp_path_factory.mktemp("edge-actions"))
    yield server
    server.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def edge(request: pytest.FixtureRequest, actions: ActionServer,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RasaServer, str]]:
    """A Rasa server with the project's tracker store on SQLite or PostgreSQL, and the store's URL."""
    workdir = tmp_path_factory.mktemp(f"edge-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{workdir / 'tracker.db'}"
        server = start_rasa_server(workdir, write_guarded_endpoints(workdir, actions.port, url))
        yield server, url
        server.stop()
    else:
        with temporary_database("edge") as url:
            server = start_rasa_server(workdir, write_guarded_endpoints(workdir, actions.port, url))
            yield server, url
            server.stop()


def assert_answers(rasa: RasaServer, store: ContentStore) -> None:
    """The server is alive and answers a new conversation normally."""
    assert rasa.process.poll() is None, "the Rasa process has exited"
    messages = rasa.say(new_sender(), "how long until duloxetine works?")
    assert store.answer("how_long_until_relief").text in "\n\n".join(m["text"] for m in messages)


# Raw JSON: the escapes are sent exactly as an attacker would write them.
BAD_SENDERS = {
    "lone-surrogate": '"sur\\ud800x"',
    "nul": '"a\\u0000b"',
    "control": '"tab\\u0009x"',
    "newline": '"line\\nbreak"',
    "too-long": json.dumps("x" * 65),
    "space": '"jane doe"',
    "markup": '"<script>"',
    "number": "42",
    "null": "null",
}


@pytest.mark.parametrize("sender", BAD_SENDERS.values(), ids=BAD_SENDERS.keys())
def test_bad_sender_gets_400_with_the_safe_reply_and_the_server_keeps_answering(
    edge: tuple[RasaServer, str], store: ContentStore, sender: str
) -> None:
    rasa, _ = edge
    response = rasa.post_raw(f'{{"sender": {sender}, "message": "hi"}}'.encode())
    assert response.status_code == 400
    [message] = response.json()
    assert message["content_id"] == "error"
    assert message["text"].endswith(store.disclaimer.text)
    assert_answers(rasa, store)


BAD_TEXTS = {
    "lone-surrogate": ('"how long until duloxetine works? \\ud800"', "how long until duloxetine works?"),
    "lone-low-surrogate": ('"\\udc00how long until duloxetine works?"', "how long until duloxetine works?"),
    "nul": ('"how long until\\u0000 duloxetine works?"', "how long until duloxetine works?"),
    "escape-sequence": ('"\\u001b[31mhow long until duloxetine works?"', "[31mhow long until duloxetine works?"),
}


@pytest.mark.parametrize(("text", "cleaned"), BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
def test_bad_text_is_cleaned_answered_and_stored(
    edge: tuple[RasaServer, str], store: ContentStore, text: str, cleaned: str
) -> None:
    rasa, _ = edge
    sender = new_sender()
    response = rasa.post_raw(f'{{"sender": "{sender}", "message": {text}}}'.encode())
    assert response.status_code == 200
    messages = response.json()
    assert messages and messages[-1]["text"].endswith(store.disclaimer.text)
    [user] = [e for e in rasa.rest_tracker(sender)["events"] if e["event"] == "user"]
    assert user["text"] == cleaned
    assert_answers(rasa, store)


def test_rest_senders_live_in_their_own_namespace(edge: tuple[RasaServer, str], store: ContentStore) -> None:
    rasa, _ = edge
    widget_session = uuid.uuid4().hex  # the format of a widget conversation id
    rasa.say(widget_session, "hello")
    assert [e for e in rasa.tracker(widget_session)["events"] if e["event"] == "user"] == []
    assert [e["text"] for e in rasa.tracker(f"rest-{widget_session}")["events"] if e["event"] == "user"] == ["hello"]


def test_storage_error_gives_the_safe_reply_an_error_log_and_recovers(
    edge: tuple[RasaServer, str], store: ContentStore
) -> None:
    rasa, url = edge
    sender = new_sender()
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE events RENAME TO events_moved"))
        started = time.monotonic()
        text = rasa.reply_text(sender, "how long until duloxetine works?")
        assert time.monotonic() - started < 10
        assert store.answer("error").text in text and text.endswith(store.disclaimer.text)
        assert rasa.process.poll() is None
        lost = f"Conversation {rest_conversation_id(sender)}: the patient received the safe reply 'error'; " \
               "it was not stored"
        assert eventually(lambda: lost in rasa.log.read_text())
        assert rasa.health()["status"] == "degraded"
        assert any(problem.startswith("tracker_store: ") for problem in rasa.health()["problems"])
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE events_moved RENAME TO events"))
        engine.dispose()
    assert_answers(rasa, store)
    assert rasa.health() == {"status": "ok"}


def test_health_check_is_registered_in_both_credentials_files() -> None:
    from tests.deploy.checks import DEPLOY, ROOT, load_yaml

    for path in (ROOT / "credentials.yml", DEPLOY / "credentials.production.yml"):
        assert "channels.health.HealthInput" in load_yaml(Path(path)), path


# --- Limits -------------------------------------------------------------------------------------

PADDING = "my nerve pain is bad today and i am tired. " * 50  # over 2,000 characters


def bot_content_ids(rasa: RasaServer, sender: str, count: int = 1) -> list:
    """The content ids of the conversation's bot events, once ``count`` are stored."""
    def stored() -> list:
        events = rasa.rest_tracker(sender)["events"]
        ids = [e["metadata"].get("content_id") for e in events if e["event"] == "bot"]
        return ids if len(ids) >= count else []
    return eventually(stored)


def test_a_long_message_gets_the_too_long_reply_never_a_cut_answer(
    edge: tuple[RasaServer, str], store: ContentStore
) -> None:
    rasa, _ = edge
    sender = new_sender()
    text = rasa.reply_text(sender, PADDING + "how long until duloxetine works?")
    assert text.startswith(store.answer("too_long").text) and text.endswith(store.disclaimer.text)
    assert bot_content_ids(rasa, sender) == ["too_long"]


def test_an_overdose_after_the_limit_gets_the_urgent_reply_and_is_flagged(
    edge: tuple[RasaServer, str], store: ContentStore
) -> None:
    rasa, _ = edge
    sender = new_sender()
    text = rasa.reply_text(sender, PADDING + "i took all my amitriptyline tablets at once an hour ago")
    assert text.endswith(store.disclaimer.text)
    [served] = bot_content_ids(rasa, sender)
    assert served in ("emergency_symptoms", "crisis_support")
    assert store.answer(served).text in text
    tracker = rasa.rest_tracker(sender)
    assert {"emergency", "crisis"} & set(tracker["slots"]["review_flags"])
    [user] = [e for e in tracker["events"] if e["event"] == "user"]
    assert user["text"].endswith("an hour ago")  # stored whole, for the reviewers


def largest_stored_event(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT coalesce(max(length(data)), 0) FROM events")).scalar()
    finally:
        engine.dispose()


def test_a_10_mb_body_gets_413_with_the_safe_reply_and_stores_nothing(
    edge: tuple[RasaServer, str], store: ContentStore
) -> None:
    rasa, url = edge
    sender = new_sender()
    body = json.dumps({"sender": sender, "message": "pain " * 2_000_000}).encode()
    response = rasa.post_raw(body)
    assert response.status_code == 413
    [message] = response.json()
    assert message["content_id"] == "error" and message["text"].endswith(store.disclaimer.text)
    assert not any(event["event"] == "user" for event in rasa.rest_tracker(sender)["events"])
    assert largest_stored_event(url) < 100_000
    assert_answers(rasa, store)


def test_8_mb_of_metadata_keys_are_refused_quickly(edge: tuple[RasaServer, str], store: ContentStore) -> None:
    rasa, _ = edge
    metadata = ",".join(f'"k{number}": 1' for number in range(800_000))
    body = f'{{"sender": "{new_sender()}", "message": "hi", "metadata": {{{metadata}}}}}'.encode()
    assert len(body) > 8_000_000
    started = time.monotonic()
    response = rasa.post_raw(body)
    assert time.monotonic() - started < 5
    assert response.status_code == 413
    assert response.json()[0]["text"].endswith(store.disclaimer.text)


def test_client_metadata_is_not_stored(edge: tuple[RasaServer, str], store: ContentStore) -> None:
    rasa, _ = edge
    sender = new_sender()
    response = rasa.post_raw(
        f'{{"sender": "{sender}", "message": "hello", "metadata": {{"evil": "\\ud800", "is_staff": true}}}}'.encode())
    assert response.status_code == 200 and response.json()[-1]["text"].endswith(store.disclaimer.text)
    [user] = [e for e in rasa.rest_tracker(sender)["events"] if e["event"] == "user"]
    assert {"evil", "is_staff"}.isdisjoint(user.get("metadata") or {})  # Rasa adds only its model ids


def test_too_many_messages_get_the_rate_limited_reply_but_a_crisis_still_gets_help(
    edge: tuple[RasaServer, str], store: ContentStore
) -> None:
    rasa, _ = edge
    sender = new_sender()
    per_minute = 30  # credentials.yml
    for _ in range(per_minute):
        rasa.say(sender, "hello")
    assert "rate_limited" not in bot_content_ids(rasa, sender)
    limited = rasa.reply_text(sender, "hello")
    assert limited.startswith(store.answer("rate_limited").text) and limited.endswith(store.disclaimer.text)
    crisis = rasa.reply_text(sender, "i want to end my life")
    assert store.answer("crisis_support").text in crisis
    assert eventually(lambda: bot_content_ids(rasa, sender)[-1:] == ["crisis_support"])
    assert "crisis" in rasa.rest_tracker(sender)["slots"]["review_flags"]
    assert_answers(rasa, store)
