from __future__ import annotations

import pytest

from core.routing import Context, Decision, as_parse, decide
from core.vocabulary import SOMETHING_ELSE_ID


def parse(intent: str, *ranking: tuple[str, float], medicine: str | None = None, **extra: object) -> dict:
    data = as_parse("a message", intent, **extra)
    if ranking:
        data["intent_ranking"] = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    if medicine:
        data["entities"] = [{"entity": "medicine", "value": medicine}]
    return data


def test_a_topic_is_answered_and_remembered_with_its_medicine() -> None:
    decision = decide(parse("alcohol", medicine="Cymbalta"))
    assert decision == Decision("alcohol", None, "cymbalta", Context("alcohol", "cymbalta"))


def test_a_later_question_without_a_medicine_uses_the_remembered_one() -> None:
    decision = decide(parse("side_effects"), Context("alcohol", "cymbalta"))
    assert (decision.content_id, decision.medicine, decision.context) == (
        "side_effects", "cymbalta", Context("side_effects", "cymbalta"))


def test_another_medicine_alone_re_answers_the_current_topic_for_it() -> None:
    decision = decide(parse("ask_about_medicine", medicine="nortriptyline"), Context("alcohol", "cymbalta"))
    assert (decision.content_id, decision.medicine, decision.context) == (
        "alcohol", "nortriptyline", Context("alcohol", "nortriptyline"))


def test_the_other_one_without_a_name_re_answers_the_topic_without_a_medicine() -> None:
    decision = decide(parse("ask_about_medicine"), Context("missed_dose", "cymbalta"))
    assert (decision.content_id, decision.medicine) == ("missed_dose", None)


def test_a_medicine_alone_with_no_topic_is_acknowledged_with_topics() -> None:
    decision = decide(parse("ask_about_medicine", ("ask_about_medicine", 0.8), ("which_antidepressants", 0.1),
                            ("side_effects", 0.06), medicine="effexor"))
    assert decision.content_id == "noted"
    assert decision.quick_replies == ("which_antidepressants", "side_effects", SOMETHING_ELSE_ID)
    assert decision.context == Context("which_antidepressants", "effexor")


def test_a_statement_remembers_its_most_relevant_topic_and_offers_them() -> None:
    decision = decide(parse("share_info", ("share_info", 0.7), ("pregnancy_and_breastfeeding", 0.2),
                            ("sex_and_fertility", 0.05), ("greeting", 0.05)))
    assert decision.content_id == "noted"
    assert decision.quick_replies == ("pregnancy_and_breastfeeding", "sex_and_fertility", SOMETHING_ELSE_ID)
    assert decision.context.topic == "pregnancy_and_breastfeeding"


def test_a_follow_on_question_is_answered_from_the_current_topic() -> None:
    decision = decide(parse("follow_up"), Context("drowsiness_and_driving", "amitriptyline"))
    assert (decision.content_id, decision.medicine) == ("drowsiness_and_driving", "amitriptyline")


def test_a_follow_on_question_without_context_asks_what_they_mean() -> None:
    decision = decide(parse("follow_up", ("follow_up", 0.6), ("side_effects", 0.1), ("alcohol", 0.08)))
    assert decision.content_id == "clarify"


def test_a_follow_on_question_with_a_topic_of_its_own_gets_that_topic() -> None:
    unsure = parse("follow_up", ("follow_up", 0.7), ("how_they_work", 0.14))
    decision = decide(unsure, Context("why_antidepressant_for_pain"))
    assert decision.content_id == "how_they_work"


def test_a_statement_keeps_the_earlier_topic_when_its_own_is_unclear() -> None:
    ranking = [("share_info", 0.8)] + [(topic, 0.02) for topic in ("side_effects", "alcohol", "missed_dose")]
    decision = decide(parse("share_info", *ranking), Context("alcohol"))
    assert decision.context.topic == "alcohol"


def test_an_unsure_short_question_in_a_conversation_is_a_follow_on() -> None:
    unsure = parse("nlu_fallback", ("nlu_fallback", 0.4), ("thanks", 0.3), ("follow_up", 0.2))
    unsure["text"] = "is that ok"
    assert decide(unsure, Context("other_medicines")).content_id == "other_medicines"


@pytest.mark.parametrize("intent", ["crisis_support", "emergency_symptoms", "personal_medical_advice"])
def test_safety_is_never_turned_into_a_topic_and_keeps_the_context(intent: str) -> None:
    context = Context("alcohol", "cymbalta")
    decision = decide(parse(intent, medicine="cymbalta"), context)
    assert decision == Decision(intent, None, None, context)


