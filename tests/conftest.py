"""Shared fixtures (the real content store, tracker builders) and the ``integration`` mark.

A test is marked ``integration`` (and left out of ``make unit``) when it needs a
trained model, running servers, PostgreSQL, Redis or a browser: every test under
the directories in :data:`INTEGRATION_DIRS`, every test using a fixture in
:data:`SERVER_FIXTURES`, every test parametrised for PostgreSQL, and the modules
and tests that say so themselves (``pytestmark = pytest.mark.integration``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Dict, Iterable, List

import pytest
from rasa_sdk import Tracker

from core.content import ContentStore
from core.vocabulary import SERVED_IDS

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
INTEGRATION_DIRS = frozenset({"e2e", "production", "widget", "nlu"})
SERVER_FIXTURES = frozenset(
    {"assistant", "rasa", "sms", "real_trackers", "actions", "edge", "no_actions", "channel_servers"}
)


def is_integration(item: pytest.Item) -> bool:
    """True when ``item`` needs a model, servers, a database server or a browser."""
    relative = Path(str(item.fspath)).resolve().relative_to(ROOT / "tests")
    if relative.parts[0] in INTEGRATION_DIRS or SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and any("postgres" in str(value) for value in callspec.params.values())


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Mark the integration tests (``make unit`` runs the others)."""
    for item in items:
        if is_integration(item):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def store() -> ContentStore:
    """The project's real content store."""
    return ContentStore.load(CONTENT_DIR, required_ids=SERVED_IDS)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of content/, for tests that break a file."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def make_tracker(
    intent: str | None,
    text: str = "a patient message",
    entities: Iterable[Dict[str, Any]] = (),
    channel: str = "rest",
    ranking: List[Dict[str, Any]] | None = None,
) -> Tracker:
    """A tracker whose latest message is ``text`` classified as ``intent``."""
    parse_data = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": list(entities),
        "intent_ranking": ranking if ranking is not None else [{"name": intent, "confidence": 0.9}],
    }
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": parse_data, "input_channel": channel},
    ]
    return Tracker("patient-1", {}, parse_data, events, False, None, {}, "action_listen")


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory):
    """The real action server and Rasa server, started once for the session."""
    from tests.e2e.servers import running_assistant

    with running_assistant(tmp_path_factory.mktemp("assistant")) as servers:
        yield servers


@pytest.fixture(scope="session")
def rasa(assistant):
    """The running Rasa server (REST channel and token-protected HTTP API)."""
    return assistant[1]
