"""What the SMS channel says itself, and fitting replies into three SMS segments.

The fixed texts (HELP, re-subscribed, pictures) live in ``content/sms.yml``; the
clinic settings and the SMS disclaimer come from the content store. Every text
this module returns ends with the SMS disclaimer and fits in :data:`MAX_SEGMENTS`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Tuple

from actions.content_store import ContentError, ContentStore, NonEmpty, _parse, _render, _Strict
from channels import sms_segments

SMS_FILE = "sms.yml"
MAX_SEGMENTS = 3
PARAGRAPH = "\n\n"
ELLIPSIS = "..."
_TRAILING = " \t\n,;:-"
_WHITESPACE = re.compile(r"\s+")


class SmsTexts(_Strict):
    """The fields of ``content/sms.yml``."""

    help: NonEmpty
    resubscribed: NonEmpty
    media: NonEmpty


def _placeholders(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _word_cuts(body: str) -> Iterator[int]:
    """Positions where ``body`` can be cut, longest first: word ends, then characters."""
    ends = [match.start() for match in _WHITESPACE.finditer(body)]
    yield from reversed(ends)
    yield from range(len(body) - 1, -1, -1)


def fit(body: str, disclaimer: str, lead: str | None = None, max_segments: int = MAX_SEGMENTS) -> str:
    """Join lead, body and disclaimer, shortened to fit in ``max_segments``.

    The lead is dropped first, then the body is cut at a word boundary and ends
    with "..."; the disclaimer is always kept, whole, at the end.

    Args:
        body: the answer text.
        disclaimer: the SMS disclaimer.
        lead: an optional first line (e.g. "You asked about duloxetine.").
        max_segments: the most SMS segments the result may take.

    """

    def join(*parts: str | None) -> str:
        return PARAGRAPH.join(part for part in parts if part)

    for candidate in (join(lead, body, disclaimer), join(body, disclaimer)):
        if sms_segments.segments(candidate) <= max_segments:
            return candidate
    for cut in _word_cuts(body):
        shortened = body[:cut].rstrip(_TRAILING)
        if shortened:
            candidate = join(shortened + ELLIPSIS, disclaimer)
            if sms_segments.segments(candidate) <= max_segments:
                return candidate
    return disclaimer


@dataclass(frozen=True)
class SmsContent:
    """The SMS channel's texts, rendered with the clinic settings.

    Attributes:
        help: reply to HELP / INFO (without disclaimer).
        resubscribed: reply to START / UNSTOP / YES (without disclaimer).
        media: reply to pictures and files (without disclaimer).
        disclaimer: the SMS disclaimer.
        mention: the content store's "You asked about {medicine}." template.

    """

    help: str
    resubscribed: str
    media: str
    disclaimer: str
    mention: str

    @classmethod
    def load(cls, directory: Path | str) -> SmsContent:
        """Load the content store and ``sms.yml`` from ``directory`` and check them.

        Raises:
            ContentError: naming the file and field at fault.

        """
        directory = Path(directory)
        store = ContentStore.load(directory)
        path = directory / SMS_FILE
        raw = _parse(path, SmsTexts)
        values = store.settings.dict()
        texts = {}
        for name in SmsTexts.__fields__:
            template = getattr(raw, name)
            if not sms_segments.is_gsm7(template):
                raise ContentError(f"{path}: field '{name}': use plain ASCII only (no emoji or curly quotes)")
            texts[name] = _render(template, values, path, "sms", name)
            with_disclaimer = texts[name] + PARAGRAPH + store.disclaimer.sms
            if sms_segments.segments(with_disclaimer) > MAX_SEGMENTS:
                raise ContentError(
                    f"{path}: field '{name}': too long; with the SMS disclaimer it needs "
                    f"{sms_segments.segments(with_disclaimer)} text messages (at most {MAX_SEGMENTS})"
                )
        missing = sorted({"clinic_name", "clinic_phone"} - _placeholders(raw.help))
        if missing:
            raise ContentError(
                f"{path}: field 'help': must contain " + " and ".join("{" + name + "}" for name in missing)
            )
        if not re.search(r"\bSTOP\b", raw.help):
            raise ContentError(f"{path}: field 'help': must tell patients to reply STOP to stop texts")
        return cls(disclaimer=store.disclaimer.sms, mention=store.medicines.mention, **texts)

    def with_disclaimer(self, text: str) -> str:
        """``text`` followed by the SMS disclaimer, fitted to the segment limit."""
        return fit(text, self.disclaimer)

    def _split_lead(self, body: str) -> Tuple[str | None, str]:
        prefix, _, suffix = self.mention.partition("{medicine}")
        first, separator, rest = body.partition(PARAGRAPH)
        if separator and rest.strip() and first.startswith(prefix) and first.endswith(suffix):
            return first, rest.strip()
        return None, body

    def bot_reply(self, text: str) -> str:
        """Turn a bot message into an SMS: disclaimer last, within the segment limit.

        A message the action server already ended with the disclaimer keeps one copy
        of it; one without it gets it added.
        """
        body = text.strip()
        if body.endswith(self.disclaimer):
            body = body[: -len(self.disclaimer)].rstrip()
        lead, body = self._split_lead(body)
        return fit(body, self.disclaimer, lead)
