"""`make run` (scripts/run.sh with the embedded defaults) starts every part and they answer.

One start of the real script: action server, Rasa (REST), the widget demo page and the
staff review app, on free ports, with the tracker and review databases in a temp folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from tests.conftest import ROOT
from tests.e2e.servers import environment, free_port, wait_for

pytestmark = pytest.mark.integration  # needs a trained model, servers or a browser

TOKEN = "run-script-test-token-0123456789"


@pytest.fixture(scope="module")
def make_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    workdir = tmp_path_factory.mktemp("make-run")
    ports = {name: free_port() for name in ("rasa", "action", "widget", "review")}
    tracker_db = workdir / "tracker.db"
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{ports["action"]}/webhook"\n'
        f"tracker_store:\n  type: stores.tracker_store.GuardedSQLTrackerStore\n  dialect: sqlite\n  db: {tracker_db}\n"
    )
    # No RASA_TELEMETRY_ENABLED and no REVIEW_TRACKER_DB_URL: run.sh must set both.
    env = {key: value for key, value in environment().items()
           if key not in ("ASSISTANT_ENV", "RASA_TELEMETRY_ENABLED", "REVIEW_TRACKER_DB_URL")}
    env.update(
        RASA_PORT=str(ports["rasa"]), ACTION_SERVER_PORT=str(ports["action"]), WIDGET_PORT=str(ports["widget"]),
        REVIEW_PORT=str(ports["review"]), RASA_ENDPOINTS=str(endpoints), RASA_AUTH_TOKEN=TOKEN,
        REVIEW_DB_URL=f"sqlite:///{workdir / 'review.db'}",
        REVIEW_SECRET_KEY="run-script-test-secret-key-0123456789",
    )
    log = workdir / "run.log"
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{ports['rasa']}/", process, log)
        yield {"ports": ports, "process": process, "log": log, "tracker_db": tracker_db}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def url(make_run: dict, part: str, path: str = "/") -> str:
    return f"http://127.0.0.1:{make_run['ports'][part]}{path}"


def test_rasa_answers_over_rest_with_the_disclaimer(make_run):
    response = requests.post(url(make_run, "rasa", "/webhooks/rest/webhook"),
                             json={"sender": "run-script", "message": "how long until it works?"}, timeout=30)
    assert response.status_code == 200
    reply = "\n\n".join(message.get("text", "") for message in response.json())
    assert "ease nerve pain" in reply
    assert reply.endswith("In an emergency, call 999.")
    assert "This is general information, not medical advice for you." in reply


def test_rasa_api_needs_the_token(make_run):
    tracker = url(make_run, "rasa", "/conversations/run-script/tracker")
    assert requests.get(tracker, timeout=10).status_code == 401
    assert requests.get(tracker, params={"token": TOKEN}, timeout=10).status_code == 200


def test_action_server_is_up(make_run):
    assert requests.get(url(make_run, "action", "/health"), timeout=10).status_code == 200


def test_widget_demo_page_is_served(make_run):
    page = requests.get(url(make_run, "widget"), timeout=10)
    assert page.status_code == 200
    assert "widget.js" in page.text


def test_review_app_is_up_and_asks_for_a_log_in(make_run):
    deadline = time.monotonic() + 60
    while True:
        try:
            response = requests.get(url(make_run, "review"), allow_redirects=False, timeout=5)
            break
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                pytest.fail(f"review app did not answer:\n{Path(make_run['log']).read_text()[-3000:]}")
            time.sleep(0.5)
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    assert requests.get(url(make_run, "review", "/login"), timeout=10).status_code == 200


def started_environment(make_run: dict, command_part: str) -> dict[str, str]:
    """The environment run.sh gave the child process whose command line contains ``command_part``."""
    group = os.getpgid(make_run["process"].pid)
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getpgid(int(proc.name)) != group:
                continue
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if command_part in command:
                pairs = (proc / "environ").read_bytes().split(b"\0")
                return dict(pair.decode().split("=", 1) for pair in pairs if b"=" in pair)
        except (OSError, ProcessLookupError):
            continue
    pytest.fail(f"no process running {command_part!r} in run.sh's process group")


def test_review_app_reads_the_tracker_store_of_rasa_endpoints(make_run):
    review = started_environment(make_run, "-m review serve")
    assert review["REVIEW_TRACKER_DB_URL"] == f"sqlite:///{make_run['tracker_db']}"
    assert review["REVIEW_ASSISTANT_HEALTH_URL"] == f"http://127.0.0.1:{make_run['ports']['rasa']}/webhooks/health/"


def test_rasa_runs_with_telemetry_off(make_run):
    assert started_environment(make_run, "rasa run")["RASA_TELEMETRY_ENABLED"] == "false"
