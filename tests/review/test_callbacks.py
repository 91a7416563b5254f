"""The call-back queue: who sees names and numbers (clinicians and admins), every view audited, status changes."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from review import auth
from review.schema import audit
from review.sync import sync
from stores.callbacks import CallbackRequest, callbacks
from tests.review.helpers import ADMIN_PASSWORD, PASSWORD, conversation_ids, csrf_token, login, pseudonym

NAME, NUMBER = "Jo Bloggs", "07700 900461"
CLINICIAN_PASSWORD = "a clinician's long passphrase"


@pytest.fixture
def requests_made(app, review_db):
    """Two requests: one from the handoff conversation, one from a sender the app has no conversation of."""
    state = app.extensions["review"]
    sync(state.tracker, review_db)
    store = state.callbacks
    return (store.add(CallbackRequest("rest", "rest-patient-handoff", NAME, NUMBER, "weekday mornings")),
            store.add(CallbackRequest("socketio", "unknown-sender", "Sam Patient", "07700 900462", "evenings")))


@pytest.fixture
def clinician(review_db):
    return auth.create_user(review_db, "cleo", CLINICIAN_PASSWORD, "clinician")


def audit_rows(engine, action: str) -> list:
    with engine.connect() as connection:
        return [(row.username, json.loads(row.detail)) for row in
                connection.execute(sa.select(audit).where(audit.c.action == action).order_by(audit.c.id))]


def test_a_reviewer_sees_the_queue_but_no_names_or_numbers(client, accounts, requests_made, review_db) -> None:
    login(client, "rita", PASSWORD)
    first, _ = requests_made
    for status in ("new", "all"):
        body = client.get("/callbacks", query_string={"status": status}).get_data(as_text=True)
        assert f"Request {first}" in body and "API" in body and "Web chat" in body
        assert NAME not in body and "07700" not in body and "weekday mornings" not in body
    assert client.get(f"/callbacks/{first}").status_code == 403
    token = csrf_token(client, "/callbacks")
    assert client.post(f"/callbacks/{first}/status", data={"csrf_token": token, "status": "called"}).status_code == 403
    assert NAME not in client.get("/").get_data(as_text=True)
    assert audit_rows(review_db, "callback_viewed") == []


@pytest.mark.parametrize("role", ["clinician", "admin"])
def test_clinicians_and_admins_see_the_number_and_every_view_is_audited(client, accounts, clinician, requests_made,
                                                                        review_db, role) -> None:
    name, password = ("cleo", CLINICIAN_PASSWORD) if role == "clinician" else ("adam", ADMIN_PASSWORD)
    login(client, name, password)
    first, second = requests_made
    queue = client.get("/callbacks").get_data(as_text=True)
    assert NAME not in queue and "07700" not in queue  # numbers only on a request's own page
    for _ in range(2):
        page = client.get(f"/callbacks/{first}").get_data(as_text=True)
        assert NAME in page and NUMBER in page and 'href="tel:07700900461"' in page and "weekday mornings" in page
    client.get(f"/callbacks/{second}")
    rows = audit_rows(review_db, "callback_viewed")
    assert [(who, detail["callback_id"]) for who, detail in rows] == [(name, first), (name, first), (name, second)]
    assert rows[0][1]["sender"] == pseudonym("rest-patient-handoff") and NUMBER not in json.dumps(rows)
    handoff = conversation_ids(review_db)["rest-patient-handoff"]
    assert f'href="/conversations/{handoff}"' in page


def test_status_moves_new_called_closed_with_who_and_when(client, accounts, clinician, requests_made, review_db,
                                                          app) -> None:
    login(client, "cleo", CLINICIAN_PASSWORD)
    first, _ = requests_made
    token = csrf_token(client, f"/callbacks/{first}")
    assert client.post(f"/callbacks/{first}/status", data={"csrf_token": token, "status": "called"}).status_code == 302
    record = app.extensions["review"].callbacks.get(first)
    assert (record.status, record.status_by) == ("called", "cleo") and record.status_at > 0
    page = client.post(f"/callbacks/{first}/status", data={"csrf_token": token, "status": "new"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Not changed: a called request cannot become new." in page
    client.post(f"/callbacks/{first}/status", data={"csrf_token": token, "status": "closed"})
    assert app.extensions["review"].callbacks.get(first).status == "closed"
    assert [detail["to"] for _, detail in audit_rows(review_db, "callback_status")] == ["called", "closed"]
    assert client.post("/callbacks/999999/status", data={"csrf_token": token, "status": "called"}).status_code == 404
    queue = client.get("/callbacks", query_string={"status": "closed"}).get_data(as_text=True)
    assert f"Request {first}" in queue and "by cleo" in queue


def test_the_numbers_are_encrypted_at_rest(requests_made, review_db) -> None:
    with review_db.connect() as connection:
        stored = " ".join(str(value) for row in connection.execute(sa.select(callbacks)) for value in row)
    assert NAME not in stored and "07700" not in stored and "rest-patient-handoff" in stored
