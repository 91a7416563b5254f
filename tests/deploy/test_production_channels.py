"""deploy/credentials.production.yml, read by Rasa's own loader and channel classes."""

import pytest
from rasa.shared.exceptions import RasaException
from rasa.shared.utils.io import read_config_file

from channels.socketio import GuardedSocketIOInput
from tests.deploy.checks import DEPLOY, ROOT, load_yaml

CREDENTIALS = DEPLOY / "credentials.production.yml"


def test_same_channels_as_the_development_credentials():
    assert set(load_yaml(CREDENTIALS)) == set(load_yaml(ROOT / "credentials.yml"))


def test_allowed_origins_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WIDGET_ORIGIN", "https://www.example-clinic.org/")
    monkeypatch.setenv("PUBLIC_URL", "https://assistant.example-clinic.org")
    credentials = read_config_file(str(CREDENTIALS))
    channel = GuardedSocketIOInput.from_credentials(credentials["channels.socketio.GuardedSocketIOInput"])
    assert channel.allowed_origins == ("https://www.example-clinic.org", "https://assistant.example-clinic.org")
    assert channel.origin_allowed("https://www.example-clinic.org")
    assert not channel.origin_allowed("http://localhost:8080")


def test_a_missing_origin_stops_rasa_and_names_the_variable(monkeypatch):
    monkeypatch.delenv("WIDGET_ORIGIN", raising=False)
    monkeypatch.setenv("PUBLIC_URL", "https://assistant.example-clinic.org")
    with pytest.raises(RasaException, match="WIDGET_ORIGIN"):
        read_config_file(str(CREDENTIALS))


def test_sms_state_is_configurable_for_a_shared_database():
    sms = load_yaml(CREDENTIALS)["channels.twilio_sms.TwilioSmsInput"]
    assert sms["state_db_env"] == "SMS_STATE_DB_URL"
    assert {sms["auth_token_env"], sms["pseudonym_key_env"]} == {"TWILIO_AUTH_TOKEN", "SMS_PSEUDONYM_KEY"}