def test_another_language_gets_the_english_only_reply() -> None:
    decision = decide(parse("nlu_fallback", language={"language": "es", "rule": "lingua"}), Context("alcohol"))
    assert (decision.content_id, decision.quick_replies, decision.context) == ("non_english", (), Context("alcohol"))


def test_low_confidence_offers_the_closest_topics_or_the_fallback() -> None:
    unsure = decide(parse("nlu_fallback", ("nlu_fallback", 0.4), ("how_they_work", 0.3), ("greeting", 0.2),
                          ("why_antidepressant_for_pain", 0.25)))
    assert unsure.quick_replies == ("how_they_work", "why_antidepressant_for_pain", SOMETHING_ELSE_ID)
    lost = decide(parse("nlu_fallback", ("nlu_fallback", 0.9), ("greeting", 0.05)))
    assert (lost.content_id, lost.quick_replies) == ("fallback", (SOMETHING_ELSE_ID,))


@pytest.mark.parametrize("intent", ["greeting", "no_topic", "request_callback", "thanks"])
def test_service_messages_are_answered_as_themselves_and_keep_the_context(intent: str) -> None:
    context = Context("alcohol", "cymbalta")
    assert decide(parse(intent), context) == Decision(intent, None, None, context)


def test_an_unknown_intent_gets_the_fallback() -> None:
    assert decide(parse("some_retired_intent")).content_id == "fallback"


def test_an_unsure_medicine_follow_on_uses_the_context() -> None:
    ranking = (("nlu_fallback", 0.45), ("ask_about_medicine", 0.3), ("alcohol", 0.1))
    unsure = parse("nlu_fallback", *ranking, medicine="efexor")
    decision = decide(unsure, Context("alcohol", "cymbalta"))
    assert (decision.content_id, decision.medicine) == ("alcohol", "efexor")


def test_an_unsure_short_message_naming_a_medicine_re_answers_the_topic() -> None:
    unsure = parse("nlu_fallback", ("nlu_fallback", 0.45), ("side_effects", 0.3), medicine="effexor")
    unsure["text"] = "n effexor"
    assert decide(unsure, Context("missed_dose", None)).content_id == "missed_dose"
    assert decide(unsure, Context()).content_id == "fallback"


def test_an_unsure_follow_on_question_without_a_topic_still_asks() -> None:
    unsure = parse("nlu_fallback", ("nlu_fallback", 0.45), ("follow_up", 0.3), ("alcohol", 0.1), ("side_effects", 0.08))
    assert decide(unsure).content_id == "clarify"
    assert decide(unsure, Context("side_effects")).content_id == "side_effects"


def test_a_follow_on_question_with_a_spread_of_topics_keeps_the_conversation_topic() -> None:
    unsure = parse("follow_up", ("follow_up", 0.8), ("side_effects", 0.1), ("alcohol", 0.09))
    assert decide(unsure, Context("weight_changes")).content_id == "weight_changes"
    sure = parse("follow_up", ("follow_up", 0.8), ("side_effects", 0.19), ("alcohol", 0.01))
    assert decide(sure, Context("weight_changes")).content_id == "side_effects"


def test_an_unsure_message_ending_in_a_short_question_leans_on_the_conversation() -> None:
    unsure = parse("nlu_fallback", ("nlu_fallback", 0.4), ("why_antidepressant_for_pain", 0.35), ("alcohol", 0.25))
    unsure["text"] = "My doctor has mentioned nortriptyline for the pain in my feet. Is that a worry?"
    assert decide(unsure, Context("heart_and_other_conditions")).content_id == "heart_and_other_conditions"
    assert decide(unsure).content_id == "clarify"


def test_a_sentence_carrying_on_with_and_leans_on_the_conversation() -> None:
    unsure = parse("nlu_fallback", ("nlu_fallback", 0.4), ("stopping_medication", 0.35), ("alcohol", 0.25))
    unsure["text"] = "And will it come back off again or am I stuck with it now?"
    assert decide(unsure, Context("weight_changes")).content_id == "weight_changes"
    unsure["text"] = "Will it come back off again or am I stuck with it for the rest of my life?"
    assert decide(unsure, Context("weight_changes")).content_id == "clarify"


