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
        [reply] = rasa.say(sender, "how long until duloxetine works?")
        assert time.monotonic() - started < 10
        assert reply["content_id"] == "error" and reply["text"].endswith(store.disclaimer.text)
        assert rasa.process.poll() is None
        log = rasa.log.read_text()
        assert f"Conversation {rest_conversation_id(sender)}: the patient received the safe reply 'error'; " \
               "it was not stored" in log
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
