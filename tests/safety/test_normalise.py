from __future__ import annotations

import pytest

from safety.normalise import known_words_from, normalise

ENGLISH = known_words_from(["want", "to", "die", "i", "took", "too", "many", "the", "pills", "tonight", "suicide"])


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("I DON'T want to", "i dont want to"),
        ("wanna die 2nite", "want to die tonight"),
        ("want 2 die", "want to die"),
        ("took 2 many", "took too many"),
        ("ur meds r bad!!!", "your meds are bad"),
        ("Ｆｕｌｌｗｉｄｔｈ pills", "fullwidth pills"),
    ],
)
def test_shorthand_case_and_punctuation(text: str, normalised: str) -> None:
    assert normalise(text, ENGLISH) == normalised


def test_a_misspelt_key_word_is_corrected_but_an_english_word_never_is() -> None:
    assert normalise("an overdoze", ENGLISH) == "an overdose"
    english = known_words_from(["killing", "kiting"])
    assert normalise("kiting", english) == "kiting"  # a real word close to "killing" stays


def test_a_dropped_g_is_restored_when_that_makes_a_word() -> None:
    assert normalise("killin myself", known_words_from(["killing", "myself"])) == "killing myself"


def test_empty_and_symbol_only_text_normalises_to_nothing() -> None:
    assert normalise("", ENGLISH) == ""
    assert normalise("?!... --", ENGLISH) == ""
