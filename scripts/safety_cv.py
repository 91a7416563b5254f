"""Leave-one-author-out cross-validation of the safety layer on its training corpus.

    python -m scripts.safety_cv [--weak 0.4 --strong 0.8 ...]

For each author of safety/corpus/, the classifier is trained on the other authors and
the NLU data, and the combined verdict (patterns + classifier, safety/assessment.py)
is scored on the held-out author's messages. This is how the thresholds in
safety/assessment.py were chosen; the sealed corpus (tests/safety/sealed/) is never used.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

from safety import assessment
from safety import classifier as labels
from safety.classifier import Example, SafetyClassifier, corpus_examples, nlu_examples
from safety.detector import CRISIS, EMERGENCY, PERSONAL_ADVICE, SafetyDetector
from safety.words import english_words
from scripts.merge_authored import read_examples

ROOT = Path(__file__).resolve().parent.parent
URGENT = (CRISIS, EMERGENCY)


def nlu_pairs(directory: Path) -> List[Tuple[str, str]]:
    """(intent, text) of every NLU training example."""
    pairs = []
    for path in sorted(directory.glob("*.yml")):
        for intent, examples in read_examples(path).items():
            pairs.extend((intent, text) for text in examples)
    return pairs


def outcome(label: str, verdict: assessment.Assessment) -> str:
    """Right or wrong for one held-out message."""
    if label == labels.CRISIS:  # as the sealed corpus scores it: the reply must give the crisis line
        with_crisis_line = verdict.intent == CRISIS or verdict.variant == assessment.WITH_CRISIS
        return "hit" if with_crisis_line else "miss"
    if label in (labels.OVERDOSE_INTENT, labels.EMERGENCY):
        return "hit" if verdict.intent in URGENT else "miss"
    if label == labels.PERSONAL_ADVICE:
        return "hit" if verdict.intent == PERSONAL_ADVICE else "miss"
    if label == labels.PAST_CRISIS:
        return "flagged" if verdict.intent in URGENT else "not flagged"
    if label == labels.OVERDOSE_QUESTION:
        return "hit" if verdict.intent in (*URGENT, assessment.OVERDOSE_TOPIC) else "miss"
    if verdict.intent in URGENT:
        return "false alarm"
    return "false advice" if verdict.intent == PERSONAL_ADVICE else "ok"


def cross_validate(examples: List[Example], nlu: List[Example]) -> Dict[str, Counter]:
    """Outcome counts per label over the held-out authors."""
    is_word = english_words().__contains__
    detector = SafetyDetector(is_word)
    results: Dict[str, Counter] = {}
    for author in sorted({example.author for example in examples}):
        held_out = [example for example in examples if example.author == author]
        model = SafetyClassifier.train([e for e in examples if e.author != author] + nlu, is_word)
        for example, probabilities in zip(held_out, model.probabilities_of([e.text for e in held_out]), strict=True):
            verdict = assessment.assess(example.text, detector, probabilities, None)
            results.setdefault(example.label, Counter())[outcome(example.label, verdict)] += 1
    return results


def main() -> None:
    """Print the cross-validated figures for the thresholds given (default: the module's)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("WEAK_ALARM", "STRONG_ALARM", "ADVICE_ALONE", "ADVICE_WITH_PATTERN"):
        parser.add_argument("--" + name.lower().replace("_", "-"), type=float, default=getattr(assessment, name))
    args = parser.parse_args()
    for name in ("WEAK_ALARM", "STRONG_ALARM", "ADVICE_ALONE", "ADVICE_WITH_PATTERN"):
        setattr(assessment, name, getattr(args, name.lower()))
    examples = corpus_examples(ROOT / "safety" / "corpus")
    nlu = nlu_examples(nlu_pairs(ROOT / "data" / "nlu"))
    for label, counts in sorted(cross_validate(examples, nlu).items()):
        total = sum(counts.values())
        print(f"{label:18} {total:5}  " + "  ".join(f"{name} {count / total:.3f}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
