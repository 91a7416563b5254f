from __future__ import annotations

import pytest

from core import sms_segments
from core.content import ContentStore
from core.replies import Reply, ReplyParts, compose, reply_buttons, reply_text
from core.vocabulary import KIND_ANSWER, KIND_CRISIS, KIND_EMERGENCY, KIND_SERVICE, TOPIC_IDS


def test_web_reply_is_answer_then_disclaimer(store: ContentStore) -> None:
    text = reply_text(store, Reply("how_they_work"), "rest")
    answer = store.answer("how_they_work")
    assert text == f"{answer.text}\n\n{store.disclaimer.text}"


def test_sms_reply_uses_short_texts(store: ContentStore) -> None:
    text = reply_text(store, Reply("how_they_work"), "twilio")
    answer = store.answer("how_they_work")
    assert text == f"{answer.sms}\n\n{store.disclaimer.sms}"


def test_lead_goes_before_the_answer(store: ContentStore) -> None:
    text = reply_text(store, Reply("alcohol", lead="You asked about duloxetine."), "socketio")
    assert text.startswith("You asked about duloxetine.\n\n")
    assert text.endswith(store.disclaimer.text)


def test_buttons_send_the_topic_title(store: ContentStore) -> None:
    buttons = reply_buttons(store, Reply("greeting", quick_replies=("how_they_work",)))
    title = store.answer("how_they_work").title
    assert buttons == [{"title": title, "payload": title}]


def test_parts_put_the_direct_answer_first_and_the_disclaimer_last(store: ContentStore) -> None:
    parts = compose(store, Reply("side_effects", lead="You asked about duloxetine."), "socketio")
    answer = store.answer("side_effects")
    assert (parts.kind, parts.content_id, parts.lead) == (KIND_ANSWER, "side_effects", "You asked about duloxetine.")
    assert parts.answer == answer.summary
    assert parts.details == tuple(answer.blocks())
    assert parts.text == f"You asked about duloxetine.\n\n{answer.text}\n\n{store.disclaimer.text}"
    assert parts.rate is True


@pytest.mark.parametrize(
    ("content_id", "kind"),
    [("crisis_support", KIND_CRISIS), ("emergency_symptoms", KIND_EMERGENCY), ("thanks", KIND_SERVICE)],
)
def test_only_topic_answers_ask_for_a_rating(store: ContentStore, content_id: str, kind: str) -> None:
    parts = compose(store, Reply(content_id), "socketio")
    assert parts.kind == kind
    assert parts.rate is False


def test_parts_survive_the_metadata_round_trip(store: ContentStore) -> None:
    parts = compose(store, Reply("alcohol", lead="You asked about duloxetine.", quick_replies=("missed_dose",)), "rest")
    assert ReplyParts.from_metadata(parts.as_metadata()) == parts


@pytest.mark.parametrize("data", [None, "text", {}, {"kind": "answer"}, {"kind": "a", "content_id": "b", "answer": "c",
                                                                          "disclaimer": "d", "details": [3]}])
def test_malformed_metadata_gives_no_parts(data: object) -> None:
    assert ReplyParts.from_metadata(data) is None


def test_sms_parts_fit_three_segments_with_the_disclaimer_whole(store: ContentStore) -> None:
    long_lead = "You asked about a medicine with a very long name. " * 3
    for content_id in store.answers:
        parts = compose(store, Reply(content_id, lead=long_lead), "twilio_sms")
        assert parts.details == ()
        assert sms_segments.segments(parts.text) <= sms_segments.MAX_SEGMENTS
        assert parts.text.endswith(store.disclaimer.sms)


def test_crisis_and_emergency_replies_offer_their_numbers_first_and_the_clinic_always(store: ContentStore) -> None:
    crisis = compose(store, Reply("crisis_support"), "socketio").contacts
    emergency = compose(store, Reply("emergency_symptoms"), "socketio").contacts
    answer = compose(store, Reply("alcohol"), "socketio").contacts
    assert [(c.role, c.number, c.tel) for c in crisis] == [
        ("crisis", "116 123", "tel:116123"),
        ("emergency", "999", "tel:999"),
        ("clinic", "01632 960000", "tel:01632960000"),
    ]
    assert [c.role for c in emergency] == ["emergency", "clinic"]
    assert [c.role for c in answer] == ["clinic"]


def test_every_topic_answer_fits_two_sms_segments_with_the_disclaimer(store: ContentStore) -> None:
    too_long = [content_id for content_id in TOPIC_IDS
                if sms_segments.segments(compose(store, Reply(content_id), "twilio_sms").text) > 2]
    assert too_long == []
