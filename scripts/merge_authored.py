"""Merge training examples from separate authors into ``data/nlu/<intent>.yml``.

    python -m scripts.merge_authored build/authoring/train/T8.yml [...]
    python -m scripts.merge_authored --titles

``--titles`` adds each answer's title (content/answers.yml) to its intent's examples:
quick-reply buttons send the title as if the patient typed it.

Each author's file is Rasa NLU YAML (see tests/nlu/AUTHORS.md). Examples are added
to the per-intent files under ``data/nlu/`` (one file per intent, as rasa-demo splits
its data), skipping duplicates (ignoring case, spacing and end punctuation) and any
example of more than :data:`COMMON_PHRASE_WORDS` words that is also in a test or
development set, or is a near copy of one (:data:`NEAR_COPY`): those sets are never
trained on. Authors who never saw each other's work do write the same short everyday
phrases ("hello", "thanks", "ok"); such a coincidence is kept, since dropping "hello"
from training would make the assistant worse at greetings without making any test fairer.
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data" / "nlu"
HELD_OUT_DIRS = (ROOT / "tests" / "nlu" / "unseen", ROOT / "tests" / "nlu" / "dev")
# The content coverage map's headings measure unseen wording too (tests/content/coverage.yml).
COVERAGE_MAP = ROOT / "tests" / "content" / "coverage.yml"
HEADER = (
    "# Training examples for one intent, written by separate authors (tests/nlu/AUTHORS.md).\n"
    "# Add examples with scripts/merge_authored.py; never copy a message from tests/.\n"
)
_SPACES = re.compile(r"\s+")
COMMON_PHRASE_WORDS = 3
# An example this similar to a held-out message (difflib ratio of the keys) is a near copy: skipped too.
NEAR_COPY = 0.8


def key(text: str) -> str:
    """What makes two examples the same: case, spacing and end punctuation ignored."""
    return _SPACES.sub(" ", text.lower()).strip().rstrip(" ?!.")


def read_examples(path: Path) -> Dict[str, List[str]]:
    """Examples by intent from one Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: Dict[str, List[str]] = defaultdict(list)
    for block in data.get("nlu") or []:
        if "intent" not in block:
            continue
        for line in str(block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- ") and line[2:].strip():
                examples[block["intent"]].append(line[2:].strip())
    return examples


def coverage_keys(path: Path = COVERAGE_MAP) -> set:
    """Keys of the coverage map's headings."""
    if not path.exists():
        return set()
    pages = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("pages") or []
    return {key(str(item.get("question", ""))) for page in pages for item in page.get("questions") or []}


def held_out_keys(directories: Iterable[Path] = HELD_OUT_DIRS) -> set:
    """Keys of every message in the test and development sets and the coverage map."""
    keys = coverage_keys()
    for directory in directories:
        for path in sorted(directory.glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for examples in read_examples(path).values():
                keys.update(key(example) for example in examples)
            for conversation in data.get("conversations") or []:
                keys.update(key(turn) for turn in conversation.get("turns") or [])
            for message in data.get("messages") or []:
                keys.add(key(str(message.get("text", ""))))
    return keys


def is_near_copy(example_key: str, held_out: Iterable[str], threshold: float = NEAR_COPY) -> bool:
    """Whether ``example_key`` is a held-out message with a few words changed."""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(example_key)
    for other in held_out:
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold \
                and matcher.ratio() >= threshold:
            return True
    return False


def write_intent_file(path: Path, intent: str, examples: List[str]) -> None:
    """One intent's examples as Rasa NLU YAML (each example one line)."""
    lines = [HEADER, 'version: "3.1"\n', "nlu:\n", f"  - intent: {intent}\n", "    examples: |\n"]
    lines += [f"      - {example}\n" for example in examples]
    path.write_text("".join(lines), encoding="utf-8")


def merge(sources: Iterable[Path], data_dir: Path = DATA_DIR, held_out: set | None = None) -> Dict[str, int]:
    """Add the sources' examples to ``data_dir``; return how many were added per intent."""
    held_out = held_out_keys() if held_out is None else held_out
    data_dir.mkdir(parents=True, exist_ok=True)
    current: Dict[str, List[str]] = defaultdict(list)
    for path in sorted(data_dir.glob("*.yml")):
        for intent, examples in read_examples(path).items():
            current[intent].extend(examples)
    seen = {key(example) for examples in current.values() for example in examples}
    added: Dict[str, int] = defaultdict(int)
    for source in sources:
        for intent, examples in read_examples(source).items():
            for example in examples:
                long_enough = len(example.split()) > COMMON_PHRASE_WORDS
                held = long_enough and (key(example) in held_out or is_near_copy(key(example), held_out))
                if key(example) in seen or held or "\n" in example:
                    continue
                seen.add(key(example))
                current[intent].append(example)
                added[intent] += 1
    for intent, examples in current.items():
        write_intent_file(data_dir / f"{intent}.yml", intent, examples)
    return dict(added)


def title_examples(content_dir: Path, target: Path) -> Path:
    """Write the answers' titles as an NLU file (titles of answers that are intents)."""
    from core.content import ContentStore
    from core.vocabulary import INTENT_IDS

    store = ContentStore.load(content_dir)
    blocks = [
        {"intent": answer.id, "examples": f"- {answer.title}\n"}
        for answer in store.answers.values()
        if answer.id in INTENT_IDS
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, width=1000))
    return target


def main() -> None:
    """Merge the files named on the command line (and the answers' titles with --titles)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--titles", action="store_true", help="add the answers' titles (quick replies)")
    args = parser.parse_args()
    added = merge(args.sources, args.data)
    if args.titles:  # our own button texts: trained even when a test author wrote the same words
        titles = title_examples(ROOT / "content", ROOT / "build" / "authoring" / "titles.yml")
        for intent, count in merge([titles], args.data, held_out=set()).items():
            added[intent] = added.get(intent, 0) + count
    for intent, count in sorted(added.items()):
        print(f"{intent}: +{count}")
    print(f"{sum(added.values())} examples added to {args.data}")


if __name__ == "__main__":
    main()
