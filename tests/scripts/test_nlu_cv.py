from __future__ import annotations

from typing import List

import pytest
from rasa.nlu.test import generate_folds
from rasa.shared.nlu.training_data.loading import load_data

from scripts.nlu_cv import fix_fold_seed, rasa_arguments
from tests.conftest import ROOT

pytestmark = pytest.mark.integration  # slow: folds all the training data (about 40 s)


def _test_fold_texts(seed: int) -> List[List[str]]:
    fix_fold_seed(seed)
    data = load_data(str(ROOT / "data" / "nlu"))
    return [sorted(example.get("text") for example in test.intent_examples) for _, test in generate_folds(5, data)]


def test_same_seed_gives_the_same_folds() -> None:
    assert _test_fold_texts(7) == _test_fold_texts(7)


def test_another_seed_gives_other_folds() -> None:
    assert _test_fold_texts(7) != _test_fold_texts(8)


def test_every_example_is_tested_exactly_once() -> None:
    folds = _test_fold_texts(7)
    data = load_data(str(ROOT / "data" / "nlu"))
    assert sorted(text for fold in folds for text in fold) == sorted(e.get("text") for e in data.intent_examples)


def test_cross_validation_is_always_requested() -> None:
    assert rasa_arguments(["--nlu", "data/nlu"]) == ["test", "nlu", "--nlu", "data/nlu", "--cross-validation"]
    assert rasa_arguments(["--cross-validation", "--folds", "5"]).count("--cross-validation") == 1
