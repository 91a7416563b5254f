from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from channels import sms_callbacks
from channels.sms_callbacks import CallbackOffers, SmsCallbacks, consent_details, offers
from core.vocabulary import CALLBACK_NOT_SAVED_ID, CALLBACK_SAVED_ID, ERROR_ID, RATE_LIMITED_ID
from stores.callbacks import CallbackStore, callbacks

NUMBER = "+447700900123"
SENDER = "sms-0123456789abcdef0123456789abcdef"


@pytest.fixture
def engine(tmp_path: Path) -> sa.engine.Engine:
    return sa.create_engine(f"sqlite:///{tmp_path / 'sms.db'}", future=True)


@pytest.fixture
def store(engine) -> CallbackStore:
    return CallbackStore(engine, Fernet.generate_key())


@pytest.fixture
def callbacks_flow(engine, store) -> SmsCallbacks:
    return SmsCallbacks(CallbackOffers(engine), lambda: store)


@pytest.mark.parametrize(
    ("text", "details"),
    [
        ("AGREE Sam Jones, weekday mornings", ("Sam Jones", "weekday mornings")),
        ("agree: Sam; after 2pm", ("Sam", "after 2pm")),
        ("Agree Sam Jones - any time", ("Sam Jones", "any time")),
        ("AGREE Sam", ("Sam", sms_callbacks.NO_TIME_GIVEN)),
        ("AGREE", ("", sms_callbacks.NO_TIME_GIVEN)),
    ],
)
def test_consent_details_read_name_and_time(text: str, details: tuple) -> None:
    assert consent_details(text) == details


@pytest.mark.parametrize("text", ["yes please", "I agree it hurts", "agreed", "Sam, mornings", ""])
def test_only_a_text_starting_with_agree_is_consent(text: str) -> None:
    assert consent_details(text) is None


def test_agree_after_an_offer_stores_the_request_encrypted(callbacks_flow, store, engine) -> None:
    callbacks_flow.offers.offer(SENDER)
    answer = callbacks_flow.answer(SENDER, NUMBER, "AGREE Sam Jones, weekday mornings")
    assert answer is not None and (answer.content_id, answer.saved) == (CALLBACK_SAVED_ID, True)
    [record] = store.list()
    assert (record.name, record.phone, record.preferred_time) == ("Sam Jones", NUMBER, "weekday mornings")
    assert record.channel == "twilio_sms" and record.sender_id == SENDER
    with engine.connect() as connection:
        raw = " ".join(str(value) for row in connection.execute(sa.select(callbacks)) for value in row)
    assert "Sam Jones" not in raw and NUMBER not in raw
    assert callbacks_flow.answer(SENDER, NUMBER, "AGREE Sam Jones, mornings") is None  # the offer is used up


def test_without_an_offer_agree_is_left_to_the_assistant(callbacks_flow, store) -> None:
    assert callbacks_flow.answer(SENDER, NUMBER, "AGREE Sam, mornings") is None
    assert store.list() == []


def test_any_other_reply_withdraws_the_offer_and_stores_nothing(callbacks_flow, store) -> None:
    callbacks_flow.offers.offer(SENDER)
    assert callbacks_flow.answer(SENDER, NUMBER, "actually no thanks") is None
    assert callbacks_flow.answer(SENDER, NUMBER, "AGREE Sam, mornings") is None
    assert store.list() == []


def test_a_crisis_message_after_agree_goes_to_the_assistant(callbacks_flow, store) -> None:
    callbacks_flow.offers.offer(SENDER)
    assert callbacks_flow.answer(SENDER, NUMBER, "agree, I want to kill myself tonight") is None
    assert store.list() == []


def test_agree_without_a_name_is_not_saved(callbacks_flow, store) -> None:
    callbacks_flow.offers.offer(SENDER)
    answer = callbacks_flow.answer(SENDER, NUMBER, "AGREE")
    assert answer is not None and (answer.content_id, answer.saved) == (CALLBACK_NOT_SAVED_ID, False)
    assert store.list() == []


def test_an_offer_expires_after_an_hour(callbacks_flow, engine, store) -> None:
    callbacks_flow.offers.offer(SENDER)
    old = datetime.datetime.utcnow() - sms_callbacks.OFFER_LIFETIME - datetime.timedelta(minutes=1)
    with engine.begin() as connection:
        connection.execute(sa.update(offers).values(offered_at=old))
    assert callbacks_flow.answer(SENDER, NUMBER, "AGREE Sam, mornings") is None
    assert store.list() == []


def test_too_many_requests_are_refused_politely(callbacks_flow, store) -> None:
    for _ in range(3):
        callbacks_flow.offers.offer(SENDER)
        assert callbacks_flow.answer(SENDER, NUMBER, "AGREE Sam, mornings").saved
    callbacks_flow.offers.offer(SENDER)
    assert callbacks_flow.answer(SENDER, NUMBER, "AGREE Sam, mornings").content_id == RATE_LIMITED_ID
    assert len(store.list()) == 3


def test_a_database_failure_is_answered_not_raised(engine) -> None:
    def broken() -> CallbackStore:
        raise RuntimeError("database down")

    flow = SmsCallbacks(CallbackOffers(engine), broken)
    flow.offers.offer(SENDER)
    answer = flow.answer(SENDER, NUMBER, "AGREE Sam, mornings")
    assert answer is not None and (answer.content_id, answer.saved) == (ERROR_ID, False)
