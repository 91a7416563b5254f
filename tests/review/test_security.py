"""Security: log-in required, roles, CSRF, injection, XSS, lock-out, sessions, headers, audit."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from werkzeug.routing.converters import NumberConverter

from review.schema import audit, conversations, login_attempts, tags, users
from tests.review.helpers import (
    ADMIN_PASSWORD,
    PASSWORD,
    SQLI,
    XSS,
    audit_actions,
    conversation_ids,
    csrf_token,
    event_count,
    login,
    pseudonym,
)

INJECTIONS = (
    "' OR '1'='1", "1; DROP TABLE review_conversations; --", "\" OR 1=1 --", "%' --", "_", "%", "\\",
    "') UNION SELECT password_hash FROM review_users --", XSS, "<img src=x onerror=alert(1)>",
)
FILTER_PARAMETERS = ("from", "to", "channel", "topic", "flag", "status", "tag", "q", "gap", "page")


def routes(app, method: str) -> list[str]:
    """Every URL of the app for ``method``, with 1 for ids and the first choice for other parts."""
    urls = []
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or rule.endpoint == "static":
            continue
        values = {}
        for argument in rule.arguments:
            converter = rule._converters[argument]
            if isinstance(converter, NumberConverter):
                values[argument] = 1
            else:
                values[argument] = sorted(converter.items)[0] if hasattr(converter, "items") else "x"
        urls.append(rule.build(values)[1])
    return urls


def test_every_page_sends_anonymous_visitors_to_log_in(client, app) -> None:
    pages = [url for url in routes(app, "GET") if url != "/login"]
    assert len(pages) >= 7
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url


def test_every_form_refuses_anonymous_posts_even_with_a_valid_token(client, app) -> None:
    token = csrf_token(client)
    for url in routes(app, "POST"):
        if url == "/login":
            continue
        response = client.post(url, data={"csrf_token": token, "format": "csv", "tag": "x", "text": "x"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url


def test_reviewer_gets_403_on_admin_pages_and_actions(client, app, accounts) -> None:
    login(client, "rita", PASSWORD)
    admin_pages = [url for url in routes(app, "GET") if url.startswith("/admin")]
    assert {"/admin/audit", "/admin/users", "/admin/retention"} <= set(admin_pages)
    for url in admin_pages:
        assert client.get(url).status_code == 403, url
    token = csrf_token(client, "/conversations")
    for url in [url for url in routes(app, "POST") if url.startswith("/admin")]:
        response = client.post(url, data={"csrf_token": token, "username": "mallory", "role": "admin",
                                          "password": "x" * 20, "password_again": "x" * 20, "older_than": "1h",
                                          "confirm": "1"})
        assert response.status_code == 403, url
    with client.application.extensions["review"].review.connect() as connection:
        assert connection.execute(sa.select(users.c.id).where(users.c.username == "mallory")).first() is None


def test_admin_reaches_admin_pages(client, accounts) -> None:
    login(client, "adam", ADMIN_PASSWORD)
    for url in ("/admin/audit", "/admin/users", "/admin/retention"):
        assert client.get(url).status_code == 200, url


def test_every_form_rejects_a_missing_or_forged_csrf_token(client, app, accounts, review_db) -> None:
    login(client, "adam", ADMIN_PASSWORD)
    client.get("/conversations")
    ids = conversation_ids(review_db)
    post_urls = [url for url in routes(app, "POST")]
    assert len(post_urls) >= 9
    for url in post_urls:
        url = url.replace("/conversations/1/", f"/conversations/{ids['rest-patient-crisis']}/")
        for token in (None, "forged-token"):
            data = {"tag": "sneaky", "text": "sneaky", "format": "csv", "reviewed": "1", "username": "eve",
                    "role": "admin", "password": "x" * 20, "password_again": "x" * 20}
            if token:
                data["csrf_token"] = token
            response = client.post(url, data=data)
            assert response.status_code == 400, (url, token)
            assert "Form expired or not sent from this site" in response.get_data(as_text=True)
    with review_db.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(tags)).scalar() == 0
        assert connection.execute(sa.select(sa.func.count()).select_from(conversations)
                                  .where(conversations.c.reviewed == sa.true())).scalar() == 0
        assert connection.execute(sa.select(users.c.id).where(users.c.username == "eve")).first() is None
    assert "export" not in audit_actions(review_db)


def test_injection_payloads_in_every_filter_are_harmless(client, accounts, review_db, backend) -> None:
    login(client, "rita", PASSWORD)
    before = event_count(backend.tracker_url)
    for parameter in FILTER_PARAMETERS:
        for payload in INJECTIONS:
            response = client.get("/conversations", query_string={parameter: payload})
            assert response.status_code in (200, 400), (parameter, payload)
            body = response.get_data(as_text=True)
            assert "<script>alert" not in body and "<img src=x" not in body
            if parameter == "q":
                assert response.status_code == 200
                if payload == XSS:  # a patient really wrote this: found once, shown escaped
                    assert "1–1 of 1 conversations" in body
                elif payload not in ("_", "%", "\\"):
                    assert "No conversations match." in body, payload
    assert event_count(backend.tracker_url) == before
    with review_db.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(conversations)).scalar() > 0


def test_search_finds_patient_text_literally(client, accounts) -> None:
    login(client, "rita", PASSWORD)
    body = client.get("/conversations", query_string={"q": SQLI[:12]}).get_data(as_text=True)
    assert "1–1 of 1 conversations" in body
    assert "&#39;; DROP TABLE events; --" in body


def test_patient_html_is_escaped_in_list_and_transcript(client, accounts, review_db) -> None:
    login(client, "rita", PASSWORD)
    listing = client.get("/conversations").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in listing
    assert XSS not in listing
    transcript = client.get(f"/conversations/{conversation_ids(review_db)['rest-patient-xss']}").get_data(as_text=True)
    assert "&lt;script&gt;" in transcript and XSS not in transcript


def test_staff_input_is_escaped_too(client, accounts, review_db) -> None:
    login(client, "rita", PASSWORD)
    client.get("/conversations")
    cid = conversation_ids(review_db)["rest-patient-crisis"]
    token = csrf_token(client, f"/conversations/{cid}")
    client.post(f"/conversations/{cid}/review", data={"csrf_token": token, "note": XSS})
    page = client.get(f"/conversations/{cid}").get_data(as_text=True)
    assert XSS not in page and "&lt;script&gt;" in page
    refused = client.post(f"/conversations/{cid}/review", data={"csrf_token": token, "tags": "<b>x</b>"})
    assert refused.status_code == 400 and "Tag: use 1-40 letters" in refused.get_data(as_text=True)
    assert "<b>x</b>" not in refused.get_data(as_text=True)


def test_lock_out_after_five_failures_even_with_the_right_password(client, accounts, review_db, clock) -> None:
    for _ in range(5):
        assert login(client, "rita", "wrong password!!").status_code == 401
    response = login(client, "rita", PASSWORD)
    assert response.status_code == 401
    assert "locked" in response.get_data(as_text=True)
    assert client.get("/conversations").status_code == 302
    clock.advance(14 * 60)
    assert login(client, "rita", PASSWORD).status_code == 401
    clock.advance(2 * 60)
    assert login(client, "rita", PASSWORD).status_code == 302
    actions = audit_actions(review_db)
    assert actions.count("login_failed") == 4 and actions.count("login_locked") >= 2 and actions[-1] == "login"


def test_unknown_users_get_the_same_answer(client, accounts) -> None:
    unknown = login(client, "nobody", "wrong password!!")
    known = login(client, "rita", "wrong password!!")
    assert unknown.status_code == known.status_code == 401
    assert re.sub(r'value="[^"]*"', "", unknown.get_data(as_text=True)) == \
        re.sub(r'value="[^"]*"', "", known.get_data(as_text=True)).replace("rita", "nobody")


def test_one_address_guessing_many_accounts_is_blocked(client, accounts, review_db, clock) -> None:
    assert login(client, "guess-0", "wrong password!!").status_code == 401
    with review_db.begin() as connection:  # 19 more failures from this address, on other accounts
        connection.execute(sa.insert(login_attempts), [
            {"at": clock(), "ip": "127.0.0.1", "username": f"guess-{n}", "success": False} for n in range(1, 20)
        ])
    response = login(client, "adam", ADMIN_PASSWORD)
    assert response.status_code == 401
    assert audit_actions(review_db)[-1] == "login_locked"
    clock.advance(16 * 60)
    assert login(client, "adam", ADMIN_PASSWORD).status_code == 302


def test_security_headers_on_every_page(client, accounts) -> None:
    for response in (client.get("/login"), login(client, "rita", PASSWORD), client.get("/conversations"),
                     client.get("/nowhere")):
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy and "unsafe" not in policy
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


def test_unknown_conversation_is_404_and_bad_values_are_400_not_500(client, accounts) -> None:
    login(client, "rita", PASSWORD)
    assert client.get("/conversations/999999").status_code == 404
    assert client.get("/conversations", query_string={"from": "31/13/2024"}).status_code == 400
    assert client.get("/conversations", query_string={"from": "12/31/2024"}).status_code == 400  # en-GB: no month 31
    assert client.get("/conversations", query_string={"page": "two"}).status_code == 400
    assert client.get("/dashboard", query_string={"from": "yesterday"}).status_code == 400
    token = csrf_token(client, "/conversations")
    assert client.post("/export", data={"csrf_token": token, "format": "xlsx"}).status_code == 400
    assert client.post("/export", data={"csrf_token": token, "format": "csv", "channel": "'"}).status_code == 400


@pytest.mark.parametrize("action", ["login", "view_transcript", "export", "logout"])
def test_audit_rows_are_written(client, accounts, review_db, action) -> None:
    login(client, "rita", PASSWORD)
    client.get("/conversations")
    cid = conversation_ids(review_db)["rest-patient-pii"]
    client.get(f"/conversations/{cid}")
    token = csrf_token(client, "/conversations")
    client.post("/export", data={"csrf_token": token, "format": "jsonl", "flag": "not_helpful"}).get_data()
    client.post("/logout", data={"csrf_token": token})
    with review_db.connect() as connection:
        rows = connection.execute(sa.select(audit).where(audit.c.action == action)).all()
    assert len(rows) == 1
    assert rows[0].username == "rita" and rows[0].ip == "127.0.0.1" and rows[0].at > 0
    if action == "view_transcript":
        assert f'"conversation_id": {cid}' in rows[0].detail and pseudonym("rest-patient-pii") in rows[0].detail
    if action == "export":
        assert '"flags": ["not_helpful"]' in rows[0].detail and pseudonym("rest-patient-pii") in rows[0].detail
    assert "rest-patient-pii" not in rows[0].detail  # never the sender id itself
