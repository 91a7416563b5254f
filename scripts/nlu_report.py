"""Write docs/nlu-report.md: cross-validation, the development set and the unseen set.

Inputs: a ``rasa test nlu --cross-validation`` output folder (scripts/nlu_cv.py) and
the JSON figures of scripts/nlu_eval.py for the development set (used for tuning)
and the unseen set (never trained or tuned on).
"""

from __future__ import annotations

import argparse
import datetime
import json
from pathlib import Path
from typing import Any, Dict, List

SUMMARY_ROWS = ("accuracy", "macro avg", "weighted avg", "micro avg")
OUTCOME_NAMES = {
    "right": "right answer",
    "clarify_right": '"Did you mean" offering the right topic',
    "clarify_other": '"Did you mean" without it',
    "wrong": "wrong answer",
}


def _share(count: int, total: int) -> str:
    return f"{count / total:.1%} ({count}/{total})" if total else "–"


def outcome_rows(figures: Dict[str, Any]) -> List[str]:
    """The outcome split of one set as table rows."""
    total = figures["total"]
    return [f"| {label} | {_share(figures['outcomes'][name], total)} |" for name, label in OUTCOME_NAMES.items()]


def summary(unseen: Dict[str, Any], dev: Dict[str, Any], cv: Dict[str, Any]) -> List[str]:
    """The headline figures."""
    lines = ["| measure | unseen set | development set (tuning) |", "| --- | --- | --- |"]
    for name, label in OUTCOME_NAMES.items():
        lines.append(f"| {label} | {_share(unseen['outcomes'][name], unseen['total'])} | "
                     f"{_share(dev['outcomes'][name], dev['total'])} |")
    lines.append(f"| English messages marked non-English | {len(unseen['english_marked_non_english'])} | "
                 f"{len(dev['english_marked_non_english'])} |")
    for key, label in (("non_english", "non-English messages recognised"),):
        cells = [_share(s[key]["recognised"], s[key]["total"]) if key in s else "–" for s in (unseen, dev)]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    cells = [_share(s["followups"]["outcomes"]["right"], s["followups"]["total"]) if "followups" in s else "–"
             for s in (unseen, dev)]
    lines.append(f"| follow-up conversations: right topic on the last turn | {cells[0]} | {cells[1]} |")
    macro = cv.get("macro avg", {})
    if macro:
        lines.append(f"| cross-validation intent macro-F1 (training data) | {macro['f1-score']:.3f} | |")
    return lines


def followups_by_file(figures: Dict[str, Any]) -> List[str]:
    """The development follow-ups' right answers per author file (tests/nlu/AUTHORS.md says which are fresh)."""
    by_file = (figures.get("followups") or {}).get("by_file") or {}
    if not by_file:
        return []
    lines = ["## Development follow-ups by author file (tuning)", "",
             "Each file is one separate author's; `tests/nlu/AUTHORS.md` says which were read for briefs.", "",
             "| file | right topic on the last turn |", "| --- | --- |"]
    lines += [f"| {name} | {_share(row['right'], row['total'])} |" for name, row in by_file.items()]
    return lines + [""]


def per_label(figures: Dict[str, Any]) -> List[str]:
    """Precision and recall per expected label, lowest recall first."""
    lines = ["| label | precision | recall | right | Did you mean (right) | Did you mean (other) | wrong |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    rows = sorted(figures["per_label"].items(), key=lambda item: (item[1]["recall"], item[0]))
    for label, row in rows:
        lines.append(f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['right']} | "
                     f"{row['clarify_right']} | {row['clarify_other']} | {row['wrong']} |")
    return lines


def confusion_rows(confusions: List[List[Any]]) -> List[str]:
    """The main confusions as table rows."""
    lines = ["| expected | answered with | count |", "| --- | --- | --- |"]
    lines += [f"| {expected} | {got} | {count} |" for expected, got, count in confusions]
    return lines


