"""Under load: one conversation's messages answered in order, never the error reply while nothing is broken,
and an unreachable action server answered at once (real Rasa and action servers)."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from core.content import PARAGRAPH, ContentStore
from core.replies import Reply, reply_text
from core.vocabulary import BUSY_ID, ERROR_ID
from scripts.bench import burst
from scripts.bench.burst_run import same_conversation_messages
from tests.e2e.servers import (
    RasaServer,
    environment,
    free_port,
    launch_rasa_server,
    wait_for,
    write_endpoints,
)


def joined(messages: List[Dict]) -> str:
    return PARAGRAPH.join(message["text"] for message in messages if message.get("text")).strip()


def send_together(rasa: RasaServer, sender: str, messages: List[str], stagger: float = 0.02) -> List[str]:
    """Send ``messages`` of one conversation at (almost) the same moment; each turn's whole reply."""
    with ThreadPoolExecutor(len(messages)) as pool:
        futures = []
        for message in messages:
            futures.append(pool.submit(rasa.say, sender, message, 120))
            time.sleep(stagger)  # fixes the arrival order
        return [joined(future.result()) for future in futures]


def stored_turns(rasa: RasaServer, sender: str) -> List[tuple[str, List[str]]]:
    """``(user text, [bot texts after it])`` for each stored user message."""
    return burst.stored_turns(rasa.rest_tracker(sender)["events"])


def test_ten_simultaneous_messages_in_one_conversation_are_answered_in_order_without_error_replies(
    rasa: RasaServer, store: ContentStore
) -> None:
    """``rasa``: the session's shared servers (tests/conftest.py)."""
    sender, messages = f"load-{uuid.uuid4().hex[:12]}", same_conversation_messages(10)
    replies = send_together(rasa, sender, messages)
    error = reply_text(store, Reply(ERROR_ID), "rest").strip()
    assert [reply == error for reply in replies] == [False] * 10
    assert all(reply.endswith(store.disclaimer.text) for reply in replies)
    deadline = time.monotonic() + 30  # a message answered "busy" (machine saturated) is stored in its turn
    while len(turns := stored_turns(rasa, sender)) < len(messages) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert [text for text, _ in turns] == messages  # handled and stored in the order they arrived
    assert [burst.reply_stored(reply, bots) for reply, (_, bots) in zip(replies, turns, strict=True)] == [True] * 10


@pytest.fixture(scope="module")
def unreachable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaServer]:
    """Rasa whose action server port has nobody listening, with long waits configured."""
    workdir: Path = tmp_path_factory.mktemp("unreachable")
    endpoints = write_endpoints(workdir, free_port(), workdir / "tracker.db")
    env = dict(environment(), REPLY_WAIT_SECONDS="60", ACTION_TIMEOUT_SECONDS="60")
    server = launch_rasa_server(workdir, endpoints, env=env)
    try:
        wait_for(f"{server.url}/", server.process, server.log)
        yield server
    finally:
        server.stop()


def test_an_unreachable_action_server_gets_the_safe_reply_at_once_and_it_is_recorded(
    unreachable: RasaServer, store: ContentStore
) -> None:
    sender = f"load-{uuid.uuid4().hex[:12]}"
    messages = ["how long until duloxetine works?", "can i drink wine on it", "is it safe to drive on it"]
    started = time.monotonic()
    replies = send_together(unreachable, sender, messages)
    assert time.monotonic() - started < 5  # not REPLY_WAIT_SECONDS (60 s): nothing to wait for
    error, busy = (reply_text(store, Reply(content_id), "rest").strip() for content_id in (ERROR_ID, BUSY_ID))
    assert replies == [error] * 3
    assert busy != error
    deadline = time.monotonic() + 10
    while (turns := stored_turns(unreachable, sender)) and not all(bots for _, bots in turns):
        assert time.monotonic() < deadline, f"safe replies not stored: {turns}"
        time.sleep(0.2)
    assert turns == [(message, [error]) for message in messages]
