from __future__ import annotations

import pytest

from safety.language import LanguageCheck
from safety.normalise import SHORTHAND
from safety.words import english_words

MEDICINES = ["amitriptyline", "amitrip", "nortriptyline", "duloxetine", "cymbalta", "venlafaxine", "effexor"]


@pytest.fixture(scope="module")
def check() -> LanguageCheck:
    english = english_words()
    return LanguageCheck(lambda word: word in english or word in SHORTHAND, MEDICINES)


@pytest.mark.parametrize(
    "text",
    [
        "hw lng b4 amitrip wrks",
        "wat r the side efects of duloxitine",
        "is nortriptaline addictve",
        "constapated since i startd cymbalta",
        "Dear Sir, I should be most grateful for your advice regarding my tablets.",
        "me taking venlafaxin 2 week, still pain much, is normal?",
        "cymbalta?",
        "ok",
        "😢",
        "",
        "amitriptyline 10mg",
    ],
)
def test_english_with_typos_shorthand_and_medicine_names_is_english(check: LanguageCheck, text: str) -> None:
    assert check.check(text) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("¿Puedo beber una cerveza si tomo amitriptilina?", "es"),
        ("Czy mogę brać ten lek wieczorem?", "pl"),
        ("Posso tomar este remédio durante a gravidez?", "pt"),
        ("Je me sens très fatigué depuis que je prends ce médicament", "fr"),
        ("Bu ilacı aç karnına alabilir miyim?", "tr"),
    ],
)
def test_other_languages_in_latin_letters_are_identified(check: LanguageCheck, text: str, language: str) -> None:
    verdict = check.check(text)
    assert verdict is not None and verdict.language == language and verdict.rule == "lingua"


@pytest.mark.parametrize(
    "text", ["هل يمكنني تناول هذا الدواء مع الطعام؟", "这个药什么时候吃？", "Можно ли пить алкоголь?"]
)
def test_other_scripts_are_not_english(check: LanguageCheck, text: str) -> None:
    verdict = check.check(text)
    assert verdict is not None and verdict.rule == "script"


def test_romanised_urdu_is_not_english(check: LanguageCheck) -> None:
    verdict = check.check("kya ye dawai khane ke baad leni hai")
    assert verdict is not None and verdict.rule == "romanised"


@pytest.mark.parametrize("text", ["luv u", "gud nite", "thx m8", "ta ra", "cheers doc"])
def test_a_few_words_of_english_slang_stay_english(check: LanguageCheck, text: str) -> None:
    assert check.check(text) is None


@pytest.mark.parametrize("text", ["Muchas gracias", "Dzień dobry", "Danke schön"])
def test_a_few_words_of_another_language_are_recognised(check: LanguageCheck, text: str) -> None:
    assert check.check(text) is not None
