"""A second reading of a message that leans on the conversation ("is it safe then?").

A follow-on question, a "what about X", an unsure message or an unsure topic guess,
sent after earlier messages in the same session, is read a second time joined to the
patient's earlier messages ("I'm 6 months pregnant. is it safe then?"). The topics of that reading are
kept with the message's parse under :data:`CONTEXT_RANKING_PROPERTY`, and
core/routing.py answers with their best topic when it is clear enough.

Only topics are taken from the second reading: its safety verdict is ignored (each
message was already checked on its own), and messages at or before the latest safety
message are never joined, so a crisis message cannot colour a later topic answer.
The Rasa server reads messages this way (channels/rasa_patches.py) and so does the
NLU report (scripts/nlu_eval.py), so what is measured is what patients get.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple

from core.vocabulary import (
    ASK_ABOUT_MEDICINE_INTENT,
    FOLLOW_UP_INTENT,
    LANGUAGE_PROPERTY,
    NLU_FALLBACK_INTENT,
    SAFETY_IDS,
    SAFETY_PROPERTY,
    TOPIC_IDS,
)

CONTEXT_RANKING_PROPERTY = "context_ranking"
# Messages read a second time with the conversation: these intents, and a topic the
# NLU model gives less than UNSURE_TOPIC_CONFIDENCE (development follow-ups).
CONTEXT_READ_INTENTS: Tuple[str, ...] = (FOLLOW_UP_INTENT, ASK_ABOUT_MEDICINE_INTENT, NLU_FALLBACK_INTENT)
UNSURE_TOPIC_CONFIDENCE = 0.6
# How many earlier messages are joined (the follow-up conversations have two or three turns).
EARLIER_MESSAGES = 2
# The joined text is cut to the channels' message limit, keeping its end (channels/limits.py).
MAX_JOINED_CHARACTERS = 2000


def wants_context_reading(parse: Mapping[str, Any]) -> bool:
    """True for a message that may lean on the conversation and is not a safety or non-English message."""
    intent = parse.get("intent") or {}
    if not isinstance(intent, Mapping) or parse.get(SAFETY_PROPERTY) or parse.get(LANGUAGE_PROPERTY):
        return False
    name = intent.get("name")
    unsure_topic = name in TOPIC_IDS and float(intent.get("confidence") or 0.0) < UNSURE_TOPIC_CONFIDENCE
    return name in CONTEXT_READ_INTENTS or unsure_topic


def earlier_texts(messages: Iterable[Tuple[str, str | None]]) -> List[str]:
    """The texts to join, from the session's earlier (text, intent) pairs, oldest first.

    Messages at or before the latest safety message are left out, and so are button
    payloads ("/greet").
    """
    kept: List[str] = []
    for text, intent in messages:
        if intent in SAFETY_IDS:
            kept = []
        elif text and not text.startswith("/"):
            kept.append(text.strip())
    return kept[-EARLIER_MESSAGES:]


def joined_text(earlier: Sequence[str], text: str) -> str:
    """The earlier messages and this one as one text, cut to :data:`MAX_JOINED_CHARACTERS` from the end."""
    joined = " ".join(part.strip() for part in (*earlier, text) if part and part.strip())
    return joined[-MAX_JOINED_CHARACTERS:]


def topic_ranking(parse: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """The topic intents of a parse's ranking (name and confidence), best first."""
    return [
        {"name": item["name"], "confidence": float(item.get("confidence") or 0.0)}
        for item in parse.get("intent_ranking") or []
        if item.get("name") in TOPIC_IDS
    ]
