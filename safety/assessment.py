"""Combining the safety patterns, the learned safety classifier and the NLU model's guess.

Either signal can raise a crisis or emergency alarm: a pattern always does; the
classifier does when its alarm probability is strong, or weak and not explained away
by a pain idiom (patterns.MODEL_ALARM_VETO). The vetoes never cancel a pattern.

The thresholds were chosen by leave-one-author-out cross-validation on the safety
training corpus (safety/corpus/), never on the sealed corpus (tests/safety/sealed/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Mapping

from core.vocabulary import VARIANT_PAST, VARIANT_WITH_CRISIS
from safety import classifier as labels
from safety.detector import CRISIS, EMERGENCY, PERSONAL_ADVICE, SafetyDetector
from safety.emoji import crisis_emoji, sad_emoji

# An alarm from the classifier alone: strong, or weak and not a pain idiom. Chosen with the
# classifier's regularisation (safety/classifier.py) on the leave-one-author-out cross-validation.
STRONG_ALARM = 0.7
WEAK_ALARM = 0.3
# A weak classifier alarm is set aside when the NLU model is this sure the message is
# an ordinary question (a topic or service intent).
NLU_SURE = 0.7
# The NLU model's crisis/emergency guess stands only with this much classifier support.
MODEL_GUESS_SUPPORT = 0.15
# "What if I took too many?": a question, not an emergency now; answered from the
# overdose topic, which tells anyone who has taken too much to call the emergency number.
HYPOTHETICAL = re.compile(
    r"\b(?:what (?:if|happens if|would happen|should (?:i|you|we|someone) do if)|if (?:someone|anyone|a child|"
    r"you|i ever|ever)|in case|hypothetically|asking (?:generally|in general|for future)|(?:i|he|she|they) "
    r"(?:havent|have not|hasnt|has not|didnt)|would (?:it|that) be (?:dangerous|harmful|bad|ok))\b"
)
# Personal advice: the classifier alone, or a pattern the classifier does not contradict
# (0.01 since the classifier's regularisation is 128: its probabilities are sharper).
ADVICE_ALONE = 0.45
ADVICE_WITH_PATTERN = 0.01
# ... but the classifier alone must be this sure when the NLU model is sure the message
# is an ordinary question ("When should I take amitriptyline?").
ADVICE_AGAINST_SURE_NLU = 0.9
# A general question about taking too much: answered from the overdose topic, unless
# the NLU model is sure (NLU_SURE) it is another topic ("what if I forget a dose?").
OVERDOSE_QUESTION = 0.5
OVERDOSE_TOPIC = "overdose_and_safe_storage"
# A crisis is answered as a past one only when the classifier is sure it is past and
# the message says nothing of now ("again", "still", "tonight", ...).
PAST_MIN = 0.5
NOW = re.compile(r"\b(?:again|still|tonight|these days|lately|at the moment|anymore|any more|right now)\b")
# A message of sad faces only (safety/emoji.py) is answered from this topic, never "goodbye".
LOW_MOOD_TOPIC = "feeling_worried_or_low"
# Variants of a reply (core/vocabulary.py): an overdose taken on purpose (emergency
# first, then the crisis line), and a crisis in the past (a supportive reply, flagged).
WITH_CRISIS = VARIANT_WITH_CRISIS
PAST = VARIANT_PAST
# An emergency gets the crisis line too when the classifier gives crisis this much
# ("if I took my whole month's supply, would it be quick?"): on the training corpus's
# leave-one-author-out cross-validation, 22 of the 28 crisis messages answered as an
# emergency alone reach it, and none of the 785 emergencies answered as such do.
CRISIS_BESIDE_EMERGENCY = 0.3


@dataclass(frozen=True)
class Assessment:
    """The safety layer's verdict on one message.

    Attributes:
        intent: the intent to answer with (a safety intent, or a topic), None to leave NLU's.
        variant: WITH_CRISIS, PAST or None.
        source: what decided it ("pattern", "classifier", "nlu", ...), for the record.
        detail: the pattern or the probability behind it.

    """

    intent: str | None
    variant: str | None = None
    source: str = ""
    detail: str = ""
    probabilities: Dict[str, float] = field(default_factory=dict)


def alarm_probability(probabilities: Mapping[str, float]) -> float:
    """The classifier's probability that a message is a crisis or an emergency now."""
    return sum(probabilities.get(name, 0.0) for name in (labels.CRISIS, labels.OVERDOSE_INTENT, labels.EMERGENCY))


def _urgent_kind(probabilities: Mapping[str, float]) -> str:
    crisis = probabilities.get(labels.CRISIS, 0.0) + probabilities.get(labels.OVERDOSE_INTENT, 0.0)
    return CRISIS if crisis >= probabilities.get(labels.EMERGENCY, 0.0) else EMERGENCY


