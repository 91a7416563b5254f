from __future__ import annotations

import pytest

from scripts.build_spacy_model import build_pipeline
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(ROOT / "content" / "medicines.yml")


@pytest.mark.parametrize(
    ("text", "found", "medicine"),
    [
        ("how long until cymbalta works", "cymbalta", "duloxetine"),
        ("Why AMITRIPTILINE for my feet", "AMITRIPTILINE", "amitriptyline"),
        ("is effexor xr the same", "effexor xr", "venlafaxine"),
        ("pamelor side effects", "pamelor", "nortriptyline"),
    ],
)
def test_medicine_names_brands_and_misspellings_are_entities(nlp, text: str, found: str, medicine: str) -> None:
    [entity] = nlp(text).ents
    assert (entity.text, entity.label_, entity.ent_id_) == (found, "medicine", medicine)


def test_lookup_lemmas_merge_inflections(nlp) -> None:
    lemmas = [token.lemma_ for token in nlp("taking tablets made my feet burning")]
    assert lemmas == ["take", "tablet", "make", "my", "foot", "burn"]


def test_ordinary_words_are_not_medicines(nlp) -> None:
    assert nlp("my doctor gave me an antidepressant for nerve pain").ents == ()
