"""Content rules from the clinical brief that the schema check alone does not cover."""

from __future__ import annotations

import re

import pytest

from core.content import ContentStore
from core.sms_segments import segments
from core.vocabulary import KIND_ANSWER, SERVICE_IDS, TOPIC_IDS, kind_of

NEW_TOPICS = (
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
TITLE_MAX_CHARS = 45  # the answers.yml header: a title fits on a quick-reply button
TOPIC_WORDS = (40, 160)  # the answers.yml header: a whole topic answer


@pytest.mark.parametrize("content_id", NEW_TOPICS)
def test_new_topic_is_a_rated_topic_answer(store: ContentStore, content_id: str) -> None:
    assert content_id in TOPIC_IDS and content_id in store.answers
    assert kind_of(content_id) == KIND_ANSWER


def test_overdose_answer_says_call_the_emergency_number_now_even_if_they_feel_fine(store: ContentStore) -> None:
    answer = store.answer("overdose_and_safe_storage")
    instruction = f"If anyone has taken too much, call {store.settings.emergency_number} or go to A&E now"
    for text in (answer.summary, answer.sms):
        assert text.startswith(instruction) and "even if they feel fine" in text
    assert "out of the sight and reach of children" in answer.text


def test_feeling_worried_or_low_gives_the_clinic_and_the_crisis_line_and_no_goodbye(store: ContentStore) -> None:
    answer = store.answer("feeling_worried_or_low")
    settings = store.settings
    for text in (answer.text, answer.sms):
        for value in (settings.clinic_name, settings.clinic_phone, settings.opening_hours, settings.crisis_line):
            assert value in text
        assert not re.search(r"\b(?:goodbye|bye|take care)\b", text, re.IGNORECASE)


def test_no_topic_invites_a_question_and_offers_three_topics(store: ContentStore) -> None:
    answer = store.answer("no_topic")
    assert "no_topic" in SERVICE_IDS
    assert "?" in answer.summary and "?" in answer.sms
    assert len(answer.follow_ups) == 3 and all(topic in TOPIC_IDS for topic in answer.follow_ups)


def test_the_two_dose_answers_answer_different_questions(store: ContentStore) -> None:
    usual = store.answer("dose_and_increases")
    versus_depression = store.answer("dose_lower_than_for_depression")
    assert "depression" in versus_depression.title and "depression" not in usual.title
    assert "depression" in versus_depression.summary and "depression" not in usual.text
    assert "your prescriber decides your dose" in usual.summary.lower()
    assert not re.search(r"\d ?mg|step by step", versus_depression.text)


def test_only_the_dose_answer_gives_doses_and_only_the_ones_the_nhs_pages_give(store: ContentStore) -> None:
    doses = {
        content_id: set(re.findall(r"\b\d+(?:\.\d+)? ?mg\b", f"{answer.text} {answer.sms}"))
        for content_id, answer in store.answers.items()
    }
    # NHS amitriptyline for pain: usual start 10mg a day, most for pain 75mg a day;
    # NHS nortriptyline: 10mg a day for nerve pain, 75mg a day at most.
    assert doses.pop("dose_and_increases") == {"10mg", "75mg"}
    assert {content_id: found for content_id, found in doses.items() if found} == {}


def test_every_topic_sms_fits_in_two_texts_with_the_sms_disclaimer(store: ContentStore) -> None:
    too_long = [topic for topic in TOPIC_IDS
                if segments(f"{store.answer(topic).sms}\n\n{store.disclaimer.sms}") > 2]
    assert too_long == []


def test_every_topic_answer_is_40_to_160_words(store: ContentStore) -> None:
    low, high = TOPIC_WORDS
    wrong = {topic: len(store.answer(topic).text.split()) for topic in TOPIC_IDS}
    assert {topic: words for topic, words in wrong.items() if not low <= words <= high} == {}


def test_titles_are_short_questions_and_unique(store: ContentStore) -> None:
    titles = [store.answer(topic).title for topic in TOPIC_IDS]
    assert [title for title in titles if len(title) > TITLE_MAX_CHARS or not title.endswith("?")] == []
    every_title = [answer.title.casefold() for answer in store.answers.values()]
    assert len(every_title) == len(set(every_title))
