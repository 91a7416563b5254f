"""Answering one incoming SMS: keywords, opt-outs, Rasa, and TwiML.

Each Twilio ``MessageSid`` is answered once; a retried webhook gets the stored
TwiML again. Database calls run in worker threads so the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from twilio.twiml.messaging_response import MessagingResponse

from channels.callback_requests import record_callback_reply
from channels.guard import as_plain_text
from channels.safe_reply import SafeReplies, never_silent
from channels.sms_callbacks import SmsCallbacks
from channels.sms_content import HELP_ID, MEDIA_ID, RESUBSCRIBED_ID, SmsContent
from channels.sms_state import ClaimStatus, SmsState
from core.replies import Reply, ReplyParts, compose
from core.vocabulary import REPLY_KEY, REQUEST_CALLBACK_ID, SMS_CHANNEL

logger = logging.getLogger(__name__)

CHANNEL_NAME = SMS_CHANNEL
# Twilio's default opt-out, opt-in and help keywords (Advanced Opt-Out defaults).
OPT_OUT_KEYWORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"})
OPT_IN_KEYWORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_KEYWORDS = frozenset({"HELP", "INFO"})
PENDING_POLL_SECONDS = 0.25
PENDING_WAIT_SECONDS = 10.0

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class WholeMessageCollector(CollectingOutputChannel):
    """Collects each bot message whole.

    Rasa's collector splits a text at blank lines into several messages; over SMS
    that would send the disclaimer as a text of its own. The reply's parts
    (``metadata["reply"]``) are kept, so the SMS is rendered from them.
    """

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Keep the text as one message, with its parts."""
        message = self._message(recipient_id, text=text)
        if REPLY_KEY in kwargs:
            message[REPLY_KEY] = kwargs[REPLY_KEY]
        await self._persist_message(message)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        """Buttons are not sent over SMS: the text alone, with its parts."""
        await self.send_text_message(recipient_id, text, **kwargs)


class MessageBusy(Exception):
    """The same message is being answered by another request; try again later."""


@dataclass(frozen=True)
class InboundSms:
    """An authenticated incoming SMS, the phone number already pseudonymised.

    Attributes:
        message_sid: Twilio's id of the message.
        sender_id: the sender's pseudonym (the conversation id).
        body: the text as sent.
        num_media: how many pictures or files came with it.
        phone_number: the sender's number, used only to store a call-back request
            the patient consented to (never logged, never in the tracker).

    """

    message_sid: str
    sender_id: str
    body: str
    num_media: int
    phone_number: str = field(default="", repr=False)


def twiml(messages: Sequence[str]) -> str:
    """TwiML replying with one ``<Message>`` per text (none: send nothing)."""
    response = MessagingResponse()
    for text in messages:
        response.message(text)
    return str(response)


class SmsResponder:
    """Decides the reply to each incoming SMS and remembers it."""

    def __init__(
        self,
        content: SmsContent,
        state: SmsState,
        safe_replies: SafeReplies,
        callbacks: Optional[SmsCallbacks] = None,
    ) -> None:
        self.content = content
        self.state = state
        self.safe_replies = safe_replies
        self.callbacks = callbacks
        self.agent: Any = None  # the Rasa agent, for recording call-back replies (set by the channel)

    async def respond(self, sms: InboundSms, on_new_message: OnNewMessage) -> str:
        """The TwiML answering ``sms``; the same TwiML again for a retried message.

        Raises:
            MessageBusy: another request is still answering this message id.

        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PENDING_WAIT_SECONDS
        while True:
            claim = await asyncio.to_thread(self.state.claim, sms.message_sid)
            if claim.status is ClaimStatus.DONE:
                logger.info("SMS %s for %s was answered before; sending the same reply", sms.message_sid, sms.sender_id)
                return claim.twiml or twiml([])
            if claim.status is ClaimStatus.NEW:
                break
            if loop.time() >= deadline:
                raise MessageBusy(sms.message_sid)
            await asyncio.sleep(PENDING_POLL_SECONDS)
        try:
            answer = twiml(await self._messages(sms, on_new_message))
        except BaseException:
            await asyncio.to_thread(self.state.release, sms.message_sid)
            raise
        await asyncio.to_thread(self.state.complete, sms.message_sid, answer)
        return answer

    async def _messages(self, sms: InboundSms, on_new_message: OnNewMessage) -> List[str]:
        keyword = sms.body.strip().upper()
        if keyword in OPT_OUT_KEYWORDS or keyword in OPT_IN_KEYWORDS:
            opted_out = keyword in OPT_OUT_KEYWORDS
            if not await asyncio.to_thread(self.state.change_consent, sms.sender_id, sms.message_sid, opted_out):
                logger.warning("SMS %s from %s is a replayed %s; ignored", sms.message_sid, sms.sender_id, keyword)
                return []
            logger.info("SMS sender %s opted %s", sms.sender_id, "out" if opted_out else "in")
            return [] if opted_out else [self.content.text(self.content.resubscribed, RESUBSCRIBED_ID)]
        if await asyncio.to_thread(self.state.is_opted_out, sms.sender_id):
            logger.info("SMS sender %s has opted out; not answering", sms.sender_id)
            return []
        if keyword in HELP_KEYWORDS:
            return [self.content.text(self.content.help, HELP_ID)]
        messages = []
        if sms.num_media > 0:
            messages.append(self.content.text(self.content.media, MEDIA_ID))
        text = as_plain_text(sms.body).strip()
        if text:
            callback = await self._callback_reply(sms, text)
            messages.extend([callback] if callback is not None else await self._ask_rasa(sms, text, on_new_message))
        return messages

    async def _callback_reply(self, sms: InboundSms, text: str) -> Optional[str]:
        """The reply to an AGREE text accepting a call-back offer (:mod:`channels.sms_callbacks`), else None."""
        if self.callbacks is None:
            return None
        try:
            answer = await asyncio.to_thread(self.callbacks.answer, sms.sender_id, sms.phone_number, text)
        except Exception:  # the offers table failed: let the assistant answer as usual
            logger.exception("Could not check call-back offers for %s", sms.sender_id)
            return None
        if answer is None:
            return None
        parts = compose(self.safe_replies.store, Reply(answer.content_id), SMS_CHANNEL)
        await record_callback_reply(self.agent, sms.sender_id, parts, answer.saved)
        return parts.text

    async def _offer_callback_if_asked(self, sender_id: str, messages: List[Dict[str, Any]]) -> None:
        """After the ``request_callback`` answer, remember the offer so an AGREE reply is understood."""
        if self.callbacks is None:
            return
        parts = [ReplyParts.from_metadata(message.get(REPLY_KEY)) for message in messages]
        if any(part is not None and part.content_id == REQUEST_CALLBACK_ID for part in parts):
            try:
                await asyncio.to_thread(self.callbacks.offers.offer, sender_id)
            except Exception:
                logger.exception("Could not remember the call-back offer to %s", sender_id)

    async def _ask_rasa(self, sms: InboundSms, text: str, on_new_message: OnNewMessage) -> List[str]:
        collector = WholeMessageCollector()
        user_message = UserMessage(
            text, collector, sms.sender_id, input_channel=CHANNEL_NAME, message_id=sms.message_sid
        )
        # If the assistant stays silent (action server down or slow), send the safe reply.
        await never_silent(on_new_message, user_message, self.safe_replies)
        await self._offer_callback_if_asked(sms.sender_id, collector.messages)
        # Quick-reply buttons, images and custom payloads are not sent over SMS.
        return [self.content.bot_reply(message) for message in collector.messages if message.get("text")]
