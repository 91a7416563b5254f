"""Real servers and a real browser for the widget tests.

One session runs: the action server (on a copy of content/), Rasa with a credentials
file that allows the demo server's origin and call-back requests stored in a fresh
PostgreSQL database (SQLite when PostgreSQL is missing and not required), the demo
page server (scripts/serve_widget.py) and Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa
import yaml
from cryptography.fernet import Fernet
from playwright.sync_api import Browser, BrowserContext, Page

from scripts.serve_widget import make_server
from stores.callbacks import callbacks
from tests.browser import headless_chromium
from tests.conftest import ROOT
from tests.e2e.servers import (
    ActionServer,
    RasaServer,
    environment,
    free_port,
    launch_rasa_server,
    start_action_server,
    wait_for,
    write_endpoints,
)
from tests.services import create_database, drop_database

WIDGET = ROOT / "widget"
DIST_JS = WIDGET / "dist" / "widget.js"
AXE_JS = WIDGET / "node_modules" / "axe-core" / "axe.min.js"
XSS_PAYLOAD = "<img src=x onerror=alert(1)>"


@dataclass(frozen=True)
class CallbackDatabase:
    """Where the test Rasa stores call-back requests, and the key it encrypts them with."""

    url: str
    key: str

    def rows(self) -> list[dict]:
        """Every stored request, as raw (encrypted) rows (none before the table is created)."""
        engine = sa.create_engine(self.url, future=True)
        try:
            with engine.connect() as connection:
                if not sa.inspect(connection).has_table(callbacks.name):
                    return []
                query = callbacks.select().order_by(callbacks.c.id)
                return [dict(row) for row in connection.execute(query).mappings()]
        finally:
            engine.dispose()


@dataclass
class DemoSite:
    """A running demo page server."""

    url: str
    server_url: str


def _widget_is_stale() -> bool:
    if not DIST_JS.is_file():
        return True
    built = DIST_JS.stat().st_mtime
    sources = [*(WIDGET / "src").iterdir(), WIDGET / "build.mjs", WIDGET / "package-lock.json"]
    return any(source.stat().st_mtime > built for source in sources)


@pytest.fixture(scope="session", autouse=True)
def built_widget() -> Path:
    """widget/dist/widget.js, rebuilt when a source is newer (needs `make widget` once)."""
    if not (WIDGET / "node_modules").is_dir():
        pytest.fail("widget/node_modules is missing: run `make widget` (npm ci && npm run build)")
    if _widget_is_stale():
        subprocess.run(["npm", "run", "--silent", "build"], cwd=WIDGET, check=True, capture_output=True)
    return DIST_JS


def write_credentials(workdir: Path, origins: list[str]) -> Path:
    """REST and the widget's socket.io channel, allowing ``origins``."""
    path = workdir / "credentials.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "channels.rest.GuardedRestInput": None,
                "channels.socketio.GuardedSocketIOInput": {
                    "user_message_evt": "user_uttered",
                    "bot_message_evt": "bot_uttered",
                    "session_persistence": True,
                    "allowed_origins": origins,
                },
            }
        )
    )
    return path


def serve_demo(server_url: str, port: int = 0, headers: dict[str, str] | None = None) -> Iterator[DemoSite]:
    """scripts/serve_widget.py in a thread, pointing the page at ``server_url``."""
    server = make_server(port=port, server_url=server_url, quiet=True, headers=headers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield DemoSite(f"http://127.0.0.1:{server.server_address[1]}/", server_url)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def demo_port() -> int:
    """The demo server's port, chosen first: Rasa must allow its origin."""
    return free_port()


@pytest.fixture(scope="session")
def csp_demo_port() -> int:
    """The port of a second demo server, which sends a strict Content-Security-Policy."""
    return free_port()


@pytest.fixture(scope="session")
def callback_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CallbackDatabase]:
    """A fresh PostgreSQL database for call-back requests (SQLite if PostgreSQL is missing)."""
    key = Fernet.generate_key().decode("ascii")
    try:
        url = create_database("widget_callbacks")
    except pytest.skip.Exception:  # no PostgreSQL, and REQUIRE_SERVICES is not set
        yield CallbackDatabase(f"sqlite:///{tmp_path_factory.mktemp('callbacks') / 'callbacks.db'}", key)
        return
    try:
        yield CallbackDatabase(url, key)
    finally:
        drop_database(url)


@pytest.fixture(scope="session")
def servers(
    tmp_path_factory: pytest.TempPathFactory,
    demo_port: int,
    csp_demo_port: int,
    callback_db: CallbackDatabase,
) -> Iterator[tuple[ActionServer, RasaServer]]:
    """The action server and Rasa, allowing the demo pages' origins."""
    workdir = tmp_path_factory.mktemp("widget-servers")
    origins = [f"http://{host}:{port}" for port in (demo_port, csp_demo_port) for host in ("127.0.0.1", "localhost")]
    actions = start_action_server(workdir)
    try:
        credentials = write_credentials(workdir, origins)
        endpoints = write_endpoints(workdir, actions.port, workdir / "tracker.db")
        env = {**environment(), "CALLBACK_DB_URL": callback_db.url, "CALLBACK_KEY": callback_db.key}
        rasa = launch_rasa_server(workdir, endpoints, credentials, env=env)
        try:
            wait_for(f"{rasa.url}/", rasa.process, rasa.log)
            yield actions, rasa
        finally:
            rasa.stop()
    finally:
        actions.stop()


@pytest.fixture(scope="session")
def rasa(servers: tuple[ActionServer, RasaServer]) -> RasaServer:
    return servers[1]


@pytest.fixture(scope="session")
def demo(rasa: RasaServer, demo_port: int) -> Iterator[DemoSite]:
    """The demo clinic page, talking to the test Rasa server."""
    yield from serve_demo(rasa.url, demo_port)


@pytest.fixture(scope="session")
def csp_demo(rasa: RasaServer, csp_demo_port: int) -> Iterator[DemoSite]:
    """The demo page served with a strict Content-Security-Policy (no inline styles or scripts)."""
    host = rasa.url.removeprefix("http://")
    policy = f"default-src 'self'; connect-src 'self' http://{host} ws://{host}"
    yield from serve_demo(rasa.url, csp_demo_port, headers={"Content-Security-Policy": policy})


@pytest.fixture(scope="session")
def offline_demo() -> Iterator[DemoSite]:
    """The demo page pointed at a port where no server listens."""
    yield from serve_demo(f"http://127.0.0.1:{free_port()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless (Playwright never downloads a browser here)."""
    with headless_chromium() as browser:
        yield browser


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile (empty storage) with a desktop viewport."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
