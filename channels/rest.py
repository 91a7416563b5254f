"""REST channel, hardened: ``POST /webhooks/rest/webhook``.

Compared with Rasa's own: a typed ``/intent{...}`` is plain text, the client cannot
choose the input channel, the client's ``sender`` is checked and kept in the
``rest-`` namespace (:mod:`channels.identity`), client metadata is ignored (no REST
client needs any), every message gets a reply (see :mod:`channels.safe_reply`), a
malformed request gets a 400 with the safe reply instead of a 500, and the limits of
:mod:`channels.limits` apply: a body over ``max_body_bytes`` gets a 413 with the safe
reply, a message over ``max_message_chars`` the ``too_long`` reply, and more than
``messages_per_minute`` in a conversation the ``rate_limited`` reply (a crisis or an
emergency anywhere in the message always gets that reply instead).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import rasa_patches
from channels.guard import clean_text
from channels.identity import BadSenderId, rest_conversation_id
from channels.limits import ConversationRate, Limits, refusal
from channels.rest_token import require_token, token_from_environment
from channels.safe_record import record_safe_reply
from channels.safe_reply import SafeReplies, in_background, never_silent, running_agent
from core.vocabulary import RATE_LIMITED_ID, URGENT_IDS

logger = logging.getLogger(__name__)


class BadRequest(Exception):
    """The request body is not the JSON object the channel expects."""


class BodyTooLarge(BadRequest):
    """The request body is over the channel's ``max_body_bytes``."""


class GuardedRestInput(RestInput):
    """Rasa's REST channel with the guards above."""

    def __init__(self, safe_replies: SafeReplies, limits: Optional[Limits] = None) -> None:
        self.safe_replies = safe_replies
        self.limits = limits or Limits()
        self.rate = ConversationRate(self.limits.messages_per_minute)

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedRestInput":
        credentials = credentials or {}
        limits = Limits.from_credentials(credentials)
        rasa_patches.apply()
        channel = cls(SafeReplies.from_content(credentials.get("content_dir")), limits)
        channel.token = token_from_environment(credentials)  # channels/rest_token.py
        return channel

    def _body(self, req: Request) -> Dict[Text, Any]:
        if len(req.body or b"") > self.limits.max_body_bytes:
            raise BodyTooLarge(f"the request body is over {self.limits.max_body_bytes} bytes")
        body = req.json
        if not isinstance(body, dict):
            raise BadRequest("expected a JSON object")
        return body

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        """The conversation id: the client's ``sender``, checked, in the ``rest-`` namespace."""
        try:
            return rest_conversation_id(self._body(req).get("sender"))
        except BadSenderId as error:
            raise BadRequest(str(error)) from error

    def _extract_message(self, req: Request) -> Optional[Text]:
        return clean_text(self._body(req).get("message"))

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """None: the REST channel uses no client metadata, so none is stored."""
        self._body(request)
        return None

    async def _refuse(self, message: UserMessage, otherwise: str) -> None:
        """Answer a message over a limit (crisis or emergency first) and store the reply when it matters."""
        reply = self.safe_replies.message_for(message.text, self.name(), otherwise)
        await message.output_channel.send_response(message.sender_id, dict(reply))  # Rasa pops its keys
        urgent = reply["content_id"] in URGENT_IDS
        logger.warning("Conversation %s: message refused (%s, %d characters); sent '%s'",
                       message.sender_id, otherwise, len(message.text or ""), reply["content_id"])
        if urgent or otherwise != RATE_LIMITED_ID:  # a flood of refused messages stores nothing
            in_background(record_safe_reply(running_agent(), message, reply))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            refused = refusal(self.limits, self.rate, message.sender_id, message.text or "", time.monotonic())
            if refused is not None:
                await self._refuse(message, refused)
                return
            await never_silent(on_new_message, message, self.safe_replies)

        webhook = super().blueprint(handle)
        require_token(webhook, getattr(self, "token", None), lambda: self.safe_replies.message_for(None, self.name()))

        @webhook.exception(Exception)
        async def safe_error(request: Request, exception: Exception) -> HTTPResponse:
            reply = self.safe_replies.message_for(None, self.name())
            status = 413 if isinstance(exception, BodyTooLarge) else 400
            return response.json([{"recipient_id": None, **reply, "error": str(exception)}], status=status)

        return webhook
