"""Composing replies from content. The disclaimer is added here, and only here.

A reply travels as parts (:class:`ReplyParts`): its kind, the lead-in, the direct
answer, the details, the disclaimer and the quick replies. Its :attr:`~ReplyParts.text`
is the full text ending with the disclaimer, for any client that reads only text;
channels render from the parts and never parse the text back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from core import sms_segments
from core.content import PARAGRAPH, ContentStore, block_text, phone_number_in
from core.vocabulary import (
    EMERGENCY_AND_CRISIS_ID,
    KIND_CRISIS,
    KIND_EMERGENCY,
    KIND_SUPPORT,
    RATED_KINDS,
    SMS_CHANNELS,
    kind_of,
)

Block = str | Tuple[str, ...]


@dataclass(frozen=True)
class Reply:
    """What an action decided to say: one content item, a lead-in and quick replies.

    Attributes:
        content_id: the answer to send.
        lead: a sentence from the content store put before the answer.
        quick_replies: content ids offered as buttons (their titles).

    """

    content_id: str
    lead: str | None = None
    quick_replies: Tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class QuickReply:
    """A button: ``payload`` is sent as if the patient typed it."""

    title: str
    payload: str


@dataclass(frozen=True)
class Contact:
    """A phone number a reply offers, for tap-to-call links.

    Attributes:
        role: ``clinic``, ``emergency``, ``crisis`` or ``urgent``.
        number: as written in the reply (e.g. "116 123").
        tel: a ``tel:`` URI (e.g. "tel:116123").

    """

    role: str
    number: str
    tel: str


@dataclass(frozen=True)
class ReplyParts:
    """A composed reply, in the parts channels render.

    Attributes:
        kind: how to present it (``core.vocabulary.KIND_*``).
        content_id: the content item it came from.
        lead: e.g. "You asked about duloxetine.", or None.
        answer: the direct answer (on SMS: the whole short SMS answer).
        details: paragraphs (str) and bullet lists (tuples of str); none on SMS.
        disclaimer: the disclaimer that ends the reply (web or SMS form).
        quick_replies: buttons to offer.
        rate: True when the channel may ask "Was this helpful?".
        sms: True when composed for SMS (the text is fitted to the segment limit).
        contacts: the phone numbers to offer as tap-to-call links, most urgent first.

    """

    kind: str
    content_id: str
    lead: str | None
    answer: str
    details: Tuple[Block, ...]
    disclaimer: str
    quick_replies: Tuple[QuickReply, ...] = ()
    rate: bool = False
    sms: bool = False
    contacts: Tuple[Contact, ...] = ()

    @property
    def text(self) -> str:
        """The full text, ending with the disclaimer (fitted to 3 SMS segments on SMS)."""
        if self.sms:
            return sms_segments.fit(self.answer, self.disclaimer, self.lead)
        body = [self.lead, self.answer, *(block_text(block) for block in self.details)]
        return PARAGRAPH.join(part for part in (*body, self.disclaimer) if part)

    def buttons(self) -> List[Dict[str, str]]:
        """The quick replies as Rasa buttons."""
        return [{"title": reply.title, "payload": reply.payload} for reply in self.quick_replies]

    def as_metadata(self) -> Dict[str, Any]:
        """The parts as JSON-ready data, carried in the bot message's metadata."""
        return {
            "kind": self.kind,
            "content_id": self.content_id,
            "lead": self.lead,
            "answer": self.answer,
            "details": [block if isinstance(block, str) else list(block) for block in self.details],
            "disclaimer": self.disclaimer,
            "quick_replies": self.buttons(),
            "rate": self.rate,
            "sms": self.sms,
            "contacts": [{"role": c.role, "number": c.number, "tel": c.tel} for c in self.contacts],
        }

    @classmethod
    def from_metadata(cls, data: Any) -> ReplyParts | None:
        """Parts read back from a bot message's metadata; None if they are not well-formed."""
        if not isinstance(data, Mapping):
            return None
        try:
            details = tuple(_block(item) for item in data.get("details") or ())
            quick_replies = tuple(
                QuickReply(str(item["title"]), str(item["payload"])) for item in data.get("quick_replies") or ()
            )
            contacts = tuple(
                Contact(str(item["role"]), str(item["number"]), str(item["tel"])) for item in data.get("contacts") or ()
            )
            lead = data.get("lead")
            return cls(
                kind=str(data["kind"]),
                content_id=str(data["content_id"]),
                lead=str(lead) if lead else None,
                answer=str(data["answer"]),
                details=details,
                disclaimer=str(data["disclaimer"]),
                quick_replies=quick_replies,
                rate=bool(data.get("rate")),
                sms=bool(data.get("sms")),
                contacts=contacts,
            )
        except (KeyError, TypeError, ValueError):
            return None


