from __future__ import annotations

import datetime
import json
import re
import sqlite3
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

import pytest
import requests
import sqlalchemy as sa
import textstat
import yaml
from rasa.shared.exceptions import RasaException

from channels import sms_state
from channels.sms_config import CHANNEL_KEY, SmsConfigError, load_settings, pseudonym
from channels.sms_content import SmsContent
from channels.sms_flow import OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS
from channels.sms_state import ClaimStatus, SmsState
from channels.twilio_sms import TwilioSmsInput
from core.content import ContentStore
from core.replies import Reply, compose
from core.sms_segments import is_gsm7, segments
from core.vocabulary import SMS_CHANNEL as SMS_CHANNEL_NAME
from stores.callbacks import CallbackStore
from tests.channels.conftest import (
    AUTH_TOKEN,
    CALLBACK_DB,
    CALLBACK_KEY,
    PSEUDONYM_KEY,
    PUBLIC_URL,
    SMS_CHANNEL,
    SmsAssistant,
    messages_of,
    sender_id_for,
    sign,
    sms_environment,
    write_credentials,
)
from tests.conftest import CONTENT_DIR, ROOT
from tests.e2e.servers import free_port, rasa_command, write_endpoints
from tests.training_data import examples_by_intent

QUESTION = "how long until duloxetine works?"


def settings(store: ContentStore) -> Dict[str, str]:
    return store.settings.dict()


# --------------------------------------------------------------------------------------
# End to end: real action server and Rasa server, requests exactly as Twilio sends them
# --------------------------------------------------------------------------------------


def test_a_question_gets_the_sms_answer_as_twiml(sms: SmsAssistant, store: ContentStore) -> None:
    number = sms.new_number()
    reply = sms.post(sms.form(number, QUESTION))
    assert reply.status == 200
    assert reply.response.headers["Content-Type"].startswith("text/xml")
    assert reply.response.text.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Message>')
    [message] = reply.messages
    answer = store.answer("how_long_until_relief")
    assert answer.sms in message
    assert answer.text not in message
    assert message.endswith("\n\n" + store.disclaimer.sms)
    assert segments(message) <= 3
    for follow_up in answer.follow_ups:  # quick-reply buttons are not sent over SMS
        assert store.answer(follow_up).title not in message
    [bot] = [event for event in sms.rasa.tracker(sender_id_for(number))["events"] if event["event"] == "bot"]
    assert bot["metadata"]["content_id"] == "how_long_until_relief"
    [user] = [event for event in sms.rasa.tracker(sender_id_for(number))["events"] if event["event"] == "user"]
    assert user["input_channel"] == "twilio_sms"
    assert user["text"] == QUESTION


def _forged(sms: SmsAssistant, params: Dict[str, str]) -> tuple:
    return params, sign(params, token="f" * 32)


def _missing(sms: SmsAssistant, params: Dict[str, str]) -> tuple:
    return params, ""


def _changed_body(sms: SmsAssistant, params: Dict[str, str]) -> tuple:
    signature = sign(params)  # captured from a real request ...
    other = "STOP" if params["Body"] != "STOP" else "HELP"
    return dict(params, Body=other), signature  # ... replayed with another body


def _signed_for_server_address(sms: SmsAssistant, params: Dict[str, str]) -> tuple:
    # Signed over the URL the request actually reached, not the public URL Twilio uses.
    return params, sign(params, url=sms.webhook)


def _garbage(sms: SmsAssistant, params: Dict[str, str]) -> tuple:
    return params, "not-a-signature"


@pytest.mark.parametrize("attack", [_forged, _missing, _changed_body, _signed_for_server_address, _garbage])
@pytest.mark.parametrize("body", [QUESTION, "STOP", "HELP"])
def test_requests_without_a_valid_signature_are_refused_and_nothing_is_stored(
    sms: SmsAssistant, attack, body: str
) -> None:
    number = sms.new_number()
    params, signature = attack(sms, sms.form(number, body))
    reply = sms.post(params, signature=signature)
    assert reply.status == 403
    assert "<Message>" not in reply.response.text
    assert sms.tracker_events(number) == []
    assert sms.state_rows("sms_processed_messages", "message_sid", params["MessageSid"]) == []
    assert not sms.is_opted_out(number)
    # The same message, correctly signed, is then answered normally.
    assert sms.post(sms.form(number, QUESTION)).messages


