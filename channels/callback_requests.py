"""Call-back requests from the web widget: the socket.io event ``callback_request``.

The widget sends ``{"name", "phone", "preferred_time", "consent"}`` on a confirmed
session. With ``consent`` true the request is stored encrypted by
:mod:`stores.callbacks` (one store per process, from the environment), never in the
tracker: no event holds the name or the number. The conversation is then marked for
staff (a ``review_flags`` slot event adding ``handoff``, under the conversation's
lock, as the feedback handler does) and the patient gets the ``callback_saved``
reply. Without consent nothing is stored and the reply is ``callback_not_saved``; so
it is when the details cannot be stored (``error`` when the database fails,
``rate_limited`` after too many requests). Replies are composed by
:func:`core.replies.compose`, so they end with the disclaimer, and are added to the
tracker as bot messages, so staff see them in the transcript.

The event is acknowledged with ``{"ok": bool, "content_id": ...}``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections import deque
from typing import Any, Awaitable, Callable, Deque, Dict, Mapping, Optional

from rasa.shared.core.events import BotUttered, SlotSet

from channels.safe_reply import SafeReplies
from core.replies import Reply, ReplyParts, compose
from core.vocabulary import (
    CALLBACK_NOT_SAVED_ID,
    CALLBACK_SAVED_ID,
    CONTENT_ID_KEY,
    ERROR_ID,
    FLAG_HANDOFF,
    RATE_LIMITED_ID,
    REPLY_KEY,
    REVIEW_FLAGS_SLOT,
    WIDGET_CHANNEL,
)
from stores.callbacks import (
    KEY_FILE,
    CallbackError,
    CallbackRequest,
    CallbackStore,
    callback_db_url,
    callback_key,
    store_from_env,
)

logger = logging.getLogger(__name__)

CALLBACK_EVENT = "callback_request"
# At most this many stored requests per conversation in WINDOW_SECONDS.
MAX_REQUESTS = 3
WINDOW_SECONDS = 3600.0
MAX_TRACKED_CONVERSATIONS = 10_000

_store_lock = threading.Lock()
_store: Optional[CallbackStore] = None


def shared_store() -> CallbackStore:
    """The process's call-back store, created on first use (a failure is retried next time)."""
    global _store
    with _store_lock:
        if _store is None:
            _store = store_from_env()
        return _store


def check_configuration(env: Mapping[str, str] | None = None) -> None:
    """Stop start-up on a bad ``CALLBACK_DB_URL``/``REVIEW_DB_URL`` or ``CALLBACK_KEY``.

    Raises :class:`stores.callbacks.CallbackConfigError` naming the variable. A key
    file is only read if it exists (it is generated on first use, not at start-up).
    """
    env = os.environ if env is None else env
    callback_db_url(env)
    if env.get("CALLBACK_KEY") is not None or KEY_FILE.exists():
        callback_key(env)


