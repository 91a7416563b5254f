"""Every workaround for Rasa 3.6 internals, applied in one place by :func:`apply`.

``apply()`` is called from each of our channels' ``from_credentials`` and from our
tracker store's constructor, so it runs at start-up of ``rasa run`` whatever channels
are configured (Rasa builds the channels and the stores before the ``Agent``). It is
idempotent. The workarounds:

1. **Action-server wait** — ``RemoteAction.run`` reads the module constant
   ``rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT`` (300 s) at call time; it is
   set to ``ACTION_TIMEOUT_SECONDS`` (environment, default 10 s). A refused
   connection fails at once whatever the value.
2. **One action-response validator** — ``RemoteAction._validate_action_result`` is
   replaced by :mod:`channels.action_response` (the schema is checked once).
3. **At most ``ACTION_SERVER_CONCURRENCY`` calls to the action server at once**
   (environment, default 16) — Rasa opens a new connection per call; a burst of
   128 conversations opened 128 at once, beyond the action server's listen backlog
   (Sanic: 100), and those calls failed with "Cannot write to closing transport"
   (the error reply, while nothing was broken). ``RemoteAction.run`` waits its turn,
   and a call whose request was never sent is made once more: when Rasa's event loop
   is busy for more than the action server's keep-alive timeout (Sanic: 5 s) between
   connecting and writing, the server drops the silent connection ("Cannot write to
   closing transport"). A refused connection is not retried: it fails at once.
4. **Our tracker store is not wrapped** — ``Agent._create_tracker_store`` wraps every
   store in ``FailSafeTrackerStore``; stores whose class sets
   ``handles_own_failures = True`` (``stores.tracker_store``) are kept as they are.
5. **Follow-ons are read with the conversation** — ``MessageProcessor.parse_message``
   (given the tracker when a message arrives) reads a follow-on question, a "what about
   X" or an unsure message a second time joined to the patient's earlier messages of
   the session, and keeps that reading's topics in the parse (core/context_reading.py).
   If the second reading fails, the message keeps its own reading.

Applied inside :mod:`channels.socketio` (they replace handlers, not Rasa attributes),
guarded by tests in ``tests/channels/test_rasa_patches.py``: the awaited
``session_request`` (Rasa 3.6 forgets to await ``sio.enter_room``) and the feedback
slot written under Rasa's conversation lock. :func:`agent_of` finds the ``Agent``
through the handler Rasa gives every channel (``rasa.core.channels.channel.register``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from typing import Any, Callable, Mapping, Optional

import aiohttp
import rasa.core.actions.action as rasa_action
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.exceptions import RasaException

from channels.action_response import check_action_responses_with_one_validator
from core.context_reading import (
    CONTEXT_RANKING_PROPERTY,
    earlier_texts,
    joined_text,
    topic_ranking,
    wants_context_reading,
)

logger = logging.getLogger(__name__)

ACTION_TIMEOUT_VARIABLE = "ACTION_TIMEOUT_SECONDS"
DEFAULT_ACTION_TIMEOUT = 10.0
CONCURRENCY_VARIABLE = "ACTION_SERVER_CONCURRENCY"
DEFAULT_CONCURRENCY = 16
LIMITS_CALLS = "limits_concurrent_calls"
KEEPS_OWN_STORE = "keeps_own_store"
READS_IN_CONTEXT = "reads_in_context"


class RasaPatchConfigError(ValueError):
    """A setting of the workarounds is invalid (the message names the variable)."""


def positive_seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    """The number of seconds in environment variable ``name``, or ``default`` when unset.

    Raises:
        RasaPatchConfigError: the value is not a number between 0 and 300.

    """
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 300:
        raise RasaPatchConfigError(f"environment variable {name}: expected seconds between 0 and 300, got {raw!r}")
    return value


def action_timeout(environ: Optional[Mapping[str, str]] = None) -> float:
    """How long Rasa waits for the action server (``ACTION_TIMEOUT_SECONDS``)."""
    return positive_seconds(os.environ if environ is None else environ, ACTION_TIMEOUT_VARIABLE,
                            DEFAULT_ACTION_TIMEOUT)


def whole_number(environ: Mapping[str, str], name: str, default: int) -> int:
    """The whole number 1-1000 in environment variable ``name``, or ``default`` when unset."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 1000:
        raise RasaPatchConfigError(f"environment variable {name}: expected a whole number "
                                   f"between 1 and 1000, got {raw!r}")
    return int(raw)


def action_concurrency(environ: Optional[Mapping[str, str]] = None) -> int:
    """How many action-server calls may run at once (``ACTION_SERVER_CONCURRENCY``, 1-1000)."""
    return whole_number(os.environ if environ is None else environ, CONCURRENCY_VARIABLE, DEFAULT_CONCURRENCY)


