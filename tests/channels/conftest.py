"""Real servers for the SMS channel tests, and a client speaking Twilio's webhook format.

The Rasa server gets its own credentials file (REST + SMS channel) and the SMS
settings through environment variables, with its tracker and state stores in tmp.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import sqlite3
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Set

import pytest
import requests
from twilio.request_validator import RequestValidator

from tests.e2e.servers import (
    ActionServer,
    RasaServer,
    environment,
    free_port,
    launch_rasa_server,
    start_action_server,
    wait_for,
    write_endpoints,
)

AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
# What Twilio calls: a public host in front of a proxy, not the test server's address.
PUBLIC_URL = "https://sms.example.org/webhooks/twilio_sms/webhook"
PSEUDONYM_KEY = "test-pseudonym-key-0123456789abcdef"
CLINIC_NUMBER = "+447700900000"
ACCOUNT_SID = "AC" + "0" * 32
SMS_CHANNEL = "channels.twilio_sms.TwilioSmsInput"
CALLBACK_DB = "callbacks.db"  # in the SMS server's workdir
CALLBACK_KEY = "bqk3K1y9Y6gXr0o3xq3VQm2s9h4sVfJ7Y0JtQ1u2X0c="  # a Fernet key for the tests only
ENV_NAMES = ("TWILIO_AUTH_TOKEN", "TWILIO_WEBHOOK_URL", "SMS_PSEUDONYM_KEY", "SMS_STATE_DB_URL")


def write_credentials(workdir: Path) -> Path:
    """A credentials file with the REST channel and the SMS channel."""
    path = workdir / "credentials.yml"
    path.write_text(
        "channels.rest.GuardedRestInput:\n"
        f"{SMS_CHANNEL}:\n"
        "  auth_token_env: TWILIO_AUTH_TOKEN\n"
        "  public_url_env: TWILIO_WEBHOOK_URL\n"
        "  pseudonym_key_env: SMS_PSEUDONYM_KEY\n"
        "  state_db_env: SMS_STATE_DB_URL\n"
    )
    return path


def sms_environment(sms_env: Dict[str, str]) -> dict:
    """The servers' environment, with exactly the given SMS variables set."""
    env = environment()
    for name in ENV_NAMES:
        env.pop(name, None)
    env.update(sms_env)
    return env


def launch_rasa(workdir: Path, endpoints: Path, credentials: Path, sms_env: Dict[str, str]) -> RasaServer:
    """Start ``rasa run`` (debug logging, so the privacy test sees everything logged)."""
    return launch_rasa_server(workdir, endpoints, credentials, env=sms_environment(sms_env), debug=True)


def messages_of(twiml: str) -> List[str]:
    """The texts of the ``<Message>`` elements of a TwiML response."""
    root = ET.fromstring(twiml)
    assert root.tag == "Response"
    assert all(child.tag == "Message" for child in root)
    return [child.text or "" for child in root]


def sender_id_for(number: str) -> str:
    """The expected conversation id: HMAC-SHA256 of the number, computed independently."""
    return "sms-" + hmac.new(PSEUDONYM_KEY.encode(), number.encode(), hashlib.sha256).hexdigest()[:32]


def sign(params: Dict[str, str], token: str = AUTH_TOKEN, url: str = PUBLIC_URL) -> str:
    return RequestValidator(token).compute_signature(url, params)


@dataclass
class SmsReply:
    """A webhook response."""

    response: requests.Response

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def messages(self) -> List[str]:
        assert self.status == 200, self.response.text
        assert self.response.headers["Content-Type"].startswith("text/xml")
        return messages_of(self.response.text)