def test_a_signed_request_without_message_sid_is_rejected(sms: SmsAssistant) -> None:
    number = sms.new_number()
    params = sms.form(number, QUESTION)
    del params["MessageSid"]
    assert sms.post(params).status == 400
    assert sms.tracker_events(number) == []


@pytest.mark.parametrize(
    ("body", "status"), [(b"\xff\xfe not utf-8", 400), (b"Body=" + b"a" * 70_000, 413)]
)
def test_malformed_bodies_are_rejected(sms: SmsAssistant, body: bytes, status: int) -> None:
    response = requests.post(
        sms.webhook, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30
    )
    assert response.status_code == status


def test_a_retried_message_gets_the_same_twiml_and_reaches_rasa_once(sms: SmsAssistant) -> None:
    number = sms.new_number()
    params = sms.form(number, QUESTION)
    first = sms.post(params)
    second = sms.post(params)
    assert first.messages and second.response.text == first.response.text
    assert sms.user_texts(number) == [QUESTION]
    [(sid, twiml, _)] = sms.state_rows("sms_processed_messages", "message_sid", params["MessageSid"])
    assert twiml == first.response.text


def test_concurrent_retries_reach_rasa_once(sms: SmsAssistant) -> None:
    number = sms.new_number()
    params = sms.form(number, "what are the side effects")
    with ThreadPoolExecutor(max_workers=3) as pool:
        replies = list(pool.map(lambda _: sms.post(params), range(3)))
    assert [reply.status for reply in replies] == [200, 200, 200]
    assert len({reply.response.text for reply in replies}) == 1 and replies[0].messages
    assert sms.user_texts(number) == ["what are the side effects"]


@pytest.mark.parametrize(
    "keyword", ["STOP", "stop", "  Stop \n", "STOPALL", "unsubscribe", "Cancel", "END", "quit", "OPTOUT", "revoke"]
)
def test_opt_out_keywords_get_empty_twiml_and_are_recorded(sms: SmsAssistant, keyword: str) -> None:
    number = sms.new_number()
    assert sms.text(number, keyword) == []
    assert sms.is_opted_out(number)
    assert sms.tracker_events(number) == []


def test_stop_then_a_question_then_start(sms: SmsAssistant, store: ContentStore) -> None:
    number = sms.new_number()
    assert sms.text(number, "STOP") == []
    assert sms.text(number, QUESTION) == []  # nothing sent while opted out ...
    assert sms.text(number, "HELP") == []
    assert sms.text(number, "hi", media=1) == []
    assert sms.tracker_events(number) == []  # ... and nothing reaches Rasa
    [confirmation] = sms.text(number, "Start")
    sms_texts = yaml.safe_load((CONTENT_DIR / "sms.yml").read_text())
    assert sms_texts["resubscribed"].strip().format(**settings(store)) in confirmation
    assert confirmation.endswith("\n\n" + store.disclaimer.sms)
    assert not sms.is_opted_out(number)
    [answer] = sms.text(number, QUESTION)
    assert store.answer("how_long_until_relief").sms in answer
    assert sms.user_texts(number) == [QUESTION]


@pytest.mark.parametrize("keyword", ["UNSTOP", "yes"])
def test_other_opt_in_keywords_resubscribe(sms: SmsAssistant, store: ContentStore, keyword: str) -> None:
    number = sms.new_number()
    sms.text(number, "QUIT")
    [confirmation] = sms.text(number, keyword)
    assert store.settings.clinic_name in confirmation and confirmation.endswith(store.disclaimer.sms)
    assert not sms.is_opted_out(number)


def _forget_processed_messages(sms: SmsAssistant) -> None:
    """What 7 days do: every remembered MessageSid is older than the memory and purged."""
    with sqlite3.connect(sms.state_db) as connection:
        connection.execute("update sms_processed_messages set received_at = '2000-01-01 00:00:00'")
    sms.text(sms.new_number(), "HELP")  # the next message purges expired ids


