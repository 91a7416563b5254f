"""Any character in any field (NUL, lone surrogates, control characters, CR/LF, formula starts) survives
sync, pages and exports: complete files, no 500, nothing a spreadsheet would run.

Rasa's JSON ``data`` column can carry any character, and REST clients choose their
sender ids; SQLite keeps even NUL in them. The tracker here is therefore SQLite,
written in Rasa's format; the app's own database is each backend in turn.
"""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
import sqlalchemy as sa

from review.config import database_url
from review.db import tracker_engine
from review.schema import conversations
from review.sync import sync
from review.web import create_app
from tests.review.helpers import PASSWORD, conversation_events, csrf_token, login, settings_for, write_events

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1", " =1+1", "\uff1d1+1"]
ODD_TEXTS = ["nul \x00 byte", "lone \ud800 surrogate", "bell\x07 escape\x1b[31m red\x7f", "two\r\nlines\rand\nmore",
             "\u202eevil\u202c reversed", "\ufeffbom and \u2028 separator", "emoji 😀 ok", *FORMULAS]
SENDERS = ["rest-\x00nul", "jo.bloggs@example.com", "=cmd|' /C calc'!A0", "a\r\nb", "07700 900123",
           "\x1b[2Jclear", "\t@tab"]
EXPECTED_TURNS = 2 * len(ODD_TEXTS)


@pytest.fixture
def odd_app(backend, review_db, accounts, clock, tmp_path):
    """The app over a SQLite tracker holding one conversation per odd sender, each with every odd text."""
    url = database_url("odd", f"sqlite:///{tmp_path / 'odd-tracker.db'}")
    start = time.time() - 3600
    rows = []
    for index, sender in enumerate(SENDERS):
        rows += conversation_events(sender, start + index, [(text, "alcohol", "alcohol") for text in ODD_TEXTS])
    write_events(url, rows)
    tracker = tracker_engine(url)
    app = create_app(settings_for(url, backend.review_url), review=review_db, tracker=tracker, clock=clock)
    client = app.test_client()
    assert login(client, "rita", PASSWORD).status_code == 302
    yield client, backend
    tracker.dispose()


def storable_senders(backend) -> list[str]:
    """PostgreSQL text cannot hold NUL: on that backend the NUL sender's conversation cannot be summarised."""
    return [sender for sender in SENDERS if backend.name == "sqlite" or "\x00" not in sender]


def post_export(client, kind: str) -> bytes:
    response = client.post("/export", data={"csrf_token": csrf_token(client, "/conversations"), "format": kind})
    assert response.status_code == 200
    return response.get_data()


def test_pages_with_odd_bytes_answer_without_errors(odd_app, review_db) -> None:
    client, backend = odd_app
    listing = client.get("/conversations")
    assert listing.status_code == 200
    with review_db.connect() as connection:
        ids = connection.execute(sa.select(conversations.c.id)).scalars().all()
    assert len(ids) == len(storable_senders(backend))
    for cid in ids:
        page = client.get(f"/conversations/{cid}")
        assert page.status_code == 200
        body = page.get_data().decode("utf-8")  # strict: no lone surrogate reached the page
        assert "\x00" not in body and "\x1b" not in body and "\u202e" not in body
        assert "jo.bloggs@example.com" not in body and "07700 900123" not in body


def test_csv_export_is_complete_and_safe(odd_app) -> None:
    client, backend = odd_app
    text = post_export(client, "csv").decode("utf-8")
    assert "\x00" not in text and "\x1b" not in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == EXPECTED_TURNS * len(storable_senders(backend))
    senders = {row["sender"] for row in rows}
    assert len(senders) == len(storable_senders(backend))
    assert all(sender.startswith("sender-") for sender in senders)
    for row in rows:
        for name, value in row.items():
            assert not value.lstrip().startswith(("=", "+", "-", "@", "\uff1d")) or value.startswith("'"), (name, value)
    patient = [row["text"] for row in rows if row["kind"] == "user"]
    assert "two\nlines\nand\nmore" in patient and "emoji 😀 ok" in patient
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in patient and "'-2+3" in patient
    assert "nul \ufffd byte" in patient and "lone \ufffd surrogate" in patient


def test_jsonl_export_is_complete_and_safe(odd_app) -> None:
    client, backend = odd_app
    text = post_export(client, "jsonl").decode("utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    assert len(records) == len(storable_senders(backend))
    for record in records:
        assert record["sender"].startswith("sender-") and len(record["turns"]) == EXPECTED_TURNS
        texts = [turn["text"] for turn in record["turns"] if turn["kind"] == "user"]
        assert "nul \ufffd byte" in texts and "lone \ufffd surrogate" in texts and "emoji 😀 ok" in texts
    assert "\\u0000" not in text and "\\ud800" not in text


def test_sync_on_postgresql_passes_over_a_sender_it_cannot_store(odd_app, review_db, caplog) -> None:
    client, backend = odd_app
    assert client.get("/conversations").status_code == 200
    state = client.application.extensions["review"]
    result = sync(state.tracker, review_db)
    assert result.tracker_problem is None
    with review_db.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(conversations)).scalar()
    assert stored == len(storable_senders(backend))
