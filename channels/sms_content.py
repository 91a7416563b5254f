"""What the SMS channel says itself, and turning bot replies into texts.

The fixed texts (HELP, re-subscribed, pictures) live in ``content/sms.yml``; the
clinic settings and the SMS disclaimer come from the content store. Every text is
composed by :mod:`core.replies` (which adds the disclaimer) and fits in
:data:`core.sms_segments.MAX_SEGMENTS`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from core import sms_segments
from core.content import ContentError, ContentStore, NonEmpty, StrictModel, parse_model, render_template
from core.replies import ReplyParts, compose_text
from core.sms_segments import MAX_SEGMENTS
from core.vocabulary import ERROR_ID, REPLY_KEY, SMS_CHANNEL

SMS_FILE = "sms.yml"
HELP_ID = "sms_help"
RESUBSCRIBED_ID = "sms_resubscribed"
MEDIA_ID = "sms_media"


class SmsTexts(StrictModel):
    """The fields of ``content/sms.yml``."""

    help: NonEmpty
    resubscribed: NonEmpty
    media: NonEmpty


def _placeholders(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class SmsContent:
    """The SMS channel's texts, rendered with the clinic settings.

    Attributes:
        store: the content store (disclaimer, settings).
        help: reply to HELP / INFO (without disclaimer).
        resubscribed: reply to START / UNSTOP / YES (without disclaimer).
        media: reply to pictures and files (without disclaimer).

    """

    store: ContentStore
    help: str
    resubscribed: str
    media: str

    @property
    def disclaimer(self) -> str:
        """The SMS disclaimer."""
        return self.store.disclaimer.sms

    @classmethod
    def load(cls, directory: Path | str, store: ContentStore | None = None) -> SmsContent:
        """Load ``sms.yml`` from ``directory`` and check it against the content store.

        Args:
            directory: the content folder.
            store: the already loaded content store of that folder (loaded if None).

        Raises:
            ContentError: naming the file and field at fault.

        """
        directory = Path(directory)
        store = store or ContentStore.load(directory)
        path = directory / SMS_FILE
        raw = parse_model(path, SmsTexts)
        values = store.settings.dict()
        texts = {}
        for name in SmsTexts.__fields__:
            template = getattr(raw, name)
            if not sms_segments.is_gsm7(template):
                raise ContentError(f"{path}: field '{name}': use plain ASCII only (no emoji or curly quotes)")
            texts[name] = render_template(template, values, path, "sms", name)
            with_disclaimer = compose_text(store, texts[name], SMS_CHANNEL, HELP_ID)
            if sms_segments.segments(with_disclaimer.answer + "\n\n" + with_disclaimer.disclaimer) > MAX_SEGMENTS:
                raise ContentError(
                    f"{path}: field '{name}': too long; with the SMS disclaimer it needs more than "
                    f"{MAX_SEGMENTS} text messages"
                )
        missing = sorted({"clinic_name", "clinic_phone"} - _placeholders(raw.help))
        if missing:
            raise ContentError(
                f"{path}: field 'help': must contain " + " and ".join("{" + name + "}" for name in missing)
            )
        if not re.search(r"\bSTOP\b", raw.help):
            raise ContentError(f"{path}: field 'help': must tell patients to reply STOP to stop texts")
        return cls(store=store, **texts)

    def text(self, body: str, content_id: str) -> str:
        """A fixed SMS text with the SMS disclaimer, fitted to the segment limit."""
        return compose_text(self.store, body, SMS_CHANNEL, content_id).text

    def bot_reply(self, message: Mapping[str, Any]) -> str:
        """One bot message as an SMS, rendered from the reply's parts.

        A message without parts (never sent by this assistant's actions) is sent as
        the body of an error-kind reply, so it still ends with the disclaimer.
        """
        parts = ReplyParts.from_metadata(message.get(REPLY_KEY))
        if parts is None or not parts.sms:
            return compose_text(self.store, str(message.get("text") or "").strip(), SMS_CHANNEL, ERROR_ID).text
        return parts.text
