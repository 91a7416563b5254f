"""A conversation's transcript: its events as turns (patient messages, replies, flags, feedback).

Patient text and entity values are masked; all event text is cleaned
(:mod:`review.cleaning`) so any character a client sent can be shown and exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from core.vocabulary import FEEDBACK_SLOT, FLAG_FOR_CONTENT, NLU_FALLBACK_INTENT, REVIEW_FLAGS_SLOT
from review.cleaning import clean_text
from review.masking import mask
from review.summary import PARSED_TYPES, EventRow, content_id_of, feedback_of, flags_of, intent_of, parse_data


@dataclass
class Turn:
    """One line of a transcript: a patient message, a bot reply, feedback or a flag."""

    kind: str  # "user", "bot", "feedback", "flags", "session"
    at: Optional[float]
    event_id: int
    text: str = ""
    intent: Optional[str] = None
    confidence: Optional[float] = None
    content_id: Optional[str] = None
    entities: List[Dict[str, str]] = field(default_factory=list)
    channel: Optional[str] = None
    flags: List[str] = field(default_factory=list)
    helpful: Optional[bool] = None
    served: Optional[str] = None  # a patient turn: the content id of the reply it got
    raised: List[str] = field(default_factory=list)  # a patient turn: the flags it raised

    def raise_flag(self, flag: str) -> None:
        """Note that this patient message raised ``flag``."""
        if flag not in self.raised:
            self.raised.append(flag)

    def export(self) -> Dict[str, Any]:
        """The turn as exported (patient text already masked)."""
        return {
            "kind": self.kind,
            "at": self.at,
            "text": self.text,
            "intent": self.intent,
            "confidence": self.confidence,
            "content_id": self.content_id,
            "flags": self.flags,
            "helpful": self.helpful,
        }


def turns(events: Sequence[EventRow]) -> List[Turn]:
    """The transcript of one conversation; patient text and entity values are masked."""
    result: List[Turn] = []
    flags_so_far: List[str] = []
    last_user: Optional[Turn] = None
    answered: Dict[str, Turn] = {}
    for event in events:
        if event.type_name not in PARSED_TYPES:
            continue
        payload = event.payload()
        if event.type_name == "user":
            name, confidence = intent_of(payload)
            entities = parse_data(payload).get("entities") or []
            result.append(
                Turn(
                    "user", event.timestamp, event.id, text=mask(clean_text(payload.get("text") or "")),
                    intent=name or (clean_text(event.intent_name) if event.intent_name else None),
                    confidence=confidence,
                    entities=[
                        {"entity": clean_text(item.get("entity", "")), "value": mask(clean_text(item.get("value", "")))}
                        for item in (entities if isinstance(entities, list) else []) if isinstance(item, dict)
                    ],
                    channel=clean_text(channel) if isinstance(channel := payload.get("input_channel"), str) else None,
                )
            )
            last_user = result[-1]
            if last_user.intent == NLU_FALLBACK_INTENT:
                last_user.raise_flag("low_confidence")
        elif event.type_name == "bot":
            content_id = content_id_of(payload)
            result.append(Turn("bot", event.timestamp, event.id, text=clean_text(payload.get("text") or ""),
                               content_id=content_id))
            if last_user is not None and content_id:
                last_user.served = last_user.served or content_id
                answered[content_id] = last_user
                if content_id in FLAG_FOR_CONTENT:
                    last_user.raise_flag(FLAG_FOR_CONTENT[content_id])
        elif payload.get("name") == REVIEW_FLAGS_SLOT:
            new = [flag for flag in flags_of(payload) if flag not in flags_so_far]
            flags_so_far.extend(new)
            if new:
                result.append(Turn("flags", event.timestamp, event.id, flags=new))
                for flag in new:
                    if last_user is not None:
                        last_user.raise_flag(flag)
        elif payload.get("name") == FEEDBACK_SLOT:
            feedback = feedback_of(payload)
            if feedback:
                result.append(Turn("feedback", event.timestamp, event.id, content_id=feedback[0], helpful=feedback[1]))
                asked = answered.get(feedback[0], last_user)
                if not feedback[1] and asked is not None:
                    asked.raise_flag("not_helpful")
    return result