def cv_rows(report: Dict[str, Any], limit: int = 12) -> List[str]:
    """Cross-validation: averages and the intents with the lowest F1."""
    lines = ["| measure | precision | recall | F1 |", "| --- | --- | --- | --- |"]
    for name in ("macro avg", "weighted avg"):
        row = report.get(name)
        if isinstance(row, dict):
            lines.append(f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1-score']:.3f} |")
    intents = {name: row for name, row in report.items() if name not in SUMMARY_ROWS and isinstance(row, dict)}
    lines += ["", f"Lowest F1 ({limit} of {len(intents)} intents):", "",
              "| intent | precision | recall | F1 | examples |", "| --- | --- | --- | --- | --- |"]
    for name, row in sorted(intents.items(), key=lambda item: item[1]["f1-score"])[:limit]:
        lines.append(f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1-score']:.3f} | "
                     f"{row['support']} |")
    return lines


def render(cv: Dict[str, Any], dev: Dict[str, Any], unseen: Dict[str, Any], folds: int) -> str:
    """The Markdown report."""
    lines = [
        "# NLU report",
        "",
        f"Generated {datetime.date.today()} by `make nlu-report`. Every message goes through the trained model's",
        "whole pipeline (DIET, the fallback classifier, the safety layer, the language check) and then through",
        "the reply choice the action server uses (`core/routing.py`), so the figures are what patients get.",
        "",
        "* **Unseen set** (`tests/nlu/unseen/`): written by separate authors who saw neither the training data",
        "  nor each other's work (`tests/nlu/AUTHORS.md`); never trained or tuned on.",
        "* **Development set** (`tests/nlu/dev/`): other separate authors; used to choose the pipeline, the",
        "  thresholds and the language check, never trained on.",
        f"* **Cross-validation**: {folds} folds on the training data (`data/nlu/`), fixed fold seed",
        "  (`scripts/nlu_cv.py`).",
        "",
        "## Summary",
        "",
        *summary(unseen, dev, cv),
        "",
        f"## Unseen set: per label ({unseen['total']} messages)",
        "",
        *per_label(unseen),
        "",
        "## Unseen set: main confusions",
        "",
        *confusion_rows(unseen["confusions"]),
        "",
    ]
    if unseen.get("english_marked_non_english"):
        lines += ["English messages told \"English only\":", ""]
        lines += [f"* {text}" for text in unseen["english_marked_non_english"]] + [""]
    if "followups" in unseen:
        follow = unseen["followups"]
        lines += ["## Unseen follow-up conversations", "",
                  f"{follow['total']} two- and three-turn conversations; the last turn is scored with the",
                  "conversation's context (the topic and the medicine kept in slots, and a follow-on read",
                  "again joined to the earlier turns, as the Rasa server does: core/context_reading.py).", "",
                  "| outcome | share |", "| --- | --- |"]
        lines += [f"| {label} | {_share(follow['outcomes'][name], follow['total'])} |"
                  for name, label in OUTCOME_NAMES.items()]
        lines += ["", f"Medicine named in the answer's lead when the conversation named one: "
                  f"{_share(follow['medicine_right'], follow['medicine_expected'])} of the right answers.", ""]
        lines += ["Main confusions:", "", *confusion_rows(follow["confusions"]), ""]
    lines += ["## Development set: main confusions (tuning)", "", *confusion_rows(dev["confusions"][:10]), ""]
    lines += followups_by_file(dev)
    if cv:
        lines += ["## Cross-validation on the training data", "", *cv_rows(cv), ""]
    else:
        lines += ["## Cross-validation on the training data", "",
                  "Not run for this report (no `--cv` results given): the figures above are the measure "
                  "that matters; `make nlu-report` runs the cross-validation too (about 30 minutes on 2 cores).",
                  ""]
    return "\n".join(lines)


def main() -> None:
    """Read the inputs and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--cv", type=Path, help="rasa test nlu --cross-validation output folder")
    parser.add_argument("--dev", type=Path, required=True)
    parser.add_argument("--unseen", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    cv = json.loads((args.cv / "intent_report.json").read_text()) if args.cv else {}
    dev = json.loads(args.dev.read_text())
    unseen = json.loads(args.unseen.read_text())
    args.output.write_text(render(cv, dev, unseen, args.folds))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
