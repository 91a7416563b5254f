from __future__ import annotations

from typing import Any, Dict

from scripts.nlu_report import render


def figures(right: int, wrong: int) -> Dict[str, Any]:
    return {
        "total": right + wrong,
        "outcomes": {"right": right, "clarify_right": 0, "clarify_other": 0, "wrong": wrong},
        "per_label": {"alcohol": {"precision": 1.0, "recall": right / (right + wrong), "right": right,
                                  "clarify_right": 0, "clarify_other": 0, "wrong": wrong}},
        "confusions": [["alcohol", "side_effects", wrong]],
        "english_marked_non_english": [],
        "non_english": {"recognised": 9, "total": 10},
        "followups": {"total": 4, "outcomes": {"right": 3, "clarify_right": 0, "clarify_other": 0, "wrong": 1},
                      "medicine_right": 2, "medicine_expected": 3, "confusions": []},
    }


def test_the_summary_puts_unseen_and_development_figures_side_by_side() -> None:
    text = render({}, figures(19, 1), figures(9, 1), folds=5)
    assert "| right answer | 90.0% (9/10) | 95.0% (19/20) |" in text
    assert "| follow-up conversations: right topic on the last turn | 75.0% (3/4) | 75.0% (3/4) |" in text


def test_a_report_without_cross_validation_says_so() -> None:
    assert "Not run for this report" in render({}, figures(19, 1), figures(9, 1), folds=5)


def test_cross_validation_figures_are_reported_when_given() -> None:
    cv = {"macro avg": {"precision": 0.9, "recall": 0.8, "f1-score": 0.85, "support": 10},
          "alcohol": {"precision": 0.9, "recall": 0.8, "f1-score": 0.85, "support": 10}}
    text = render(cv, figures(19, 1), figures(9, 1), folds=5)
    assert "| cross-validation intent macro-F1 (training data) | 0.850 | |" in text
    assert "Not run for this report" not in text


def test_development_follow_ups_are_reported_per_author_file() -> None:
    dev = figures(19, 1)
    dev["followups"]["by_file"] = {"followups.yml": {"right": 2, "total": 2},
                                   "followups_FD3.yml": {"right": 1, "total": 2}}
    text = render({}, dev, figures(9, 1), folds=5)
    assert "| followups_FD3.yml | 50.0% (1/2) |" in text and "| followups.yml | 100.0% (2/2) |" in text


def test_no_per_file_table_without_per_file_figures() -> None:
    assert "by author file" not in render({}, figures(19, 1), figures(9, 1), folds=5)