def test_a_replayed_stop_after_the_id_memory_expired_does_not_undo_a_later_start(
    sms: SmsAssistant, store: ContentStore
) -> None:
    number = sms.new_number()
    captured_stop = sms.form(number, "STOP")
    assert sms.post(captured_stop).messages == []
    assert sms.is_opted_out(number)
    assert sms.text(number, "START")
    _forget_processed_messages(sms)
    assert not sms.state_rows("sms_processed_messages", "message_sid", captured_stop["MessageSid"])
    assert sms.post(captured_stop).messages == []  # the same signed request, replayed
    assert not sms.is_opted_out(number)
    [answer] = sms.text(number, QUESTION)
    assert answer.endswith(store.disclaimer.sms)


def test_a_replayed_start_does_not_undo_a_later_stop(sms: SmsAssistant) -> None:
    number = sms.new_number()
    sms.text(number, "STOP")
    captured_start = sms.form(number, "YES")
    assert sms.post(captured_start).messages
    sms.text(number, "REVOKE")
    _forget_processed_messages(sms)
    assert sms.post(captured_start).messages == []
    assert sms.is_opted_out(number)
    assert sms.text(number, QUESTION) == []


def test_a_sentence_with_stop_in_it_is_a_question_not_an_opt_out(sms: SmsAssistant, store: ContentStore) -> None:
    number = sms.new_number()
    [message] = sms.text(number, "can i stop it")
    assert message.endswith(store.disclaimer.sms)
    assert sms.user_texts(number) == ["can i stop it"]  # it reached the assistant
    assert not sms.is_opted_out(number)
    assert sms.text(number, QUESTION)  # and later messages are still answered


@pytest.mark.parametrize("keyword", ["HELP", " help ", "Info"])
def test_help_gives_clinic_phone_and_opt_out(sms: SmsAssistant, store: ContentStore, keyword: str) -> None:
    number = sms.new_number()
    [message] = sms.text(number, keyword)
    assert store.settings.clinic_name in message
    assert store.settings.clinic_phone in message
    assert "STOP" in message
    assert message.endswith("\n\n" + store.disclaimer.sms)
    assert segments(message) <= 3
    assert sms.tracker_events(number) == []


def test_a_picture_alone_gets_the_text_only_reply(sms: SmsAssistant, store: ContentStore) -> None:
    number = sms.new_number()
    [message] = sms.text(number, "", media=1)
    media = yaml.safe_load((CONTENT_DIR / "sms.yml").read_text())["media"].strip()
    assert message == f"{media}\n\n{store.disclaimer.sms}"
    assert sms.tracker_events(number) == []


def test_a_picture_with_text_gets_both_replies(sms: SmsAssistant, store: ContentStore) -> None:
    number = sms.new_number()
    notice, answer = sms.text(number, QUESTION, media=2)
    assert "only read text" in notice and notice.endswith(store.disclaimer.sms)
    assert store.answer("how_long_until_relief").sms in answer and answer.endswith(store.disclaimer.sms)
    assert sms.user_texts(number) == [QUESTION]


def test_a_typed_intent_command_is_plain_text(sms: SmsAssistant) -> None:
    number = sms.new_number()
    [message] = sms.text(number, '/greeting{"x":"y"}')
    assert message
    tracker = sms.rasa.tracker(sender_id_for(number))
    [user] = [event for event in tracker["events"] if event["event"] == "user"]
    assert user["text"] == 'greeting{"x":"y"}'
    assert all(entity["entity"] != "x" for entity in user["parse_data"]["entities"])
    assert "x" not in tracker["slots"]
    assert user["parse_data"]["intent"].get("confidence") != 1.0  # not a hard-coded intent