def test_a_clear_reading_with_the_conversation_answers_a_follow_on() -> None:
    follow_on = parse("follow_up", ("follow_up", 0.9), ("alcohol", 0.05), ("side_effects", 0.04))
    follow_on["context_ranking"] = [{"name": "pregnancy_and_breastfeeding", "confidence": 0.5},
                                    {"name": "alcohol", "confidence": 0.2}]
    decision = decide(follow_on, Context("alcohol", "amitriptyline"))
    assert (decision.content_id, decision.medicine) == ("pregnancy_and_breastfeeding", "amitriptyline")
    assert decision.context.topic == "pregnancy_and_breastfeeding"


def test_a_follow_on_naming_its_own_topic_keeps_it_whatever_the_reading() -> None:
    follow_on = parse("follow_up", ("follow_up", 0.5), ("if_it_does_not_work", 0.45), ("alcohol", 0.05))
    follow_on["context_ranking"] = [{"name": "how_long_until_relief", "confidence": 0.95}]
    assert decide(follow_on, Context("how_long_until_relief")).content_id == "if_it_does_not_work"
    follow_on["intent_ranking"][1]["confidence"] = 0.1
    assert decide(follow_on, Context("how_long_until_relief")).content_id == "how_long_until_relief"


def test_a_medicine_alone_never_takes_its_own_topic_ranking_over_the_reading() -> None:
    medicine_only = parse("ask_about_medicine", ("ask_about_medicine", 0.6), ("weight_changes", 0.3),
                          medicine="nortriptyline")
    medicine_only["context_ranking"] = [{"name": "alcohol", "confidence": 0.9}]
    assert decide(medicine_only, Context("alcohol")).content_id == "alcohol"


def test_an_unclear_reading_with_the_conversation_leaves_the_remembered_topic() -> None:
    follow_on = parse("follow_up", ("follow_up", 0.9), ("alcohol", 0.05), ("side_effects", 0.04))
    follow_on["context_ranking"] = [{"name": topic, "confidence": 0.2}
                                    for topic in ("side_effects", "pregnancy_and_breastfeeding", "weight_changes")]
    assert decide(follow_on, Context("alcohol")).content_id == "alcohol"


@pytest.mark.parametrize("intent", ["side_effects", "crisis_support", "thanks", "share_info"])
def test_a_reading_with_the_conversation_never_changes_other_messages(intent: str) -> None:
    message = parse(intent)
    message["context_ranking"] = [{"name": "pregnancy_and_breastfeeding", "confidence": 0.9}]
    assert decide(message, Context("alcohol")).content_id in (intent, "noted")


def test_an_unsure_topic_guess_takes_a_clear_reading_with_the_conversation() -> None:
    guess = parse("why_antidepressant_for_pain", ("why_antidepressant_for_pain", 0.45), ("alcohol", 0.2))
    guess["intent"]["confidence"] = 0.45
    guess["context_ranking"] = [{"name": "heart_and_other_conditions", "confidence": 0.7}]
    assert decide(guess, Context()).content_id == "heart_and_other_conditions"
    guess["intent"]["confidence"] = 0.9
    assert decide(guess, Context()).content_id == "why_antidepressant_for_pain"


def test_thanks_with_a_question_answers_the_question() -> None:
    thanks = parse("thanks", ("thanks", 0.6), ("missed_dose", 0.35), ("alcohol", 0.05), medicine="amitriptyline")
    thanks["text"] = "ok thank you. what if I forget one"
    decision = decide(thanks, Context("side_effects"))
    assert (decision.content_id, decision.medicine, decision.context.topic) == (
        "missed_dose", "amitriptyline", "missed_dose")
    thanks["text"] = "great thanks - and how long till it works?"
    assert decide(thanks, Context()).content_id == "missed_dose"


@pytest.mark.parametrize("text", ["thanks, you have been very helpful", "thanks for explaining the dose"])
def test_thanks_without_a_question_stays_thanks(text: str) -> None:
    thanks = parse("thanks", ("thanks", 0.6), ("dose_and_increases", 0.35))
    thanks["text"] = text
    assert decide(thanks, Context("alcohol")).content_id == "thanks"


def test_a_greeting_with_a_question_but_no_clear_topic_stays_a_greeting() -> None:
    hello = parse("greeting", ("greeting", 0.9), ("capabilities", 0.05), ("alcohol", 0.05))
    hello["text"] = "hi, how are you?"
    assert decide(hello, Context()).content_id == "greeting"
