"""Never silent: a safe reply from the content store when the assistant gave none.

If the action server is down, slow or failing, Rasa logs the error and sends the
patient nothing. Every public channel runs messages through :func:`never_silent`,
which waits at most ``deadline`` seconds and, if no bot message was sent, sends
the content store's ``error`` answer (clinic contact and disclaimer) — or, when the
message itself is a crisis or an emergency, that answer instead — and stores it in
the conversation with its review flags (:mod:`channels.safe_record`). Handling that
fails after a reply was sent (e.g. the conversation could not be stored) is logged
at ERROR with the content ids the patient received; it never ends the process.
"""

from __future__ import annotations

import asyncio
import logging
import os
from functools import cache
from typing import Any, Awaitable, Callable, Dict, Optional, Set, Text

import rasa.core.actions.action as rasa_action
from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Sanic
from sanic.exceptions import SanicException

from channels.safe_record import record_safe_reply
from core.content import ContentStore
from core.replies import Reply, compose
from core.vocabulary import CONTENT_ID_KEY, DEFAULT_CONTENT_DIR, ERROR_ID, REPLY_KEY, SERVED_IDS, URGENT_IDS
from safety.detector import SafetyDetector
from safety.words import english_words
from stores.health import describe

logger = logging.getLogger(__name__)

DEFAULT_DEADLINE = 4.5
DEFAULT_ACTION_TIMEOUT = 3.5
# Rasa's app: with the HTTP API (``--enable-api``) and without.
RASA_APP_NAMES = ("rasa_server", "rasa_core_no_api")


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

    def content_id_for(self, text: Optional[str], otherwise: str = ERROR_ID) -> str:
        """The answer to send instead of silence for this message: crisis or emergency, else ``otherwise``."""
        verdict = self.detector.detect(text or "")
        return verdict.intent if verdict and verdict.intent in URGENT_IDS else otherwise

    def message_for(self, text: Optional[str], channel: Optional[str], otherwise: str = ERROR_ID) -> Dict[str, Any]:
        """The bot message (text with disclaimer, content_id, reply parts) for this message."""
        content_id = self.content_id_for(text, otherwise)
        parts = compose(self.store, Reply(content_id), channel)
        return {"text": parts.text, CONTENT_ID_KEY: content_id, REPLY_KEY: parts.as_metadata()}


@cache
def _safe_replies_for(directory: str) -> SafeReplies:
    store = ContentStore.load(directory, required_ids=SERVED_IDS)
    return SafeReplies(store, SafetyDetector(english_words().__contains__))


def limit_action_server_wait(seconds: float = DEFAULT_ACTION_TIMEOUT) -> None:
    """Make Rasa give up on the action server after ``seconds`` (Rasa 3.6 waits 300 s).

    Rasa 3.6 has no setting for this: ``RemoteAction.run`` reads the module constant
    ``DEFAULT_REQUEST_TIMEOUT`` at call time, so it is set here, once, at channel
    start-up.
    """
    rasa_action.DEFAULT_REQUEST_TIMEOUT = seconds


class _CountingOutput(OutputChannel):
    """Passes bot messages through to the real output channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0
        self.content_ids: list = []

    @classmethod
    def name(cls) -> Text:
        return "counting"

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        self.content_ids.append(message.get(CONTENT_ID_KEY))
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text, **kwargs})


def running_agent() -> Optional[Any]:
    """The agent of the Rasa server running in this process, if any."""
    for name in RASA_APP_NAMES:
        try:
            app = Sanic.get_app(name)
        except SanicException:
            continue
        return getattr(app.ctx, "agent", None)
    return None


def _log_late_failure(message: UserMessage, task: "asyncio.Future[Any]") -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("Conversation %s: handling the message failed after the safe reply was sent: %s",
                     message.sender_id, describe(task.exception()))


async def never_silent(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    message: UserMessage,
    safe_replies: SafeReplies,
    deadline: float = DEFAULT_DEADLINE,
    agent: Optional[Any] = None,
) -> None:
    """Handle ``message``; if no reply was sent within ``deadline`` s, send a safe one and store it.

    ``agent`` (default: the running Rasa server's) is where the safe reply is stored.
    """
    output = _CountingOutput(message.output_channel)
    message.output_channel = output
    task = asyncio.ensure_future(on_new_message(message))
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=deadline)
    except asyncio.TimeoutError:
        logger.error("No reply within %.1f s for conversation %s; sending the safe reply", deadline,
                     message.sender_id)
        task.add_done_callback(lambda done: _log_late_failure(message, done))
    except Exception as error:
        if output.sent:
            logger.error("Conversation %s: the patient received %s, but handling the message failed "
                         "(the conversation may not be stored): %s",
                         message.sender_id, ", ".join(map(str, output.content_ids)), describe(error))
        else:
            logger.error("Conversation %s: handling the message failed, sending the safe reply: %s",
                         message.sender_id, describe(error))
    if output.sent == 0:
        safe = safe_replies.message_for(message.text, message.input_channel)
        await output.inner.send_response(message.sender_id, dict(safe))  # Rasa's channels pop its keys
        in_background(record_safe_reply(agent or running_agent(), message, safe))


_background: Set["asyncio.Future[Any]"] = set()


def in_background(work: Awaitable[Any]) -> None:
    """Run ``work`` after the reply is sent.

    Storing waits for the conversation's lock and the database's retries; the patient must not.
    """
    task = asyncio.ensure_future(work)
    _background.add(task)
    task.add_done_callback(_background.discard)
