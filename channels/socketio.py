"""socket.io channel for the web chat widget (``widget/``), URL ``/socket.io``.

Rasa's own :class:`~rasa.core.channels.socketio.SocketIOInput`, plus:

* the injection guard: a message can never be a hard-coded ``/intent{...}``;
* an Origin allow-list (``allowed_origins`` in credentials.yml): python-socketio
  refuses other origins at the HTTP/WebSocket level, and the ``connect`` handler
  also refuses connections with a missing or unknown Origin header;
* ``session_request`` awaits joining the conversation's room (Rasa 3.6 forgets to
  await python-socketio 5's coroutine, so replies to a session were lost) and binds
  the connection to one session: messages and feedback always go to the confirmed
  session, whatever ``session_id`` a client puts in them. A session is resumed only
  with the resume token the server issued with it (:mod:`channels.widget_resume`,
  sent in a ``session_resume`` event ``{"session_id", "resume_token"}`` just before
  ``session_confirm``); any other request, or an id in another channel's format,
  gets a new session;
* a message sent before ``session_request`` starts a new session (and is answered);
  a message longer than :data:`channels.guard.MAX_MESSAGE_CHARS` gets the ``too_long``
  reply instead of being cut; more than :data:`MAX_PENDING_MESSAGES` waiting in one
  conversation get the ``busy`` reply, logged (nothing is dropped silently);
* one ``bot_uttered`` message per bot turn, with the whole text (answer and
  disclaimer, separated by a blank line), ``quick_replies`` and
  ``metadata.content_id`` and ``metadata.reply`` (the reply's parts, see
  :mod:`core.replies`) so the widget renders the parts and asks "Was this helpful?";
* a ``feedback`` event, ``{"content_id", "helpful"}`` (acknowledged with ``{"ok"}``), stored on the
  conversation as ``SlotSet("feedback", {"content_id": ..., "helpful": ...})``.
"""

from __future__ import annotations

import logging
import os
import uuid
from typing import Any, Awaitable, Callable, Dict, Iterable, List

from engineio.payload import Payload
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.core.events import BotUttered, SlotSet
from sanic import Blueprint, Sanic
from socketio import exceptions as socketio_exceptions

from channels import rasa_patches
from channels.callback_requests import register_callback_requests
from channels.guard import MAX_MESSAGE_CHARS, as_plain_text
from channels.identity import is_widget_session_id
from channels.safe_reply import SafeReplies, never_silent
from channels.widget_resume import ResumeTokens
from core.replies import Reply, ReplyParts, compose
from core.vocabulary import BUSY_ID, CONTENT_ID_KEY, FEEDBACK_SLOT, REPLY_KEY, TOO_LONG_ID, WIDGET_CHANNEL

logger = logging.getLogger(__name__)

DEFAULT_ALLOWED_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")
FEEDBACK_EVENT = "feedback"
RESUME_EVENT = "session_resume"
# Messages of one conversation waiting for the assistant; beyond this, "busy" (Rasa's
# conversation lock gives up after 60 s, so a longer queue would be lost).
MAX_PENDING_MESSAGES = 20
# engine.io refuses a whole long-polling POST with more than 16 packets (its default),
# so a burst of queued messages was lost at once; more are accepted, and answered
# (beyond MAX_PENDING_MESSAGES with "busy").
MAX_PACKETS_PER_POLL = 256


class WidgetOutput(SocketIOOutput):
    """Sends each bot message whole, tagged with the content item it came from."""

    @staticmethod
    def _metadata(kwargs: Dict[str, Any]) -> Dict[str, Any]:
        """The content id and the reply's parts, for the widget to render from."""
        metadata: Dict[str, Any] = {}
        content_id = kwargs.get(CONTENT_ID_KEY)
        if isinstance(content_id, str):
            metadata[CONTENT_ID_KEY] = content_id
        parts = ReplyParts.from_metadata(kwargs.get(REPLY_KEY))
        if parts is not None:
            metadata[REPLY_KEY] = parts.as_metadata()
        return metadata

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """One message, not one per paragraph: the disclaimer stays with its answer."""
        await self._send_message(recipient_id, {"text": text, "metadata": self._metadata(kwargs)})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        """One message carrying the quick replies (``{title, payload}``)."""
        quick_replies = [
            {"content_type": "text", "title": button["title"], "payload": button["payload"]}
            for button in buttons
        ]
        await self._send_message(
            recipient_id,
            {"text": text, "quick_replies": quick_replies, "metadata": self._metadata(kwargs)},
        )


