"""Rasa NLU component: the safety layer's verdict overrides the model.

Placed last in the NLU pipeline (config.yml). The patterns (safety/patterns.py) and a
learned classifier (safety/classifier.py, trained with the model on the safety corpus
safety/corpus/ and the NLU data) are combined by safety/assessment.py. When they
recognise a crisis, an emergency or a request for a personal medical decision, the
message's intent becomes that safety intent with confidence 1.0, whatever DIET or the
FallbackClassifier said, and a ``safety`` property records why (and the reply's
variant: an overdose taken on purpose, or a crisis in the past). A message in another
language (safety/language.py) becomes ``nlu_fallback`` with a ``language`` property,
which the assistant answers with its "English only" reply.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from core.content import ContentStore
from core.vocabulary import (
    DEFAULT_CONTENT_DIR,
    LANGUAGE_PROPERTY,
    NLU_FALLBACK_INTENT,
    PERSONAL_ADVICE_ID,
    SAFETY_IDS,
    SAFETY_PROPERTY,
    TOPIC_IDS,
)
from safety.assessment import assess
from safety.classifier import SafetyClassifier, corpus_examples, nlu_examples
from safety.detector import SafetyDetector
from safety.language import LanguageCheck
from safety.normalise import SHORTHAND
from safety.words import english_words

VETO_MIN_CONFIDENCE = 0.3
CLASSIFIER_FILE = "safety_classifier.skops"
DEFAULT_CORPUS = "safety/corpus"
# The only type in a saved classifier that skops does not trust by default.
TRUSTED_TYPES = frozenset({"scipy.sparse._csr.csr_matrix"})
# The code the trained classifier depends on: a change retrains it (Rasa's cache
# fingerprints config and training data, not files the component reads itself).
TRAINING_SOURCES = ("classifier.py", "normalise.py")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SafetyOverride(GraphComponent):
    """Overrides the predicted intent for safety-critical and non-English messages."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"corpus": DEFAULT_CORPUS}

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: SafetyClassifier | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        english = english_words()
        self._is_word = english.__contains__
        self._detector = SafetyDetector(self._is_word)
        self._language = LanguageCheck(lambda word: word in english or word in SHORTHAND, _medicine_names())
        self.topic_titles = topic_titles()
        self._classifier = classifier

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """The corpus files and the classifier's code, so a change to either retrains it."""
        digest = hashlib.sha256()
        corpus = Path({**cls.get_default_config(), **config}["corpus"])
        for path in [*sorted(corpus.glob("*.yml")), *(Path(__file__).parent / name for name in TRAINING_SOURCES)]:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyOverride:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SafetyOverride:
        with model_storage.read_from(resource) as directory:
            path = directory / CLASSIFIER_FILE
            untrusted = set(sio.get_untrusted_types(file=path))
            if untrusted - TRUSTED_TYPES:
                unexpected = sorted(untrusted - TRUSTED_TYPES)
                raise ValueError(f"{path}: unexpected types in the safety classifier: {unexpected}")
            pipeline = sio.load(path, trusted=sorted(untrusted))
        component = cls(config, model_storage, resource)
        component._classifier = SafetyClassifier(pipeline, component._is_word)
        return component

    def train(self, training_data: TrainingData) -> Resource:
        """Train the safety classifier on the safety corpus and the NLU examples."""
        pairs = [(example.get(INTENT), example.get(TEXT)) for example in training_data.intent_examples]
        examples = corpus_examples(self._config["corpus"]) + nlu_examples(pairs)
        self._classifier = SafetyClassifier.train(examples, self._is_word)
        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self._classifier.pipeline, directory / CLASSIFIER_FILE)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Override the intent of each message the safety layer recognises."""
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        probabilities = self._classifier.probabilities(text) if self._classifier else {}
        ordinary_intent, ordinary_confidence = _ordinary_best(message)
        verdict = assess(text, self._detector, probabilities, _predicted(message), ordinary_confidence, ordinary_intent)
        why = {"source": verdict.source, "rule": verdict.detail, "variant": verdict.variant}
        if verdict.intent == PERSONAL_ADVICE_ID and title_key(text) in self.topic_titles:
            return  # a quick-reply button (a topic's own title) is a general question, never a dose decision
        if verdict.intent is not None:
            self._override(message, verdict.intent, {**why, "intent": verdict.intent})
        elif (language := self._language.check(text)) is not None:
            self._override(message, NLU_FALLBACK_INTENT, {"source": "language", "intent": NLU_FALLBACK_INTENT})
            message.set(LANGUAGE_PROPERTY, {"language": language.language, "rule": language.rule}, add_to_output=True)
        elif _predicted(message) in SAFETY_IDS:
            self._set_aside_model_guess(message)

    def _set_aside_model_guess(self, message: Message) -> None:
        """NLU guessed a safety intent that neither the patterns nor the classifier support."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        others = [item for item in ranking if item.get("name") not in (*SAFETY_IDS, NLU_FALLBACK_INTENT)]
        best = others[0] if others and others[0].get("confidence", 0.0) >= VETO_MIN_CONFIDENCE else None
        intent = best["name"] if best else NLU_FALLBACK_INTENT
        why = {"source": "set_aside", "rule": "no pattern or classifier support", "intent": intent}
        self._override(message, intent, why, best and best["confidence"])

    @staticmethod
    def _override(message: Message, intent: str, why: Dict[str, Any], confidence: float | None = None) -> None:
        predicted = {"name": intent, "confidence": 1.0 if confidence is None else confidence}
        ranking = [item for item in (message.get(INTENT_RANKING_KEY) or []) if item.get("name") != intent]
        message.set(INTENT, predicted, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [predicted, *ranking], add_to_output=True)
        message.set(SAFETY_PROPERTY, why, add_to_output=True)


def _predicted(message: Message) -> str | None:
    return (message.get(INTENT) or {}).get("name")


def _ordinary_best(message: Message) -> Tuple[str | None, float]:
    """The NLU model's best intent that is not a safety one, and its confidence."""
    for item in message.get(INTENT_RANKING_KEY) or []:
        if item.get("name") not in (*SAFETY_IDS, NLU_FALLBACK_INTENT):
            return item.get("name"), float(item.get("confidence") or 0.0)
    return None, 0.0


def title_key(text: str) -> str:
    """A message or title as compared with the titles: lower case, words only."""
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def topic_titles() -> FrozenSet[str]:
    """The topics' titles, which the quick-reply buttons send as the patient's message."""
    store = ContentStore.load(os.environ.get("CONTENT_DIR", DEFAULT_CONTENT_DIR))
    return frozenset(title_key(store.answer(topic).title) for topic in TOPIC_IDS if topic in store.answers)


def _medicine_names() -> List[str]:
    medicines = ContentStore.load(os.environ.get("CONTENT_DIR", DEFAULT_CONTENT_DIR)).medicines.medicines
    return [word for medicine in medicines for name in (medicine.name, *medicine.brands, *medicine.misspellings)
            for word in name.split()]
