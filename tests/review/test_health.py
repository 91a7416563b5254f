"""The red banner when the assistant cannot store conversations, from its health check.

A tiny real HTTP server stands in for the Rasa server's ``GET /webhooks/health/``
and answers what the test says (the bodies of the health check's contract).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from review import auth
from review.config import database_url
from review.db import review_engine, tracker_engine
from review.health import AssistantHealth
from review.web import create_app
from scripts.review_tools.seed import create_events_table
from tests.review.helpers import ADMIN_PASSWORD, Clock, login, settings_for

BANNER = 'class="banner danger"'
PAGES = ("/conversations", "/dashboard", "/admin/audit", "/admin/users", "/admin/retention", "/nowhere")


class HealthServer:
    """Answers every GET with ``status`` and ``body`` (after ``delay`` seconds), counting the requests."""

    def __init__(self) -> None:
        self.status, self.body, self.delay, self.hits = 200, b'{"status": "ok"}', 0.0, 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                outer.hits += 1
                time.sleep(outer.delay)
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks/health/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, status: int, body: object) -> None:
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def health_server() -> Iterator[HealthServer]:
    server = HealthServer()
    yield server
    server.close()


@pytest.fixture
def databases(tmp_path):
    tracker_url = database_url("t", f"sqlite:///{tmp_path / 'tracker.db'}")
    create_events_table(tracker_engine(tracker_url, writable=True))
    review_url = database_url("r", f"sqlite:///{tmp_path / 'review.db'}")
    review = review_engine(review_url)
    auth.create_user(review, "adam", ADMIN_PASSWORD, "admin")
    return tracker_url, review_url, review


def admin_client(databases, url, clock):
    tracker_url, review_url, review = databases
    app = create_app(settings_for(tracker_url, review_url, assistant_health_url=url), review=review,
                     tracker=tracker_engine(tracker_url), clock=clock)
    client = app.test_client()
    assert login(client, "adam", ADMIN_PASSWORD).status_code == 302
    return client


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/webhooks/health/"


def test_no_banner_when_the_assistant_is_ok(health_server, databases) -> None:
    client = admin_client(databases, health_server.url, Clock())
    for page in PAGES:
        assert BANNER not in client.get(page).get_data(as_text=True), page
    assert health_server.hits == 1


@pytest.mark.parametrize(("status", "body", "words"), [
    (200, {"status": "degraded", "problems": ["tracker_store: database is locked"]},
     "the assistant reports a problem: tracker_store: database is locked"),
    (503, {"status": "unhealthy", "problems": ["lock_store: Redis refused"]},
     "the assistant reports it is unhealthy (lock_store: Redis refused)"),
    (503, b"Service Unavailable", "the assistant reports it is unhealthy"),
    (200, b"<html>proxy error page</html>", "did not answer with JSON"),
    (200, {"status": "sleepy"}, "an unknown status"),
    (404, b"not found", "answered HTTP 404"),
])
def test_a_red_banner_on_every_page_when_degraded(health_server, databases, status, body, words) -> None:
    health_server.answer(status, body)
    client = admin_client(databases, health_server.url, Clock())
    for page in PAGES:
        html = client.get(page).get_data(as_text=True)
        assert BANNER in html and words in html, page


def test_a_red_banner_when_the_assistant_cannot_be_reached(databases) -> None:
    html = admin_client(databases, closed_port_url(), Clock()).get("/conversations").get_data(as_text=True)
    assert BANNER in html and "cannot be reached (ConnectionError)" in html


def test_a_slow_health_check_times_out_into_a_banner(health_server) -> None:
    health_server.delay = 1.0
    started = time.perf_counter()
    health = AssistantHealth(health_server.url, timeout=0.3).current()
    assert time.perf_counter() - started < 0.9
    assert health is not None and not health.ok and "cannot be reached (ReadTimeout)" in health.problem


def test_the_answer_is_cached_for_30_seconds(health_server, databases) -> None:
    clock = Clock()
    client = admin_client(databases, health_server.url, clock)
    client.get("/conversations")
    client.get("/dashboard")
    assert health_server.hits == 1
    health_server.answer(200, {"status": "degraded", "problems": ["tracker_store: disk full"]})
    clock.advance(20)
    assert BANNER not in client.get("/conversations").get_data(as_text=True)
    clock.advance(11)
    assert "tracker_store: disk full" in client.get("/conversations").get_data(as_text=True)
    assert health_server.hits == 2


def test_the_problem_text_is_escaped(health_server, databases) -> None:
    health_server.answer(200, {"status": "degraded", "problems": ["<script>alert(1)</script>"]})
    html = admin_client(databases, health_server.url, Clock()).get("/conversations").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_off_asks_nothing_and_shows_no_banner(health_server, databases) -> None:
    client = admin_client(databases, None, Clock())
    assert BANNER not in client.get("/conversations").get_data(as_text=True)
    assert health_server.hits == 0


def test_the_log_in_page_does_not_reveal_the_assistants_health(health_server, databases) -> None:
    tracker_url, review_url, review = databases
    health_server.answer(503, {"status": "unhealthy", "problems": ["tracker_store: down"]})
    app = create_app(settings_for(tracker_url, review_url, assistant_health_url=health_server.url), review=review,
                     tracker=tracker_engine(tracker_url), clock=Clock())
    assert BANNER not in app.test_client().get("/login").get_data(as_text=True)
    assert health_server.hits == 0
