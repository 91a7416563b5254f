"""Choosing the reply for a parsed message, given what the conversation is about.

Deterministic and auditable: the same parse and the same context always give the
same decision. The action server (actions/answer.py) and the NLU report
(scripts/nlu_eval.py) both use :func:`decide`, so what is measured is what patients get.

Context is two slots: the current topic and the medicine last named. Safety replies
never use context and never change it; a message that names only a medicine, or asks
"what about X", re-answers the current topic for X; a statement of fact is
acknowledged with the most relevant topics as buttons and remembered; a short
follow-on question ("is that normal?") is answered from the current topic. Such
messages are also read joined to the patient's earlier messages
(core/context_reading.py); a clear topic from that reading comes first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from core.context_reading import CONTEXT_RANKING_PROPERTY, wants_context_reading
from core.vocabulary import (
    ACKNOWLEDGE_ID,
    ASK_ABOUT_MEDICINE_INTENT,
    CLARIFY_ID,
    CRISIS_ID,
    CRISIS_PAST_ID,
    EMERGENCY_AND_CRISIS_ID,
    EMERGENCY_ID,
    FALLBACK_ID,
    FOLLOW_UP_INTENT,
    INTENT_IDS,
    LANGUAGE_PROPERTY,
    NLU_FALLBACK_INTENT,
    NON_ENGLISH_ID,
    SAFETY_IDS,
    SAFETY_PROPERTY,
    SHARE_INFO_INTENT,
    SOMETHING_ELSE_ID,
    TOPIC_IDS,
    VARIANT_PAST,
    VARIANT_WITH_CRISIS,
)

MAX_SUGGESTIONS = 3
MIN_SUGGESTION_CONFIDENCE = 0.05
# A statement's topic is remembered only if it holds at least this share of the
# confidence NLU gives to topics ("I have glaucoma": most of it goes to the topic on
# heart and other conditions); otherwise the conversation keeps the topic it had.
MIN_REMEMBERED_TOPIC_SHARE = 0.4
# A follow-on question that names a topic of its own ("so when do I take it then?")
# is answered with that topic, instead of the conversation's, when that topic holds at
# least this share of the confidence NLU gives to topics (development set).
MIN_OWN_TOPIC_SHARE = 0.8
# ... also when the message is read with the conversation (below), except a message
# naming only a medicine or an unsure one: their own topic ranking says little.
OWN_TOPIC_UNRELIABLE = frozenset({ASK_ABOUT_MEDICINE_INTENT, NLU_FALLBACK_INTENT})
# A message read a second time with the patient's earlier messages
# (core/context_reading.py) is answered with that reading's best topic when it holds
# at least this share of the reading's topic confidence (development follow-ups).
MIN_CONTEXT_READING_SHARE = 0.4
# A message of at most this many words that names a medicine, in a conversation with a
# topic, asks about that medicine ("n cymbalta?").
SHORT_MESSAGE_WORDS = 4
# An unsure question of at most this many words, in a conversation with a topic, is a
# follow-on about that topic.
SHORT_QUESTION_WORDS = 8
# A sentence opening with one of these carries on from the previous turn ("and will it
# come back off?"); it leans on context up to twice the short-question length.
CONTINUATION_STARTS = frozenset("and so but then n &".split())
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A greeting, thanks or goodbye that also asks a question is answered with the
# question's topic when NLU gives that topic at least this confidence (chosen on the
# lead's own probes: neither the development nor the unseen set has this kind).
PLEASANTRY_IDS = frozenset({"greeting", "thanks", "goodbye"})
MIN_QUESTION_TOPIC_CONFIDENCE = 0.2
_CLAUSE_BREAK = re.compile(r"[.,!;:?-]+\s*|\s+(?:and|n|&)\s+")
QUESTION_STARTS = frozenset(
    "is are can could do does did will would should shall what whats how why when any".split()
)


@dataclass(frozen=True)
class Context:
    """What the conversation is about so far (the slots)."""

    topic: str | None = None
    medicine: str | None = None


@dataclass(frozen=True)
class Decision:
    """What to answer and what to remember.

    Attributes:
        content_id: the content item to send.
        quick_replies: content ids offered as buttons; None means the answer's own follow-ups.
        medicine: the medicine spelling the answer is about (for the lead), or None.
        context: the context after this turn.

    """

    content_id: str
    quick_replies: Tuple[str, ...] | None = None
    medicine: str | None = None
    context: Context = field(default_factory=Context)


def intent_name(parse: Mapping[str, Any]) -> str | None:
    """The predicted intent's name."""
    intent = parse.get("intent") or {}
    return intent.get("name") if isinstance(intent, Mapping) else None


