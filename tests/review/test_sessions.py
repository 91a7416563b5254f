"""Sessions: cookie flags, a new token at log-in, log-out, idle and absolute expiry, disabled accounts."""

from __future__ import annotations

import sqlalchemy as sa

from review.schema import sessions
from review.sessions import COOKIE_NAME, SECURE_COOKIE_NAME
from review.web import create_app
from tests.review.helpers import ADMIN_PASSWORD, PASSWORD, audit_actions, csrf_token, login, settings_for


def test_session_cookie_is_httponly_samesite_strict(client, accounts) -> None:
    response = login(client, "rita", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie


def test_secure_cookie_uses_the_host_prefix(backend, review_db, accounts, clock) -> None:
    settings = settings_for(backend.tracker_url, backend.review_url, cookie_secure=True)
    client = create_app(settings, review=review_db, tracker=backend.tracker, clock=clock).test_client()
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Set-Cookie"].startswith(f"{SECURE_COOKIE_NAME}=")
    assert "Secure" in response.headers["Set-Cookie"]


def test_log_in_issues_a_new_session_token(client, accounts) -> None:
    first = client.get("/login").headers["Set-Cookie"].split(";")[0]
    second = login(client, "rita", PASSWORD).headers["Set-Cookie"].split(";")[0]
    assert first != second


def test_log_out_deletes_the_session(client, accounts, review_db) -> None:
    login(client, "rita", PASSWORD)
    cookie = client.get_cookie(COOKIE_NAME).value
    token = csrf_token(client, "/conversations")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    with review_db.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(sessions)
                                  .where(sessions.c.user_id.isnot(None))).scalar() == 0
    client.set_cookie(COOKIE_NAME, cookie)
    assert client.get("/conversations").status_code == 302
    assert audit_actions(review_db)[-1] == "logout"


def test_idle_session_expires(client, accounts, clock) -> None:
    login(client, "rita", PASSWORD)
    clock.advance(29 * 60)
    assert client.get("/conversations").status_code == 200
    clock.advance(31 * 60)
    response = client.get("/conversations")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "Your session ended" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_session_ends_after_the_absolute_limit_even_when_busy(client, accounts, clock) -> None:
    login(client, "rita", PASSWORD)
    for _ in range(25):  # a request every 29 minutes for 12 hours
        clock.advance(29 * 60)
        status = client.get("/dashboard").status_code
    assert status == 302


def test_disabled_account_is_logged_out_everywhere(client, accounts, app, review_db) -> None:
    login(client, "rita", PASSWORD)
    admin = app.test_client()
    login(admin, "adam", ADMIN_PASSWORD)
    token = csrf_token(admin, "/admin/users")
    assert admin.post(f"/admin/users/{accounts['reviewer'].id}/disable", data={"csrf_token": token}).status_code == 302
    assert client.get("/conversations").status_code == 302
    assert login(client, "rita", PASSWORD).status_code == 401
    assert "user_disabled" in audit_actions(review_db)
