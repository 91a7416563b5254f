"""Rasa events → conversations: splitting, summaries for the list, turns for the transcript.

A *conversation* is one Rasa session of one sender: it starts at the
``action_session_start`` action (or a ``session_started`` event) and runs until the
next one. Events are the rows of Rasa's ``events`` table, in id order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from core.vocabulary import (
    CLARIFY_ID,
    FALLBACK_ID,
    FEEDBACK_SLOT,
    FLAG_FOR_CONTENT,
    NLU_FALLBACK_INTENT,
    REVIEW_FLAGS_SLOT,
)
from review.cleaning import clean_text
from review.masking import mask
from review.schema import FLAGS

SESSION_START_ACTION = "action_session_start"
FALLBACK_CONTENT = frozenset({FALLBACK_ID, CLARIFY_ID})
PREVIEW_CHARS = 200
SECONDS_PER_DAY = 86_400
UNKNOWN_CHANNEL = "unknown"
# Event types whose JSON the summary needs; the others (actions, featurization) are skipped unparsed.
PARSED_TYPES = frozenset({"user", "bot", "slot"})
# Most serious first: the list shows (and the transcript opens at) the message that raised the first of these.
SEVERITY = ("crisis", "emergency", "error", "personal_advice", "handoff", "not_helpful", "low_confidence")
Message = Tuple[int, str]  # a patient message: its event id and masked text


@dataclass(frozen=True)
class EventRow:
    """One row of Rasa's ``events`` table."""

    id: int
    sender_id: str
    type_name: str
    timestamp: Optional[float]
    intent_name: Optional[str]
    action_name: Optional[str]
    data: Optional[str]

    def payload(self) -> Dict[str, Any]:
        """The event's JSON (an empty dict if it is missing or not JSON)."""
        try:
            value = json.loads(self.data or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


@dataclass
class TopicCounts:
    """How often one content item was served in a conversation, and the feedback on it."""

    served: int = 0
    helpful: int = 0
    not_helpful: int = 0


@dataclass
class Summary:
    """One conversation as the list page and the dashboard see it."""

    sender_id: str
    first_event_id: int
    last_event_id: int
    started_at: float
    last_at: float
    channel: str = UNKNOWN_CHANNEL
    n_user: int = 0
    n_bot: int = 0
    n_fallback: int = 0
    min_confidence: Optional[float] = None
    helpful: int = 0
    not_helpful: int = 0
    flags: set = field(default_factory=set)
    topics: Dict[str, TopicCounts] = field(default_factory=dict)
    user_texts: List[str] = field(default_factory=list)
    last_user: Optional[Message] = None
    answered: Dict[str, Message] = field(default_factory=dict)  # content id -> the message it answered
    raised: Dict[str, Message] = field(default_factory=dict)  # flag -> the first message that raised it

    def flag(self, name: str, message: Optional[Message]) -> None:
        """Set a flag, remembering the patient message that raised it first."""
        self.flags.add(name)
        if message is not None:
            self.raised.setdefault(name, message)

    def flagged(self) -> Optional[Message]:
        """The message that raised the most serious flag."""
        return next((self.raised[name] for name in SEVERITY if name in self.raised), None)

    def row(self) -> Dict[str, Any]:
        """The ``review_conversations`` summary columns (never the review-work columns)."""
        preview = self.user_texts[0] if self.user_texts else ""
        flagged = self.flagged()
        return {
            "sender_id": self.sender_id,
            "first_event_id": self.first_event_id,
            "last_event_id": self.last_event_id,
            "started_at": self.started_at,
            "last_at": self.last_at,
            "day": int(self.started_at // SECONDS_PER_DAY),
            "channel": self.channel[:32],
            "n_user": self.n_user,
            "n_bot": self.n_bot,
            "n_fallback": self.n_fallback,
            "min_confidence": self.min_confidence,
            "helpful": self.helpful,
            "not_helpful": self.not_helpful,
            **{f"flag_{flag}": flag in self.flags for flag in FLAGS},
            "topics": " ".join(self.topics),
            "preview": preview[:PREVIEW_CHARS],
            "search_text": "\n".join(self.user_texts).lower(),
            "flagged_event_id": flagged[0] if flagged else None,
            "flagged_preview": flagged[1][:PREVIEW_CHARS] if flagged else "",
        }


def starts_session(event: EventRow) -> bool:
    """True for the events that open a Rasa session."""
    return (event.type_name == "action" and event.action_name == SESSION_START_ACTION) or (
        event.type_name == "session_started"
    )


def split_conversations(events: Iterable[EventRow]) -> List[List[EventRow]]:
    """Group one sender's events (in id order) into conversations."""
    conversations: List[List[EventRow]] = []
    for event in events:
        current = conversations[-1] if conversations else None
        opens_new = starts_session(event) and current is not None and not all(starts_session(e) for e in current)
        if current is None or opens_new:
            conversations.append([event])
        else:
            current.append(event)
    return conversations


def parse_data(payload: Dict[str, Any]) -> Dict[str, Any]:
    """A user event's NLU result (an empty dict when it is missing or not an object)."""
    value = payload.get("parse_data")
    return value if isinstance(value, dict) else {}


def intent_of(payload: Dict[str, Any]) -> Tuple[Optional[str], Optional[float]]:
    """A user event's predicted intent name and confidence."""
    intent = parse_data(payload).get("intent") or {}
    if not isinstance(intent, dict):
        return None, None
    confidence = intent.get("confidence")
    name = intent.get("name")
    return (clean_text(name) if isinstance(name, str) else None,
            float(confidence) if isinstance(confidence, (int, float)) else None)


def content_id_of(payload: Dict[str, Any]) -> Optional[str]:
    """The ``content_id`` a bot event was served from (set by actions/replies.py)."""
    metadata = payload.get("metadata")
    content_id = metadata.get("content_id") if isinstance(metadata, dict) else None
    return clean_text(content_id) if isinstance(content_id, str) and content_id else None


def feedback_of(payload: Dict[str, Any]) -> Optional[Tuple[str, bool]]:
    """``(content_id, helpful)`` from a ``feedback`` slot event, else None."""
    value = payload.get("value")
    if not isinstance(value, dict):
        return None
    content_id, helpful = value.get("content_id"), value.get("helpful")
    if not isinstance(content_id, str) or not isinstance(helpful, bool):
        return None
    return clean_text(content_id), helpful


def flags_of(payload: Dict[str, Any]) -> List[str]:
    """The known flags in a ``review_flags`` slot event."""
    value = payload.get("value")
    return [flag for flag in value if flag in FLAGS] if isinstance(value, list) else []


def summarise(events: Sequence[EventRow]) -> Summary:
    """Summarise one conversation's events."""
    first, last = events[0], events[-1]
    times = [event.timestamp for event in events if event.timestamp is not None]
    summary = Summary(
        sender_id=first.sender_id,
        first_event_id=first.id,
        last_event_id=last.id,
        started_at=min(times) if times else 0.0,
        last_at=max(times) if times else 0.0,
    )
    for event in events:
        if event.type_name not in PARSED_TYPES:
            continue
        payload = event.payload()
        if event.type_name == "user":
            _add_user(summary, event, payload)
        elif event.type_name == "bot":
            _add_bot(summary, payload)
        elif payload.get("name") == REVIEW_FLAGS_SLOT:
            for name in flags_of(payload):
                summary.flag(name, summary.last_user)
        elif payload.get("name") == FEEDBACK_SLOT:
            _add_feedback(summary, payload)
    return summary


def _add_user(summary: Summary, event: EventRow, payload: Dict[str, Any]) -> None:
    summary.n_user += 1
    channel = payload.get("input_channel")
    if summary.channel == UNKNOWN_CHANNEL and isinstance(channel, str) and channel:
        summary.channel = clean_text(channel)
    text = payload.get("text")
    masked = mask(clean_text(text)) if isinstance(text, str) else ""
    if masked:
        summary.user_texts.append(masked)
    summary.last_user = (event.id, masked)
    name, confidence = intent_of(payload)
    if (name or event.intent_name) == NLU_FALLBACK_INTENT:
        summary.flag("low_confidence", summary.last_user)
    if confidence is not None:
        lowest = summary.min_confidence
        summary.min_confidence = confidence if lowest is None else min(lowest, confidence)


def _add_bot(summary: Summary, payload: Dict[str, Any]) -> None:
    summary.n_bot += 1
    content_id = content_id_of(payload)
    if content_id is None:
        return
    summary.topics.setdefault(content_id[:64], TopicCounts()).served += 1
    if summary.last_user is not None:
        summary.answered[content_id] = summary.last_user
    if content_id in FALLBACK_CONTENT:
        summary.n_fallback += 1
    flag = FLAG_FOR_CONTENT.get(content_id)
    if flag:
        summary.flag(flag, summary.last_user)


def _add_feedback(summary: Summary, payload: Dict[str, Any]) -> None:
    feedback = feedback_of(payload)
    if feedback is None:
        return
    content_id, helpful = feedback
    counts = summary.topics.setdefault(content_id[:64], TopicCounts())
    if helpful:
        summary.helpful += 1
        counts.helpful += 1
    else:
        summary.not_helpful += 1
        counts.not_helpful += 1
        summary.flag("not_helpful", summary.answered.get(content_id, summary.last_user))
