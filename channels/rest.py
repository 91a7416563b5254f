"""REST channel, hardened: ``POST /webhooks/rest/webhook``.

Compared with Rasa's own: a typed ``/intent{...}`` is plain text, the client cannot
choose the input channel, every message gets a reply (see
:mod:`channels.safe_reply`), and a malformed request gets a 400 with the safe
reply instead of a 500.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import rasa_patches
from channels.guard import as_plain_text
from channels.safe_reply import SafeReplies, never_silent


class BadRequest(Exception):
    """The request body is not the JSON object the channel expects."""


class GuardedRestInput(RestInput):
    """Rasa's REST channel with the guards above."""

    def __init__(self, safe_replies: SafeReplies) -> None:
        self.safe_replies = safe_replies

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedRestInput":
        credentials = credentials or {}
        rasa_patches.apply()
        return cls(SafeReplies.from_content(credentials.get("content_dir")))

    @staticmethod
    def _body(req: Request) -> Dict[Text, Any]:
        body = req.json
        if not isinstance(body, dict):
            raise BadRequest("expected a JSON object")
        return body

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = self._body(req).get("sender")
        if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
            raise BadRequest("'sender' must be a non-empty string of at most 128 characters")
        return sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        return as_plain_text(self._body(req).get("message"))

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = self._body(request).get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def handle(message: UserMessage) -> None:
            await never_silent(on_new_message, message, self.safe_replies)

        webhook = super().blueprint(handle)

        @webhook.exception(Exception)
        async def safe_error(request: Request, exception: Exception) -> HTTPResponse:
            reply = self.safe_replies.message_for(None, self.name())
            return response.json([{"recipient_id": None, **reply, "error": str(exception)}], status=400)

        return webhook
