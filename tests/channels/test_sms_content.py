from __future__ import annotations

import dataclasses

import pytest

from channels.sms_content import SmsContent
from core.content import ContentStore
from core.replies import Reply, compose
from core.sms_segments import ELLIPSIS, segments
from core.vocabulary import REPLY_KEY, SMS_CHANNEL
from tests.conftest import CONTENT_DIR

LEAD = "You asked about Cymbalta (duloxetine)."


@pytest.fixture(scope="module")
def sms_content() -> SmsContent:
    return SmsContent.load(CONTENT_DIR)


def _message(store: ContentStore, content_id: str, lead: str | None = None, answer: str | None = None) -> dict:
    parts = compose(store, Reply(content_id, lead=lead), SMS_CHANNEL)
    if answer is not None:
        parts = dataclasses.replace(parts, answer=answer)
    return {"text": parts.text, REPLY_KEY: parts.as_metadata()}


def test_bot_reply_keeps_one_disclaimer_and_the_lead_when_it_fits(sms_content: SmsContent, store: ContentStore) -> None:
    answer = store.answer("alcohol").sms
    text = f"{LEAD}\n\n{answer}\n\n{store.disclaimer.sms}"
    assert sms_content.bot_reply(_message(store, "alcohol", LEAD)) == text


def test_bot_reply_adds_a_missing_disclaimer(sms_content: SmsContent, store: ContentStore) -> None:
    assert sms_content.bot_reply({"text": "Hello."}) == f"Hello.\n\n{store.disclaimer.sms}"


def test_bot_reply_shortens_a_long_unicode_answer(sms_content: SmsContent, store: ContentStore) -> None:
    answer = store.answer("side_effects").sms + " 😀"  # the emoji makes it UCS-2: 67 units per part
    result = sms_content.bot_reply(_message(store, "side_effects", LEAD, answer))
    assert segments(result) <= 3
    assert not result.startswith(LEAD)
    assert result.endswith(f"{ELLIPSIS}\n\n{store.disclaimer.sms}")


def test_every_sms_answer_fits_in_three_segments_with_lead_and_disclaimer(store: ContentStore) -> None:
    # So that, with today's content, no answer is ever cut (only the lead may go).
    too_long = [
        answer.id
        for answer in store.answers.values()
        if segments(f"{answer.sms}\n\n{store.disclaimer.sms}") > 3
    ]
    assert too_long == []
