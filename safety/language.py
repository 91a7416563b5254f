"""Is a message in English? Language identification with lingua, guarded for patient English.

lingua-language-detector (models inside its wheel, offline) identifies the language.
On its own it mistakes short English with medicine names, typos and SMS shorthand for
Welsh or Tagalog, so a message only counts as not English when:

1. most of its words are in a non-Latin script (Arabic, Bengali, Chinese, Cyrillic,
   Ethiopic, Gujarati, Gurmukhi, ...), or
2. once medicine names are removed, fewer than half of its words (of its longer words,
   when it has at least two) look English — an English word, SMS shorthand, a
   vowel-less English skeleton ("wrks"), a drug name, or a long word without accents
   one or two typos from an English word (symspellpy's bundled dictionary) — AND
   lingua does not rank English first and gives English little confidence (and, for a
   message of three words or fewer, is sure of the other language), or
3. it has several common words of romanised Urdu/Hindi/Punjabi, which lingua does not
   cover in Latin letters (a short word list), and it is not mostly English.

The thresholds were chosen on the development sets (tests/nlu/dev/non_english.yml and
every English training and development message), never on the unseen sets; the NLU
report (docs/nlu-report.md) gives the unseen figures.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, FrozenSet, Iterable, List

from lingua import Language, LanguageDetector, LanguageDetectorBuilder
from symspellpy import SymSpell, Verbosity

# The languages to tell apart: English and those UK clinics' patients most often write.
LANGUAGES = (
    "ENGLISH SPANISH POLISH URDU ARABIC CHINESE PORTUGUESE ROMANIAN PUNJABI BENGALI GUJARATI ITALIAN FRENCH "
    "TURKISH LITHUANIAN SOMALI RUSSIAN HINDI GERMAN LATVIAN UKRAINIAN BULGARIAN HUNGARIAN GREEK PERSIAN TAMIL "
    "VIETNAMESE TAGALOG YORUBA SWAHILI DUTCH CZECH SLOVAK ALBANIAN"
).split()
MIN_ENGLISH_SHARE = 0.5
MAX_ENGLISH_CONFIDENCE = 0.2
# A message of a few words is only called another language when lingua is sure:
# foreign greetings score 0.7 and more, English slang ("nite nite", "ta ra") 0.35 or less.
SHORT_MESSAGE_WORDS = 3
SHORT_MIN_CONFIDENCE = 0.6
LONG_WORD = 4
TYPO_MIN_LENGTH = 7
MIN_ROMANISED_WORDS = 2
MAX_ROMANISED_ENGLISH_SHARE = 0.8
# Frequent words of Urdu, Hindi and Punjabi as typed in Latin letters (lingua covers
# these languages only in their own scripts).
ROMANISED_HINDUSTANI = frozenset(
    """hai hain kya mein main mujhe mujhko ki ka ke ko nahi nahin aur se ye yeh wo woh kar karo karun raha rahi
    rahe hun hoon ho ji bhi tha thi goli golian dawai dawa dawaai bahut bohat kyun kyon kaise kab abhi theek thik
    sahab sakta sakti sakte lena leni lene liya lagta lagti gaya gayi hota hoti hamesha kuch koi mera meri mere
    tera teri aap apna apni ab bhool raat din subah shaam neend dard chakkar paani khana khane baad pehle saath
    wala wali bolan bolte bol chahiye kitna kitni ammi abbu beta beti bhai behen haan tusi tuhanu menu sanu kiven
    kithe hega hegi kaddon""".split()
)
# Other medicines patients name, besides those in content/medicines.yml.
OTHER_MEDICINE_NAMES = frozenset(
    """gabapentin pregabalin carbamazepine tramadol sertraline fluoxetine citalopram escitalopram mirtazapine
    lyrica neurontin tegretol codamol codeine ibuprofen paracetamol naproxen imipramine dosulepin clomipramine
    lidocaine capsaicin morphine oxycodone diazepam ssri snri mg""".split()
)
_DRUG_SUFFIX = re.compile(
    r"(?:triptan|tine|pine|line|mine|pam|zole|olol|pril|sartan|statin|caine|amol|fen|done|cillin|mycin|profen)s?$"
)
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = re.compile(r"[aeiou]")


def _is_latin(word: str) -> bool:
    return all("LATIN" in unicodedata.name(char, "") for char in word)


@lru_cache(maxsize=1)
def _symspell() -> SymSpell:
    dictionary = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    spell = SymSpell(max_dictionary_edit_distance=2)
    spell.load_dictionary(str(dictionary), term_index=0, count_index=1)
    return spell


@lru_cache(maxsize=1)
def _skeletons(top: int = 20_000) -> FrozenSet[str]:
    """Vowel-less forms of frequent English words ("wrks", "lng"), as texted."""
    spell = _symspell()
    words = sorted(spell.words, key=spell.words.get, reverse=True)[:top]
    return frozenset(_VOWELS.sub("", word) for word in words if len(_VOWELS.sub("", word)) >= 2)


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    """The lingua detector for :data:`LANGUAGES`, models loaded once per process."""
    languages = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


@dataclass(frozen=True)
class LanguageVerdict:
    """Why a message counts as not English: its language (ISO 639-1) and the rule."""

    language: str
    rule: str


class LanguageCheck:
    """Tells English patient messages from messages in other languages."""

    def __init__(self, is_english_word: Callable[[str], bool], medicine_names: Iterable[str]) -> None:
        self._is_english_word = is_english_word
        self._medicines = frozenset(name.lower() for name in medicine_names) | OTHER_MEDICINE_NAMES

    def _medicine_like(self, word: str) -> bool:
        if word in self._medicines or (len(word) >= 7 and _DRUG_SUFFIX.search(word)):
            return True
        return bool(difflib.get_close_matches(word, self._medicines, n=1, cutoff=0.75))

    def _english_like(self, word: str) -> bool:
        if self._is_english_word(word) or word in _skeletons():
            return True
        if len(word) < TYPO_MIN_LENGTH or not word.isascii():
            return False
        distance = 1 if len(word) < 9 else 2
        return bool(_symspell().lookup(word, Verbosity.TOP, max_edit_distance=distance))

    def _english_share(self, words: List[str]) -> float:
        long_words = [word for word in words if len(word) >= LONG_WORD]
        basis = long_words if len(long_words) >= 2 else words
        return sum(self._english_like(word) for word in basis) / len(basis)

    def check(self, text: str) -> LanguageVerdict | None:
        """A verdict when ``text`` is not in English; None when it is (or cannot be told)."""
        words = _WORD.findall((text or "").lower())
        if not words:
            return None
        if sum(not _is_latin(word) for word in words) > len(words) / 2:
            return LanguageVerdict(_language_of(text), "script")
        words = [word for word in words if _is_latin(word) and not self._medicine_like(word)]
        if len(words) < 2:
            return None
        share = self._english_share(words)
        romanised = sum(word in ROMANISED_HINDUSTANI for word in words)
        if romanised >= MIN_ROMANISED_WORDS and romanised >= len(words) / 3 and share < MAX_ROMANISED_ENGLISH_SHARE:
            return LanguageVerdict("hi", "romanised")
        if share >= MIN_ENGLISH_SHARE:
            return None
        values = detector().compute_language_confidence_values(" ".join(words))
        english = next((value.value for value in values if value.language == Language.ENGLISH), 0.0)
        if not values or values[0].language == Language.ENGLISH or english >= MAX_ENGLISH_CONFIDENCE:
            return None
        if len(words) <= SHORT_MESSAGE_WORDS and values[0].value < SHORT_MIN_CONFIDENCE:
            return None
        return LanguageVerdict(_iso(values[0].language), "lingua")


def _iso(language: Language) -> str:
    return language.iso_code_639_1.name.lower()


def _language_of(text: str) -> str:
    language = detector().detect_language_of(text)
    return _iso(language) if language is not None else "und"

