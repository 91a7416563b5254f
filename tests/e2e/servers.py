"""Start the real action server and Rasa server for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, List, Optional, TypeVar

import requests

from channels.identity import rest_conversation_id
from tests.conftest import ROOT

VENV_BIN = ROOT / ".venv" / "bin"
MODEL = ROOT / "models" / "assistant.tar.gz"
API_TOKEN = "e2e-test-token"
CREDENTIALS = ROOT / "credentials.yml"
T = TypeVar("T")


def eventually(check: Callable[[], T], timeout: float = 15.0) -> T:
    """The first truthy result of ``check()``, polled until ``timeout`` s (the last result after that).

    For what the server stores after it has answered (e.g. a safe reply, stored in the background).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def free_port() -> int:
    """A TCP port nobody is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 180.0) -> None:
    """Wait until ``url`` answers 200, failing early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} process exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout}s:\n{log.read_text()[-3000:]}")


def environment() -> dict:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", RASA_TELEMETRY_ENABLED="false",
               SQLALCHEMY_SILENCE_UBER_WARNING="1")
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


@dataclass
class ActionServer:
    """A running action server."""

    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_action_server(workdir: Path, port: int | None = None, content: Path = ROOT / "content") -> ActionServer:
    """Start ``python -m actions.server`` and wait for its health check."""
    port = port or free_port()
    log = workdir / f"action-server-{port}.log"
    process = subprocess.Popen(
        [str(VENV_BIN / "python"), "-m", "actions.server", "--port", str(port), "--content", str(content)],
        cwd=ROOT, env=environment(), stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    server = ActionServer(port, process, log)
    wait_for(f"{server.url}/health", process, log)
    return server


@dataclass
class RasaServer:
    """A running Rasa server."""

    port: int
    process: subprocess.Popen
    log: Path
    endpoints: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def say(self, sender: str, message: str, timeout: float = 30.0) -> List[dict]:
        """Send a message over the REST channel and return the bot's messages."""
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=timeout
        )
        response.raise_for_status()
        return response.json()

    def reply_text(self, sender: str, message: str) -> str:
        """The whole bot turn as one text (Rasa's REST channel splits paragraphs)."""
        return "\n\n".join(m.get("text", "") for m in self.say(sender, message))

    def rest_tracker(self, sender: str) -> dict:
        """The tracker of the conversation a REST client started as ``sender`` (``rest-`` namespace)."""
        return self.tracker(rest_conversation_id(sender))

    def tracker(self, sender: str) -> dict:
        """The conversation's tracker, through the token-protected HTTP API."""
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker", params={"token": API_TOKEN}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def health(self) -> dict:
        """The answer of ``GET /webhooks/health/`` (always HTTP 200)."""
        response = requests.get(f"{self.url}/webhooks/health/", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def post_raw(self, body: bytes) -> requests.Response:
        """POST ``body`` as it is (e.g. JSON with escapes Python would not write) to the REST webhook."""
        return requests.post(f"{self.url}/webhooks/rest/webhook", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def write_endpoints(workdir: Path, action_port: int, tracker_db: Path) -> Path:
    """An endpoints file pointing at the test action server and a fresh SQLite store."""
    path = workdir / "endpoints.yml"
    path.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n"
    )
    return path


def write_guarded_endpoints(workdir: Path, action_port: int, store_url: str, retry_seconds: float = 0.5) -> Path:
    """An endpoints file with the project's tracker store (``stores.tracker_store``) at ``store_url``.

    ``store_url`` is a SQLAlchemy URL (SQLite or PostgreSQL); ``retry_seconds`` is
    short so that a failing database answers well within the channel's deadline.
    """
    dialect = store_url.split(":", 1)[0].split("+", 1)[0]
    path = workdir / "endpoints.yml"
    path.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        "tracker_store:\n  type: stores.tracker_store.GuardedSQLTrackerStore\n"
        f'  dialect: {dialect}\n  url: "{store_url}"\n  retry_seconds: {retry_seconds}\n'
    )
    return path


def rasa_command(endpoints: Path, port: int, credentials: Path = CREDENTIALS, debug: bool = False) -> List[str]:
    """``rasa run`` with REST, socket.io and SMS, and the token-protected API, on 127.0.0.1."""
    command = [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--endpoints", str(endpoints),
               "--credentials", str(credentials), "--interface", "127.0.0.1", "--port", str(port),
               "--enable-api", "--auth-token", API_TOKEN]
    return [*command, "--debug"] if debug else command


def launch_rasa_server(
    workdir: Path, endpoints: Path, credentials: Path = CREDENTIALS, env: Optional[dict] = None, debug: bool = False
) -> RasaServer:
    """Start ``rasa run`` without waiting for it (see :func:`wait_for`)."""
    port = free_port()
    log = workdir / f"rasa-{port}.log"
    process = subprocess.Popen(
        rasa_command(endpoints, port, credentials, debug), cwd=ROOT, env=env or environment(),
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    return RasaServer(port, process, log, endpoints)


def start_rasa_server(workdir: Path, endpoints: Path, credentials: Path = CREDENTIALS) -> RasaServer:
    """Start ``rasa run`` and wait until it answers."""
    server = launch_rasa_server(workdir, endpoints, credentials)
    wait_for(f"{server.url}/", server.process, server.log)
    return server


@contextmanager
def running_assistant(workdir: Path) -> Iterator[tuple[ActionServer, RasaServer]]:
    """Both servers, stopped afterwards."""
    actions = start_action_server(workdir)
    try:
        rasa = start_rasa_server(workdir, write_endpoints(workdir, actions.port, workdir / "tracker.db"))
        try:
            yield actions, rasa
        finally:
            rasa.stop()
    finally:
        actions.stop()