def _variant(intent: str, text: str, detector: SafetyDetector, probabilities: Mapping[str, float]) -> str | None:
    intent_to_harm = probabilities.get(labels.OVERDOSE_INTENT, 0.0)
    crisis = probabilities.get(labels.CRISIS, 0.0)
    crisis_too = intent_to_harm >= 0.3 or crisis >= CRISIS_BESIDE_EMERGENCY or detector.matches_crisis(text)
    if intent == EMERGENCY and crisis_too:
        return WITH_CRISIS
    if intent == CRISIS and intent_to_harm >= max(crisis, 0.3):
        return WITH_CRISIS
    past = probabilities.get(labels.PAST_CRISIS, 0.0)
    present = crisis + intent_to_harm
    if intent == CRISIS and past >= PAST_MIN and past > 2 * present and not NOW.search(detector.normalised(text)):
        return PAST
    return None


def assess(
    text: str,
    detector: SafetyDetector,
    probabilities: Mapping[str, float],
    nlu_intent: str | None,
    nlu_ordinary_confidence: float = 0.0,
    nlu_ordinary_intent: str | None = None,
) -> Assessment:
    """The safety verdict for ``text``.

    Args:
        text: the message.
        detector: the patterns.
        probabilities: the classifier's label probabilities for ``text``.
        nlu_intent: the NLU model's intent.
        nlu_ordinary_confidence: the NLU model's confidence in its best non-safety intent.
        nlu_ordinary_intent: that intent's name.

    """
    emoji = crisis_emoji(text)
    if emoji is not None:  # the words are empty: the classifier has nothing to weigh
        return Assessment(CRISIS, None, "emoji", emoji, dict(probabilities))
    found = detector.detect(text)
    pattern = found.intent if found else None
    alarm = alarm_probability(probabilities)
    probabilities = dict(probabilities)
    question = probabilities.get(labels.OVERDOSE_QUESTION, 0.0) >= probabilities.get(labels.EMERGENCY, 0.0)
    if pattern == EMERGENCY and question and _hypothetical(text, detector) and not detector.matches_crisis(text):
        detail = f"question: {found.pattern if found else ''}"
        return Assessment(OVERDOSE_TOPIC, None, "pattern", detail, probabilities)
    if pattern in (CRISIS, EMERGENCY):
        variant = _variant(pattern, text, detector, probabilities)
        intent = EMERGENCY if variant == WITH_CRISIS else pattern
        return Assessment(intent, variant, "pattern", found.pattern if found else "", probabilities)
    face = sad_emoji(text)
    if face is not None:
        return Assessment(LOW_MOOD_TOPIC, None, "emoji", face, probabilities)
    vetoed = detector.vetoes_model_alarm(text) or nlu_ordinary_confidence >= NLU_SURE
    if alarm >= STRONG_ALARM or (alarm >= WEAK_ALARM and not vetoed):
        kind = _urgent_kind(probabilities)
        variant = _variant(kind, text, detector, probabilities)
        intent = EMERGENCY if variant == WITH_CRISIS else kind
        return Assessment(intent, variant, "classifier", f"alarm {alarm:.2f}", probabilities)
    if nlu_intent in (CRISIS, EMERGENCY) and alarm >= MODEL_GUESS_SUPPORT and not vetoed:
        variant = _variant(nlu_intent, text, detector, probabilities)
        intent = EMERGENCY if variant == WITH_CRISIS else nlu_intent
        return Assessment(intent, variant, "nlu", f"alarm {alarm:.2f}", probabilities)
    overdose_question = probabilities.get(labels.OVERDOSE_QUESTION, 0.0)
    sure_of_another_topic = nlu_ordinary_confidence >= NLU_SURE and nlu_ordinary_intent not in (None, OVERDOSE_TOPIC)
    if (overdose_question >= OVERDOSE_QUESTION and overdose_question == max(probabilities.values())
            and not sure_of_another_topic):
        detail = f"overdose question {overdose_question:.2f}"
        return Assessment(OVERDOSE_TOPIC, None, "classifier", detail, probabilities)
    advice = probabilities.get(labels.PERSONAL_ADVICE, 0.0)
    alone = ADVICE_AGAINST_SURE_NLU if nlu_ordinary_confidence >= NLU_SURE else ADVICE_ALONE
    if advice >= alone or (pattern == PERSONAL_ADVICE and advice >= ADVICE_WITH_PATTERN):
        detail = found.pattern if pattern == PERSONAL_ADVICE and found else f"advice {advice:.2f}"
        return Assessment(PERSONAL_ADVICE, None, "pattern" if pattern else "classifier", detail, probabilities)
    return Assessment(None, None, "none", f"alarm {alarm:.2f}", probabilities)


def _hypothetical(text: str, detector: SafetyDetector) -> bool:
    return HYPOTHETICAL.search(detector.normalised(text)) is not None
