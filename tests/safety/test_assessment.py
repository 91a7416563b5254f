from __future__ import annotations

import pytest

from safety import classifier as labels
from safety.assessment import (
    ADVICE_WITH_PATTERN,
    CRISIS_BESIDE_EMERGENCY,
    OVERDOSE_TOPIC,
    PAST,
    STRONG_ALARM,
    WEAK_ALARM,
    WITH_CRISIS,
    assess,
)
from safety.detector import CRISIS, EMERGENCY, PERSONAL_ADVICE, SafetyDetector
from safety.words import english_words


@pytest.fixture(scope="module")
def detector() -> SafetyDetector:
    return SafetyDetector(english_words().__contains__)


def probabilities(**values: float) -> dict:
    found = {label: 0.0 for label in labels.LABELS}
    found.update(values)
    found[labels.OTHER] = max(0.0, 1.0 - sum(values.values()))
    return found


def test_a_pattern_raises_the_alarm_whatever_the_classifier_says(detector: SafetyDetector) -> None:
    verdict = assess("i want to kill myself", detector, probabilities(), "greeting", 0.99)
    assert (verdict.intent, verdict.source) == (CRISIS, "pattern")


def test_a_strong_classifier_alarm_is_raised_without_a_pattern(detector: SafetyDetector) -> None:
    verdict = assess("i have decided tonight is the night", detector, probabilities(crisis=STRONG_ALARM), None)
    assert (verdict.intent, verdict.source) == (CRISIS, "classifier")


def test_a_weak_classifier_alarm_is_raised_unless_an_idiom_explains_it(detector: SafetyDetector) -> None:
    weak = probabilities(crisis=WEAK_ALARM + 0.05)
    assert assess("nothing matters any more", detector, weak, None).intent == CRISIS
    assert assess("my feet are killing me", detector, weak, None).intent is None


def test_a_weak_classifier_alarm_gives_way_to_a_sure_nlu_model(detector: SafetyDetector) -> None:
    weak = probabilities(crisis=WEAK_ALARM + 0.05)
    assert assess("what will the weather be like tomorrow", detector, weak, "out_of_scope", 0.95).intent is None
    strong = probabilities(crisis=STRONG_ALARM + 0.05)
    assert assess("what will the weather be like tomorrow", detector, strong, "out_of_scope", 0.95).intent == CRISIS


def test_an_idiom_never_cancels_a_pattern(detector: SafetyDetector) -> None:
    text = "this pain is killing me and i want to end my life"
    assert assess(text, detector, probabilities(), None).intent == CRISIS


def test_an_overdose_taken_on_purpose_is_an_emergency_with_the_crisis_line(detector: SafetyDetector) -> None:
    verdict = assess("i took all my tablets because i want to die", detector, probabilities(overdose_intent=0.6), None)
    assert (verdict.intent, verdict.variant) == (EMERGENCY, WITH_CRISIS)


def test_an_emergency_the_classifier_reads_as_a_crisis_also_gets_the_crisis_line(detector: SafetyDetector) -> None:
    text = "if i swallowed my whole box of tablets tonight would it be quick"
    crisis = assess(text, detector, probabilities(crisis=CRISIS_BESIDE_EMERGENCY + 0.05, emergency=0.3), None)
    assert (crisis.intent, crisis.variant) == (EMERGENCY, WITH_CRISIS)
    accident = "my son swallowed a whole box of my tablets"
    plain = assess(accident, detector, probabilities(crisis=0.05, emergency=0.8), None)
    assert (plain.intent, plain.variant) == (EMERGENCY, None)


def test_a_past_crisis_is_flagged_with_a_fitting_reply(detector: SafetyDetector) -> None:
    text = "years ago i was suicidal but i am fine now"
    verdict = assess(text, detector, probabilities(past_crisis=0.7, crisis=0.1), None)
    assert (verdict.intent, verdict.variant) == (CRISIS, PAST)


def test_a_question_about_taking_too_many_gets_the_overdose_topic(detector: SafetyDetector) -> None:
    text = "what should you do if someone accidentally took too many tablets? nothing has happened"
    verdict = assess(text, detector, probabilities(overdose_question=0.6, emergency=0.2), None)
    assert verdict.intent == OVERDOSE_TOPIC
    happened = assess("i accidentally took too many tablets", detector, probabilities(emergency=0.7), None)
    assert happened.intent == EMERGENCY


def test_the_overdose_topic_gives_way_when_nlu_is_sure_of_another_topic(detector: SafetyDetector) -> None:
    text = "what should i do if i forget a dose"
    guess = probabilities(overdose_question=0.75)
    assert assess(text, detector, guess, "missed_dose", 0.99, "missed_dose").intent is None
    assert assess(text, detector, guess, "missed_dose", 0.5, "missed_dose").intent == OVERDOSE_TOPIC
    assert assess(text, detector, guess, OVERDOSE_TOPIC, 0.99, OVERDOSE_TOPIC).intent == OVERDOSE_TOPIC


def test_personal_advice_needs_the_classifier_not_to_disagree(detector: SafetyDetector) -> None:
    assert assess("can i double my dose tonight", detector, probabilities(personal_advice=0.5), None).intent == (
        PERSONAL_ADVICE)
    disagrees = probabilities(personal_advice=ADVICE_WITH_PATTERN / 2)
    assert assess("can i double my dose tonight", detector, disagrees, None).intent is None
    supports = probabilities(personal_advice=ADVICE_WITH_PATTERN + 0.01)
    assert assess("can i double my dose tonight", detector, supports, None).intent == PERSONAL_ADVICE
    assert assess("should i go onto the higher one", detector, probabilities(personal_advice=0.9), None).intent == (
        PERSONAL_ADVICE)


def test_a_crisis_that_is_back_again_is_not_answered_as_past(detector: SafetyDetector) -> None:
    text = "i was suicidal years ago and i feel like that again"
    verdict = assess(text, detector, probabilities(past_crisis=0.7, crisis=0.1), None)
    assert (verdict.intent, verdict.variant) == (CRISIS, None)


def test_numbness_idioms_set_aside_the_nlu_models_crisis_guess(detector: SafetyDetector) -> None:
    verdict = assess("my foot has gone to sleep again", detector, probabilities(crisis=0.35), "crisis_support", 0.2)
    assert verdict.intent is None


def test_a_sure_nlu_model_keeps_a_general_question_from_the_advice_refusal(detector: SafetyDetector) -> None:
    text = "when should i take amitriptyline"
    assert assess(text, detector, probabilities(personal_advice=0.6), "when_to_take", 0.95).intent is None
    assert assess(text, detector, probabilities(personal_advice=0.6), "when_to_take", 0.3).intent == PERSONAL_ADVICE
