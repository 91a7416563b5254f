"""Each Rasa 3.6 workaround is applied by one call, and Rasa still works the way it assumes."""

from __future__ import annotations

import asyncio
import inspect
import uuid
from typing import Any, Iterator

import aiohttp
import pytest
import rasa.core.actions.action as rasa_action
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels import channel as rasa_channel
from rasa.core.channels.socketio import SocketIOInput
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, Sanic

from channels import action_response, rasa_patches
from channels.rasa_patches import RasaPatchConfigError
from tests.e2e.servers import free_port


@pytest.fixture
def unpatched(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Rasa's own attributes back after the test."""
    monkeypatch.setattr(rasa_action, "DEFAULT_REQUEST_TIMEOUT", rasa_action.DEFAULT_REQUEST_TIMEOUT)
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(Agent, "_create_tracker_store", Agent.__dict__["_create_tracker_store"])
    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)
    monkeypatch.setattr(MessageProcessor, "parse_message", MessageProcessor.parse_message)
    yield


def _reads(function: Any, name: str) -> bool:
    """True if ``function`` looks ``name`` up when it runs (a global or an attribute)."""
    return name in inspect.unwrap(function).__code__.co_names


def test_rasa_reads_the_action_timeout_from_the_module_at_call_time(unpatched: None) -> None:
    assert rasa_action.DEFAULT_REQUEST_TIMEOUT == 300
    assert _reads(RemoteAction.run, "DEFAULT_REQUEST_TIMEOUT")
    rasa_patches.apply({"ACTION_TIMEOUT_SECONDS": "7"})
    assert rasa_action.DEFAULT_REQUEST_TIMEOUT == 7.0
    rasa_patches.apply({})
    assert rasa_action.DEFAULT_REQUEST_TIMEOUT == rasa_patches.DEFAULT_ACTION_TIMEOUT


@pytest.mark.parametrize("variable", ["ACTION_TIMEOUT_SECONDS", "REPLY_WAIT_SECONDS", "ACTION_SERVER_CONCURRENCY"])
def test_an_invalid_setting_stops_start_up_naming_the_variable(unpatched: None, variable: str) -> None:
    with pytest.raises(RasaPatchConfigError, match=variable):
        rasa_patches.apply({variable: "ten"})


def test_rasa_validates_each_action_response_through_the_patched_method(unpatched: None) -> None:
    assert _reads(RemoteAction.run, "_validate_action_result")
    assert RemoteAction._validate_action_result is not action_response._validate_action_result
    rasa_patches.apply({})
    assert RemoteAction._validate_action_result is action_response._validate_action_result


