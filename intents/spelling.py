"""Spelling correction before the NLU pipeline (a trial: see config.yml for the result).

symspellpy's bundled English frequency dictionary corrects words that are not English
words ("constipashun" -> "constipation"); words that look like medicine names are left
alone, so "amitriptiline" reaches the entity ruler as typed.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from symspellpy import Verbosity

from safety.language import LanguageCheck, _symspell
from safety.normalise import SHORTHAND
from safety.words import english_words

_WORD = re.compile(r"[A-Za-z]{4,}")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SpellingCorrector(GraphComponent):
    """Replaces misspelled English words with the dictionary's closest word."""

    def __init__(self, check: LanguageCheck) -> None:
        self._check = check
        self._english = english_words()

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SpellingCorrector:
        from safety.component import _medicine_names

        english = english_words()
        return cls(LanguageCheck(lambda word: word in english or word in SHORTHAND, _medicine_names()))

    def correct(self, text: str) -> str:
        """``text`` with misspelled words corrected."""
        return _WORD.sub(lambda match: self._word(match.group(0)), text)

    def _word(self, word: str) -> str:
        lower = word.lower()
        if lower in self._english or lower in SHORTHAND or self._check._medicine_like(lower):
            return word
        found = _symspell().lookup(lower, Verbosity.TOP, max_edit_distance=1 if len(lower) < 7 else 2)
        return found[0].term if found else word

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(TEXT):
                message.set(TEXT, self.correct(message.get(TEXT)))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
