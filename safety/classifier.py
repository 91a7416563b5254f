"""A learned safety signal: a text classifier for crisis, emergency and personal-advice messages.

Patterns (safety/patterns.py) catch the wordings their authors thought of; this
classifier, trained on a larger, varied corpus from separate authors
(safety/corpus/*.yml, with hard negatives) plus the NLU training data, recognises
messages by their words and word pieces. safety/component.py combines both: either
can raise the alarm, and the idiom vetoes only cancel a weak model alarm, never a
pattern.

Model: TF-IDF word 1-2 grams and character 2-5 grams of the normalised text
(safety/normalise.py), then a class-balanced logistic regression (scikit-learn, already
pinned by Rasa). Labels: see :data:`LABELS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Sequence, Tuple

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from safety.normalise import normalise

CRISIS = "crisis"
PAST_CRISIS = "past_crisis"
OVERDOSE_INTENT = "overdose_intent"
EMERGENCY = "emergency"
OVERDOSE_QUESTION = "overdose_question"
PERSONAL_ADVICE = "personal_advice"
OTHER = "other"
LABELS = (CRISIS, PAST_CRISIS, OVERDOSE_INTENT, EMERGENCY, OVERDOSE_QUESTION, PERSONAL_ADVICE, OTHER)
# Corpus classes (tests/nlu/AUTHORS.md) -> labels.
CORPUS_LABELS = {
    "crisis": CRISIS,
    "past_crisis": PAST_CRISIS,
    "intentional_overdose": OVERDOSE_INTENT,
    "emergency": EMERGENCY,
    "overdose_question": OVERDOSE_QUESTION,
    "personal_advice": PERSONAL_ADVICE,
    "general_question": OTHER,
    "hard_negative": OTHER,
}
# NLU intents -> labels (every other intent is OTHER).
NLU_LABELS = {"crisis_support": CRISIS, "emergency_symptoms": EMERGENCY, "personal_medical_advice": PERSONAL_ADVICE}
# Inverse regularisation strength of the logistic regression. Leave-one-author-out
# cross-validation (scripts/safety_cv.py, with the alarm thresholds of safety/assessment.py
# re-chosen for each): 128 with alarms at 0.3/0.7 against 8 at 0.4/0.8 recognised 28 more of
# 2,520 crisis messages, as many emergencies, and raised 42 fewer false alarms on 4,980
# ordinary ones; 32 recognised 4 more crises but raised 36 more false alarms, and 2 did worse on both.
REGULARISATION = 128.0


@dataclass(frozen=True)
class Example:
    """One labelled training message and who wrote it."""

    text: str
    label: str
    author: str


def corpus_examples(directory: Path) -> List[Example]:
    """The safety corpus: one YAML file per author, class -> messages."""
    examples = []
    for path in sorted(Path(directory).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for corpus_class, messages in data.items():
            label = CORPUS_LABELS.get(corpus_class)
            if label is None:
                raise ValueError(f"{path}: unknown class {corpus_class!r} (known: {', '.join(CORPUS_LABELS)})")
            examples.extend(Example(str(text), label, path.stem) for text in messages or [])
    return examples


def nlu_examples(pairs: Iterable[Tuple[str, str]]) -> List[Example]:
    """NLU training examples as (intent, text) pairs, labelled for the classifier."""
    return [Example(text, NLU_LABELS.get(intent, OTHER), "nlu") for intent, text in pairs]


def _pipeline(regularisation: float) -> Pipeline:
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
        ]
    )
    model = LogisticRegression(C=regularisation, class_weight="balanced", max_iter=5000, random_state=0)
    return Pipeline([("features", features), ("model", model)])


class SafetyClassifier:
    """Probabilities of each label for a message."""

    def __init__(self, pipeline: Pipeline, is_word: Callable[[str], bool]) -> None:
        self.pipeline = pipeline
        self._is_word = is_word

    @classmethod
    def train(
        cls, examples: Sequence[Example], is_word: Callable[[str], bool], regularisation: float = REGULARISATION
    ) -> SafetyClassifier:
        """Fit the classifier on ``examples``."""
        pipeline = _pipeline(regularisation)
        pipeline.fit([normalise(example.text, is_word) for example in examples], [e.label for e in examples])
        return cls(pipeline, is_word)

    def probabilities(self, text: str) -> Dict[str, float]:
        """Each label's probability for ``text``."""
        return self.probabilities_of([text])[0]

    def probabilities_of(self, texts: Sequence[str]) -> List[Dict[str, float]]:
        """Each label's probability for each text."""
        rows = self.pipeline.predict_proba([normalise(text, self._is_word) for text in texts])
        labels = list(self.pipeline.classes_)
        return [{label: float(row[index]) for index, label in enumerate(labels)} for row in rows]
