from __future__ import annotations

import pytest

from safety.assessment import LOW_MOOD_TOPIC, assess
from safety.detector import CRISIS, SafetyDetector
from safety.emoji import crisis_emoji, emoji_only, sad_emoji

CRISIS_MESSAGES = {
    "knife": "🔪",
    "coffin": "⚰️",
    "coffin-no-selector": "\u26b0",
    "headstone": "🪦",
    "skull-pills": "💀💊",
    "pills-skull": "💊 💀",
    "crossbones-pills": "☠️💊",
    "knife-with-tone-and-punctuation": "🔪🏽!!",
}
SAD_MESSAGES = {"crying": "😢", "sobbing": "😭😭", "frowning": "☹️", "pensive": "😔 ..."}


@pytest.mark.parametrize("text", CRISIS_MESSAGES.values(), ids=CRISIS_MESSAGES.keys())
def test_crisis_emoji_are_a_crisis(text: str) -> None:
    assert crisis_emoji(text) is not None
    verdict = SafetyDetector().detect(text)
    assert verdict is not None and verdict.intent == CRISIS
    assert SafetyDetector().matches_crisis(text)
    assert assess(text, SafetyDetector(), {}, "goodbye").intent == CRISIS


@pytest.mark.parametrize("text", SAD_MESSAGES.values(), ids=SAD_MESSAGES.keys())
def test_sad_faces_are_the_low_mood_topic(text: str) -> None:
    assert sad_emoji(text) is not None and crisis_emoji(text) is None
    assessment = assess(text, SafetyDetector(), {}, "goodbye")
    assert assessment.intent == LOW_MOOD_TOPIC and assessment.source == "emoji"


@pytest.mark.parametrize("text", ["💊", "💀", "💀 👍 💊", "👋", "😀", "I cut veg with a 🔪", "pills 💊 and 💀 x2"])
def test_other_emoji_and_mixed_text_are_left_alone(text: str) -> None:
    assert crisis_emoji(text) is None
    assert sad_emoji(text) is None


def test_emoji_only_ignores_modifiers_and_refuses_words() -> None:
    assert emoji_only("👍🏽\ufe0f !") == ["👍"]
    assert emoji_only("ok 👍") == []
    assert emoji_only("") == []
