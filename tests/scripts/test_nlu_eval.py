"""The NLU report plays follow-up conversations the way the Rasa server reads them."""

from __future__ import annotations

from typing import List, Sequence

from core.routing import Decision, as_parse
from scripts.nlu_eval import Parse, outcome, right_by_file, score_conversations, with_context_readings


class KeywordParser:
    """A stand-in for the model: "pregnant" means pregnancy, "wine" alcohol, anything else a follow-on."""

    def __init__(self) -> None:
        self.read: List[str] = []

    def parse_all(self, texts: Sequence[str]) -> List[Parse]:
        self.read.extend(texts)
        return [self.parse(text) for text in texts]

    @staticmethod
    def parse(text: str) -> Parse:
        lower = text.lower()
        if "die" in lower:
            return as_parse(text, "crisis_support")
        topics = [("pregnancy_and_breastfeeding", 0.6 if "pregnant" in lower else 0.01),
                  ("alcohol", 0.6 if "wine" in lower else 0.02)]
        intent = "share_info" if lower.startswith("i'm") else "follow_up"
        parse = as_parse(text, intent, 0.9)
        parse["intent_ranking"] = [{"name": intent, "confidence": 0.9}] + [
            {"name": name, "confidence": confidence} for name, confidence in topics]
        return parse


def test_follow_ons_are_read_again_with_the_earlier_turns() -> None:
    parser = KeywordParser()
    parsed = with_context_readings(parser, [["I'm pregnant", "is it safe then?"], ["is it safe then?"],
                                            ["I'm pregnant", "i want to die", "is it safe then?"]])
    assert parsed[0][1]["context_ranking"][0]["name"] == "pregnancy_and_breastfeeding"
    assert "context_ranking" not in parsed[1][0] and "context_ranking" not in parsed[2][2]
    assert parser.read[-1:] == ["I'm pregnant is it safe then?"]


def test_a_statement_then_a_follow_on_is_scored_with_the_reading() -> None:
    items = [{"turns": ["I'm pregnant", "is it safe then?"], "expect": "pregnancy_and_breastfeeding", "medicine": None},
             {"turns": ["is wine ok?", "and is it safe then?"], "expect": "pregnancy_and_breastfeeding",
              "medicine": None}]
    scores, _, _ = score_conversations(KeywordParser(), items, {})
    assert scores.outcomes["right"] == 1 and scores.total == 2


def test_follow_up_right_answers_are_split_by_file_in_order() -> None:
    results = ["right", "wrong", "right", "clarify_right", "right"]
    assert right_by_file([("a.yml", 2), ("b.yml", 3)], results) == {
        "a.yml": {"right": 1, "total": 2}, "b.yml": {"right": 2, "total": 3}}


def test_scores_keep_each_conversations_outcome_in_order() -> None:
    items = [{"turns": ["I'm pregnant", "is it safe then?"], "expect": "pregnancy_and_breastfeeding", "medicine": None},
             {"turns": ["is wine ok?", "and is it safe then?"], "expect": "pregnancy_and_breastfeeding",
              "medicine": None}]
    scores, _, _ = score_conversations(KeywordParser(), items, {})
    assert scores.results == ["right", "wrong"]


def test_the_emergency_instruction_with_the_crisis_line_answers_an_emergency_or_a_crisis() -> None:
    both = Decision("emergency_and_crisis")
    assert outcome("emergency_symptoms", both) == "right"
    assert outcome("crisis_support", both) == "right"
    assert outcome("side_effects", both) == "wrong"
    assert outcome("emergency_symptoms", Decision("crisis_support")) == "wrong"
