"""The NLU training data as the tests read it: one file per intent under ``data/nlu/``."""
from __future__ import annotations

from typing import Dict, List

import yaml

from tests.conftest import ROOT

NLU_DIR = ROOT / "data" / "nlu"


def examples_by_intent() -> Dict[str, List[str]]:
    """Every intent's training examples, in file order."""
    examples: Dict[str, List[str]] = {}
    for path in sorted(NLU_DIR.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                lines = block["examples"].strip().splitlines()
                examples.setdefault(block["intent"], []).extend(line.lstrip("- ").strip() for line in lines)
    return examples
