"""The pages over the real tracker stores: list and filters, transcript, review work, export, dashboard, admin."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from review.schema import audit, conversations, notes
from review.web import create_app
from tests.review.helpers import (
    ADMIN_PASSWORD,
    EMAIL,
    PASSWORD,
    PHONE,
    SCRIPT,
    conversation_ids,
    csrf_token,
    login,
    pseudonym,
    settings_for,
)

ROW_LINK = re.compile(r'<td class="preview"><a href="/conversations/(\d+)\?')


def listed(client, **query) -> list[int]:
    response = client.get("/conversations", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    return [int(cid) for cid in ROW_LINK.findall(response.get_data(as_text=True))]


@pytest.fixture
def reviewer(client, accounts):
    login(client, "rita", PASSWORD)
    client.get("/conversations")  # first sync
    return client


@pytest.fixture
def ids(reviewer, review_db) -> dict:
    return conversation_ids(review_db)


def test_list_shows_every_conversation_newest_first(reviewer, ids, review_db) -> None:
    shown = listed(reviewer)
    assert sorted(shown) == sorted(ids.values())
    with review_db.connect() as connection:
        started = dict(connection.execute(sa.select(conversations.c.id, conversations.c.started_at)).all())
    assert [started[cid] for cid in shown] == sorted(started.values(), reverse=True)


FILTER_CASES = [
    ({"flag": "crisis"}, {"rest-patient-crisis"}),
    ({"flag": "emergency"}, {"rest-patient-emergency"}),
    ({"flag": ["crisis", "emergency"]}, {"rest-patient-crisis", "rest-patient-emergency"}),
    ({"flag": "handoff"}, {"rest-patient-handoff"}),
    ({"flag": "not_helpful"}, {"rest-patient-pii"}),
    ({"flag": "low_confidence"}, {"rest-patient-fallback"}),
    ({"topic": "crisis_support"}, {"rest-patient-crisis"}),
    ({"topic": "greeting"}, {"rest-patient-crisis"}),
    ({"q": "TAXI"}, {"rest-patient-fallback"}),
    ({"q": "[phone]"}, {"rest-patient-pii"}),
    ({"q": PHONE}, set()),
    ({"channel": "rest"}, set(SCRIPT)),
    ({"channel": "twilio_sms"}, set()),
    ({"status": "unreviewed"}, set(SCRIPT)),
    ({"status": "reviewed"}, set()),
]


def test_filters(reviewer, ids) -> None:
    for query, senders in FILTER_CASES:
        assert set(listed(reviewer, **query)) == {ids[sender] for sender in senders}, query


def test_date_range_filter(reviewer, ids) -> None:
    today = datetime.now(ZoneInfo("Europe/London")).date()  # days are the clinic's
    assert len(listed(reviewer, **{"from": today.isoformat(), "to": today.isoformat()})) == len(ids)
    assert listed(reviewer, to=(today - timedelta(days=1)).isoformat()) == []
    assert listed(reviewer, **{"from": (today + timedelta(days=1)).isoformat()}) == []
    typed = today.strftime("%d/%m/%Y")  # as the clinic writes dates (en-GB)
    assert len(listed(reviewer, **{"from": typed, "to": typed})) == len(ids)


def test_pagination(backend, review_db, clock, ids) -> None:
    settings = settings_for(backend.tracker_url, backend.review_url, page_size=3)
    reviewer = create_app(settings, review=review_db, tracker=backend.tracker, clock=clock).test_client()
    login(reviewer, "rita", PASSWORD)
    first, second, third = listed(reviewer), listed(reviewer, page=2), listed(reviewer, page=3)
    assert len(first) == 3 and len(second) == 3 and len(third) == len(ids) - 6
    assert set(first + second + third) == set(ids.values())
    body = reviewer.get("/conversations", query_string={"page": 2, "flag": "crisis"}).get_data(as_text=True)
    assert "No conversations on this page; 1 match." in body and "Page 2" in body


def test_transcript_shows_turns_with_intent_confidence_content_and_flags(reviewer, ids) -> None:
    body = reviewer.get(f"/conversations/{ids['rest-patient-crisis']}").get_data(as_text=True)
    assert body.count('class="turn user') == 3 and body.count('class="turn bot"') == 3
    assert "answered with <strong>I need support right now</strong>" in body  # topic titles, not ids
    assert "answered with <strong>Why an antidepressant for pain?</strong>" in body
    assert re.search(r"intent <code>greeting</code> · \d\.\d\d", body)
    assert "flagged:" in body and "flag-crisis" in body
    assert "i want to kill myself" in body
    assert "This is general information, not medical advice for you." in body


def test_transcript_masks_identifiers(reviewer, ids) -> None:
    body = reviewer.get(f"/conversations/{ids['rest-patient-pii']}").get_data(as_text=True)
    assert PHONE not in body and EMAIL not in body and "07700" not in body
    assert "my number is [phone] and my email is [email]" in body
    assert "patient feedback on" in body and "not helpful" in body


def save_review(client, cid: int, **fields):
    token = csrf_token(client, f"/conversations/{cid}")
    return client.post(f"/conversations/{cid}/review", data={"csrf_token": token, **fields})


def test_review_work_is_stored_in_the_apps_tables_only(reviewer, ids, review_db, backend) -> None:
    from tests.review.helpers import event_count

    before = event_count(backend.tracker_url)
    cid = ids["rest-patient-fallback"]
    response = save_review(reviewer, cid, reviewed="1", content_gap="1", tags="Missing Topic, taxi",
                           note="Patients ask about transport.")
    assert response.status_code == 302
    assert save_review(reviewer, cid, reviewed="1", content_gap="1", tags="missing-topic").status_code == 302
    page = reviewer.get(f"/conversations/{cid}").get_data(as_text=True)
    assert "missing-topic" in page and "Patients ask about transport." in page and "Reviewed by rita" in page
    assert listed(reviewer, status="reviewed") == [cid]
    assert listed(reviewer, gap="1") == [cid]
    assert listed(reviewer, tag="missing-topic") == [cid]
    assert listed(reviewer, tag="taxi") == []
    assert cid not in listed(reviewer, status="unreviewed")
    with review_db.connect() as connection:
        assert connection.execute(sa.select(notes.c.author).where(notes.c.conversation_id == cid)).scalar() == "rita"
        saved = [json.loads(row[0]) for row in connection.execute(
            sa.select(audit.c.detail).where(audit.c.action == "review_saved").order_by(audit.c.id))]
    assert saved[0]["tags_added"] == ["missing-topic", "taxi"] and saved[0]["note_added"] is True
    assert saved[1]["tags_removed"] == ["taxi"] and saved[1]["note_added"] is False
    assert event_count(backend.tracker_url) == before
    reviewer.get("/conversations")  # a sync after review work keeps it
    assert listed(reviewer, status="reviewed") == [cid]


def test_one_form_saves_reviewed_note_and_tags_together_or_nothing(reviewer, ids, review_db) -> None:
    cid = ids["rest-patient-crisis"]
    response = save_review(reviewer, cid, reviewed="1", tags="fine, " + "x" * 41, note="Called the patient.")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Tag: use 1-40 letters" in page and "Nothing was saved." in page
    assert re.search(r'name="reviewed" value="1"\s+checked', page)  # the tick is not lost
    assert "Called the patient.</textarea>" in page and "fine, " + "x" * 41 in page
    with review_db.connect() as connection:
        assert connection.execute(sa.select(conversations.c.reviewed).where(conversations.c.id == cid)).scalar() \
            is False
        assert connection.execute(sa.select(sa.func.count()).select_from(notes)).scalar() == 0
    too_long = save_review(reviewer, cid, reviewed="1", note="n" * 4001)
    assert too_long.status_code == 400 and "Note: at most 4000 characters" in too_long.get_data(as_text=True)
    assert save_review(reviewer, cid, reviewed="1", note="Called the patient.").status_code == 302
    page = reviewer.get(f"/conversations/{cid}").get_data(as_text=True)
    assert re.search(r'name="reviewed" value="1"\s+checked', page) and "Called the patient." in page


def export(client, kind: str, **filters) -> str:
    token = csrf_token(client, "/conversations")
    response = client.post("/export", data={"csrf_token": token, "format": kind, **filters})
    assert response.status_code == 200
    assert "attachment;" in response.headers["Content-Disposition"]
    return response.get_data(as_text=True)


def test_csv_export_is_filtered_and_masked(reviewer, ids) -> None:
    text = export(reviewer, "csv", flag="not_helpful")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["sender"] for row in rows} == {pseudonym("rest-patient-pii")}
    user_rows = [row for row in rows if row["kind"] == "user"]
    assert user_rows[0]["text"].startswith("my number is [phone] and my email is [email]")
    assert PHONE not in text and EMAIL not in text
    assert [row["kind"] for row in rows] == ["user", "bot", "feedback"]
    assert rows[1]["content_id"] and rows[2]["helpful"] == "False"


def test_csv_export_defuses_spreadsheet_formulas(reviewer) -> None:
    rows = list(csv.DictReader(io.StringIO(export(reviewer, "csv", q="drop table"))))
    assert rows[0]["text"].startswith("'") and "DROP TABLE events" in rows[0]["text"]


def test_jsonl_export_has_one_masked_conversation_per_line(reviewer, ids) -> None:
    lines = export(reviewer, "jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert {record["sender"] for record in records} == {pseudonym(sender) for sender in SCRIPT}
    assert "patient-" not in "\n".join(lines)  # sender ids only as pseudonyms
    pii = next(record for record in records if record["sender"] == pseudonym("rest-patient-pii"))
    assert pii["flags"] == ["not_helpful"] and pii["turns"][0]["text"].startswith("my number is [phone]")
    assert PHONE not in "\n".join(lines) and EMAIL not in "\n".join(lines)
    crisis = next(record for record in records if record["sender"] == pseudonym("rest-patient-crisis"))
    assert [turn["content_id"] for turn in crisis["turns"] if turn["kind"] == "bot"] == [
        "greeting", "why_antidepressant_for_pain", "crisis_support"]


def test_dashboard_shows_figures_and_svg_charts(reviewer, ids) -> None:
    body = reviewer.get("/dashboard").get_data(as_text=True)
    assert body.count("<svg") == 6
    today = datetime.now(ZoneInfo("Europe/London")).strftime("%d/%m/%Y")  # the clinic's day, as it writes dates
    assert f"<title>{today}: {len(SCRIPT)}</title>" in body  # conversations today
    cards = dict((label.strip(), figure) for figure, label in
                 re.findall(r'<span class="figure">([^<]+)</span>\s*([a-z ]+)', body))
    assert cards["conversations"] == str(len(SCRIPT))
    assert cards["crisis"] == "1" and cards["emergency"] == "1"
    assert "I need support right now: 1" in body  # topic titles
    assert re.search(r"<title>[^<]+: 1 not helpful</title>", body)
    assert "1 not helpful, 0 helpful" not in body and "0 helpful, 1 not (too few votes for a rate)" in body
    assert "<script" not in body


def test_admin_creates_an_account_and_sees_the_audit_log(client, accounts, review_db) -> None:
    login(client, "adam", ADMIN_PASSWORD)
    token = csrf_token(client, "/admin/users")
    password = "a long enough pass"
    response = client.post("/admin/users", data={"csrf_token": token, "username": "nina", "role": "reviewer",
                                                 "password": password, "password_again": password})
    assert response.status_code == 302
    short = client.post("/admin/users", data={"csrf_token": token, "username": "olga", "role": "reviewer",
                                              "password": "short", "password_again": "short"})
    assert short.status_code == 400 and "at least 12 characters" in short.get_data(as_text=True)
    nina = client.application.test_client()
    assert login(nina, "nina", "a long enough pass").status_code == 302
    body = client.get("/admin/audit").get_data(as_text=True)
    assert "user_created" in body and "nina" in body
    assert "<code>login</code>" in client.get("/admin/audit", query_string={"action": "login"}).get_data(as_text=True)


def test_admin_unlocks_a_locked_account(client, accounts) -> None:
    reviewer = client.application.test_client()
    for _ in range(5):
        login(reviewer, "rita", "wrong password!!")
    login(client, "adam", ADMIN_PASSWORD)
    assert "locked until" in client.get("/admin/users").get_data(as_text=True)
    token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{accounts['reviewer'].id}/unlock", data={"csrf_token": token})
    assert login(reviewer, "rita", PASSWORD).status_code == 302
