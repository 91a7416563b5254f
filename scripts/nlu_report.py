"""Write docs/nlu-report.md from a ``rasa test nlu --cross-validation`` output folder."""

from __future__ import annotations

import argparse
import collections
import datetime
import json
from pathlib import Path
from typing import Any, Dict, List

SUMMARY_ROWS = ("accuracy", "macro avg", "weighted avg", "micro avg")


def confusions(errors: List[Dict[str, Any]], limit: int = 15) -> List[tuple]:
    """Most frequent (true intent, predicted intent) pairs among the errors."""
    pairs = collections.Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    return pairs.most_common(limit)


def render(report: Dict[str, Any], errors: List[Dict[str, Any]], folds: int) -> str:
    """The Markdown report."""
    intents = {name: row for name, row in report.items() if name not in SUMMARY_ROWS and isinstance(row, dict)}
    lines = [
        "# NLU cross-validation report",
        "",
        f"Generated {datetime.date.today()} by `make nlu-report` "
        f"(`rasa test nlu --cross-validation --folds {folds}` on `data/nlu.yml`, run by `scripts/nlu_cv.py` "
        "with a fixed fold seed so runs are comparable; scores are on the test folds only).",
        "",
        "| measure | precision | recall | F1 |",
        "| --- | --- | --- | --- |",
    ]
    for name in ("macro avg", "weighted avg"):
        row = report.get(name)
        if isinstance(row, dict):
            lines.append(f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1-score']:.3f} |")
    if "accuracy" in report:
        lines.append(f"| accuracy | | | {report['accuracy']:.3f} |")
    lines += ["", "## Per intent (lowest F1 first)", "", "| intent | precision | recall | F1 | examples |",
              "| --- | --- | --- | --- | --- |"]
    for name, row in sorted(intents.items(), key=lambda item: item[1]["f1-score"]):
        lines.append(
            f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1-score']:.3f} | {row['support']} |"
        )
    lines += ["", "## Most frequent confusions", "", "| true intent | predicted as | count |", "| --- | --- | --- |"]
    for (true, predicted), count in confusions(errors):
        lines.append(f"| {true} | {predicted} | {count} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Read the Rasa output folder and write the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    report = json.loads((args.results / "intent_report.json").read_text())
    errors_file = args.results / "intent_errors.json"
    errors = json.loads(errors_file.read_text()) if errors_file.exists() else []
    args.output.write_text(render(report, errors, args.folds))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
