"""Never silent: a safe reply from the content store when the assistant gave none.

Every public channel runs messages through :func:`never_silent`:

* messages of one conversation are handled one at a time, in arrival order
  (:mod:`channels.conversation_queue`);
* if the assistant fails (action server unreachable or failing: Rasa logs the
  error and sends nothing), the content store's ``error`` answer (clinic contact,
  disclaimer) is sent as soon as Rasa gives up;
* if no reply came within ``REPLY_WAIT_SECONDS`` (environment, default 10 s,
  counted from arrival, waiting behind earlier messages included), the ``busy``
  answer (crisis line, disclaimer) is sent;
* a crisis or emergency message gets that answer instead of either;
* each reply sent here is appended to the conversation's stored history with the
  review flags the actions would have set (a crisis reply flags ``crisis``), and a
  message answered "busy" before it reached Rasa is stored with it; every such case
  is logged, and a reply that cannot be stored is logged at ERROR with its content
  id and turns the health check (``GET /webhooks/health/``) to degraded.
"""

from __future__ import annotations

import asyncio
import logging
import os
from functools import cache
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Set, Text, Tuple

from rasa.core.agent import Agent
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic import Sanic
from sanic.exceptions import SanicException

from channels.conversation_queue import ConversationQueue
from channels.rasa_patches import agent_of, positive_seconds, whole_number
from channels.safe_record import review_flag_events
from core.content import ContentStore
from core.replies import Reply, compose
from core.vocabulary import (
    BUSY_ID,
    CONTENT_ID_KEY,
    DEFAULT_CONTENT_DIR,
    ERROR_ID,
    REPLY_KEY,
    SERVED_IDS,
    URGENT_IDS,
)
from safety.detector import SafetyDetector
from safety.words import english_words
from stores.health import STORAGE_HEALTH, TRACKER_STORE, describe

logger = logging.getLogger(__name__)

REPLY_WAIT_VARIABLE = "REPLY_WAIT_SECONDS"
DEFAULT_REPLY_WAIT = 10.0
IN_FLIGHT_VARIABLE = "MESSAGES_IN_FLIGHT"
DEFAULT_IN_FLIGHT = 8
Recorder = Callable[[str, List[Event]], Awaitable[None]]
# Rasa's app: with the HTTP API (``--enable-api``) and without.
RASA_APP_NAMES = ("rasa_server", "rasa_core_no_api")
_background: Set["asyncio.Future[Any]"] = set()


def reply_wait(environ: Optional[Mapping[str, str]] = None) -> float:
    """Seconds a message may wait for its answer before the ``busy`` reply (``REPLY_WAIT_SECONDS``)."""
    return positive_seconds(os.environ if environ is None else environ, REPLY_WAIT_VARIABLE, DEFAULT_REPLY_WAIT)


def messages_in_flight(environ: Optional[Mapping[str, str]] = None) -> int:
    """How many messages this process hands to Rasa at once (``MESSAGES_IN_FLIGHT``, 1-1000)."""
    return whole_number(os.environ if environ is None else environ, IN_FLIGHT_VARIABLE, DEFAULT_IN_FLIGHT)


@cache
def conversation_queue() -> ConversationQueue:
    """The process's conversation queue, shared by every channel."""
    return ConversationQueue(in_flight=messages_in_flight())


class SafeReplies:
    """Builds the replies a channel sends when the assistant itself cannot."""

    def __init__(self, store: ContentStore, detector: SafetyDetector) -> None:
        self.store = store
        self.detector = detector

    @classmethod
    def from_content(cls, content_dir: Optional[str] = None) -> "SafeReplies":
        """The safe replies for a content folder, loaded once and shared by every channel.

        A bad content file stops start-up (:class:`ContentError`).
        """
        return _safe_replies_for(content_dir or os.environ.get("CONTENT_DIR", DEFAULT_CONTENT_DIR))

    def content_id_for(self, text: Optional[str], fallback: str = ERROR_ID) -> str:
        """The answer to send instead of silence for this message (``fallback`` unless urgent)."""
        verdict = self.detector.detect(text or "")
        return verdict.intent if verdict and verdict.intent in URGENT_IDS else fallback

    def message_for(self, text: Optional[str], channel: Optional[str], fallback: str = ERROR_ID) -> Dict[str, Any]:
        """The bot message (text with disclaimer, content_id, reply parts) for this message."""
        content_id = self.content_id_for(text, fallback)
        parts = compose(self.store, Reply(content_id), channel)
        return {"text": parts.text, CONTENT_ID_KEY: content_id, REPLY_KEY: parts.as_metadata()}


@cache
def _safe_replies_for(directory: str) -> SafeReplies:
    store = ContentStore.load(directory, required_ids=SERVED_IDS)
    return SafeReplies(store, SafetyDetector(english_words().__contains__))


class _CountingOutput(OutputChannel):
    """Passes bot messages through to the real output channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0
        self.content_ids: List[str] = []

    @classmethod
    def name(cls) -> Text:
        return "counting"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        self.content_ids.append(str(message.get(CONTENT_ID_KEY)))
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text, **kwargs})


def tracker_recorder(agent: Agent) -> Recorder:
    """Appends events to a stored conversation, under Rasa's conversation lock, with review flags."""

    async def record(sender_id: str, events: List[Event]) -> None:
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.processor.get_tracker(sender_id)
            for event in events:
                if isinstance(event, BotUttered):  # the review flags the actions would have set
                    for flag_event in review_flag_events(tracker, (event.metadata or {}).get(CONTENT_ID_KEY)):
                        tracker.update(flag_event)
                tracker.update(event)
            await agent.tracker_store.save(tracker)

    return record