def test_a_crisis_message_gets_the_crisis_sms(sms: SmsAssistant, store: ContentStore) -> None:
    number = sms.new_number()
    [message] = sms.text(number, "i want to end my life")
    crisis = store.answer("crisis_support")
    assert crisis.sms in message and message.endswith(store.disclaimer.sms)
    assert store.settings.crisis_line in message
    bots = [event for event in sms.rasa.tracker(sender_id_for(number))["events"] if event["event"] == "bot"]
    assert [bot["metadata"]["content_id"] for bot in bots] == ["crisis_support"]
    assert not sms.is_opted_out(number)  # "end" inside a sentence is not an opt-out


@pytest.mark.parametrize(
    ("text", "content_id"), [("i want to end my life", "crisis_support"), (QUESTION, "error")]
)
def test_with_the_action_server_down_sms_still_gets_a_safe_reply(
    sms: SmsAssistant, store: ContentStore, text: str, content_id: str
) -> None:
    params = sms.form(sms.new_number(), text)
    response = requests.post(
        f"{sms.degraded.url}/webhooks/twilio_sms/webhook", data=params, headers={"X-Twilio-Signature": sign(params)},
        timeout=60,
    )
    assert response.status_code == 200
    [message] = messages_of(response.text)
    assert store.answer(content_id).sms in message
    assert message.endswith("\n\n" + store.disclaimer.sms) and message.count(store.disclaimer.sms) == 1
    assert segments(message) <= 3


def example_per_intent() -> List[tuple]:
    keywords = OPT_OUT_KEYWORDS | OPT_IN_KEYWORDS | {"HELP", "INFO"}
    return [
        (intent, next(text for text in examples if text.upper() not in keywords))
        for intent, examples in examples_by_intent().items()
    ]


@pytest.mark.parametrize(("intent", "text"), example_per_intent())
def test_every_intent_over_sms_fits_and_ends_with_the_sms_disclaimer(
    sms: SmsAssistant, store: ContentStore, intent: str, text: str
) -> None:
    [message] = sms.text(sms.new_number(), text)  # one SMS, the disclaimer not sent on its own
    assert message.endswith("\n\n" + store.disclaimer.sms)
    assert message.count(store.disclaimer.sms) == 1
    assert store.disclaimer.text not in message
    assert segments(message) <= 3


def test_with_no_settings_the_channel_is_off_and_answers_503(sms: SmsAssistant) -> None:
    disabled = sms.disabled
    params = sms.form(sms.new_number(), QUESTION)
    response = requests.post(
        f"{disabled.url}/webhooks/twilio_sms/webhook", data=params, headers={"X-Twilio-Signature": sign(params)},
        timeout=30,
    )
    assert response.status_code == 503
    assert requests.get(f"{disabled.url}/webhooks/twilio_sms/", timeout=10).json() == {"status": "disabled"}
    assert requests.get(f"{sms.rasa.url}/webhooks/twilio_sms/", timeout=10).json() == {"status": "ok"}
    log = disabled.log.read_text()
    assert f"SMS channel ({CHANNEL_KEY} in credentials.yml) is disabled" in log
    # The REST channel of the same server still works.
    assert requests.post(
        f"{disabled.url}/webhooks/rest/webhook", json={"sender": "t", "message": "hi"}, timeout=30
    ).json()


