"""Rasa NLU component that lets the safety detector override the model.

Placed last in the NLU pipeline (config.yml). When the detector recognises a
crisis, an emergency or a request for a personal medical decision, the message's
intent becomes that safety intent with confidence 1.0, whatever DIET or the
FallbackClassifier said, and a ``safety`` property records why.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from safety.detector import CRISIS, EMERGENCY, SafetyDetector
from safety.language import looks_non_english
from safety.words import english_words

NON_ENGLISH = "non_english"
URGENT_INTENTS = (CRISIS, EMERGENCY)
NLU_FALLBACK = "nlu_fallback"
VETO_MIN_CONFIDENCE = 0.3
SAFETY_PROPERTY = "safety"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyOverride(GraphComponent):
    """Overrides the predicted intent for safety-critical and non-English messages."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    def __init__(self, detector: SafetyDetector, english: FrozenSet[str]) -> None:
        self._detector = detector
        self._english = english

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyOverride:
        english = english_words()
        return cls(SafetyDetector(english.__contains__), english)

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
        elif self._english and looks_non_english(text, self._english.__contains__):
            self._override(message, NON_ENGLISH, {"rule": "language", "intent": NON_ENGLISH})
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
