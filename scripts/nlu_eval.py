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

from core.context_reading import (
    CONTEXT_RANKING_PROPERTY,
    earlier_texts,
    joined_text,
    topic_ranking,
    wants_context_reading,
)
from core.routing import Context, Decision, decide, intent_name
from core.vocabulary import (
    ACKNOWLEDGE_ID,
    CLARIFY_ID,
    CRISIS_ID,
    EMERGENCY_AND_CRISIS_ID,
    EMERGENCY_ID,
    FALLBACK_ID,
    NON_ENGLISH_ID,
)
from scripts.merge_authored import read_examples

ASKING_IDS = frozenset({CLARIFY_ID, FALLBACK_ID, ACKNOWLEDGE_ID})
OUTCOMES = ("right", "clarify_right", "clarify_other", "wrong")
# The emergency instruction followed by the crisis line answers an emergency and a
# crisis alike (as tests/safety/sealed_corpus.py scores them).
ALSO_RIGHT = {EMERGENCY_ID: (EMERGENCY_AND_CRISIS_ID,), CRISIS_ID: (EMERGENCY_AND_CRISIS_ID,)}
Parse = Dict[str, Any]


def outcome(expected: str, decision: Decision) -> str:
    """How a patient who expected ``expected`` fares with ``decision``."""
    if decision.content_id == expected or decision.content_id in ALSO_RIGHT.get(expected, ()):
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
    results: List[str] = field(default_factory=list)

    def add(self, expected: str, decision: Decision, text: str) -> str:
        result = outcome(expected, decision)
        self.outcomes[result] += 1
        self.by_label[expected][result] += 1
        self.predicted[decision.content_id] += 1
        self.results.append(result)
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
    """Play each conversation; score its last turn. Also count medicine leads right of those expected.

    Each turn is parsed as the Rasa server parses it: on its own, and a follow-on read
    a second time with the earlier turns (core/context_reading.py).
    """
    scores = Scores()
    medicine_right = medicine_expected = 0
    parsed = with_context_readings(parser, [list(item["turns"]) for item in items])
    for item, parses in zip(items, parsed, strict=True):
        context = Context()
        decision = None
        for parse in parses:
            decision = decide(parse, context)
            context = decision.context
        assert decision is not None
        scores.add(str(item["expect"]), decision, " / ".join(item["turns"]))
        expected_medicine = item.get("medicine")
        if expected_medicine and decision.content_id == item["expect"]:
            medicine_expected += 1
            said = decision.medicine or context.medicine
            medicine_right += medicine_generic.get(said or "", None) == expected_medicine
    return scores, medicine_right, medicine_expected


def right_by_file(sizes: Sequence[Tuple[str, int]], results: Sequence[str]) -> Dict[str, Dict[str, int]]:
    """Right answers and totals per file, from outcomes listed in the files' order."""
    by_file: Dict[str, Dict[str, int]] = {}
    start = 0
    for name, size in sizes:
        mine = results[start:start + size]
        by_file[name] = {"right": sum(result == "right" for result in mine), "total": len(mine)}
        start += size
    return by_file


def with_context_readings(parser: Parser, conversations_turns: Sequence[Sequence[str]]) -> List[List[Parse]]:
    """Parses of every turn, follow-ons carrying their reading with the earlier turns."""
    turns = [turn for conversation in conversations_turns for turn in conversation]
    flat = iter(parser.parse_all(turns))
    parsed = [[next(flat) for _ in conversation] for conversation in conversations_turns]
    wanted: List[Tuple[Parse, str]] = []
    for conversation, parses in zip(conversations_turns, parsed, strict=True):
        for index, parse in enumerate(parses):
            pairs = zip(conversation[:index], parses[:index], strict=True)
            earlier = earlier_texts((turn, intent_name(before)) for turn, before in pairs)
            if earlier and wants_context_reading(parse):
                wanted.append((parse, joined_text(earlier, conversation[index])))
    readings = parser.parse_all([text for _, text in wanted]) if wanted else []
    for (parse, _), reading in zip(wanted, readings, strict=True):
        parse[CONTEXT_RANKING_PROPERTY] = topic_ranking(reading)
    return parsed


