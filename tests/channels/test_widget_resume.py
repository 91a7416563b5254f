"""channels/widget_resume.py: resume tokens bind a widget session id to a server-issued secret."""

from __future__ import annotations

import uuid

import pytest

from channels.widget_resume import MAX_AGE_SECONDS, ResumeKeyError, ResumeTokens

KEY = b"k" * 32


def clock_at(now: list[float]):
    return lambda: now[0]


def test_a_token_resumes_only_its_own_session():
    tokens = ResumeTokens(KEY)
    session, other = uuid.uuid4().hex, uuid.uuid4().hex
    token = tokens.issue(session)
    assert tokens.valid(session, token)
    assert not tokens.valid(other, token)


@pytest.mark.parametrize("token", [None, "", "abc", "123.", ".sig", "1.2.3", "x" * 500, 12, "²³.abc"])
def test_malformed_tokens_are_refused(token):
    assert not ResumeTokens(KEY).valid(uuid.uuid4().hex, token)


def test_a_token_signed_with_another_key_is_refused():
    session = uuid.uuid4().hex
    assert not ResumeTokens(KEY).valid(session, ResumeTokens(b"o" * 32).issue(session))


def test_a_forged_issue_time_breaks_the_signature():
    tokens, session = ResumeTokens(KEY), uuid.uuid4().hex
    issued, signature = tokens.issue(session).split(".")
    assert not tokens.valid(session, f"{int(issued) + 1}.{signature}")


def test_tokens_expire_after_30_days():
    now = [1_000_000_000.0]
    tokens, session = ResumeTokens(KEY, clock=clock_at(now)), uuid.uuid4().hex
    token = tokens.issue(session)
    now[0] += MAX_AGE_SECONDS - 1
    assert tokens.valid(session, token)
    now[0] += 2
    assert not tokens.valid(session, token)


def test_the_key_comes_from_the_environment_and_is_shared_by_replicas():
    environ = {"WIDGET_RESUME_KEY": "s" * 40}
    session = uuid.uuid4().hex
    assert ResumeTokens.from_env(environ).valid(session, ResumeTokens.from_env(environ).issue(session))


def test_without_a_key_each_process_makes_its_own(caplog):
    session = uuid.uuid4().hex
    first, second = ResumeTokens.from_env({}), ResumeTokens.from_env({})
    assert first.valid(session, first.issue(session))
    assert not second.valid(session, first.issue(session))
    assert "WIDGET_RESUME_KEY is not set" in caplog.text


def test_a_short_key_stops_start_up_naming_the_variable():
    with pytest.raises(ResumeKeyError, match="WIDGET_RESUME_KEY: too short"):
        ResumeTokens.from_env({"WIDGET_RESUME_KEY": "short"})
