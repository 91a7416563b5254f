"""channels/rest_token.py: the REST channel's bearer token setting."""

from __future__ import annotations

import pytest
import requests

from channels.rest_token import RestTokenError, rest_channel_token
from tests.channels.conftest import REST_TOKEN

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


def _post(rasa, headers: dict) -> requests.Response:
    return requests.post(f"{rasa.url}/webhooks/rest/webhook", json={"sender": "token-test", "message": "hello"},
                         headers=headers, timeout=60)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token-0123456789"},
                                     {"Authorization": REST_TOKEN}, {"Authorization": f"Basic {REST_TOKEN}"}])
def test_requests_without_the_token_get_401_with_the_safe_reply(channel_servers, store, headers):
    response = _post(channel_servers, headers)
    assert response.status_code == 401
    [reply] = response.json()
    assert reply["text"].endswith("\n\n" + store.disclaimer.text)
    assert reply["error"] == "unauthorized"


def test_requests_with_the_token_are_answered(channel_servers, store):
    response = _post(channel_servers, {"Authorization": f"Bearer {REST_TOKEN}"})
    assert response.status_code == 200
    assert "\n\n".join(message["text"] for message in response.json()).endswith(store.disclaimer.text)
