"""The deterministic safety detector.

It runs on every message, before and independently of the trained NLU model, and
its verdict overrides the model: emergency first, then crisis, then requests for
an individual medical decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, List, Pattern, Sequence

from safety import patterns
from safety.emoji import crisis_emoji
from safety.normalise import normalise

EMERGENCY = "emergency_symptoms"
CRISIS = "crisis_support"
PERSONAL_ADVICE = "personal_medical_advice"


@dataclass(frozen=True)
class Verdict:
    """What the detector found: the intent to answer with and the pattern that matched."""

    intent: str
    pattern: str
    normalised: str


def _compile(expressions: Sequence[str]) -> List[Pattern[str]]:
    return [re.compile(expression) for expression in expressions]


class SafetyDetector:
    """Recognises crisis, emergency and personal-advice messages."""

    def __init__(self, is_word: Callable[[str], bool] = lambda _: False) -> None:
        self._is_word = is_word
        self._rules = [
            (EMERGENCY, _compile(patterns.EMERGENCY)),
            (CRISIS, _compile(patterns.CRISIS)),
            (PERSONAL_ADVICE, _compile(patterns.PERSONAL_ADVICE)),
        ]
        self._not_crisis = _compile(patterns.NOT_CRISIS)
        self._not_emergency = _compile(patterns.NOT_EMERGENCY)
        self._model_veto = _compile(patterns.MODEL_ALARM_VETO)

    def detect(self, text: str) -> Verdict | None:
        """Return the verdict for ``text``, or None when it is none of these.

        An emoji-only message with a crisis-like sequence (:mod:`safety.emoji`) is a crisis.
        """
        normalised = normalise(text or "", self._is_word)
        emoji = crisis_emoji(text or "")
        if emoji is not None:
            return Verdict(CRISIS, f"emoji: {emoji}", normalised)
        if not normalised:
            return None
        for intent, rules in self._rules:
            candidate = normalised
            idioms = {CRISIS: self._not_crisis, EMERGENCY: self._not_emergency}.get(intent, [])
            for idiom in idioms:
                candidate = idiom.sub(" ", candidate)
            for rule in rules:
                if rule.search(candidate):
                    return Verdict(intent, rule.pattern, normalised)
        return None

    def normalised(self, text: str) -> str:
        """``text`` as the patterns see it."""
        return normalise(text or "", self._is_word)

    def matches_crisis(self, text: str) -> bool:
        """True when a crisis pattern matches ``text`` (whatever else matches first)."""
        if crisis_emoji(text or "") is not None:
            return True
        normalised = normalise(text or "", self._is_word)
        for idiom in self._not_crisis:
            normalised = idiom.sub(" ", normalised)
        return any(rule.search(normalised) for rule in self._rules[1][1])

    def vetoes_model_alarm(self, text: str) -> bool:
        """True when ``text`` is ordinary talk a model may mistake for crisis or emergency.

        Only consulted when :meth:`detect` found nothing: the patterns always win.
        """
        normalised = normalise(text or "", self._is_word)
        return any(rule.search(normalised) for rule in self._model_veto)
