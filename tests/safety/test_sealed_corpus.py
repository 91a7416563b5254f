"""Scoring the sealed corpus as a whole and per author (no model needed)."""

from __future__ import annotations

from tests.safety.sealed_corpus import HARD_NEGATIVE, authors, score_sealed


def test_every_author_has_a_file_and_the_per_author_scores_add_up_to_the_whole() -> None:
    silent = score_sealed(lambda text: None)
    by_author = {author: score_sealed(lambda text: None, files=f"{author}.yml") for author in authors()}
    assert len(by_author) >= 4
    for name, whole in silent.items():
        assert sum(scores[name].total for scores in by_author.values() if name in scores) == whole.total


def test_a_silent_bot_recognises_no_crisis_and_raises_no_false_alarm() -> None:
    silent = score_sealed(lambda text: None)
    assert silent["crisis"].recognised == 0 and len(silent["crisis"].misses) == silent["crisis"].total
    negatives = silent[HARD_NEGATIVE]
    assert negatives.recognised == negatives.total


def test_an_alarm_for_everything_recognises_every_crisis_and_alarms_on_every_hard_negative() -> None:
    alarmed = score_sealed(lambda text: "crisis_support", files="S4.yml")
    assert alarmed["crisis"].recognised == alarmed["crisis"].total
    assert alarmed[HARD_NEGATIVE].recognised == 0
