"""Normalising patient text before the safety patterns are matched.

Lower case, apostrophes dropped ("don't" -> "dont"), punctuation to spaces, SMS
shorthand expanded ("wanna" -> "want to", "2nite" -> "tonight") and misspellings
of the words the patterns key on corrected ("overdoze" -> "overdose"), but only
for words that are not themselves English words.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Callable, Iterable, List

SHORTHAND = {
    "u": "you", "r": "are", "ur": "your", "wanna": "want to", "gonna": "going to", "gotta": "got to",
    "wana": "want to", "wnt": "want", "wnna": "want to", "2nite": "tonight", "2night": "tonight",
    "tonite": "tonight", "2day": "today", "2moro": "tomorrow", "2morrow": "tomorrow", "tmrw": "tomorrow",
    "b4": "before", "cuz": "because", "coz": "because", "bc": "because", "dnt": "dont", "cnt": "cant",
    "cud": "could", "wud": "would", "shud": "should", "tabs": "tablets", "pils": "pills", "meds": "meds",
    "evry1": "everyone", "every1": "everyone", "ne1": "anyone", "some1": "someone", "no1": "no one",
    "anymore": "anymore", "any1": "anyone", "nd": "and", "n": "and", "w": "with", "wat": "what", "wats": "whats",
    "wot": "what", "whats": "whats", "im": "im", "ive": "ive", "kil": "kill", "myslf": "myself",
    "mysef": "myself", "mself": "myself", "dy": "die", "dye": "die", "ded": "dead", "lyf": "life",
    "lfe": "life", "lif": "life", "od": "od", "tho": "though", "rly": "really", "srsly": "seriously",
    "wnat": "want", "wan2": "want to", "tung": "tongue", "takin": "taking", "havin": "having", "b": "be",
    "cn": "can", "tk": "take", "thinkin": "thinking", "endin": "ending",
    "pls": "please", "plz": "please", "thx": "thanks", "ppl": "people", "tbh": "", "idk": "i dont know",
    "cant": "cant", "wont": "wont", "dont": "dont", "nt": "not", "abt": "about", "bout": "about",
}
# "2" means "to" after these words ("want 2 die").
_TO_AFTER = {"want", "going", "wanted", "need", "have", "got", "trying", "try", "able", "planning", "about"}

KEYWORDS = (
    "suicide", "suicidal", "kill", "killing", "myself", "overdose", "overdosed", "overdosing", "tablets",
    "pills", "swallowed", "swelling", "swollen", "breathe", "breathing", "throat", "tongue", "seizure",
    "unconscious", "toddler", "daughter", "accidentally", "twitching", "confused", "confusion", "fever",
    "anymore", "tomorrow", "tonight", "nothing", "without", "everyone", "everybody", "better", "living",
    "medication", "amitriptyline", "nortriptyline", "duloxetine", "venlafaxine", "harming", "cutting",
    "hurting", "burden", "goodbye", "letters", "double", "dosage", "increase", "switch", "collapsed",
    "fainted", "palpitations", "racing", "pounding", "chest", "purpose", "mistake", "stockpiling",
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _tokens(text: str) -> List[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"['\u2019\u2018`´]", "", text)
    return [token for token in _NON_WORD.split(text) if token]


def _correct(token: str, is_word: Callable[[str], bool]) -> str:
    if token.endswith("in") and not is_word(token) and is_word(token + "g"):
        return token + "g"  # dropped g: "killin", "havin", "poundin"
    stem = token[:-1] if token.endswith("s") else token
    if len(token) < 5 or token.isdigit() or is_word(token) or stem in KEYWORDS or is_word(stem):
        return token
    if _inflects_a_word(token, is_word):  # "allowed" is not a misspelt "swallowed"
        return token
    match = difflib.get_close_matches(token, KEYWORDS, n=1, cutoff=0.8)
    return match[0] if match else token


def _inflects_a_word(token: str, is_word: Callable[[str], bool]) -> bool:
    """Whether ``token`` is an English word with -ed or -ing ("allowed", "scrolling")."""
    for suffix in ("ed", "ing"):
        stem = token[: -len(suffix)]
        if token.endswith(suffix) and len(stem) >= 4 and (is_word(stem) or is_word(stem + "e")):
            return True
    return False


def normalise(text: str, is_word: Callable[[str], bool] = lambda _: False) -> str:
    """Return ``text`` normalised for the safety patterns.

    Args:
        text: the patient's message.
        is_word: tells whether a token is a known English word (never corrected).

    """
    words: List[str] = []
    for token in _tokens(text):
        if token in ("2", "too") and words and words[-1] in _TO_AFTER:
            words.append("to")
            continue
        if token == "2" and words and words[-1] in ("took", "taken", "had"):
            words.append("too")
            continue
        expanded = SHORTHAND.get(token, token)
        words.extend(_correct(part, is_word) for part in expanded.split())
    return " ".join(words)


def known_words_from(words: Iterable[str]) -> Callable[[str], bool]:
    """A membership test over a word list (lower-cased)."""
    vocabulary = {word.lower() for word in words}
    return vocabulary.__contains__