def ranked_topics(parse: Mapping[str, Any], minimum: float = MIN_SUGGESTION_CONFIDENCE) -> List[str]:
    """Topic intents in NLU's ranking, best first, at or above ``minimum`` confidence."""
    ranking: Sequence[Mapping[str, Any]] = parse.get("intent_ranking") or []
    return [
        item["name"]
        for item in ranking
        if item.get("name") in TOPIC_IDS and (item.get("confidence") or 0.0) >= minimum
    ]


def named_medicines(parse: Mapping[str, Any]) -> List[str]:
    """The medicine spellings the message names (entity values, lower case), in order."""
    return [
        str(entity.get("value", "")).strip().lower()
        for entity in parse.get("entities") or []
        if entity.get("entity") == "medicine" and str(entity.get("value", "")).strip()
    ]


def _clarify(parse: Mapping[str, Any], context: Context) -> Decision:
    topics = ranked_topics(parse)[:MAX_SUGGESTIONS]
    if len(topics) < 2:
        return Decision(FALLBACK_ID, (SOMETHING_ELSE_ID,), context=context)
    return Decision(CLARIFY_ID, (*topics, SOMETHING_ELSE_ID), context=context)


def _topic_answer(topic: str, medicine: str | None, context: Context) -> Decision:
    return Decision(topic, None, medicine, Context(topic, medicine or context.medicine))


def decide(parse: Mapping[str, Any], context: Context = Context()) -> Decision:
    """The reply to a parsed message (Rasa's parse data) in this context."""
    intent = intent_name(parse)
    named = named_medicines(parse)
    medicine = named[0] if named else None
    if parse.get(LANGUAGE_PROPERTY):
        return Decision(NON_ENGLISH_ID, (), context=context)
    if intent in SAFETY_IDS:
        return Decision(_safety_variant(intent, parse), None, context=context)
    read_in_context = context_reading_topic(parse)
    if read_in_context is not None:
        return _topic_answer(read_in_context, medicine or context.medicine, context)
    if intent in TOPIC_IDS:
        return _topic_answer(intent, medicine or context.medicine, context)
    if intent == ASK_ABOUT_MEDICINE_INTENT:
        if context.topic:
            return Decision(context.topic, None, medicine, Context(context.topic, medicine or context.medicine))
        return _acknowledge(parse, Context(None, medicine or context.medicine), medicine)
    if intent == SHARE_INFO_INTENT:
        return _acknowledge(parse, Context(context.topic, medicine or context.medicine), medicine)
    if intent == FOLLOW_UP_INTENT:
        return _follow_on(parse, context, medicine)
    if intent == NLU_FALLBACK_INTENT:
        contextual = _contextual_guess(parse, context, medicine)
        if contextual is not None:
            return decide({**parse, "intent": {"name": contextual, "confidence": 0.0}}, context)
    if intent == NLU_FALLBACK_INTENT or intent not in INTENT_IDS:
        return _clarify(parse, context)
    if intent in PLEASANTRY_IDS and (asked := question_after_pleasantry(parse)) is not None:
        return _topic_answer(asked, medicine or context.medicine, context)
    return Decision(intent, None, context=context)


def question_after_pleasantry(parse: Mapping[str, Any]) -> str | None:
    """The topic a greeting, thanks or goodbye also asks about ("thanks, and what if I forget one?")."""
    text = str(parse.get("text") or "").lower()
    clauses = [part.split() for part in _CLAUSE_BREAK.split(text) if part.strip()]
    asks = "?" in text or any(words[0] in QUESTION_STARTS for words in clauses[1:])
    topics = ranked_topics(parse, minimum=MIN_QUESTION_TOPIC_CONFIDENCE) if asks else []
    return topics[0] if topics else None


def context_reading_topic(parse: Mapping[str, Any]) -> str | None:
    """The best topic of the message's reading with the conversation, if it is clear enough.

    A follow-on question that clearly names a topic of its own (MIN_OWN_TOPIC_SHARE, as
    in :func:`_follow_on`) keeps it: joined to an earlier question, the reading leans to
    that question's topic ("How long does it take?" then "And if it hasn't worked by then?").
    """
    ranking = parse.get(CONTEXT_RANKING_PROPERTY)
    if not ranking or not wants_context_reading(parse):
        return None
    own = clear_own_topic(parse)
    if own is not None and intent_name(parse) not in OWN_TOPIC_UNRELIABLE:
        return own
    best, share = main_topic({"intent_ranking": ranking})
    return best if share >= MIN_CONTEXT_READING_SHARE else None