@dataclass
class SmsAssistant:
    """The running servers plus helpers to text them as Twilio would."""

    actions: ActionServer
    rasa: RasaServer
    disabled: RasaServer  # the same credentials file, no SMS variables set
    degraded: RasaServer  # SMS on, but its action server is down
    workdir: Path
    tracker_db: Path
    state_db: Path
    numbers: Set[str] = field(default_factory=set)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(100))

    @property
    def webhook(self) -> str:
        return f"{self.rasa.url}/webhooks/twilio_sms/webhook"

    def new_number(self) -> str:
        """A fresh patient number (Ofcom's range reserved for drama)."""
        number = f"+447700900{next(self._counter):03d}"
        self.numbers.add(number)
        return number

    @staticmethod
    def form(number: str, body: str, sid: str | None = None, media: int = 0) -> Dict[str, str]:
        """An incoming-message webhook form exactly as Twilio posts it."""
        sid = sid or "SM" + uuid.uuid4().hex
        params = {
            "ToCountry": "GB", "ToState": "", "SmsMessageSid": sid, "NumMedia": str(media), "ToCity": "",
            "FromZip": "", "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "",
            "Body": body, "FromCountry": "GB", "To": CLINIC_NUMBER, "ToZip": "", "NumSegments": "1",
            "MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": number, "ApiVersion": "2010-04-01",
        }
        for index in range(media):
            params[f"MediaContentType{index}"] = "image/jpeg"
            params[f"MediaUrl{index}"] = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Media/ME{index}"
        return params

    def post(self, params: Dict[str, str], signature: str | None = None, timeout: float = 60) -> SmsReply:
        """POST a form; signed correctly unless ``signature`` is given ("" sends none)."""
        signature = sign(params) if signature is None else signature
        headers = {"X-Twilio-Signature": signature} if signature else {}
        return SmsReply(requests.post(self.webhook, data=params, headers=headers, timeout=timeout))

    def text(self, number: str, body: str, media: int = 0) -> List[str]:
        """Send a signed SMS and return the reply texts."""
        return self.post(self.form(number, body, media=media)).messages

    def tracker_events(self, number: str) -> List[tuple]:
        """(type_name, data) of every stored event of this number's conversation."""
        with sqlite3.connect(self.tracker_db) as connection:
            return connection.execute(
                "select type_name, data from events where sender_id = ? order by id", (sender_id_for(number),)
            ).fetchall()

    def user_texts(self, number: str) -> List[str]:
        import json

        return [json.loads(data).get("text") for kind, data in self.tracker_events(number) if kind == "user"]

    def state_rows(self, table: str, column: str, value: str) -> List[tuple]:
        with sqlite3.connect(self.state_db) as connection:
            return connection.execute(f"select * from {table} where {column} = ?", (value,)).fetchall()

    def is_opted_out(self, number: str) -> bool:
        return bool(self.state_rows("sms_opt_outs", "sender_id", sender_id_for(number)))


@pytest.fixture(scope="session")
def sms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmsAssistant]:
    """The action server and three Rasa servers: SMS on, SMS off, SMS on without actions.

    The Rasa servers start at the same time, so the extra ones cost little time.
    """
    workdir = tmp_path_factory.mktemp("sms")
    disabled_dir = tmp_path_factory.mktemp("sms-disabled")
    degraded_dir = tmp_path_factory.mktemp("sms-degraded")
    tracker_db, state_db = workdir / "tracker.db", workdir / "sms-state.db"
    actions = start_action_server(workdir)
    servers: List[RasaServer] = []
    try:
        credentials = write_credentials(workdir)
        sms_env = {
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WEBHOOK_URL": PUBLIC_URL,
            "SMS_PSEUDONYM_KEY": PSEUDONYM_KEY,
            "SMS_STATE_DB_URL": f"sqlite:///{state_db}",
            "CALLBACK_DB_URL": f"sqlite:///{workdir / CALLBACK_DB}",
            "CALLBACK_KEY": CALLBACK_KEY,
        }
        servers.append(launch_rasa(workdir, write_endpoints(workdir, actions.port, tracker_db), credentials, sms_env))
        disabled_endpoints = write_endpoints(disabled_dir, actions.port, disabled_dir / "tracker.db")
        servers.append(launch_rasa(disabled_dir, disabled_endpoints, credentials, {}))
        dead_actions = write_endpoints(degraded_dir, free_port(), degraded_dir / "tracker.db")  # nothing listens
        degraded_env = dict(sms_env, SMS_STATE_DB_URL=f"sqlite:///{degraded_dir / 'sms-state.db'}")
        servers.append(launch_rasa(degraded_dir, dead_actions, credentials, degraded_env))
        for server in servers:
            wait_for(f"{server.url}/", server.process, server.log)
        yield SmsAssistant(actions, *servers, workdir, tracker_db, state_db)
    finally:
        for server in servers:
            server.stop()
        actions.stop()


CLIENT_ORIGIN = "http://clinic.example.test"
REST_TOKEN = "rest-channel-test-token-0123456789"
RESUME_KEY = "widget-resume-test-key-0123456789abcdef"


@pytest.fixture(scope="session")
def channel_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RasaServer]:
    """Rasa with the REST channel (token required) and the widget's socket.io channel."""
    workdir = tmp_path_factory.mktemp("channel-servers")
    credentials = workdir / "credentials.yml"
    credentials.write_text(
        "channels.rest.GuardedRestInput:\n"
        "channels.socketio.GuardedSocketIOInput:\n"
        "  user_message_evt: user_uttered\n"
        "  bot_message_evt: bot_uttered\n"
        "  session_persistence: true\n"
        f"  allowed_origins: ['{CLIENT_ORIGIN}']\n"
    )
    actions = start_action_server(workdir)
    try:
        env = dict(environment(), REST_CHANNEL_TOKEN=REST_TOKEN, WIDGET_RESUME_KEY=RESUME_KEY,
                   CALLBACK_DB_URL=f"sqlite:///{workdir / 'callbacks.db'}")
        rasa = launch_rasa_server(workdir, write_endpoints(workdir, actions.port, workdir / "tracker.db"),
                                  credentials, env=env)
        try:
            wait_for(f"{rasa.url}/", rasa.process, rasa.log)
            yield rasa
        finally:
            rasa.stop()
    finally:
        actions.stop()