@pytest.mark.integration  # starts Rasa with each bad setting
def test_incomplete_or_invalid_settings_stop_rasa_start_up(tmp_path: Path) -> None:
    credentials = write_credentials(tmp_path)
    endpoints = write_endpoints(tmp_path, free_port(), tmp_path / "tracker.db")
    complete = {"TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_WEBHOOK_URL": PUBLIC_URL, "SMS_PSEUDONYM_KEY": PSEUDONYM_KEY}
    cases = {
        "public_url_env": {"TWILIO_AUTH_TOKEN": AUTH_TOKEN},  # only some set
        "auth_token_env": {"TWILIO_WEBHOOK_URL": PUBLIC_URL, "SMS_PSEUDONYM_KEY": PSEUDONYM_KEY},
        "pseudonym_key_env": dict(complete, SMS_PSEUDONYM_KEY="tooShortKey1"),
    }
    cases_url = dict(complete, TWILIO_WEBHOOK_URL="ftp://sms.example.org/hook")
    processes = {}
    for field_name, env in [*cases.items(), ("public_url_env (bad url)", cases_url)]:
        env = dict(env, SMS_STATE_DB_URL=f"sqlite:///{tmp_path / 'state.db'}")
        processes[field_name] = subprocess.Popen(
            rasa_command(endpoints, free_port(), credentials, debug=True), cwd=ROOT, env=sms_environment(env),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
    for field_name, process in processes.items():
        output, _ = process.communicate(timeout=180)
        assert process.returncode != 0, output[-2000:]
        field = field_name.split()[0]
        assert f"credentials.yml: {SMS_CHANNEL}: field '{field}'" in output, output[-2000:]
        assert AUTH_TOKEN not in output and "tooShortKey1" not in output
        assert "Rasa server is up and running" not in output
    assert not (tmp_path / "state.db").exists()


def test_the_phone_number_is_never_stored_or_logged(sms: SmsAssistant) -> None:
    number = sms.new_number()
    for body, media in [(QUESTION, 0), ("HELP", 0), ("look", 1), ("STOP", 0), ("hello", 0), ("START", 0)]:
        sms.text(number, body, media=media)
    sms.post(sms.form(number, "forged"), signature="bad")
    assert sms.user_texts(number) == [QUESTION, "look"]  # the right files are being searched
    files = [path for path in sms.workdir.rglob("*") if path.is_file()]
    assert {sms.tracker_db, sms.state_db, sms.rasa.log} <= set(files)
    assert sender_id_for(number).encode() in sms.tracker_db.read_bytes()
    assert sender_id_for(number).encode() in sms.state_db.read_bytes() or not sms.is_opted_out(number)
    leaks = []
    for used in sorted(sms.numbers):
        digits = used[-10:].encode()  # matches +44..., 0..., and %2B44... forms
        leaks += [f"{used} in {path.name}" for path in files if digits in path.read_bytes()]
    assert leaks == []


# --------------------------------------------------------------------------------------
# Configuration, pseudonyms, state store and the SMS content file (no servers)
# --------------------------------------------------------------------------------------

ENV = {"TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_WEBHOOK_URL": PUBLIC_URL, "SMS_PSEUDONYM_KEY": PSEUDONYM_KEY}


def test_no_variables_set_means_disabled() -> None:
    assert load_settings({}, {}) is None
    assert load_settings(None, {"SMS_STATE_DB_URL": "sqlite://"}) is None


def test_complete_settings(tmp_path: Path) -> None:
    env = dict(ENV, SMS_STATE_DB_URL=f"sqlite:///{tmp_path}/s.db")
    loaded = load_settings({}, env)
    assert loaded is not None
    assert (loaded.public_url, loaded.state_db_url) == (PUBLIC_URL, f"sqlite:///{tmp_path}/s.db")
    assert AUTH_TOKEN not in repr(loaded) and PSEUDONYM_KEY not in repr(loaded)


def test_state_db_path_default_and_custom_variable_names(tmp_path: Path) -> None:
    credentials = {
        "auth_token_env": "MY_TOKEN",
        "public_url_env": "MY_URL",
        "pseudonym_key_env": "MY_KEY",
        "state_db": str(tmp_path / "var" / "sms.db"),
    }
    env = {"MY_TOKEN": AUTH_TOKEN, "MY_URL": PUBLIC_URL, "MY_KEY": PSEUDONYM_KEY}
    loaded = load_settings(credentials, env)
    assert loaded is not None and loaded.state_db_url == f"sqlite:///{tmp_path / 'var' / 'sms.db'}"
    assert (tmp_path / "var").is_dir()
    assert load_settings(credentials, ENV) is None  # the default names are not read


@pytest.mark.parametrize(
    ("credentials", "env", "field"),
    [
        ({}, {"TWILIO_AUTH_TOKEN": AUTH_TOKEN}, "public_url_env"),
        ({}, {"SMS_PSEUDONYM_KEY": PSEUDONYM_KEY, "TWILIO_WEBHOOK_URL": PUBLIC_URL}, "auth_token_env"),
        ({}, dict(ENV, SMS_PSEUDONYM_KEY="   "), "pseudonym_key_env"),
        ({}, dict(ENV, TWILIO_WEBHOOK_URL="sms.example.org/webhook"), "public_url_env"),
        ({}, dict(ENV, TWILIO_WEBHOOK_URL="ftp://sms.example.org/webhook"), "public_url_env"),
        ({}, dict(ENV, TWILIO_WEBHOOK_URL="https://"), "public_url_env"),
        ({}, dict(ENV, SMS_PSEUDONYM_KEY="x" * 15), "pseudonym_key_env"),
        ({}, dict(ENV, SMS_STATE_DB_URL="nonsense://::"), "state_db_env"),
        ({"auth_token": "abc"}, ENV, "auth_token"),
        ({"state_db": ""}, ENV, "state_db"),
    ],
)
def test_bad_settings_name_the_file_channel_and_field(credentials: dict, env: dict, field: str) -> None:
    with pytest.raises(SmsConfigError, match=re.escape(f"credentials.yml: {CHANNEL_KEY}: field '{field}'")):
        load_settings(credentials, env)


def test_the_config_error_is_one_rasa_reports_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TWILIO_WEBHOOK_URL", "SMS_PSEUDONYM_KEY", "SMS_STATE_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    with pytest.raises(RasaException, match="field 'public_url_env'"):
        TwilioSmsInput.from_credentials(None)


def test_broken_sms_content_stops_the_channel(tmp_path: Path, content_copy: Path) -> None:
    (content_copy / "sms.yml").unlink()
    env = dict(ENV, SMS_STATE_DB_URL=f"sqlite:///{tmp_path}/s.db")
    with pytest.raises(SmsConfigError, match=r"field 'content_dir': .*sms\.yml: file not found"):
        TwilioSmsInput(load_settings({"content_dir": str(content_copy)}, env))


def test_pseudonym_is_a_keyed_hash() -> None:
    key = PSEUDONYM_KEY.encode()
    alias = pseudonym("+447700900123", key)
    assert re.fullmatch(r"sms-[0-9a-f]{32}", alias)
    assert alias == sender_id_for("+447700900123") == pseudonym(" +447700900123 ", key)
    assert alias != pseudonym("+447700900124", key)
    assert alias != pseudonym("+447700900123", b"another-secret-key-0123")


def test_state_claims_complete_release_and_expire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = SmsState(f"sqlite:///{tmp_path}/state.db")
    assert state.claim("SM1").status is ClaimStatus.NEW
    assert state.claim("SM1").status is ClaimStatus.PENDING
    state.release("SM1")
    assert state.claim("SM1").status is ClaimStatus.NEW
    state.complete("SM1", "<Response />")
    assert (state.claim("SM1").status, state.claim("SM1").twiml) == (ClaimStatus.DONE, "<Response />")
    state.release("SM1")  # a completed message is never released
    assert state.claim("SM1").status is ClaimStatus.DONE

    assert state.claim("SM2").status is ClaimStatus.NEW
    later = datetime.datetime.utcnow() + sms_state.STALE_CLAIM + datetime.timedelta(seconds=5)
    monkeypatch.setattr(sms_state, "_now", lambda: later)
    assert state.claim("SM2").status is ClaimStatus.NEW  # the first claimant died: taken over
    monkeypatch.setattr(sms_state, "_now", lambda: later + sms_state.KEEP_PROCESSED * 2)
    assert state.claim("SM3").status is ClaimStatus.NEW  # ... and old message ids are purged
    assert state.claim("SM1").status is ClaimStatus.NEW
    state.dispose()


def test_state_opt_outs(tmp_path: Path) -> None:
    state = SmsState(f"sqlite:///{tmp_path}/state.db")
    assert not state.is_opted_out("sms-a")
    state.opt_out("sms-a")
    state.opt_out("sms-a")
    assert state.is_opted_out("sms-a") and not state.is_opted_out("sms-b")
    state.opt_in("sms-a")
    state.opt_in("sms-a")
    assert not state.is_opted_out("sms-a")
    state.dispose()


def test_state_consent_changes_apply_once_per_message_id(tmp_path: Path) -> None:
    state = SmsState(f"sqlite:///{tmp_path}/state.db")
    assert state.change_consent("sms-a", "SM1", opted_out=True)
    assert state.change_consent("sms-a", "SM2", opted_out=False)
    assert not state.change_consent("sms-a", "SM1", opted_out=True)  # replay
    assert not state.is_opted_out("sms-a")
    assert state.change_consent("sms-a", "SM3", opted_out=True)
    assert not state.change_consent("sms-a", "SM2", opted_out=False)
    assert state.is_opted_out("sms-a") and not state.is_opted_out("sms-b")
    state.dispose()


def test_sms_texts_are_plain_short_and_easy_to_read(store: ContentStore) -> None:
    content = SmsContent.load(CONTENT_DIR)
    for name in ("help", "resubscribed", "media"):
        text = getattr(content, name)
        assert text.isascii() and is_gsm7(text), name
        assert textstat.flesch_kincaid_grade(text) <= 8.0, name
        assert segments(content.text(text, "sms_help")) <= 2, name
    assert store.settings.clinic_phone in content.help and store.settings.clinic_name in content.help


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("help", "Call {clinic_name}. Reply STOP to stop.", r"must contain \{clinic_phone\}"),
        ("help", "{clinic_name} on {clinic_phone}.", "reply STOP"),
        ("help", "{clinic_name} {clinic_phone} STOP {dose}", r"unknown placeholder\(s\) \{dose\}"),
        ("resubscribed", "You’re back.", "plain ASCII"),
        ("media", "Sorry. " * 70, "too long"),
        ("media", "", "field 'media'"),
    ],
)
def test_bad_sms_content_is_refused(content_copy: Path, field: str, value: str, problem: str) -> None:
    path = content_copy / "sms.yml"
    data = yaml.safe_load(path.read_text())
    data[field] = value
    path.write_text(json.dumps(data))
    with pytest.raises(Exception, match=problem) as error:
        SmsContent.load(content_copy)
    assert "sms.yml" in str(error.value)


