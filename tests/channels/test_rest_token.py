"""channels/rest_token.py: the REST channel's bearer token setting."""

from __future__ import annotations

import pytest

from channels.rest_token import RestTokenError, rest_channel_token

TOKEN = "t" * 32


def test_unset_means_open_in_development():
    assert rest_channel_token(None, {}) is None


def test_the_token_comes_from_the_variable_token_env_names():
    assert rest_channel_token(None, {"REST_CHANNEL_TOKEN": TOKEN}) == TOKEN
    assert rest_channel_token({"token_env": "MY_REST_TOKEN"}, {"MY_REST_TOKEN": TOKEN}) == TOKEN


def test_production_refuses_rest_without_a_token_naming_file_and_field():
    environ = {"ASSISTANT_ENV": "production", "RASA_CREDENTIALS": "deploy/credentials.production.yml"}
    with pytest.raises(RestTokenError) as error:
        rest_channel_token({"token_env": "REST_CHANNEL_TOKEN"}, environ)
    message = str(error.value)
    assert message.startswith("deploy/credentials.production.yml: channels.rest.GuardedRestInput: field 'token_env'")
    assert "REST_CHANNEL_TOKEN" in message and "not set" in message


def test_a_short_token_is_refused():
    with pytest.raises(RestTokenError, match="too short"):
        rest_channel_token(None, {"REST_CHANNEL_TOKEN": "short"})
