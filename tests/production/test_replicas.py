"""Two Rasa replicas and one action server on real PostgreSQL and Redis, production configuration.

Needs PostgreSQL and Redis (tests/services.py: skipped with the reason when they
are missing, a failure with REQUIRE_SERVICES=1). Each run uses its own database
and Redis key prefix, dropped afterwards. Replica A's HTTP API needs a token,
replica B's a JWT; replica B runs two Sanic workers.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Iterator, List

import pytest
import requests

from core.content import ContentStore
from tests.e2e.servers import start_action_server
from tests.production.deployment import (
    PRODUCTION_TOKEN,
    ProductionRasa,
    admin_jwt,
    events_by_sender,
    parallel,
    production_environment,
    say,
    start_production_rasa,
)
from tests.services import create_database, drop_database, redis_available

# Ten turns; the review flags they set (personal advice, then handoff) are the
# context a replica only knows from the shared tracker store.
SCRIPT = (
    "hello",
    "why was I given amitriptyline for nerve pain? im not depressed",
    "how long til it kicks in",
    "can i take 2 tonight the pain is bad",
    "can i drink wine on it",
    "what are the side effects",
    "what is the clinic phone number",
    "does it help with sleep?",
    "is it addictive",
    "thanks",
)
CONVERSATIONS = 50
EXPECTED_FLAGS = ["personal_advice", "handoff"]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    redis_url = redis_available()
    database_url = create_database("production_test")
    workdir = tmp_path_factory.mktemp("replicas")
    key_prefix = f"test{uuid.uuid4().hex[:10]}"
    try:
        actions = start_action_server(workdir)
        try:
            envs = [production_environment(database_url, redis_url, actions.port, key_prefix, workers, api)
                    for workers, api in ((1, "token"), (2, "jwt"))]
            replicas = start_production_rasa(workdir, envs)
            try:
                yield {"replicas": replicas, "database_url": database_url, "actions": actions}
            finally:
                for replica in replicas:
                    replica.stop()
        finally:
            actions.stop()
    finally:
        drop_database(database_url)


def texts(messages: list) -> str:
    return "\n\n".join(message.get("text", "") for message in messages)


def converse(replicas: List[ProductionRasa], sender: str, script=SCRIPT) -> List[tuple]:
    """Send the script, turn i to replica i % 2; return (status, reply text, seconds) per turn."""
    turns = []
    for index, message in enumerate(script):
        status, messages, seconds = say(replicas[index % len(replicas)], sender, message)
        turns.append((status, texts(messages), seconds))
    return turns


def signature(events: List[tuple]) -> List[tuple]:
    """What must be identical between two runs of the script: event types, actions and intents."""
    return [event[:3] for event in events]


def test_context_is_kept_when_turns_alternate_between_replicas(deployment, store: ContentStore) -> None:
    replicas = deployment["replicas"]
    sender = f"rest-alternate-{uuid.uuid4().hex[:8]}"
    turns = converse(replicas, sender)
    assert all(status == 200 for status, _, _ in turns)
    assert store.answer("personal_medical_advice").text in turns[3][1]
    assert store.answer("contact_clinic").text in turns[6][1]
    for _, text, _ in turns:
        assert text.endswith(store.disclaimer.text)
    # Both replicas see the same conversation: one session, every turn in order, the flags of both replicas.
    trackers = [replica.tracker(sender) for replica in replicas]
    assert trackers[0]["events"] == trackers[1]["events"]
    events = trackers[0]["events"]
    assert [event["text"] for event in events if event["event"] == "user"] == list(SCRIPT)
    assert sum(event["event"] == "session_started" for event in events) == 1
    assert trackers[0]["slots"]["review_flags"] == EXPECTED_FLAGS
    stored = events_by_sender(deployment["database_url"], sender)[sender]
    assert [row[0] for row in stored] == [event["event"] for event in events]


def test_fifty_concurrent_conversations_store_every_event_once(deployment, store: ContentStore) -> None:
    replicas = deployment["replicas"]
    run = uuid.uuid4().hex[:8]
    reference = f"rest-reference-{run}"
    reference_turns = converse(replicas, reference)
    expected_replies = [text for _, text, _ in reference_turns]
    senders = [f"rest-load-{run}-{number:02d}" for number in range(CONVERSATIONS)]

    started = time.monotonic()
    results = parallel(lambda sender: converse(replicas, sender), senders, workers=CONVERSATIONS)
    elapsed = time.monotonic() - started
    latencies = sorted(seconds for turns in results for _, _, seconds in turns)
    print(f"\n{CONVERSATIONS} conversations x {len(SCRIPT)} turns on 2 replicas: {elapsed:.1f} s, "
          f"{CONVERSATIONS * len(SCRIPT) / elapsed:.1f} turns/s, median {latencies[len(latencies) // 2]:.2f} s, "
          f"p95 {latencies[int(len(latencies) * 0.95)]:.2f} s, max {latencies[-1]:.2f} s")

    refusals = sum(replica.log.read_text().count("Refusing to save") for replica in replicas)
    lock_errors = sum(replica.log.read_text().count("LockError") for replica in replicas)
    degraded = {sender: [index for index, (_, text, _) in enumerate(turns) if text != expected_replies[index]]
                for sender, turns in zip(senders, results, strict=True)}
    degraded = {sender: indexes for sender, indexes in degraded.items() if indexes}
    print(f"replies other than the reference: {degraded}; history refusals: {refusals}; lock errors: {lock_errors}")
    for sender, turns in zip(senders, results, strict=True):
        assert [status for status, _, _ in turns] == [200] * len(SCRIPT), sender
    assert not degraded, "some conversations got other replies than the reference conversation"

    stored = events_by_sender(deployment["database_url"], f"rest-load-{run}-")
    expected = signature(events_by_sender(deployment["database_url"], reference)[reference])
    assert sorted(stored) == senders
    for sender in senders:
        events = stored[sender]
        assert signature(events) == expected, f"{sender}: stored events differ from the reference conversation"
        assert len({event[3] for event in events}) == len(events), f"{sender}: an event is stored twice"
        assert sum(event[0] == "user" for event in events) == len(SCRIPT)


def test_http_api_needs_the_token_or_the_jwt(deployment) -> None:
    token_replica, jwt_replica = deployment["replicas"]
    sender = f"rest-api-{uuid.uuid4().hex[:8]}"
    assert say(token_replica, sender, "hello")[0] == 200
    for replica in (token_replica, jwt_replica):
        assert requests.get(f"{replica.url}/conversations/{sender}/tracker", timeout=10).status_code == 401
        assert requests.get(f"{replica.url}/status", timeout=10).status_code == 401
        # Loading a model over the API is how CVE-2024-49375 is exploited.
        assert requests.put(f"{replica.url}/model", json={"model_file": "/tmp/x.tar.gz"}, timeout=10).status_code \
            == 401
    wrong_jwt = {"Authorization": f"Bearer {admin_jwt('not-the-secret-0123456789')}"}
    assert requests.get(f"{jwt_replica.url}/status", headers=wrong_jwt, timeout=10).status_code == 401
    assert requests.get(f"{jwt_replica.url}/status", params={"token": PRODUCTION_TOKEN}, timeout=10).status_code \
        == 401
    assert requests.get(f"{token_replica.url}/status", params={"token": "wrong"}, timeout=10).status_code == 401
    assert token_replica.tracker(sender)["sender_id"] == sender
    assert jwt_replica.tracker(sender)["sender_id"] == sender


def test_simultaneous_messages_of_one_conversation_are_handled_one_after_the_other(deployment, store) -> None:
    """Both replicas get a message of the same conversation at once: the Redis lock orders them."""
    replicas = deployment["replicas"]
    messages = ("can i drink wine on it", "is it addictive")
    answers = (store.answer("alcohol").text, store.answer("addiction_and_dependence").text)
    refusals_before = sum(replica.log.read_text().count("Refusing to save") for replica in replicas)
    run = uuid.uuid4().hex[:8]

    def together(sender: str) -> list:
        assert say(replicas[0], sender, "hello")[0] == 200
        start = threading.Barrier(2)

        def send(index: int) -> tuple:
            start.wait()
            return say(replicas[index], sender, messages[index])

        return parallel(send, (0, 1), workers=2)

    senders = [f"rest-together-{run}-{number}" for number in range(10)]
    results = [together(sender) for sender in senders]  # one at a time: the two messages truly coincide
    stored = events_by_sender(deployment["database_url"], f"rest-together-{run}-")
    for sender, replies in zip(senders, results, strict=True):
        for (status, reply, _), answer in zip(replies, answers, strict=True):
            assert status == 200 and answer in texts(reply), sender
        users = [json.loads(event[3])["text"] for event in stored[sender] if event[0] == "user"]
        assert users[0] == "hello" and sorted(users[1:]) == sorted(messages), f"{sender}: {users}"
        assert sum(event[0] == "session_started" for event in stored[sender]) == 1
    assert sum(replica.log.read_text().count("Refusing to save") for replica in replicas) == refusals_before
