"""never_silent: turns in order, the error reply on failure, the busy reply when slow, all recorded."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List, Tuple

import pytest
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, Event, UserUttered

from channels.conversation_queue import ConversationQueue
from channels.rasa_patches import RasaPatchConfigError
from channels.safe_reply import SafeReplies, messages_in_flight, never_silent, reply_wait
from core.content import ContentStore

Recorded = List[Tuple[str, List[Event]]]


@pytest.fixture(scope="module")
def safe_replies() -> SafeReplies:
    return SafeReplies.from_content()


class RecordingOutput(OutputChannel):
    """Keeps every bot message as the channel was asked to send it."""

    def __init__(self) -> None:
        self.messages: List[Dict[str, Any]] = []

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.messages.append(dict(message))


def answering(delay: float, handled: List[str]) -> Any:
    """A message handler that answers with the message's own text after ``delay`` s."""

    async def handle(message: UserMessage) -> None:
        await asyncio.sleep(delay)
        handled.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": f"answer to {message.text}"})

    return handle


async def silent(message: UserMessage) -> None:
    """What Rasa does when the action server refuses the connection: log, send nothing."""


def _run(handler: Any, texts: List[str], safe_replies: SafeReplies, deadline: float
         ) -> Tuple[List[List[Dict[str, Any]]], Recorded]:
    recorded: Recorded = []

    async def record(sender_id: str, events: List[Event]) -> None:
        recorded.append((sender_id, events))

    async def scenario() -> List[List[Dict[str, Any]]]:
        queue = ConversationQueue()
        outputs = [RecordingOutput() for _ in texts]
        await asyncio.gather(*(
            never_silent(handler, UserMessage(text, output, "patient", input_channel="rest"), safe_replies,
                         deadline=deadline, queue=queue, recorder=record)
            for text, output in zip(texts, outputs, strict=True)
        ))
        while len(queue):  # the last turns finish (and are recorded) in the background
            await asyncio.sleep(0.01)
        return [output.messages for output in outputs]

    return asyncio.run(scenario()), recorded


def _content_ids(events: List[Event]) -> List[str]:
    return [event.metadata["content_id"] for event in events if isinstance(event, BotUttered)]


def test_simultaneous_messages_are_answered_in_order_without_safe_replies(safe_replies: SafeReplies) -> None:
    handled: List[str] = []
    texts = [f"question {number}" for number in range(10)]
    replies, recorded = _run(answering(0.02, handled), texts, safe_replies, deadline=5)
    assert handled == texts
    assert [messages[0]["text"] for messages in replies] == [f"answer to {text}" for text in texts]
    assert recorded == []


def test_a_silent_assistant_gets_the_error_reply_at_once(safe_replies: SafeReplies, store: ContentStore) -> None:
    replies, recorded = _run(silent, ["does it help sleep"], safe_replies, deadline=30)
    (message,) = replies[0]
    assert message["content_id"] == "error"
    assert message["text"].endswith(store.disclaimer.text)
    assert [(sender, _content_ids(events)) for sender, events in recorded] == [("patient", ["error"])]


def test_a_slow_turn_gets_the_busy_reply_and_both_are_recorded(safe_replies: SafeReplies, store: ContentStore) -> None:
    handled: List[str] = []
    replies, recorded = _run(answering(0.5, handled), ["question"], safe_replies, deadline=0.1)
    assert [message.get("content_id") for message in replies[0]] == ["busy", None]  # then the late answer
    assert store.settings.crisis_line in replies[0][0]["text"]
    assert handled == ["question"]
    assert [_content_ids(events) for _, events in recorded] == [["busy"]]