def callback_records(sms: SmsAssistant, number: str) -> list:
    """The stored call-back requests of this number's conversation, decrypted."""
    engine = sa.create_engine(f"sqlite:///{sms.workdir / CALLBACK_DB}", future=True)
    try:
        return [record for record in CallbackStore(engine, CALLBACK_KEY.encode(), create=False).list()
                if record.sender_id == sender_id_for(number)]
    finally:
        engine.dispose()


def test_a_call_back_request_by_sms_is_stored_with_consent_and_kept_out_of_the_tracker(
    sms: SmsAssistant, store: ContentStore
) -> None:
    number = sms.new_number()
    [offer] = sms.text(number, examples_by_intent()["request_callback"][0])
    assert "AGREE" in offer and offer.endswith(store.disclaimer.sms)
    [saved] = sms.text(number, "AGREE Robin Okafor, weekday afternoons")
    assert saved == compose(store, Reply("callback_saved"), SMS_CHANNEL_NAME).text
    [record] = callback_records(sms, number)
    assert (record.name, record.phone, record.preferred_time) == ("Robin Okafor", number, "weekday afternoons")
    events = sms.tracker_events(number)
    assert not any("Robin" in (data or "") or number in (data or "") for _, data in events)
    bots = [json.loads(data) for kind, data in events if kind == "bot"]
    assert bots[-1]["metadata"]["content_id"] == "callback_saved"
    flags = [json.loads(data)["value"] for kind, data in events
             if kind == "slot" and json.loads(data)["name"] == "review_flags"]
    assert "handoff" in flags[-1]


def test_without_agree_nothing_is_stored_and_the_assistant_answers_the_message(sms: SmsAssistant) -> None:
    number = sms.new_number()
    sms.text(number, examples_by_intent()["request_callback"][0])
    [answer] = sms.text(number, QUESTION)
    assert "AGREE" not in answer and callback_records(sms, number) == []
    assert sms.user_texts(number)[-1] == QUESTION  # answered by the assistant, as usual
