from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from channels.action_response import check_action_responses_with_one_validator

GOOD = {"events": [{"event": "slot", "name": "x", "value": "y"}],
        "responses": [{"text": "hello", "custom": {"content_id": "alcohol"}}]}
BAD = [{"events": "not a list"}, {"responses": ["hello"]}, {"events": [{"no_event_key": 1}]}]


def _rasa_own(result: dict) -> str | None:
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError as error:
        return error.message
    return None


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> RemoteAction:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    check_action_responses_with_one_validator()
    return RemoteAction("action_answer", None)


def test_good_response_passes(installed: RemoteAction) -> None:
    assert installed._validate_action_result(GOOD) is True


@pytest.mark.parametrize("result", BAD)
def test_bad_responses_fail_with_rasa_s_own_message(installed: RemoteAction, result: dict) -> None:
    expected = _rasa_own(result)
    assert expected is not None
    with pytest.raises(jsonschema.ValidationError) as failure:
        installed._validate_action_result(result)
    assert failure.value.message.startswith(expected + ". Failed to validate Action server response")


def test_the_message_is_the_one_rasa_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    action = RemoteAction("action_answer", None)
    with pytest.raises(jsonschema.ValidationError) as rasa_s:
        action._validate_action_result(BAD[0])
    check_action_responses_with_one_validator()
    with pytest.raises(jsonschema.ValidationError) as ours:
        action._validate_action_result(BAD[0])
    assert ours.value.message == rasa_s.value.message