class RequestLimit:
    """How many requests each conversation stored recently (in this process)."""

    def __init__(self, limit: int = MAX_REQUESTS, window: float = WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._times: Dict[str, Deque[float]] = {}

    def allows(self, sender_id: str, now: float) -> bool:
        """True when ``sender_id`` may store another request now."""
        times = self._times.get(sender_id)
        while times and times[0] <= now - self.window:
            times.popleft()
        return not times or len(times) < self.limit

    def record(self, sender_id: str, now: float) -> None:
        """Count a request about to be stored."""
        if len(self._times) >= MAX_TRACKED_CONVERSATIONS and sender_id not in self._times:
            self._times = {key: times for key, times in self._times.items() if times and times[-1] > now - self.window}
        self._times.setdefault(sender_id, deque()).append(now)


class CallbackRequests:
    """Handles ``callback_request`` events for the widget's socket.io channel.

    Args:
        channel: the socket.io input channel (its ``app.ctx.agent``,
            ``safe_replies.store`` and ``get_output_channel()`` are used).
        store: returns the call-back store (default: one per process, from the environment).

    """

    def __init__(self, channel: Any, store: Callable[[], CallbackStore] = shared_store) -> None:
        self.channel = channel
        self.store = store
        self.limit = RequestLimit()

    async def handle(self, sender_id: str, data: Any) -> Dict[str, Any]:
        """Store (with consent) and answer one request; return the acknowledgement."""
        content_id, saved = await self._store_request(sender_id, data if isinstance(data, dict) else {})
        if self.channel.safe_replies is None:
            self.channel.safe_replies = SafeReplies.from_content()
        parts = compose(self.channel.safe_replies.store, Reply(content_id), WIDGET_CHANNEL)
        output = self.channel.get_output_channel()
        if output is not None:  # the patient first: recording waits for the conversation's lock
            await output.send_text_message(
                sender_id, parts.text, **{CONTENT_ID_KEY: content_id, REPLY_KEY: parts.as_metadata()}
            )
        await self._record(sender_id, parts, flag=saved)
        return {"ok": saved, "content_id": content_id}

    async def _store_request(self, sender_id: str, data: Dict[str, Any]) -> tuple[str, bool]:
        """The reply to send, and whether the request was stored."""
        if data.get("consent") is not True:
            return CALLBACK_NOT_SAVED_ID, False
        fields = {key: data.get(key) for key in ("name", "phone", "preferred_time")}
        try:
            request = CallbackRequest(WIDGET_CHANNEL, sender_id, **fields).checked()
        except CallbackError as error:
            # The message names the field, never its value.
            logger.info("Call-back request in conversation %s not stored: %s", sender_id, error)
            return CALLBACK_NOT_SAVED_ID, False
        now = time.time()
        if not self.limit.allows(sender_id, now):
            logger.warning("Too many call-back requests in conversation %s; not stored.", sender_id)
            return RATE_LIMITED_ID, False
        self.limit.record(sender_id, now)  # before storing, so concurrent requests count too
        try:
            await asyncio.to_thread(lambda: self.store().add(request, now))
        except Exception as error:  # the database or its configuration failed: say so, don't crash
            logger.error("Could not store a call-back request for conversation %s: %s", sender_id,
                         type(error).__name__)
            return ERROR_ID, False
        return CALLBACK_SAVED_ID, True

    async def _record(self, sender_id: str, parts: ReplyParts, flag: bool) -> None:
        """Add the reply (and the ``handoff`` flag) to the conversation."""
        app = self.channel.app
        await record_callback_reply(getattr(app.ctx, "agent", None) if app is not None else None,
                                    sender_id, parts, flag)


async def record_callback_reply(agent: Any, sender_id: str, parts: ReplyParts, flag: bool) -> None:
    """Add a call-back reply (and, when a request was stored, the ``handoff`` flag) to a conversation.

    Under the conversation's lock; a failure is logged, never raised (the patient already has the reply).
    """
    if agent is None or agent.tracker_store is None:
        logger.warning("Call-back reply for %s not recorded: the model is not loaded yet.", sender_id)
        return
    try:
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.retrieve(sender_id)
            if tracker is None:
                tracker = await agent.tracker_store.create_tracker(sender_id)
            flags = list(tracker.get_slot(REVIEW_FLAGS_SLOT) or [])
            if flag and FLAG_HANDOFF not in flags:
                tracker.update(SlotSet(REVIEW_FLAGS_SLOT, [*flags, FLAG_HANDOFF]), agent.domain)
            metadata = {CONTENT_ID_KEY: parts.content_id, REPLY_KEY: parts.as_metadata()}
            tracker.update(BotUttered(parts.text, metadata=metadata), agent.domain)
            await agent.tracker_store.save(tracker)
    except Exception:  # the patient still gets the reply; staff see the request in the app
        logger.exception("Could not record the call-back reply in conversation %s", sender_id)


def register_callback_requests(
    channel: Any, sio: Any, namespace: str, sender_of: Callable[[str], Awaitable[Optional[str]]]
) -> CallbackRequests:
    """Check the call-back settings and handle ``callback_request`` on ``sio``.

    Called by the socket.io channel's blueprint (at start-up): a bad setting stops it.
    """
    check_configuration()
    requests = CallbackRequests(channel)

    @sio.on(CALLBACK_EVENT, namespace=namespace)
    async def callback_request(sid: str, data: Any) -> Dict[str, Any]:
        sender_id = await sender_of(sid)
        if not sender_id:
            logger.warning("Ignored a call-back request sent before session_request.")
            return {"ok": False, "content_id": None}
        return await requests.handle(sender_id, data)

    return requests
