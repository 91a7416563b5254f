"""Messages made only of emoji: distress the word patterns cannot see.

The word patterns see an emoji-only message as empty text, and the NLU model
guesses (a crying face got the "goodbye" answer). Here a message with no letters
or digits is read as its emoji: a crisis-like sequence (a knife, a coffin or
headstone, a skull next to pills) is a crisis, and sad faces are the
"feeling worried or low" topic. Mixed text is left to the word patterns.
"""

from __future__ import annotations

import unicodedata
from typing import List, Optional, Tuple

KNIFE = "\U0001F52A"
COFFIN = "\u26B0"
HEADSTONE = "\U0001FAA6"
SKULL = "\U0001F480"
SKULL_AND_CROSSBONES = "\u2620"
PILL = "\U0001F48A"

# One of these alone is a crisis.
CRISIS_EMOJI = {KNIFE: "knife", COFFIN: "coffin", HEADSTONE: "headstone"}
# These two next to each other, in either order, are a crisis.
CRISIS_PAIRS = {
    (SKULL, PILL): "skull and pills",
    (SKULL_AND_CROSSBONES, PILL): "skull and crossbones and pills",
}
SAD_FACES = {
    "\U0001F622": "crying face",
    "\U0001F62D": "loudly crying face",
    "\U0001F61E": "disappointed face",
    "\U0001F614": "pensive face",
    "\U0001F61F": "worried face",
    "\U0001F641": "slightly frowning face",
    "\u2639": "frowning face",
    "\U0001F625": "sad but relieved face",
    "\U0001F63F": "crying cat",
    "\U0001F494": "broken heart",
}
# Parts of an emoji that carry no meaning here: variation selectors, zero-width
# joiner, skin tones.
_MODIFIERS = {"\uFE0E", "\uFE0F", "\u200D"} | {chr(code) for code in range(0x1F3FB, 0x1F400)}


def emoji_only(text: str) -> List[str]:
    """The emoji of a message made only of emoji (and spaces or punctuation); [] otherwise."""
    symbols: List[str] = []
    for character in text or "":
        category = unicodedata.category(character)
        if category[0] in "LN":
            return []
        if character in _MODIFIERS or category[0] in "PZC":
            continue
        symbols.append(character)
    return symbols


def crisis_emoji(text: str) -> Optional[str]:
    """What makes an emoji-only message a crisis (e.g. ``"knife"``), or None."""
    symbols = emoji_only(text)
    for symbol in symbols:
        if symbol in CRISIS_EMOJI:
            return CRISIS_EMOJI[symbol]
    pairs: List[Tuple[str, str]] = list(zip(symbols, symbols[1:], strict=False))
    for first, second in pairs:
        for pair, name in CRISIS_PAIRS.items():
            if (first, second) in (pair, pair[::-1]):
                return name
    return None


def sad_emoji(text: str) -> Optional[str]:
    """The sad face an emoji-only message shows (e.g. ``"crying face"``), or None."""
    for symbol in emoji_only(text):
        if symbol in SAD_FACES:
            return SAD_FACES[symbol]
    return None
