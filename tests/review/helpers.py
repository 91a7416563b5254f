"""Helpers for the review app tests: real tracker data, databases, log-in."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import requests
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.engine import URL, make_url

from review.config import Settings
from review.pseudonyms import Pseudonyms
from tests.e2e.servers import API_TOKEN, RasaServer
from tests.services import create_database, drop_database

SECRET_KEY = "s" * 48
CALLBACK_KEY = b"0Z6K2dV4vJ8p8t0cE4wG1bq9m3r5x7y9A1b3C5d7E9g="  # a fixed Fernet key for the tests
pseudonym = Pseudonyms(SECRET_KEY)
PASSWORD = "correct horse battery staple"
ADMIN_PASSWORD = "another long admin passphrase"
PHONE = "07700 900123"
EMAIL = "jo.bloggs@example.com"
XSS = "<script>alert('xss')</script>"
SQLI = "'; DROP TABLE events; --"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')

# The conversations sent to the real assistant; each sender is one conversation.
SCRIPT: Dict[str, List[str]] = {
    "rest-patient-crisis": ["hello", "why was I given amitriptyline for nerve pain?", "i want to kill myself"],
    "rest-patient-emergency": ["my toddler swallowed some of my amitriptyline tablets"],
    "rest-patient-pii": [f"my number is {PHONE} and my email is {EMAIL}, how long until amitriptyline works?"],
    "rest-patient-xss": [f"{XSS} does duloxetine make you drowsy"],
    "rest-patient-sqli": [f"{SQLI} can i drink alcohol on amitriptyline"],
    "rest-patient-fallback": ["blah blah medication stuff", "can you book me a taxi to the airport"],
    "rest-patient-handoff": ["how do i contact the clinic"],
    "rest-patient-advice": ["can i take 2 tonight the pain is bad"],
}


@dataclass
class Clock:
    """Real time plus an offset the test can move forward."""

    offset: float = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def send_script(rasa: RasaServer) -> None:
    """Send every scripted conversation, then "not helpful" feedback on the PII conversation's answer.

    Each message is parsed once first (``/model/parse`` stores nothing): the NLU pipeline's
    first look at unusual words can take longer than the channel's 4.5 s deadline, and the
    safe reply the patient then gets is stored (channels/safe_record.py) and flagged
    ``error``, which these fixtures are not about.
    """
    for messages in SCRIPT.values():
        for message in messages:
            requests.post(f"{rasa.url}/model/parse", params={"token": API_TOKEN}, json={"text": message},
                          timeout=60).raise_for_status()
    for sender, messages in SCRIPT.items():
        for message in messages:
            rasa.say(sender, message)
    tracker = rasa.tracker("rest-patient-pii")
    served = [event["metadata"]["content_id"] for event in tracker["events"] if event["event"] == "bot"]
    response = requests.post(
        f"{rasa.url}/conversations/rest-patient-pii/tracker/events", params={"token": API_TOKEN},
        json=[{"event": "slot", "name": "feedback", "value": {"content_id": served[-1], "helpful": False}}], timeout=30,
    )
    response.raise_for_status()


def postgres_endpoints(workdir: Path, action_port: int, url: URL) -> Path:
    """An endpoints file with the SQL tracker store on PostgreSQL."""
    path = workdir / "endpoints-postgres.yml"
    path.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        f"tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: {url.host}\n  port: {url.port or 5432}\n"
        f"  db: {url.database}\n  username: {url.username}\n  password: {url.password or ''}\n"
    )
    return path


class PostgresDatabases:
    """Uniquely named databases on the test server (``tests/services.py``), all dropped at the end."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.created: List[str] = []

    def create(self, prefix: str) -> URL:
        url = create_database(prefix, self.server_url)
        self.created.append(url)
        return make_url(url)

    def drop_all(self) -> None:
        for url in self.created:
            drop_database(url)


def settings_for(tracker_url: URL, review_url: URL, **overrides) -> Settings:
    """Settings pointing at the test databases."""
    values = dict(tracker_db_url=tracker_url, review_db_url=review_url, secret_key=SECRET_KEY,
                  callback_key=CALLBACK_KEY)
    values.update(overrides)
    return Settings(**values)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token on a page's forms."""
    response = client.get(path)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str, next_path: Optional[str] = None):
    """Log in through the form; returns the response to the POST."""
    token = csrf_token(client, "/login")
    data = {"username": username, "password": password, "csrf_token": token}
    if next_path:
        data["next"] = next_path
    return client.post("/login", data=data)


def conversation_ids(engine: sa.engine.Engine) -> Dict[str, int]:
    """Conversation id by sender id (one conversation per scripted sender)."""
    from review.schema import conversations

    with engine.connect() as connection:
        rows = connection.execute(sa.select(conversations.c.sender_id, conversations.c.id)).all()
    return {sender: cid for sender, cid in rows}


def event_count(url: URL) -> int:
    """Rows in Rasa's events table, read through a separate connection."""
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return int(connection.execute(sa.text("SELECT count(*) FROM events")).scalar())
    finally:
        engine.dispose()



def conversation_events(sender: str, start: float, turns: List[tuple]) -> List[tuple]:
    """Rasa ``events`` rows (sender, type, timestamp, intent, action, data) for one session.

    ``turns`` are ``(patient text, intent, content_id served)``; the bot's text is the
    patient's text quoted back, so odd characters reach every column the app reads.
    """
    import json

    at = start
    rows = [(sender, "action", at, None, "action_session_start",
             json.dumps({"event": "action", "timestamp": at, "name": "action_session_start"}))]
    for text, intent, content_id in turns:
        at += 5
        rows.append((sender, "user", at, intent, None, json.dumps({
            "event": "user", "timestamp": at, "text": text, "input_channel": "rest",
            "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                           "entities": [{"entity": "medicine", "value": text[:20]}]},
        })))
        rows.append((sender, "bot", at + 0.1, None, None, json.dumps({
            "event": "bot", "timestamp": at + 0.1, "text": f"You wrote: {text}", "metadata": {"content_id": content_id},
        })))
    return rows


def write_events(url: URL, rows: List[tuple]) -> None:
    """Append rows to Rasa's ``events`` table (created by Rasa's own model if missing)."""
    from scripts.review_tools.seed import create_events_table

    engine = sa.create_engine(url, future=True)
    try:
        create_events_table(engine)
        with engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                        "VALUES (:sender, :type, :at, :intent, :action, :data)"),
                [{"sender": s, "type": t, "at": at, "intent": i, "action": a, "data": d} for s, t, at, i, a, d in rows],
            )
    finally:
        engine.dispose()


def audit_actions(engine: sa.engine.Engine) -> List[str]:
    """The audit log's actions, oldest first."""
    from review.schema import audit

    with engine.connect() as connection:
        return [row[0] for row in connection.execute(sa.select(audit.c.action).order_by(audit.c.id))]
