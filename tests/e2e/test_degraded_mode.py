"""Degraded mode: the action server down, slow or failing still gives a safe reply."""

from __future__ import annotations

import http.server
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from core.content import ContentStore
from tests.e2e.servers import (
    environment,
    free_port,
    launch_rasa_server,
    start_action_server,
    start_rasa_server,
    wait_for,
    write_endpoints,
)

QUESTION = "how long until duloxetine works?"


def sender() -> str:
    return f"degraded-{uuid.uuid4().hex[:12]}"


@contextmanager
def fake_action_server(delay: float = 0.0, status: int = 500) -> Iterator[int]:
    """An action endpoint that answers ``status`` after ``delay`` seconds."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": "broken"}')

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


def assert_safe_reply(messages: list, store: ContentStore, content_id: str = "error") -> None:
    assert messages, "silence"
    text = "\n\n".join(message["text"] for message in messages)
    assert text.endswith(store.disclaimer.text)
    assert store.answer(content_id).text in text
    if content_id == "error":
        assert store.settings.clinic_phone in text


def test_action_server_killed_and_restarted(tmp_path: Path, store: ContentStore) -> None:
    actions = start_action_server(tmp_path)
    rasa = start_rasa_server(tmp_path, write_endpoints(tmp_path, actions.port, tmp_path / "tracker.db"))
    try:
        conversation = sender()
        assert store.answer("how_long_until_relief").text in rasa.reply_text(conversation, QUESTION)
        actions.stop()
        started = time.monotonic()
        assert_safe_reply(rasa.say(conversation, "does it help with sleep?"), store)
        assert time.monotonic() - started < 5
        assert_safe_reply(rasa.say(conversation, "i want to end my life"), store, "crisis_support")
        actions = start_action_server(tmp_path, port=actions.port)
        assert store.answer("alcohol").text in rasa.reply_text(conversation, "can i drink wine on it")
    finally:
        rasa.stop()
        actions.stop()


@pytest.mark.parametrize(("delay", "status"), [(10.0, 200), (0.0, 500)], ids=["slow", "error"])
def test_slow_or_failing_action_server(tmp_path: Path, store: ContentStore, delay: float, status: int) -> None:
    with fake_action_server(delay, status) as port:
        # Short waits, so a hung action server gives the error reply (before the busy one) within 5 s.
        env = dict(environment(), ACTION_TIMEOUT_SECONDS="3.5", REPLY_WAIT_SECONDS="4.5")
        rasa = launch_rasa_server(tmp_path, write_endpoints(tmp_path, port, tmp_path / "tracker.db"), env=env)
        try:
            wait_for(f"{rasa.url}/", rasa.process, rasa.log)
            started = time.monotonic()
            messages = rasa.say(sender(), QUESTION)
            assert time.monotonic() - started < 5
            assert_safe_reply(messages, store)
        finally:
            rasa.stop()
