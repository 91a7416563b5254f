"""Score a trained model on held-out messages, as patients would meet it.

Every message goes through the whole NLU pipeline (DIET, the fallback classifier, the
safety layer and the language check) and then through the same reply choice as the
action server (core/routing.py). Each message's outcome is one of:

* ``right``: answered with the expected content;
* ``clarify_right``: "Did you mean ..." (or an acknowledgement) offering the expected topic;
* ``clarify_other``: "Did you mean ..." without it;
* ``wrong``: answered confidently with other content.

Follow-up conversations are played turn by turn with the conversation's context.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple

import yaml

from core.routing import Context, Decision, decide
from core.vocabulary import ACKNOWLEDGE_ID, CLARIFY_ID, FALLBACK_ID, NON_ENGLISH_ID
from scripts.merge_authored import read_examples

ASKING_IDS = frozenset({CLARIFY_ID, FALLBACK_ID, ACKNOWLEDGE_ID})
OUTCOMES = ("right", "clarify_right", "clarify_other", "wrong")
Parse = Dict[str, Any]


def outcome(expected: str, decision: Decision) -> str:
    """How a patient who expected ``expected`` fares with ``decision``."""
    if decision.content_id == expected:
        return "right"
    if decision.content_id in ASKING_IDS:
        return "clarify_right" if expected in (decision.quick_replies or ()) else "clarify_other"
    return "wrong"


@dataclass
class Scores:
    """Outcome counts, per-label outcomes and confusions of one set."""

    outcomes: Counter = field(default_factory=Counter)
    by_label: Dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    predicted: Counter = field(default_factory=Counter)
    confusions: Counter = field(default_factory=Counter)
    examples: List[Tuple[str, str, str]] = field(default_factory=list)

    def add(self, expected: str, decision: Decision, text: str) -> str:
        result = outcome(expected, decision)
        self.outcomes[result] += 1
        self.by_label[expected][result] += 1
        self.predicted[decision.content_id] += 1
        if result != "right":
            self.confusions[(expected, decision.content_id)] += 1
            self.examples.append((expected, decision.content_id, text))
        return result

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    def share(self, name: str) -> float:
        return self.outcomes[name] / self.total if self.total else 0.0

    def precision_recall(self, label: str) -> Tuple[float, float]:
        right = self.by_label[label]["right"]
        support = sum(self.by_label[label].values())
        predicted = self.predicted[label]
        return (right / predicted if predicted else 0.0, right / support if support else 0.0)


def labelled_messages(paths: Iterable[Path]) -> List[Tuple[str, str]]:
    """(intent, text) pairs from Rasa NLU YAML files."""
    pairs = []
    for path in paths:
        for intent, examples in read_examples(path).items():
            pairs.extend((intent, example) for example in examples)
    return pairs


def conversations(paths: Iterable[Path]) -> List[Mapping[str, Any]]:
    """Follow-up conversations: ``{turns, expect, medicine}``."""
    found = []
    for path in paths:
        found.extend((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("conversations") or [])
    return found


def non_english_messages(path: Path) -> List[Mapping[str, str]]:
    """``{language, text}`` messages."""
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages") or []


class Parser:
    """Parses texts with a trained model, in batches, in this process."""

    def __init__(self, model: Path) -> None:
        import structlog
        from rasa.core.agent import Agent

        logging.getLogger("rasa").setLevel(logging.ERROR)
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

        self.agent = Agent.load(str(model))

    def parse_all(self, texts: Sequence[str]) -> List[Parse]:
        async def run() -> List[Parse]:
            return [await self.agent.parse_message(text) for text in texts]

        return asyncio.run(run())


def score_messages(parses: Sequence[Parse], labels: Sequence[str], texts: Sequence[str]) -> Scores:
    """Score single messages (no context)."""
    scores = Scores()
    for parse, label, text in zip(parses, labels, texts, strict=True):
        scores.add(label, decide(parse), text)
    return scores


def score_conversations(parser: Parser, items: Sequence[Mapping[str, Any]], medicine_generic: Mapping[str, str]
                        ) -> Tuple[Scores, int, int]:
    """Play each conversation; score its last turn. Also count medicine leads right of those expected."""
    scores = Scores()
    medicine_right = medicine_expected = 0
    turns = [turn for item in items for turn in item["turns"]]
    parses = iter(parser.parse_all(turns))
    for item in items:
        context = Context()
        decision = None
        for _ in item["turns"]:
            decision = decide(next(parses), context)
            context = decision.context
        assert decision is not None
        scores.add(str(item["expect"]), decision, " / ".join(item["turns"]))
        expected_medicine = item.get("medicine")
        if expected_medicine and decision.content_id == item["expect"]:
            medicine_expected += 1
            said = decision.medicine or context.medicine
            medicine_right += medicine_generic.get(said or "", None) == expected_medicine
    return scores, medicine_right, medicine_expected


def language_scores(parses: Sequence[Parse]) -> Tuple[int, int]:
    """(recognised as not English, total) for non-English messages."""
    return sum(decide(parse).content_id == NON_ENGLISH_ID for parse in parses), len(parses)


def english_marked_non_english(parses: Sequence[Parse], texts: Sequence[str]) -> List[str]:
    """The English messages that got the "English only" reply."""
    return [text for parse, text in zip(parses, texts, strict=True) if decide(parse).content_id == NON_ENGLISH_ID]