def origin_of(environ: Dict[str, Any]) -> str | None:
    """The Origin header of the request that opened the connection, if any."""
    origin = environ.get("HTTP_ORIGIN")
    return origin if isinstance(origin, str) and origin else None


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with the guard, an Origin allow-list and feedback."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        assert isinstance(channel, GuardedSocketIOInput)
        channel.allowed_origins = normalise_origins(credentials.get("allowed_origins"))
        channel.safe_replies = SafeReplies.from_content(credentials.get("content_dir"))
        channel.resume_tokens = ResumeTokens.from_env(os.environ)
        rasa_patches.apply()
        return channel

    def __init__(self, *args: Any, allowed_origins: Iterable[str] = DEFAULT_ALLOWED_ORIGINS, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allowed_origins = normalise_origins(allowed_origins)
        self.app: Sanic | None = None
        self.safe_replies: SafeReplies | None = None
        self.resume_tokens: ResumeTokens | None = None
        self.pending: Dict[str, int] = {}

    def get_output_channel(self) -> WidgetOutput | None:
        """The widget's output channel (also used for events sent from outside)."""
        return None if self.sio is None else WidgetOutput(self.sio, self.bot_message_evt)

    def origin_allowed(self, origin: str | None) -> bool:
        """True when a connection from ``origin`` may use the channel."""
        return origin is not None and origin in self.allowed_origins

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint, with the connect and message handlers wrapped."""

        async def handle_new_message(message: UserMessage) -> None:
            assert self.sio is not None
            message.output_channel = WidgetOutput(self.sio, self.bot_message_evt)
            if self.safe_replies is None:
                self.safe_replies = SafeReplies.from_content()
            await never_silent(on_new_message, message, self.safe_replies)

        blueprint = super().blueprint(handle_new_message)
        Payload.max_decode_packets = max(Payload.max_decode_packets, MAX_PACKETS_PER_POLL)
        sio = self.sio
        assert sio is not None
        # python-socketio (engine.io) refuses other origins before any handler runs.
        sio.eio.cors_allowed_origins = list(self.allowed_origins)
        namespace = self.namespace or "/"
        rasa_connect = sio.handlers[namespace]["connect"]
        rasa_handle_message = sio.handlers[namespace][self.user_message_evt]

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: Dict, auth: Dict | None = None) -> bool:
            origin = origin_of(environ)
            if not self.origin_allowed(origin):
                logger.warning("Refused a socket.io connection from origin %r.", origin)
                raise socketio_exceptions.ConnectionRefusedError("origin not allowed")
            return await rasa_connect(sid, environ, auth)

        async def start_session(sid: str, data: Any) -> str:
            """Bind the connection to the requested session if its token is valid, else a new one."""
            # Rasa 3.6 calls ``sio.enter_room`` without ``await``; in python-socketio 5.x
            # it is a coroutine, so the client never joined its conversation's room and
            # replies sent to the room were lost. Here it is awaited.
            if self.resume_tokens is None:
                self.resume_tokens = ResumeTokens.from_env(os.environ)
            requested = data.get("session_id") if isinstance(data, dict) else None
            token = data.get("resume_token") if isinstance(data, dict) else None
            if is_widget_session_id(requested) and self.resume_tokens.valid(requested, token):
                session_id = requested
            else:
                if requested is not None:
                    logger.warning("A socket.io session request without a valid resume token got a new session.")
                session_id = uuid.uuid4().hex
            previous = (await sio.get_session(sid, namespace=namespace)).get("session_id")
            await sio.save_session(sid, {"session_id": session_id}, namespace=namespace)
            if self.session_persistence:
                if previous and previous != session_id:
                    await sio.leave_room(sid, previous, namespace=namespace)
                await sio.enter_room(sid, session_id, namespace=namespace)
            resume = {"session_id": session_id, "resume_token": self.resume_tokens.issue(session_id)}
            await sio.emit(RESUME_EVENT, resume, room=sid, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
            return session_id

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            await start_session(sid, data)

        async def sender_of(sid: str) -> str | None:
            """The conversation of this connection: its confirmed session, or the socket."""
            if not self.session_persistence:
                return sid
            session = await sio.get_session(sid, namespace=namespace)
            return session.get("session_id")

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any) -> None:
            sender_id = await sender_of(sid)
            if sender_id is None:
                logger.warning("A socket.io message came before session_request; starting a new session.")
                sender_id = await start_session(sid, None)
            data = data if isinstance(data, dict) else {}
            text = data.get("message")
            if isinstance(text, str) and len(text.strip()) > MAX_MESSAGE_CHARS:
                logger.warning("A socket.io message of %d characters in %s got the too_long reply.",
                               len(text), sender_id)
                await self.send_system_reply(sender_id, TOO_LONG_ID)
                return
            if self.pending.get(sender_id, 0) >= MAX_PENDING_MESSAGES:
                logger.warning("Conversation %s has %d messages waiting; one more got the busy reply.",
                               sender_id, MAX_PENDING_MESSAGES)
                await self.send_system_reply(sender_id, BUSY_ID)
                return
            metadata = data.get(self.metadata_key)
            self.pending[sender_id] = self.pending.get(sender_id, 0) + 1
            try:
                await rasa_handle_message(
                    sid,
                    {
                        **data,
                        "message": as_plain_text(text),
                        "session_id": sender_id,
                        self.metadata_key: metadata if isinstance(metadata, dict) else {},
                    },
                )
            finally:
                self.pending[sender_id] -= 1
                if self.pending[sender_id] <= 0:
                    del self.pending[sender_id]

        @sio.on(FEEDBACK_EVENT, namespace=namespace)
        async def feedback(sid: str, data: Any) -> Dict[str, Any]:
            return {"ok": await self.store_feedback(await sender_of(sid), data)}

        register_callback_requests(self, sio, namespace, sender_of)

        @blueprint.listener("before_server_start")
        async def remember_app(app: Sanic, _: Any) -> None:
            self.app = app

        return blueprint

    async def send_system_reply(self, sender_id: str, content_id: str) -> None:
        """Send a content store reply (e.g. ``too_long``, ``busy``) with its disclaimer."""
        if self.safe_replies is None:
            self.safe_replies = SafeReplies.from_content()
        output = self.get_output_channel()
        if output is None:
            return
        parts = compose(self.safe_replies.store, Reply(content_id), WIDGET_CHANNEL)
        await output.send_text_message(
            sender_id, parts.text, **{CONTENT_ID_KEY: content_id, REPLY_KEY: parts.as_metadata()}
        )

    async def store_feedback(self, sender_id: Any, data: Any) -> bool:
        """Append ``SlotSet("feedback", ...)`` to the conversation; False if refused.

        Feedback is only accepted for a content item the assistant sent in that
        conversation, so a client cannot fill the slot with arbitrary data.
        """
        if not isinstance(sender_id, str) or not sender_id or not isinstance(data, dict):
            return False
        content_id, helpful = data.get("content_id"), data.get("helpful")
        if not isinstance(content_id, str) or not isinstance(helpful, bool):
            return False
        agent = getattr(self.app.ctx, "agent", None) if self.app is not None else None
        if agent is None or agent.tracker_store is None:
            logger.warning("Feedback received before the model was loaded; ignored.")
            return False
        async with agent.lock_store.lock(sender_id):
            tracker = await agent.tracker_store.retrieve(sender_id)
            served = {
                (event.metadata or {}).get("content_id")
                for event in (tracker.events if tracker is not None else ())
                if isinstance(event, BotUttered)
            }
            if tracker is None or content_id not in served:
                logger.warning("Feedback for %r, which was not sent in this conversation; ignored.", content_id)
                return False
            tracker.update(SlotSet(FEEDBACK_SLOT, {"content_id": content_id, "helpful": helpful}), agent.domain)
            await agent.tracker_store.save(tracker)
        return True


def normalise_origins(origins: Any) -> tuple[str, ...]:
    """Origins as given in credentials.yml (a list or one string), without trailing slashes."""
    if origins is None:
        origins = DEFAULT_ALLOWED_ORIGINS
    if isinstance(origins, str):
        origins = [origins]
    return tuple(str(origin).rstrip("/") for origin in origins if origin)