def running_agent() -> Optional[Any]:
    """The agent of the Rasa server running in this process, if any."""
    for name in RASA_APP_NAMES:
        try:
            app = Sanic.get_app(name)
        except SanicException:
            continue
        return getattr(app.ctx, "agent", None)
    return None


def in_background(coroutine: Awaitable[Any]) -> None:
    """Run ``coroutine`` after the reply is sent: storing must not keep the patient waiting."""
    task = asyncio.ensure_future(coroutine)
    _background.add(task)
    task.add_done_callback(_background.discard)


async def _record(record: Optional[Recorder], sender_id: str, events: List[Event]) -> None:
    if not events:
        return
    if record is None:
        logger.warning("Conversation %s: %d event(s) sent by the channel not recorded (no agent loaded)",
                       sender_id, len(events))
        return
    try:
        await record(sender_id, events)
    except Exception as error:
        sent = ", ".join(str((event.metadata or {}).get(CONTENT_ID_KEY)) for event in events
                         if isinstance(event, BotUttered))
        STORAGE_HEALTH.failed(TRACKER_STORE, f"could not store a safe reply ({describe(error)})")
        logger.error("Conversation %s: the patient received the safe reply '%s'; it was not stored: %s",
                     sender_id, sent, describe(error))


async def _finish_turn(
    task: "asyncio.Future[Any]", to_record: "asyncio.Future[Tuple[List[Event], bool]]", record: Optional[Recorder],
    queue: ConversationQueue, sender_id: str,
) -> None:
    """After Rasa finished the message: record the channel's own reply, then let the next message in."""
    try:
        await asyncio.wait([task])
        events, seen_end = await to_record
        if not seen_end and not task.cancelled() and task.exception() is not None:
            logger.error("Conversation %s: handling a message failed after the busy reply", sender_id,
                         exc_info=task.exception())
        await _record(record, sender_id, events)
    finally:
        queue.release(sender_id)


async def _record_unhandled(
    message: UserMessage, reply: Event, record: Optional[Recorder], queue: ConversationQueue,
    turn: "asyncio.Future[bool]",
) -> None:
    """Store a message answered "busy" without reaching Rasa, and its reply, in its place in the queue."""
    await turn
    try:
        user = UserUttered(message.text, input_channel=message.input_channel, message_id=message.message_id,
                           metadata=message.metadata)
        await _record(record, message.sender_id, [user, reply])
    finally:
        queue.release(message.sender_id)


async def _send_safe(
    output: "_CountingOutput", message: UserMessage, safe_replies: SafeReplies, fallback: str
) -> Event:
    safe = safe_replies.message_for(message.text, message.input_channel, fallback)
    event = BotUttered(safe["text"], metadata={CONTENT_ID_KEY: safe[CONTENT_ID_KEY], REPLY_KEY: safe[REPLY_KEY]})
    await output.send_response(message.sender_id, safe)  # Rasa's output channels may change the dict
    return event


async def never_silent(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    safe_replies: SafeReplies,
    deadline: Optional[float] = None,
    queue: Optional[ConversationQueue] = None,
    recorder: Optional[Recorder] = None,
) -> None:
    """Handle ``message`` in its conversation's turn; reply safely on failure or after ``deadline`` s.

    ``deadline`` defaults to ``REPLY_WAIT_SECONDS``; ``recorder`` to the conversation
    store of the agent behind ``on_new_message``.
    """
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = reply_wait() if deadline is None else deadline
    queue = conversation_queue() if queue is None else queue
    agent = agent_of(on_new_message)
    record = recorder or (tracker_recorder(agent) if agent is not None else None)
    sender_id = message.sender_id
    output = _CountingOutput(message.output_channel)
    message.output_channel = output

    turn = asyncio.ensure_future(queue.acquire(sender_id))
    try:
        await asyncio.wait_for(asyncio.shield(turn), deadline)
    except asyncio.TimeoutError:
        logger.warning("Conversation %s: message waited %.1f s behind earlier ones; not handled, sending the "
                       "busy reply (stored in its turn)", sender_id, deadline)
        reply = await _send_safe(output, message, safe_replies, BUSY_ID)
        in_background(_record_unhandled(message, reply, record, queue, turn))
        return

    task = asyncio.ensure_future(on_new_message(message))
    to_record: "asyncio.Future[Tuple[List[Event], bool]]" = loop.create_future()
    in_background(_finish_turn(task, to_record, record, queue, sender_id))
    fallback = ERROR_ID
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=max(0.0, deadline - (loop.time() - started)))
    except asyncio.TimeoutError:
        fallback = BUSY_ID
        logger.warning("Conversation %s: no reply within %.1f s (still being handled); sending the busy reply",
                       sender_id, deadline)
    except Exception as error:
        if output.sent:  # e.g. the reply went out but the conversation could not be stored
            logger.error("Conversation %s: the patient received %s, but handling the message failed "
                         "(the conversation may not be stored): %s",
                         sender_id, ", ".join(output.content_ids), describe(error))
        else:
            logger.exception("Conversation %s: handling a message failed; sending the safe reply", sender_id)
    events: List[Event] = []
    try:
        if output.sent == 0:
            if fallback == ERROR_ID:
                logger.error("Conversation %s: the assistant sent no reply; sending the safe reply", sender_id)
            events.append(await _send_safe(output, message, safe_replies, fallback))
    finally:
        to_record.set_result((events, task.done()))
