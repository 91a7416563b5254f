"""Rasa NLU component that lets the safety detector override the model.

Placed last in the NLU pipeline (config.yml). When the detector recognises a
crisis, an emergency or a request for a personal medical decision, the message's
intent becomes that safety intent with confidence 1.0, whatever DIET or the
FallbackClassifier said, and a ``safety`` property records why. A message in
another language (safety/language.py) becomes ``nlu_fallback`` with a ``language``
property, which the assistant answers with its "English only" reply.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from core.content import ContentStore
from core.vocabulary import DEFAULT_CONTENT_DIR, LANGUAGE_PROPERTY, NLU_FALLBACK_INTENT
from safety.detector import CRISIS, EMERGENCY, SafetyDetector
from safety.language import LanguageCheck
from safety.normalise import SHORTHAND
from safety.words import english_words

URGENT_INTENTS = (CRISIS, EMERGENCY)
NLU_FALLBACK = NLU_FALLBACK_INTENT
VETO_MIN_CONFIDENCE = 0.3
SAFETY_PROPERTY = "safety"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyOverride(GraphComponent):
    """Overrides the predicted intent for safety-critical and non-English messages."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    def __init__(self, detector: SafetyDetector, language: LanguageCheck | None) -> None:
        self._detector = detector
        self._language = language

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyOverride:
        english = english_words()
        medicines = ContentStore.load(os.environ.get("CONTENT_DIR", DEFAULT_CONTENT_DIR)).medicines.medicines
        names = [word for medicine in medicines for name in (medicine.name, *medicine.brands, *medicine.misspellings)
                 for word in name.split()]
        language = LanguageCheck(lambda word: word in english or word in SHORTHAND, names)
        return cls(SafetyDetector(english.__contains__), language)

    def process(self, messages: List[Message]) -> List[Message]:
        """Override the intent of each message the detector recognises."""
        for message in messages:
            self._process_one(message)
        return messages

    def process_training_data(self, training_data: Any) -> Any:
        return training_data

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        verdict = self._detector.detect(text)
        if verdict:
            self._override(message, verdict.intent, {"rule": verdict.pattern, "intent": verdict.intent})
        elif self._language is not None and (language := self._language.check(text)) is not None:
            self._override(message, NLU_FALLBACK, {"rule": "language", "intent": NLU_FALLBACK})
            message.set(LANGUAGE_PROPERTY, {"language": language.language, "rule": language.rule}, add_to_output=True)
        elif self._predicted(message) in URGENT_INTENTS and self._detector.vetoes_model_alarm(text):
            self._set_aside_model_alarm(message)

    @staticmethod
    def _predicted(message: Message) -> str | None:
        return (message.get(INTENT) or {}).get("name")

    def _set_aside_model_alarm(self, message: Message) -> None:
        """Replace the model's crisis/emergency guess with its best other guess."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        others = [item for item in ranking if item.get("name") not in (*URGENT_INTENTS, NLU_FALLBACK)]
        best = others[0] if others and others[0].get("confidence", 0.0) >= VETO_MIN_CONFIDENCE else None
        intent = best["name"] if best else NLU_FALLBACK
        self._override(message, intent, {"rule": "model_alarm_veto", "intent": intent}, best and best["confidence"])

    @staticmethod
    def _override(message: Message, intent: str, why: Dict[str, str], confidence: float | None = None) -> None:
        predicted = {"name": intent, "confidence": 1.0 if confidence is None else confidence}
        ranking = [item for item in (message.get(INTENT_RANKING_KEY) or []) if item.get("name") != intent]
        message.set(INTENT, predicted, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [predicted, *ranking], add_to_output=True)
        message.set(SAFETY_PROPERTY, why, add_to_output=True)
