"""The conversations each assistant is sent: realistic messages it is built to answer.

Ours gets patients' questions across the topics, with the typos and SMS shorthand
real patients use; the stock ``rasa init`` assistant gets the greetings and mood
messages its own training data covers. A load phase of ``n`` conversations of
``turns`` turns uses script ``i % len(scripts)`` for conversation ``i`` and wraps
round a script that is shorter than ``turns``.
"""

from __future__ import annotations

from typing import List, Sequence

OURS: Sequence[Sequence[str]] = (
    ("hi", "why was I given amitriptyline for nerve pain? im not depressed", "how long til it kicks in",
     "can i have a glass of wine with it", "thanks"),
    ("hello", "does my doctor think the pain is in my head", "how do these meds work for pain",
     "wat side effects can duloxetine cause", "bye"),
    ("good evening", "i forgot my amitriptiline last night what do i do", "is it safe to drive on it",
     "can i take ibuprofen with amitriptyline", "thank you that was helpful"),
    ("hi there", "been on cymbalta 4 days and no difference, when will it kick in", "will it cure my nerve damage",
     "what happens if i stop taking cymbalta", "cheers"),
    ("hello", "why do i need pregabalin and an antidepressant at the same time",
     "is the dose lower than for depression", "will nortriptyline help me sleep", "ok goodbye"),
    ("hey", "is amitriptyline addictive", "can i take duloxetine while breastfeeding",
     "what time should i take my amitriptyline", "whats the clinic phone number"),
    ("hi", "what exactly is neuropathic pain", "why do my feet burn and tingle",
     "can i take 2 tonight the pain is bad", "thanks"),
    ("hello", "are you a real person or a bot", "what can you help me with",
     "venlafaxine makes me so drowsy during the day", "bye see you later"),
)

STOCK: Sequence[Sequence[str]] = (
    ("hi", "I am sad", "yes", "goodbye"),
    ("hello", "I am feeling very good", "bye"),
    ("good morning", "my day was horrible", "no", "see you later"),
    ("hey there", "are you a bot?", "great", "bye bye"),
    ("hello there", "I don't feel very well", "of course", "have a nice day"),
    ("hey", "super stoked", "am I talking to a human?", "good night"),
)


def conversation(scripts: Sequence[Sequence[str]], index: int, turns: int) -> List[str]:
    """The ``turns`` messages of conversation number ``index``."""
    script = scripts[index % len(scripts)]
    return [script[turn % len(script)] for turn in range(turns)]
