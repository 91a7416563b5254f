from __future__ import annotations

from pathlib import Path

import pytest

from safety.classifier import (
    CRISIS,
    EMERGENCY,
    LABELS,
    OTHER,
    SafetyClassifier,
    corpus_examples,
    nlu_examples,
)

CORPUS = """\
crisis:
  - I want to end my life
  - I do not want to be alive any more
  - I am going to kill myself tonight
  - there is no point living, I want to die
emergency:
  - my throat is swelling and I cannot breathe
  - my face and lips are swollen after the tablet
  - he collapsed and will not wake up
  - I am having a fit and my heart is racing
general_question:
  - how long does amitriptyline take to work
  - can I drink alcohol with duloxetine
  - what are the side effects of nortriptyline
  - why was I given an antidepressant for nerve pain
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "A1.yml").write_text(CORPUS, encoding="utf-8")
    return tmp_path


def test_corpus_files_become_labelled_examples_by_author(corpus: Path) -> None:
    examples = corpus_examples(corpus)
    assert len(examples) == 12 and {example.author for example in examples} == {"A1"}
    assert {example.label for example in examples} == {CRISIS, EMERGENCY, OTHER}


def test_an_unknown_corpus_class_names_the_file(corpus: Path) -> None:
    (corpus / "A2.yml").write_text("worried:\n  - hello\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"A2\.yml: unknown class 'worried'"):
        corpus_examples(corpus)


def test_nlu_intents_map_to_labels() -> None:
    examples = nlu_examples([("crisis_support", "I want to die"), ("alcohol", "can I drink")])
    assert [example.label for example in examples] == [CRISIS, OTHER]
    assert all(example.author == "nlu" for example in examples)


def test_a_trained_classifier_ranks_unseen_wordings_by_their_words(corpus: Path) -> None:
    classifier = SafetyClassifier.train(corpus_examples(corpus), lambda _: False)
    crisis = classifier.probabilities("i want to end it and die tonight")
    emergency = classifier.probabilities("my lips are swelling and i cant breathe")
    question = classifier.probabilities("how long will duloxetine take to help")
    assert max(crisis, key=crisis.get) == CRISIS
    assert max(emergency, key=emergency.get) == EMERGENCY
    assert max(question, key=question.get) == OTHER
    assert set(crisis) <= set(LABELS) and abs(sum(crisis.values()) - 1.0) < 1e-6
