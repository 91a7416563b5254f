"""Hardened SMS channel over Twilio: ``POST /webhooks/twilio_sms/webhook``.

Unlike Rasa's built-in ``twilio`` channel, it checks Twilio's request signature,
replies with TwiML in the webhook response (no outbound API call, no blocking
send), answers each ``MessageSid`` once, honours STOP / START / HELP, keeps every
reply within three SMS segments and never stores the patient's phone number: the
conversation id is a keyed hash of it. See docs/sms.md.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Dict
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from channels import rasa_patches
from channels.callback_requests import check_configuration as check_callback_configuration
from channels.callback_requests import shared_store
from channels.safe_reply import SafeReplies
from channels.sms_callbacks import CallbackOffers, SmsCallbacks
from channels.sms_config import CHANNEL_KEY, SmsConfigError, SmsSettings, load_settings, pseudonym
from channels.sms_content import SmsContent
from channels.sms_flow import CHANNEL_NAME, InboundSms, MessageBusy, OnNewMessage, SmsResponder
from channels.sms_state import SmsState
from core.content import ContentError

logger = logging.getLogger(__name__)

TWIML_CONTENT_TYPE = "text/xml; charset=utf-8"
SIGNATURE_HEADER = "X-Twilio-Signature"
MAX_BODY_BYTES = 64 * 1024  # Twilio's webhook forms are a few kB


def parse_form(body: bytes) -> RequestParameters:
    """Parse a form body, keeping blank fields (Twilio signs them too).

    Raises:
        UnicodeDecodeError: the body is not UTF-8.

    """
    return RequestParameters(parse_qs(body.decode("utf-8"), keep_blank_values=True))


def _num_media(params: RequestParameters) -> int:
    try:
        return max(0, int(params.get("NumMedia") or 0))
    except ValueError:
        return 0


def _plain(status: int, text: str) -> HTTPResponse:
    return response.text(text, status=status)


class TwilioSmsInput(InputChannel):
    """Rasa input channel for SMS through a Twilio phone number."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        """Build the channel from its credentials.yml entry and the environment.

        Raises:
            SmsConfigError: the settings or the SMS content are incomplete or invalid.

        """
        rasa_patches.apply()
        settings = load_settings(credentials, os.environ)
        if settings is None:
            logger.warning(
                "SMS channel (%s in credentials.yml) is disabled: none of its environment variables "
                "are set. Its webhook answers 503. See docs/sms.md to enable it.",
                CHANNEL_KEY,
            )
        return cls(settings)

    def __init__(self, settings: SmsSettings | None) -> None:
        """Set up the channel; ``settings`` None means disabled."""
        self.settings = settings
        self.responder: SmsResponder | None = None
        self.validator: RequestValidator | None = None
        if settings is None:
            return
        try:
            safe_replies = SafeReplies.from_content(str(settings.content_dir))
            content = SmsContent.load(settings.content_dir, safe_replies.store)
        except ContentError as error:
            raise SmsConfigError(f"credentials.yml: {CHANNEL_KEY}: field 'content_dir': {error}") from None
        self.validator = RequestValidator(settings.auth_token)
        check_callback_configuration()  # a bad CALLBACK_KEY / database URL stops start-up, naming it
        state = SmsState(settings.state_db_url)
        callbacks = SmsCallbacks(CallbackOffers(state.engine), shared_store, safe_replies.detector)
        self.responder = SmsResponder(content, state, safe_replies, callbacks)
        logger.info("SMS channel enabled; Twilio must call %s", settings.public_url)

    @property
    def enabled(self) -> bool:
        """True when the channel is configured."""
        return self.responder is not None

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The webhook routes: a health check and Twilio's incoming-message webhook."""
        webhook = Blueprint("twilio_sms_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "disabled"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if self.responder is not None:  # for recording call-back replies
                self.responder.agent = getattr(request.app.ctx, "agent", None)
            return await self.handle(request, on_new_message)

        return webhook

    def _authentic(self, request: Request, params: RequestParameters) -> bool:
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not signature or self.validator is None or self.settings is None:
            return False
        return self.validator.validate(self.settings.public_url, params, signature)

    async def handle(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        """Answer one webhook call with TwiML, after checking Twilio's signature."""
        if self.responder is None or self.settings is None:
            return _plain(503, "The SMS channel is not configured.")
        if len(request.body) > MAX_BODY_BYTES:
            return _plain(413, "Request too large.")
        try:
            params = parse_form(request.body)
        except UnicodeDecodeError:
            return _plain(400, "Bad request.")
        if not self._authentic(request, params):
            logger.warning("Rejected an SMS webhook call without a valid %s header", SIGNATURE_HEADER)
            return _plain(403, "Forbidden.")
        message_sid, number = params.get("MessageSid"), params.get("From")
        if not message_sid or not number:
            return _plain(400, "MessageSid and From are required.")
        sms = InboundSms(
            message_sid=message_sid,
            sender_id=pseudonym(number, self.settings.pseudonym_key),
            body=params.get("Body") or "",
            num_media=_num_media(params),
            phone_number=number,
        )
        try:
            answer = await self.responder.respond(sms, on_new_message)
        except MessageBusy:
            return response.text("Still answering this message.", status=503, headers={"Retry-After": "5"})
        except Exception:
            logger.exception("Failed to answer SMS %s from %s", sms.message_sid, sms.sender_id)
            return _plain(500, "Internal error.")
        return response.text(answer, content_type=TWIML_CONTENT_TYPE)
