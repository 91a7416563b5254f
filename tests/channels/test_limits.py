from __future__ import annotations

import pytest

from channels.limits import ConversationRate, Limits, LimitsConfigError, refusal


def test_defaults_and_settings_from_credentials() -> None:
    assert Limits.from_credentials({}) == Limits(2000, 65536, 30)
    assert Limits.from_credentials({"messages_per_minute": 3}).messages_per_minute == 3


@pytest.mark.parametrize("value", [0, -1, "20", 2.5, True, None])
def test_a_bad_setting_stops_start_up_naming_file_and_field(value: object) -> None:
    with pytest.raises(LimitsConfigError, match=r"credentials\.yml: channels\.rest\.GuardedRestInput: "
                                                r"field 'messages_per_minute'"):
        Limits.from_credentials({"messages_per_minute": value})


def test_rate_is_per_conversation_and_per_minute() -> None:
    rate = ConversationRate(per_minute=2)
    assert [rate.allows("a", t) for t in (0.0, 1.0, 2.0)] == [True, True, False]
    assert rate.allows("b", 2.0)
    assert rate.allows("a", 60.5)


def test_refusal_reasons() -> None:
    limits = Limits(max_message_chars=10, max_body_bytes=100, messages_per_minute=1)
    rate = ConversationRate(limits.messages_per_minute)
    assert refusal(limits, rate, "a", "x" * 11, 0.0) == "too_long"
    assert refusal(limits, rate, "a", "short", 1.0) == "rate_limited"
    assert refusal(limits, rate, "b", "x" * 10, 1.0) is None