def language_scores(parses: Sequence[Parse]) -> Tuple[int, int]:
    """(recognised as not English, total) for non-English messages."""
    return sum(decide(parse).content_id == NON_ENGLISH_ID for parse in parses), len(parses)


def english_marked_non_english(parses: Sequence[Parse], texts: Sequence[str]) -> List[str]:
    """The English messages that got the "English only" reply."""
    return [text for parse, text in zip(parses, texts, strict=True) if decide(parse).content_id == NON_ENGLISH_ID]



@dataclass(frozen=True)
class EvalSet:
    """Where a labelled set's files are."""

    name: str
    messages: Tuple[Path, ...]
    followups: Tuple[Path, ...]
    non_english: Path | None


def eval_set(name: str, root: Path) -> EvalSet:
    """The development (``dev``) or the unseen (``unseen``) set under tests/nlu/."""
    folder = root / "tests" / "nlu" / name
    messages = tuple(path for path in sorted(folder.glob("*.yml"))
                     if not path.stem.startswith("followups") and path.stem != "non_english")
    followups = tuple(sorted(folder.glob("followups*.yml")))
    non_english = folder / "non_english.yml"
    return EvalSet(name, messages, followups, non_english if non_english.exists() else None)


def evaluate(parser: Parser, chosen: EvalSet, medicine_generic: Mapping[str, str]) -> Dict[str, Any]:
    """Every figure of the NLU report for one set, as JSON-ready data."""
    labelled = labelled_messages(chosen.messages)
    texts = [text for _, text in labelled]
    parses = parser.parse_all(texts)
    scores = score_messages(parses, [label for label, _ in labelled], texts)
    result: Dict[str, Any] = {
        "name": chosen.name,
        "files": [path.name for path in chosen.messages],
        "total": scores.total,
        "outcomes": {name: scores.outcomes[name] for name in OUTCOMES},
        "per_label": {
            label: {"support": sum(scores.by_label[label].values()),
                    "precision": scores.precision_recall(label)[0], "recall": scores.precision_recall(label)[1],
                    **{name: scores.by_label[label][name] for name in OUTCOMES}}
            for label in sorted(scores.by_label)
        },
        "confusions": [[expected, got, count] for (expected, got), count in scores.confusions.most_common(20)],
        "english_marked_non_english": english_marked_non_english(parses, texts),
    }
    if chosen.non_english is not None:
        messages = non_english_messages(chosen.non_english)
        recognised, total = language_scores(parser.parse_all([m["text"] for m in messages]))
        result["non_english"] = {"recognised": recognised, "total": total}
    if chosen.followups:
        per_file = [(path.name, conversations([path])) for path in chosen.followups]
        items = [item for _, file_items in per_file for item in file_items]
        follow, medicine_right, medicine_expected = score_conversations(parser, items, medicine_generic)
        result["followups"] = {"total": follow.total, "outcomes": {name: follow.outcomes[name] for name in OUTCOMES},
                               "medicine_right": medicine_right, "medicine_expected": medicine_expected,
                               "confusions": [[e, g, c] for (e, g), c in follow.confusions.most_common(10)],
                               "by_file": right_by_file([(name, len(found)) for name, found in per_file],
                                                        follow.results)}
    return result


def main() -> None:
    """Evaluate a model on the development or unseen set and write the figures as JSON."""
    import argparse
    import json

    from core.content import ContentStore
    from core.medicines import generic_names

    root = Path(__file__).resolve().parent.parent
    command = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    command.add_argument("--model", type=Path, default=root / "models" / "assistant.tar.gz")
    command.add_argument("--set", choices=("dev", "unseen"), required=True)
    command.add_argument("--out", type=Path, required=True)
    args = command.parse_args()
    parser = Parser(args.model)
    medicines = generic_names(ContentStore.load(root / "content").medicines)
    result = evaluate(parser, eval_set(args.set, root), medicines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    right, wrong = (result["outcomes"][name] / result["total"] for name in ("right", "wrong"))
    print(f"{args.set}: right {right:.3f}, wrong {wrong:.3f} of {result['total']} messages; wrote {args.out}")


if __name__ == "__main__":
    main()