class _CallLimit:
    """A semaphore created in the running event loop, on first use."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._semaphore: Optional[asyncio.Semaphore] = None

    def semaphore(self) -> asyncio.Semaphore:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.limit)
        return self._semaphore


UNSENT_MESSAGES = ("Cannot write to closing transport", "Can not write request body")


def request_never_sent(error: BaseException) -> bool:
    """True if Rasa's action call failed while writing the request (so the action did not run)."""
    cause = error.__cause__ or error.__context__
    return (isinstance(cause, aiohttp.ClientOSError) and not isinstance(cause, aiohttp.ClientConnectorError)
            and any(message in str(cause) for message in UNSENT_MESSAGES))


def limit_concurrent_action_calls(limit: int) -> None:
    """Make ``RemoteAction.run`` wait while ``limit`` calls are in flight (idempotent; the last limit wins)."""
    current = RemoteAction.run
    original = getattr(current, LIMITS_CALLS, None)
    if original is not None:
        current.call_limit = _CallLimit(limit)  # type: ignore[attr-defined]
        return
    original = current

    @functools.wraps(original)
    async def run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
        for attempt in (1, 2):
            async with run.call_limit.semaphore():  # type: ignore[attr-defined]
                try:
                    return await original(self, *args, **kwargs)
                except RasaException as error:
                    if attempt == 2 or not request_never_sent(error):
                        raise
            logger.warning("The action server dropped the connection before the request was sent "
                           "(this process was busy); calling it once more")

    run.call_limit = _CallLimit(limit)  # type: ignore[attr-defined]
    setattr(run, LIMITS_CALLS, original)
    RemoteAction.run = run  # type: ignore[method-assign]


def apply(environ: Optional[Mapping[str, str]] = None) -> None:
    """Apply every workaround (idempotent). Invalid settings stop start-up."""
    from channels.safe_reply import messages_in_flight, reply_wait  # validated here, read by the channels

    environ = os.environ if environ is None else environ
    rasa_action.DEFAULT_REQUEST_TIMEOUT = action_timeout(environ)
    reply_wait(environ)
    messages_in_flight(environ)
    limit_concurrent_action_calls(action_concurrency(environ))
    check_action_responses_with_one_validator()
    keep_own_tracker_stores()
    read_follow_ons_in_context()


def keep_own_tracker_stores() -> None:
    """Stop ``Agent`` from wrapping stores that handle their own failures in ``FailSafeTrackerStore``."""
    original: Callable[[Optional[TrackerStore], Domain], TrackerStore] = Agent._create_tracker_store
    if getattr(original, KEEPS_OWN_STORE, False):
        return

    def create_tracker_store(store: Optional[TrackerStore], domain: Domain) -> TrackerStore:
        if store is not None and getattr(store, "handles_own_failures", False):
            store.domain = domain
            return store
        return original(store, domain)

    setattr(create_tracker_store, KEEPS_OWN_STORE, True)
    Agent._create_tracker_store = staticmethod(create_tracker_store)  # type: ignore[method-assign]


def session_messages(tracker: Any) -> list:
    """(text, intent) of the user messages since the tracker's latest session start."""
    messages: list = []
    for event in getattr(tracker, "events", None) or ():
        if isinstance(event, SessionStarted):
            messages = []
        elif isinstance(event, UserUttered):
            messages.append((event.text or "", (event.intent or {}).get("name")))
    return messages


def read_follow_ons_in_context(processor: type = MessageProcessor) -> None:
    """Make ``processor.parse_message`` add the reading with the conversation (idempotent)."""
    original = processor.parse_message
    if getattr(original, READS_IN_CONTEXT, False):
        return

    @functools.wraps(original)
    async def parse_message(self: Any, message: UserMessage, tracker: Any = None,
                            only_output_properties: bool = True) -> Any:
        parse_data = await original(self, message, tracker, only_output_properties)
        earlier = earlier_texts(session_messages(tracker)) if tracker is not None else []
        if earlier and wants_context_reading(parse_data):
            joined = UserMessage(joined_text(earlier, message.text or ""), sender_id=message.sender_id)
            try:
                reading = await original(self, joined, None, only_output_properties)
            except Exception:  # noqa: BLE001 - the message keeps its own reading
                logger.exception("Reading a follow-on with the conversation failed; using its own reading")
            else:
                parse_data[CONTEXT_RANKING_PROPERTY] = topic_ranking(reading)
        return parse_data

    setattr(parse_message, READS_IN_CONTEXT, True)
    processor.parse_message = parse_message  # type: ignore[attr-defined]


def agent_of(on_new_message: Callable[..., Any]) -> Optional[Agent]:
    """The ``Agent`` behind the message handler Rasa gave a channel, if it is loaded."""
    closure = getattr(on_new_message, "__closure__", None) or ()
    names = getattr(getattr(on_new_message, "__code__", None), "co_freevars", ())
    app = dict(zip(names, (cell.cell_contents for cell in closure), strict=True)).get("app")
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    return agent if isinstance(agent, Agent) else None
