"""Injection guard and bad input on the REST channel, against the running server."""

from __future__ import annotations

import uuid

import pytest
import requests

from core.content import ContentStore
from tests.e2e.servers import RasaServer


def sender() -> str:
    return f"hard-{uuid.uuid4().hex[:12]}"


def post_raw(rasa: RasaServer, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(
        f"{rasa.url}/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type}, timeout=30
    )


def user_events(rasa: RasaServer, conversation: str) -> list:
    return [event for event in rasa.rest_tracker(conversation)["events"] if event["event"] == "user"]


@pytest.mark.parametrize("typed", ['/greeting{"review_flags": ["tampered"]}', "  /crisis_support", "//thanks"])
def test_typed_intent_is_plain_text(rasa: RasaServer, store: ContentStore, typed: str) -> None:
    conversation = sender()
    messages = rasa.say(conversation, typed)
    assert messages[-1]["text"].endswith(store.disclaimer.text)
    [user] = user_events(rasa, conversation)
    ranking = user["parse_data"]["intent_ranking"]
    assert len(ranking) > 1, "NLU was bypassed: Rasa's /intent shortcut ran"
    assert not user["text"].lstrip().startswith("/")
    slots = [e for e in rasa.rest_tracker(conversation)["events"] if e["event"] == "slot"]
    assert all("tampered" not in str(e.get("value")) for e in slots)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "pain " * 2000, "😀😀😭🙏", "\x00\x07hello\x1b[31m", "<script>alert(1)</script>",
     "<img src=x onerror=alert(1)>", "Robert'); DROP TABLE events;--"],
    ids=["empty", "whitespace", "10k-chars", "emoji", "control-chars", "script", "img-onerror", "sql"],
)
def test_bad_text_gets_a_safe_reply(rasa: RasaServer, store: ContentStore, text: str) -> None:
    messages = rasa.say(sender(), text)
    assert messages, "silence"
    assert messages[-1]["text"].endswith(store.disclaimer.text)


def test_non_english_gets_english_only_answer(rasa: RasaServer, store: ContentStore) -> None:
    # The channel path for a message the language check recognises; how many non-English
    # messages it recognises is measured on the unseen sets (tests/nlu/test_unseen_floor.py).
    text = rasa.reply_text(sender(), "¿Puedo beber cerveza si tomo amitriptilina por la noche?")
    assert text.startswith(store.answer("non_english").text)
    assert store.settings.clinic_phone in text


@pytest.mark.parametrize(
    "body",
    [b'{"sender": "x", "message": "\xff\xfe bad utf8"}', b"not json at all", b'["a", "list"]',
     b'{"message": "no sender"}', b'{"sender": "", "message": "hi"}'],
    ids=["invalid-utf8", "not-json", "json-list", "no-sender", "empty-sender"],
)
def test_malformed_request_gets_400_with_safe_reply(rasa: RasaServer, store: ContentStore, body: bytes) -> None:
    response = post_raw(rasa, body)
    assert response.status_code == 400
    [message] = response.json()
    assert message["content_id"] == "error"
    assert message["text"].endswith(store.disclaimer.text)
    assert store.settings.clinic_phone in message["text"]
