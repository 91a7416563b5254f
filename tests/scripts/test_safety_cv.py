"""How the leave-one-author-out cross-validation scores one held-out message."""

from __future__ import annotations

from safety import classifier as labels
from safety.assessment import WITH_CRISIS, Assessment
from safety.detector import CRISIS, EMERGENCY, PERSONAL_ADVICE
from scripts.safety_cv import outcome


def test_a_crisis_needs_the_crisis_line() -> None:
    assert outcome(labels.CRISIS, Assessment(CRISIS)) == "hit"
    assert outcome(labels.CRISIS, Assessment(EMERGENCY, WITH_CRISIS)) == "hit"
    assert outcome(labels.CRISIS, Assessment(EMERGENCY)) == "miss"
    assert outcome(labels.CRISIS, Assessment(None)) == "miss"


def test_an_overdose_on_purpose_or_an_emergency_needs_an_urgent_reply() -> None:
    assert outcome(labels.OVERDOSE_INTENT, Assessment(EMERGENCY)) == "hit"
    assert outcome(labels.EMERGENCY, Assessment(CRISIS)) == "hit"
    assert outcome(labels.EMERGENCY, Assessment(PERSONAL_ADVICE)) == "miss"


def test_ordinary_messages_count_alarms_and_advice() -> None:
    assert outcome(labels.OTHER, Assessment(CRISIS)) == "false alarm"
    assert outcome(labels.OTHER, Assessment(PERSONAL_ADVICE)) == "false advice"
    assert outcome(labels.OTHER, Assessment("side_effects")) == "ok"
    assert outcome(labels.PAST_CRISIS, Assessment(CRISIS)) == "flagged"
