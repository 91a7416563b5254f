"""Faults during traffic: Redis stopped, PostgreSQL restarted or down, action server killed.

The assistant runs in its production configuration (HTTP API off, so the
stored conversations are read from the database) against a throwaway
PostgreSQL and Redis (instances.py) that these tests stop and start; the shared
services are never touched. Every test leaves all services running.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Dict, Iterator, List

import pytest
import requests

from core.content import ContentStore
from tests.e2e.servers import ActionServer, start_action_server
from tests.production.deployment import (
    ProductionRasa,
    events_by_sender,
    production_environment,
    review_flags,
    say,
    start_production_rasa,
    stored_conversation,
)
from tests.production.instances import ThrowawayPostgres, ThrowawayRedis

TURNS = (
    "why was I given amitriptyline for nerve pain?",
    "how long til it kicks in",
    "can i drink wine on it",
    "what are the side effects",
    "does it help with sleep?",
    "is it addictive",
)
PERSONAL_ADVICE = "can i take 2 tonight the pain is bad"
CONTACT = "what is the clinic phone number"
CRISIS = "i want to end my life"
# The bound the channels promise for any reply: REPLY_WAIT_SECONDS (default 10 s, channels/safe_reply.py).
# A stopped Redis took 6.2 s once on a busy 2-core machine (the lock store's connection timeout).
SAFE_REPLY_SECONDS = 10.0


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    workdir = tmp_path_factory.mktemp("faults")
    postgres = ThrowawayPostgres().start()
    redis = ThrowawayRedis(workdir / "redis").start()
    try:
        database_url = postgres.create_database("assistant")
        actions = start_action_server(workdir)
        env = production_environment(database_url, redis.url, actions.port, key_prefix="faults", api="off")
        (rasa,) = start_production_rasa(workdir, [env])
        state = {"postgres": postgres, "redis": redis, "actions": actions, "rasa": rasa,
                 "database_url": database_url, "workdir": workdir}
        try:
            yield state
        finally:
            rasa.stop()
            state["actions"].stop()
    finally:
        redis.stop()
        postgres.destroy()


@pytest.fixture
def deployment(services: dict) -> Iterator[dict]:
    """The running deployment; afterwards every service is running again, whatever the test did."""
    yield services
    if not services["postgres"].running():
        services["postgres"].start()
    if not services["redis"].running():
        services["redis"].start()
    actions: ActionServer = services["actions"]
    if actions.process.poll() is not None:
        services["actions"] = start_action_server(services["workdir"], port=actions.port)


def text_of(messages: list) -> str:
    return "\n\n".join(message.get("text", "") for message in messages)


def is_safe_reply(text: str, store: ContentStore, content_id: str = "error") -> bool:
    return (store.answer(content_id).text in text and text.endswith(store.disclaimer.text)
            and (content_id != "error" or store.settings.clinic_phone in text))


@dataclass
class Turn:
    message: str
    status: int
    text: str
    seconds: float


@dataclass
class Traffic:
    """Conversations sending turns in background threads until stopped."""

    rasa: ProductionRasa
    senders: List[str]
    pause: float = 0.2
    turns: Dict[str, List[Turn]] = field(default_factory=dict)
    stopping: threading.Event = field(default_factory=threading.Event)

    def _converse(self, sender: str) -> None:
        index = 0
        while not self.stopping.is_set():
            message = TURNS[index % len(TURNS)]
            try:
                status, messages, seconds = say(self.rasa, sender, message)
                self.turns[sender].append(Turn(message, status, text_of(messages), seconds))
            except Exception as error:  # recorded: the assertions name it
                self.turns[sender].append(Turn(message, 0, f"{type(error).__name__}: {error}", 0.0))
            index += 1
            time.sleep(self.pause)

    def __enter__(self) -> "Traffic":
        self.threads = []
        for sender in self.senders:
            self.turns[sender] = []
            thread = threading.Thread(target=self._converse, args=(sender,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def start_conversation(rasa: ProductionRasa, store: ContentStore, prefix: str) -> str:
    """A conversation whose context (review flag 'personal_advice') is stored."""
    sender = f"rest-{prefix}-{uuid.uuid4().hex[:8]}"
    status, messages, _ = say(rasa, sender, PERSONAL_ADVICE)
    assert status == 200 and store.answer("personal_medical_advice").text in text_of(messages)
    return sender


def assert_context_kept(deployment: dict, store: ContentStore, sender: str) -> None:
    """The next turn is answered normally and the stored conversation still has its earlier flag."""
    status, messages, _ = say(deployment["rasa"], sender, CONTACT)
    assert status == 200 and store.answer("contact_clinic").text in text_of(messages)
    events = stored_conversation(deployment["database_url"], sender)
    # A safe reply sent while the database was down is stored with its own flag ("error") once it is back.
    assert [flag for flag in review_flags(events) if flag != "error"] == ["personal_advice", "handoff"], sender
    assert sum(event["event"] == "session_started" for event in events) == 1, f"{sender} was started afresh"


def assert_every_turn_answered(traffic: Traffic, store: ContentStore) -> None:
    """Never silence, never an HTTP error: an answer or the safe reply, with the disclaimer."""
    turns = [turn for sender_turns in traffic.turns.values() for turn in sender_turns]
    print(f"\n{len(turns)} turns, {sum(is_safe_reply(turn.text, store) for turn in turns)} safe replies, "
          f"slowest {max(turn.seconds for turn in turns):.2f} s")
    for sender, turns in traffic.turns.items():
        assert turns, f"{sender} sent nothing"
        for turn in turns:
            assert turn.status == 200, f"{sender}: {turn}"
            assert turn.text.endswith(store.disclaimer.text), f"{sender}: {turn}"


def test_redis_stopped_and_restarted_during_traffic(deployment, store: ContentStore) -> None:
    rasa, redis = deployment["rasa"], deployment["redis"]
    patient = start_conversation(rasa, store, "redis")
    senders = [f"rest-redis-traffic-{number}-{uuid.uuid4().hex[:6]}" for number in range(4)]
    with Traffic(rasa, senders) as traffic:
        time.sleep(1.5)
        redis.stop()
        try:
            status, messages, seconds = say(rasa, patient, "does it help with sleep?")
            assert status == 200 and is_safe_reply(text_of(messages), store), messages
            assert seconds < SAFE_REPLY_SECONDS
            status, messages, _ = say(rasa, patient, CRISIS)
            assert status == 200 and is_safe_reply(text_of(messages), store, "crisis_support"), messages
            time.sleep(1.0)
        finally:
            redis.start()
        time.sleep(2.0)
    assert "Error while acquiring lock" in rasa.log.read_text()
    assert_every_turn_answered(traffic, store)
    for sender, turns in traffic.turns.items():
        assert any(is_safe_reply(turn.text, store) for turn in turns), f"{sender} never noticed Redis was down"
        assert not is_safe_reply(turns[-1].text, store), f"{sender} still gets the safe reply after Redis is back"
    assert_context_kept(deployment, store, patient)


def assert_turns_stored_once(turns: List[Turn], user_texts: List[str], store: ContentStore, patient: str) -> None:
    """Every answered turn is stored, in order, once; a turn that got the safe reply may be stored too
    (channels/safe_record.py stores it when the database is back), but never twice."""
    stored = iter(user_texts)
    pending = next(stored, None)
    for turn in turns:
        if pending == turn.message:
            pending = next(stored, None)
        else:
            assert is_safe_reply(turn.text, store), f"{patient}: answered turn {turn.message!r} is missing"
    assert pending is None, f"{patient}: {pending!r} is stored out of order or twice"


def test_postgres_restarted_during_traffic_loses_no_history(deployment, store: ContentStore) -> None:
    rasa, postgres = deployment["rasa"], deployment["postgres"]
    patients = [start_conversation(rasa, store, "pg-restart") for _ in range(6)]
    with Traffic(rasa, patients, pause=0.1) as traffic:
        time.sleep(2.0)
        postgres.restart()
        time.sleep(3.0)
    assert_every_turn_answered(traffic, store)
    stored = events_by_sender(deployment["database_url"], "rest-pg-restart-")
    for patient in patients:
        user_texts = [json.loads(event[3])["text"] for event in stored[patient] if event[0] == "user"]
        assert user_texts[:1] == [PERSONAL_ADVICE]
        assert_turns_stored_once(traffic.turns[patient], user_texts[1:], store, patient)
        assert_context_kept(deployment, store, patient)
    assert "Falling back to use the 'InMemoryTrackerStore'" not in rasa.log.read_text()


def test_postgres_down_gives_the_safe_reply_not_a_new_conversation(deployment, store: ContentStore) -> None:
    rasa, postgres = deployment["rasa"], deployment["postgres"]
    patient = start_conversation(rasa, store, "pg-down")
    postgres.stop()
    try:
        status, messages, seconds = say(rasa, patient, "does it help with sleep?")
        assert status == 200 and is_safe_reply(text_of(messages), store), messages
        assert seconds < SAFE_REPLY_SECONDS
    finally:
        postgres.start()
    assert "The conversation database is unavailable" in rasa.log.read_text()
    assert_context_kept(deployment, store, patient)


def test_action_server_killed_gives_the_degraded_reply(deployment, store: ContentStore) -> None:
    rasa, actions = deployment["rasa"], deployment["actions"]
    patient = start_conversation(rasa, store, "actions-killed")
    actions.process.kill()
    actions.process.wait(timeout=10)
    status, messages, seconds = say(rasa, patient, "does it help with sleep?")
    assert status == 200 and is_safe_reply(text_of(messages), store), messages
    assert seconds < SAFE_REPLY_SECONDS
    status, messages, _ = say(rasa, patient, CRISIS)
    assert status == 200 and is_safe_reply(text_of(messages), store, "crisis_support"), messages
    deployment["actions"] = start_action_server(deployment["workdir"], port=actions.port)
    status, messages, _ = say(rasa, patient, "can i drink wine on it")
    assert status == 200 and store.answer("alcohol").text in text_of(messages)


def test_http_api_is_off(deployment) -> None:
    response = requests.get(f"{deployment['rasa'].url}/conversations/anyone/tracker", timeout=10)
    assert response.status_code == 404
