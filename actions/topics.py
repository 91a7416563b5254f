"""The content ids the assistant can serve, grouped by kind.

NLU intents are named after the content id they are answered with, so routing a
message is a look-up, not a table to keep in step.
"""

TOPIC_IDS = (
    "why_antidepressant_for_pain",
    "not_in_your_head",
    "which_antidepressants",
    "how_they_work",
    "how_long_until_relief",
    "what_relief_to_expect",
    "combined_with_antiepileptics",
    "mood_and_sleep_benefits",
    "what_is_neuropathic_pain",
    "dose_lower_than_for_depression",
    "side_effects",
    "stopping_medication",
    "missed_dose",
    "alcohol",
    "drowsiness_and_driving",
    "addiction_and_dependence",
    "other_medicines",
    "pregnancy_and_breastfeeding",
    "when_to_take",
)
SERVICE_IDS = (
    "greeting",
    "goodbye",
    "thanks",
    "bot_identity",
    "capabilities",
    "contact_clinic",
    "out_of_scope",
)
SAFETY_IDS = ("crisis_support", "emergency_symptoms", "personal_medical_advice")
# Messages not in English get the same short answer, whatever they ask.
LANGUAGE_IDS = ("non_english",)
# Answers sent by the assistant itself rather than in reply to one intent.
FALLBACK_ID = "fallback"
CLARIFY_ID = "clarify"
ERROR_ID = "error"
SYSTEM_IDS = (FALLBACK_ID, CLARIFY_ID, ERROR_ID)

INTENT_IDS = TOPIC_IDS + SERVICE_IDS + SAFETY_IDS + LANGUAGE_IDS
SERVED_IDS = INTENT_IDS + SYSTEM_IDS
NLU_FALLBACK_INTENT = "nlu_fallback"


def content_id_for_intent(intent: str | None) -> str:
    """Return the content id that answers ``intent`` (the fallback for anything else)."""
    return intent if intent in INTENT_IDS else FALLBACK_ID
