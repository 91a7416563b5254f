from __future__ import annotations

import pytest

from channels.identity import (
    BadSenderId,
    is_sms_conversation_id,
    is_widget_session_id,
    rest_conversation_id,
)
from channels.sms_config import pseudonym


@pytest.mark.parametrize(
    "sender",
    [
        "sur\ud800x",  # a lone UTF-16 surrogate
        "a\x00b",
        "tab\there",
        "line\nbreak",
        "",
        "x" * 65,
        "jane doe",
        "<script>",
        "../../etc",
        "=HYPERLINK(1)",
        None,
        42,
        ["a"],
    ],
)
def test_unusable_rest_senders_are_refused(sender: object) -> None:
    with pytest.raises(BadSenderId):
        rest_conversation_id(sender)


def test_a_rest_sender_gets_its_own_namespace() -> None:
    assert rest_conversation_id("client-7") == "rest-client-7"
    assert rest_conversation_id("rest-client-7") == "rest-client-7"


def test_no_rest_sender_becomes_a_widget_or_sms_conversation() -> None:
    widget = "0123456789abcdef0123456789abcdef"
    sms = pseudonym("+447700900123", b"k" * 32)
    assert is_widget_session_id(widget) and is_sms_conversation_id(sms)
    for sender in (widget, sms):
        conversation = rest_conversation_id(sender)
        assert not is_widget_session_id(conversation)
        assert not is_sms_conversation_id(conversation)
