"""An intent classifier that blends Rasa's logistic regression with DIET's ranking.

Placed right after DIETClassifier in config.yml. It is Rasa's own
LogisticRegressionClassifier (trained on the same sparse features) whose
probabilities are averaged with the ranking DIET already put on the message:
``weight`` for the logistic regression, ``1 - weight`` for DIET. On the development
set the two models make different mistakes, so the blend gives more right answers and
fewer confident wrong ones than either alone (docs/nlu-report.md, config.yml).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

WEIGHT = "weight"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class BlendedLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Rasa's logistic regression, averaged with the intent ranking already on the message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), WEIGHT: 0.5, "ranking_length": 0}

    def process(self, messages: List[Message]) -> List[Message]:
        """Average the earlier classifier's ranking with this one's."""
        earlier = [_scores(message) for message in messages]
        super().process(messages)
        weight = float(self.config[WEIGHT])
        for message, before in zip(messages, earlier, strict=True):
            if not before:
                continue
            scores = {name: weight * confidence for name, confidence in _scores(message).items()}
            for name, confidence in before.items():
                scores[name] = scores.get(name, 0.0) + (1.0 - weight) * confidence
            ranking = [{"name": name, "confidence": value} for name, value in scores.items()]
            ranking.sort(key=lambda item: -item["confidence"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


def _scores(message: Message) -> Dict[str, float]:
    return {
        str(item["name"]): float(item.get("confidence") or 0.0)
        for item in message.get(INTENT_RANKING_KEY) or []
        if item.get("name")
    }