def test_a_message_queued_past_the_deadline_is_answered_busy_and_stored_with_its_reply(
    safe_replies: SafeReplies,
) -> None:
    handled: List[str] = []
    texts = ["first", "second", "third", "fourth"]
    replies, recorded = _run(answering(0.3, handled), texts, safe_replies, deadline=0.2)
    assert handled == ["first"]
    assert [messages[0]["content_id"] for messages in replies[1:]] == ["busy"] * 3
    unhandled = [events for _, events in recorded if any(isinstance(event, UserUttered) for event in events)]
    # stored in arrival order, each in its own turn
    assert [(events[0].text, _content_ids(events)) for events in unhandled] == [
        ("second", ["busy"]), ("third", ["busy"]), ("fourth", ["busy"])]


def test_a_crisis_message_gets_the_crisis_answer_even_when_busy(safe_replies: SafeReplies) -> None:
    replies, _ = _run(answering(0.5, []), ["i want to end my life"], safe_replies, deadline=0.1)
    assert replies[0][0]["content_id"] == "crisis_support"


@pytest.mark.parametrize("value", ["soon", "0", "-1", "1000"])
def test_an_invalid_reply_wait_names_the_variable(value: str) -> None:
    with pytest.raises(RasaPatchConfigError, match="REPLY_WAIT_SECONDS"):
        reply_wait({"REPLY_WAIT_SECONDS": value})


def test_the_reply_wait_is_configurable() -> None:
    assert reply_wait({"REPLY_WAIT_SECONDS": "2.5"}) == 2.5
    assert reply_wait({}) == 10.0


@pytest.mark.parametrize("value", ["many", "0", "1.5", "5000"])
def test_an_invalid_in_flight_limit_names_the_variable(value: str) -> None:
    with pytest.raises(RasaPatchConfigError, match="MESSAGES_IN_FLIGHT"):
        messages_in_flight({"MESSAGES_IN_FLIGHT": value})
    assert messages_in_flight({"MESSAGES_IN_FLIGHT": "3"}) == 3


def test_a_message_answered_busy_keeps_its_place_in_the_conversation(safe_replies: SafeReplies) -> None:
    """m3 times out while m4 (arrived later, not timed out) waits: m3 is stored before m4 is handled."""
    log: List[str] = []

    async def handle(message: UserMessage) -> None:
        log.append(f"handled {message.text}")
        await asyncio.sleep(0.25)
        await message.output_channel.send_response(message.sender_id, {"text": "answer"})

    async def record(sender_id: str, events: List[Event]) -> None:
        log.extend(f"stored {event.text}" for event in events if isinstance(event, UserUttered))

    async def scenario() -> None:
        queue = ConversationQueue()

        async def send(text: str, at: float) -> None:
            await asyncio.sleep(at)
            await never_silent(handle, UserMessage(text, RecordingOutput(), "patient", input_channel="rest"),
                               safe_replies, deadline=0.3, queue=queue, recorder=record)

        await asyncio.gather(send("m1", 0), send("m2", 0.05), send("m3", 0.1), send("m4", 0.28))
        while len(queue):
            await asyncio.sleep(0.01)

    asyncio.run(scenario())
    assert log == ["handled m1", "handled m2", "stored m3", "handled m4"]


def test_a_failure_after_the_busy_reply_is_logged_with_its_error(safe_replies: SafeReplies, caplog) -> None:
    async def slow_then_failing(message: UserMessage) -> None:
        await asyncio.sleep(0.2)
        raise RuntimeError("Could not acquire lock")

    async def scenario() -> RecordingOutput:
        output = RecordingOutput()
        queue = ConversationQueue()
        message = UserMessage("hello", output, "late-sender", input_channel="rest")
        await never_silent(slow_then_failing, message, safe_replies, deadline=0.05, queue=queue,
                           recorder=lambda *_: asyncio.sleep(0))
        while len(queue):
            await asyncio.sleep(0.01)
        return output

    with caplog.at_level(logging.ERROR, logger="channels.safe_reply"):
        output = asyncio.run(scenario())
    assert [message["content_id"] for message in output.messages] == ["busy"]
    assert "late-sender: handling a message failed after the busy reply" in caplog.text
    assert "Could not acquire lock" in caplog.text