def test_calls_to_the_action_server_wait_beyond_the_concurrency_limit(
    unpatched: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_flight, most = 0, 0

    async def call(self: RemoteAction, *args: Any) -> list:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        return []

    monkeypatch.setattr(RemoteAction, "run", call)
    rasa_patches.apply({"ACTION_SERVER_CONCURRENCY": "3"})
    rasa_patches.apply({"ACTION_SERVER_CONCURRENCY": "2"})  # idempotent: wrapped once, the last limit wins
    assert inspect.unwrap(RemoteAction.run) is call

    async def burst() -> None:
        action = RemoteAction("action_answer", None)
        await asyncio.gather(*(action.run(None, None, None, None) for _ in range(8)))

    asyncio.run(burst())
    assert most == 2


class OwnStore(InMemoryTrackerStore):
    handles_own_failures = True


def test_the_agent_wraps_only_stores_that_do_not_handle_their_own_failures(unpatched: None) -> None:
    assert _reads(Agent.__init__, "_create_tracker_store")
    domain = Domain.empty()
    assert isinstance(Agent._create_tracker_store(OwnStore(domain), domain), FailSafeTrackerStore)
    rasa_patches.apply({})
    patched = Agent._create_tracker_store
    rasa_patches.apply({})
    assert Agent._create_tracker_store is patched, "apply() is not idempotent"
    own = OwnStore(domain)
    assert Agent._create_tracker_store(own, domain) is own
    assert isinstance(Agent._create_tracker_store(InMemoryTrackerStore(domain), domain), FailSafeTrackerStore)


class CapturingChannel(rasa_channel.InputChannel):
    """Keeps the message handler Rasa gives every channel."""

    def blueprint(self, on_new_message: Any) -> Blueprint:
        self.handler = on_new_message
        return Blueprint(f"capture_{uuid.uuid4().hex}")


def test_the_agent_is_found_through_the_handler_rasa_gives_channels() -> None:
    app = Sanic(f"patches_{uuid.uuid4().hex}")
    channel = CapturingChannel()
    rasa_channel.register([channel], app, "/webhooks/")
    assert rasa_patches.agent_of(channel.handler) is None  # no model loaded yet
    app.ctx.agent = Agent()
    assert rasa_patches.agent_of(channel.handler) is app.ctx.agent


def test_rasa_still_forgets_to_await_joining_the_session_room() -> None:
    """channels/socketio.py replaces ``session_request`` for this; drop it when Rasa awaits."""
    source = inspect.getsource(SocketIOInput.blueprint)
    assert "sio.enter_room(" in source
    assert "await sio.enter_room(" not in source


def test_rasa_s_socketio_channel_has_no_feedback_event_and_locks_conversations_per_sender() -> None:
    """channels/socketio.py writes the feedback slot under ``agent.lock_store.lock(sender_id)``."""
    assert "feedback" not in inspect.getsource(SocketIOInput)
    assert _reads(Agent.handle_message, "lock")


def _rasa_wrapped(cause: BaseException) -> RasaException:
    """What ``RemoteAction.run`` raises for a connection error (raised while handling ``cause``)."""
    try:
        raise cause
    except aiohttp.ClientConnectionError:
        try:
            raise RasaException("Failed to execute custom action 'action_answer'. Couldn't connect")
        except RasaException as error:
            return error
    raise AssertionError("unreachable")


async def _refused() -> aiohttp.ClientConnectorError:
    async with aiohttp.ClientSession() as session:
        try:
            await session.post(f"http://127.0.0.1:{free_port()}/webhook", json={})
        except aiohttp.ClientConnectorError as error:
            return error
    raise AssertionError("a closed port accepted a connection")


def test_only_a_call_whose_request_was_never_sent_is_made_again(
    unpatched: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    dropped = _rasa_wrapped(aiohttp.ClientOSError("Cannot write to closing transport"))
    refused = _rasa_wrapped(asyncio.run(_refused()))
    assert rasa_patches.request_never_sent(dropped) and not rasa_patches.request_never_sent(refused)
    calls: list = []

    async def call(self: RemoteAction, *args: Any) -> list:
        calls.append(args)
        if len(calls) == 1 or args[0] == "refused":
            raise dropped if args[0] == "dropped" else refused
        return ["answered"]

    monkeypatch.setattr(RemoteAction, "run", call)
    rasa_patches.apply({})
    action = RemoteAction("action_answer", None)
    assert asyncio.run(action.run("dropped", None, None, None)) == ["answered"]
    assert len(calls) == 2
    calls.clear()
    with pytest.raises(RasaException):
        asyncio.run(action.run("refused", None, None, None))
    assert len(calls) == 1


class _Reader:
    """A stand-in for Rasa's processor: reads "pregnant" into the pregnancy topic."""

    texts: list = []

    async def parse_message(self, message: Any, tracker: Any = None, only_output_properties: bool = True) -> dict:
        self.texts.append(message.text)
        text = message.text.lower()
        if "boom" in text:
            raise RuntimeError("the second reading failed")
        ranking = [{"name": "pregnancy_and_breastfeeding", "confidence": 0.6 if "pregnant" in text else 0.01},
                   {"name": "alcohol", "confidence": 0.1}]
        intent = "crisis_support" if "end it" in text else "follow_up"
        return {"text": message.text, "intent": {"name": intent, "confidence": 0.9}, "intent_ranking": ranking}


def _tracker(*messages: tuple) -> DialogueStateTracker:
    events = [UserUttered("from an earlier session", {"name": "greeting"}), SessionStarted()]
    events += [UserUttered(text, {"name": intent}) for text, intent in messages]
    return DialogueStateTracker.from_events("someone", events)


def _read(reader: type, text: str, tracker: Any = None) -> dict:
    return asyncio.run(reader().parse_message(rasa_channel.UserMessage(text), tracker))


def test_a_follow_on_is_read_again_with_the_session_s_earlier_messages() -> None:
    class Reader(_Reader):
        texts: list = []

    rasa_patches.read_follow_ons_in_context(Reader)
    rasa_patches.read_follow_ons_in_context(Reader)  # idempotent
    tracker = _tracker(("I'm 6 months pregnant", "share_info"), ("/greet", "greeting"))
    parse = asyncio.run(Reader().parse_message(rasa_channel.UserMessage("is it safe then?"), tracker))
    assert Reader.texts == ["is it safe then?", "I'm 6 months pregnant is it safe then?"]
    assert parse["context_ranking"][0] == {"name": "pregnancy_and_breastfeeding", "confidence": 0.6}
    assert parse["intent"]["name"] == "follow_up"


def test_no_second_reading_without_earlier_messages_after_a_safety_message_or_for_a_safety_message() -> None:
    class Reader(_Reader):
        texts: list = []

    rasa_patches.read_follow_ons_in_context(Reader)
    first = asyncio.run(Reader().parse_message(rasa_channel.UserMessage("is it safe then?"), _tracker()))
    after_crisis = _tracker(("I'm pregnant", "share_info"), ("i want to end it", "crisis_support"))
    later = asyncio.run(Reader().parse_message(rasa_channel.UserMessage("is it safe then?"), after_crisis))
    crisis = _read(Reader, "i want to end it", _tracker(("hi", "greeting")))
    no_tracker = asyncio.run(Reader().parse_message(rasa_channel.UserMessage("is it safe then?")))
    assert all("context_ranking" not in parse for parse in (first, later, crisis, no_tracker))
    assert Reader.texts == ["is it safe then?", "is it safe then?", "i want to end it", "is it safe then?"]


def test_a_failed_second_reading_keeps_the_message_s_own_reading() -> None:
    class Reader(_Reader):
        texts: list = []

    rasa_patches.read_follow_ons_in_context(Reader)
    parse = _read(Reader, "is it safe then?", _tracker(("boom", "share_info")))
    assert parse["intent"]["name"] == "follow_up" and "context_ranking" not in parse


def test_rasa_parses_with_the_tracker_through_the_patched_method(unpatched: None) -> None:
    rasa_patches.apply({})
    assert getattr(MessageProcessor.parse_message, rasa_patches.READS_IN_CONTEXT, False)
    assert _reads(MessageProcessor._handle_message_with_tracker, "parse_message")
    assert list(inspect.signature(inspect.unwrap(MessageProcessor.parse_message)).parameters) == [
        "self", "message", "tracker", "only_output_properties"]