def _block(item: Any) -> Block:
    if isinstance(item, str):
        return item
    if isinstance(item, Sequence):
        return tuple(str(entry) for entry in item)
    raise ValueError("a details block is a string or a list of strings")


def contacts_for(store: ContentStore, kind: str, content_id: str = "") -> Tuple[Contact, ...]:
    """The numbers a reply of ``kind`` offers: the urgent ones first, the clinic's always."""
    settings = store.settings
    numbers = {
        "emergency": settings.emergency_number,
        "crisis": phone_number_in(settings.crisis_line),
        "urgent": phone_number_in(settings.urgent_care_line),
        "clinic": settings.clinic_phone,
    }
    roles = {
        KIND_EMERGENCY: ("emergency", "crisis") if content_id == EMERGENCY_AND_CRISIS_ID else ("emergency",),
        KIND_CRISIS: ("crisis", "emergency"),
        KIND_SUPPORT: ("crisis",),
    }.get(kind, ())
    return tuple(
        Contact(role, numbers[role], "tel:" + "".join(c for c in numbers[role] if c.isdigit() or c == "+"))
        for role in (*roles, "clinic")
        if numbers[role]
    )


def is_sms(channel: str | None) -> bool:
    """True when replies on ``channel`` must use the short SMS texts."""
    return channel in SMS_CHANNELS


def quick_replies(store: ContentStore, content_ids: Sequence[str]) -> Tuple[QuickReply, ...]:
    """Buttons for these topics; each sends the topic's title as if the patient typed it."""
    titles = [store.answer(content_id).title for content_id in content_ids]
    return tuple(QuickReply(title, title) for title in titles)


def compose(store: ContentStore, reply: Reply, channel: str | None) -> ReplyParts:
    """The parts of ``reply`` for ``channel``, ending with the disclaimer."""
    answer = store.answer(reply.content_id)
    kind = kind_of(reply.content_id)
    sms = is_sms(channel)
    return ReplyParts(
        kind=kind,
        content_id=reply.content_id,
        lead=reply.lead,
        answer=answer.sms if sms else answer.summary,
        details=() if sms else tuple(answer.blocks()),
        disclaimer=store.disclaimer.sms if sms else store.disclaimer.text,
        quick_replies=quick_replies(store, reply.quick_replies),
        rate=kind in RATED_KINDS,
        sms=sms,
        contacts=contacts_for(store, kind, reply.content_id),
    )


def compose_text(store: ContentStore, body: str, channel: str | None, content_id: str) -> ReplyParts:
    """Parts for a fixed text that is not an answer record (e.g. an SMS keyword reply)."""
    sms = is_sms(channel)
    return ReplyParts(
        kind=kind_of(content_id),
        content_id=content_id,
        lead=None,
        answer=body,
        details=(),
        disclaimer=store.disclaimer.sms if sms else store.disclaimer.text,
        sms=sms,
        contacts=contacts_for(store, kind_of(content_id), content_id),
    )


def reply_text(store: ContentStore, reply: Reply, channel: str | None) -> str:
    """The full text of ``reply`` on ``channel``, ending with the disclaimer."""
    return compose(store, reply, channel).text


def reply_buttons(store: ContentStore, reply: Reply) -> List[Dict[str, str]]:
    """The quick-reply buttons of ``reply``."""
    return compose(store, reply, None).buttons()
