"""The ids every package shares: content ids, intents, reply kinds, flags, slots, channels.

NLU intents are named after the content id that answers them, so routing a message
is a look-up, not a table to keep in step.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

DEFAULT_CONTENT_DIR = "content"

# --- Content ids, grouped by kind -------------------------------------------------
TOPIC_IDS: Tuple[str, ...] = (
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
    "if_it_does_not_work",
    "dose_and_increases",
    "how_long_to_take",
    "overdose_and_safe_storage",
    "heart_and_other_conditions",
    "sex_and_fertility",
    "weight_changes",
    "other_pain_treatments",
    "feeling_worried_or_low",
)
SERVICE_IDS: Tuple[str, ...] = (
    "greeting",
    "goodbye",
    "thanks",
    "bot_identity",
    "capabilities",
    "contact_clinic",
    "out_of_scope",
    "no_topic",
    "request_callback",
)
REQUEST_CALLBACK_ID = "request_callback"  # its SMS reply opens a call-back offer (channels/sms_callbacks.py)
CRISIS_ID = "crisis_support"
EMERGENCY_ID = "emergency_symptoms"
PERSONAL_ADVICE_ID = "personal_medical_advice"
SAFETY_IDS: Tuple[str, ...] = (CRISIS_ID, EMERGENCY_ID, PERSONAL_ADVICE_ID)
URGENT_IDS: Tuple[str, ...] = (CRISIS_ID, EMERGENCY_ID)
# The safety layer's variants of those replies: an overdose taken on purpose (the
# emergency instruction first, then the crisis line), and a crisis in the past.
EMERGENCY_AND_CRISIS_ID = "emergency_and_crisis"
CRISIS_PAST_ID = "crisis_past"
SAFETY_VARIANT_IDS: Tuple[str, ...] = (EMERGENCY_AND_CRISIS_ID, CRISIS_PAST_ID)
SAFETY_PROPERTY = "safety"
VARIANT_WITH_CRISIS = "with_crisis"
VARIANT_PAST = "past"
# Messages not in English get the same short answer, whatever they ask.
NON_ENGLISH_ID = "non_english"
LANGUAGE_IDS: Tuple[str, ...] = (NON_ENGLISH_ID,)
# Answers sent by the assistant itself rather than in reply to one intent.
FALLBACK_ID = "fallback"
CLARIFY_ID = "clarify"
ERROR_ID = "error"
# Sent by a channel: the assistant is busy, the message is too long, too many messages.
BUSY_ID = "busy"
TOO_LONG_ID = "too_long"
RATE_LIMITED_ID = "rate_limited"
# Sent after a call-back request: stored (with consent) or not stored.
CALLBACK_SAVED_ID = "callback_saved"
CALLBACK_NOT_SAVED_ID = "callback_not_saved"
SYSTEM_IDS: Tuple[str, ...] = (
    FALLBACK_ID,
    CLARIFY_ID,
    ERROR_ID,
    BUSY_ID,
    TOO_LONG_ID,
    RATE_LIMITED_ID,
    CALLBACK_SAVED_ID,
    CALLBACK_NOT_SAVED_ID,
)

# Content ids that NLU intents of the same name are answered with.
INTENT_IDS: Tuple[str, ...] = TOPIC_IDS + SERVICE_IDS + SAFETY_IDS
# Intents that only make sense with the conversation's context (core/routing.py).
ASK_ABOUT_MEDICINE_INTENT = "ask_about_medicine"
SHARE_INFO_INTENT = "share_info"
FOLLOW_UP_INTENT = "follow_up"
CONTEXT_INTENTS: Tuple[str, ...] = (ASK_ABOUT_MEDICINE_INTENT, SHARE_INFO_INTENT, FOLLOW_UP_INTENT)
# The acknowledgement of a statement of fact ("I have glaucoma"), with topic buttons.
ACKNOWLEDGE_ID = "noted"
SERVED_IDS: Tuple[str, ...] = INTENT_IDS + SAFETY_VARIANT_IDS + LANGUAGE_IDS + SYSTEM_IDS + (ACKNOWLEDGE_ID,)
NLU_FALLBACK_INTENT = "nlu_fallback"
# Every intent in the domain: the content intents and the context intents.
DOMAIN_INTENTS: Tuple[str, ...] = INTENT_IDS + CONTEXT_INTENTS
# The parse-data property the safety layer sets when a message is not in English.
LANGUAGE_PROPERTY = "language"
# The quick reply offered when none of the suggestions fits.
SOMETHING_ELSE_ID = "capabilities"


def content_id_for_intent(intent: str | None) -> str:
    """Return the content id that answers ``intent`` (the fallback for anything else)."""
    return intent if intent in INTENT_IDS else FALLBACK_ID


# --- Reply kinds: how a channel presents a reply ----------------------------------
KIND_ANSWER = "answer"        # a topic answer: direct answer first, then details
KIND_SERVICE = "service"      # greeting, thanks, contact details, ...
KIND_CRISIS = "crisis"        # crisis card: crisis line first, no rating
KIND_EMERGENCY = "emergency"  # emergency card: the emergency instruction first, no rating
KIND_ADVICE = "advice"        # "I can't decide about your own treatment"
KIND_CLARIFY = "clarify"      # "Did you mean ..." with the closest topics
KIND_FALLBACK = "fallback"    # not understood
KIND_LANGUAGE = "language"    # not in English
KIND_ERROR = "error"          # something went wrong: the safe reply
KIND_SUPPORT = "support"      # a supportive reply with the crisis line, not an alarm (a past crisis)


def kind_of(content_id: str) -> str:
    """The kind of reply a content id gives."""
    if content_id in TOPIC_IDS:
        return KIND_ANSWER
    return _KIND_BY_ID.get(content_id, KIND_SERVICE)


_KIND_BY_ID: Dict[str, str] = {
    CRISIS_ID: KIND_CRISIS,
    EMERGENCY_ID: KIND_EMERGENCY,
    EMERGENCY_AND_CRISIS_ID: KIND_EMERGENCY,
    CRISIS_PAST_ID: KIND_SUPPORT,
    PERSONAL_ADVICE_ID: KIND_ADVICE,
    CLARIFY_ID: KIND_CLARIFY,
    FALLBACK_ID: KIND_FALLBACK,
    NON_ENGLISH_ID: KIND_LANGUAGE,
    ERROR_ID: KIND_ERROR,
    BUSY_ID: KIND_ERROR,
    TOO_LONG_ID: KIND_ERROR,
    RATE_LIMITED_ID: KIND_ERROR,
}
# Kinds under which a channel asks "Was this helpful?".
RATED_KINDS = frozenset({KIND_ANSWER})

# --- Review flags: why staff should look at a conversation ------------------------
FLAG_CRISIS = "crisis"
FLAG_EMERGENCY = "emergency"
FLAG_LOW_CONFIDENCE = "low_confidence"
FLAG_HANDOFF = "handoff"
FLAG_NOT_HELPFUL = "not_helpful"
FLAG_PERSONAL_ADVICE = "personal_advice"
FLAG_ERROR = "error"
FLAGS: Tuple[str, ...] = (
    FLAG_CRISIS,
    FLAG_EMERGENCY,
    FLAG_LOW_CONFIDENCE,
    FLAG_HANDOFF,
    FLAG_NOT_HELPFUL,
    FLAG_PERSONAL_ADVICE,
    FLAG_ERROR,
)
FLAG_FOR_CONTENT: Dict[str, str] = {
    CRISIS_ID: FLAG_CRISIS,
    EMERGENCY_ID: FLAG_EMERGENCY,
    EMERGENCY_AND_CRISIS_ID: FLAG_EMERGENCY,
    CRISIS_PAST_ID: FLAG_CRISIS,
    PERSONAL_ADVICE_ID: FLAG_PERSONAL_ADVICE,
    "contact_clinic": FLAG_HANDOFF,
    "request_callback": FLAG_HANDOFF,
    CLARIFY_ID: FLAG_LOW_CONFIDENCE,
    FALLBACK_ID: FLAG_LOW_CONFIDENCE,
    ERROR_ID: FLAG_ERROR,
    BUSY_ID: FLAG_ERROR,
}

# Further flags a reply adds (an overdose taken on purpose is both).
EXTRA_FLAGS_FOR_CONTENT: Dict[str, Tuple[str, ...]] = {EMERGENCY_AND_CRISIS_ID: (FLAG_CRISIS,)}


def flags_for(content_id: str) -> List[str]:
    """The review flags a reply with ``content_id`` adds to its conversation."""
    flag = FLAG_FOR_CONTENT.get(content_id)
    return ([flag] if flag else []) + list(EXTRA_FLAGS_FOR_CONTENT.get(content_id, ()))


# --- Slots ------------------------------------------------------------------------
REVIEW_FLAGS_SLOT = "review_flags"
FEEDBACK_SLOT = "feedback"
CURRENT_TOPIC_SLOT = "current_topic"
MEDICINE_SLOT = "medicine"

# --- Channels ---------------------------------------------------------------------
REST_CHANNEL = "rest"
WIDGET_CHANNEL = "socketio"
SMS_CHANNEL = "twilio_sms"
SMS_CHANNELS = frozenset({"twilio", SMS_CHANNEL})

# --- Bot message metadata keys ----------------------------------------------------
CONTENT_ID_KEY = "content_id"
REPLY_KEY = "reply"