def _follow_on(parse: Mapping[str, Any], context: Context, medicine: str | None) -> Decision:
    """A question that leans on context: its own topic if it clearly names one, else the conversation's."""
    own = clear_own_topic(parse)
    if own is not None:
        return _topic_answer(own, medicine or context.medicine, context)
    if context.topic:
        return _topic_answer(context.topic, medicine or context.medicine, context)
    return _clarify(parse, context)


def clear_own_topic(parse: Mapping[str, Any]) -> str | None:
    """The message's own best topic when it holds MIN_OWN_TOPIC_SHARE of the topic confidence."""
    best, share = main_topic(parse)
    return best if best and share >= MIN_OWN_TOPIC_SHARE else None


def _short_question(words: Sequence[str]) -> bool:
    """A question of a few words ("is that ok", "do they work tho?") that leans on context."""
    if not words:
        return False
    if words[0].lower().strip(",") in CONTINUATION_STARTS and len(words) <= 2 * SHORT_QUESTION_WORDS:
        return True
    if len(words) > SHORT_QUESTION_WORDS:
        return False
    return words[-1].endswith("?") or words[0].lower() in QUESTION_STARTS


def last_sentence(text: str) -> str:
    """The message's last sentence ("My GP mentioned nortriptyline. Is that a worry?" -> "Is that a worry?")."""
    sentences = [part for part in _SENTENCE_END.split(text.strip()) if part.strip()]
    return sentences[-1].strip() if sentences else ""


def _contextual_guess(parse: Mapping[str, Any], context: Context, medicine: str | None) -> str | None:
    """An unsure message that only makes sense in context: "and cymbalta?", "is that normal?"."""
    ranking = [item.get("name") for item in parse.get("intent_ranking") or []]
    ranking = [name for name in ranking if name != NLU_FALLBACK_INTENT]
    best = ranking[0] if ranking else None
    if context.topic and best in (ASK_ABOUT_MEDICINE_INTENT, FOLLOW_UP_INTENT):
        return best
    text = str(parse.get("text") or "")
    words = text.split()
    if context.topic and medicine and len(words) <= SHORT_MESSAGE_WORDS:
        return ASK_ABOUT_MEDICINE_INTENT
    if context.topic and _short_question(last_sentence(text).split()):
        return FOLLOW_UP_INTENT
    if best == SHARE_INFO_INTENT:
        return best
    return None


def _safety_variant(intent: str, parse: Mapping[str, Any]) -> str:
    """The safety layer's variant of a safety reply (safety/assessment.py), if any."""
    why = parse.get(SAFETY_PROPERTY) or {}
    variant = why.get("variant") if isinstance(why, Mapping) else None
    if intent == EMERGENCY_ID and variant == VARIANT_WITH_CRISIS:
        return EMERGENCY_AND_CRISIS_ID
    if intent == CRISIS_ID and variant == VARIANT_PAST:
        return CRISIS_PAST_ID
    return intent


def _acknowledge(parse: Mapping[str, Any], context: Context, medicine: str | None) -> Decision:
    """A statement: acknowledge it, offer its most relevant topics, remember the best one."""
    topics = ranked_topics(parse, minimum=0.0)[:MAX_SUGGESTIONS]
    best, share = main_topic(parse)
    topic = best if best and share >= MIN_REMEMBERED_TOPIC_SHARE else context.topic
    return Decision(ACKNOWLEDGE_ID, (*topics, SOMETHING_ELSE_ID), medicine, Context(topic, context.medicine))


def main_topic(parse: Mapping[str, Any]) -> Tuple[str | None, float]:
    """The topic NLU ranks highest and its share of all the confidence given to topics."""
    confidences = {
        item["name"]: float(item.get("confidence") or 0.0)
        for item in parse.get("intent_ranking") or []
        if item.get("name") in TOPIC_IDS
    }
    total = sum(confidences.values())
    if not total:
        return None, 0.0
    best = max(confidences, key=confidences.get)
    return best, confidences[best] / total


def as_parse(text: str, intent: str, confidence: float = 1.0, **extra: Any) -> Dict[str, Any]:
    """A minimal parse result (for tests and tools)."""
    return {"text": text, "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}], "entities": [], **extra}
