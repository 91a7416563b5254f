"""Server-side sessions: the cookie holds only a random token; the data lives in ``review_sessions``.

The table stores the SHA-256 of the token, never the token itself. A session ends
after ``idle_minutes`` without a request or ``absolute_hours`` after it began,
whichever comes first; log-out deletes its row. The cookie is ``HttpOnly``,
``SameSite=Strict`` and, with ``REVIEW_COOKIE_SECURE``, ``Secure`` with the
``__Host-`` prefix. Log-in issues a new token (no session fixation).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any, Callable, Dict, Optional

import sqlalchemy as sa
from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy.engine import Engine
from werkzeug.datastructures import CallbackDict

from review.schema import sessions

COOKIE_NAME = "review_session"
SECURE_COOKIE_NAME = "__Host-review_session"
TOUCH_EVERY_SECONDS = 15.0


def token_hash(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    """A session whose data is kept in the database."""

    def __init__(self, initial: Optional[Dict[str, Any]] = None, token: Optional[str] = None,
                 created_at: float = 0.0, last_seen: float = 0.0, expired: bool = False) -> None:
        def on_update(session: ServerSession) -> None:
            session.modified = True

        super().__init__(initial or {}, on_update)
        self.token = token
        self.created_at = created_at
        self.last_seen = last_seen
        self.expired = expired
        self.new = token is None
        self.modified = False
        self.rotate_requested = False
        self.ended = False

    def rotate(self) -> None:
        """Issue a new token when the response is sent (call at log-in)."""
        self.rotate_requested = True
        self.modified = True

    def end(self) -> None:
        """Delete the session when the response is sent (log-out)."""
        self.clear()
        self.ended = True


class DatabaseSessionInterface(SessionInterface):
    """Flask sessions stored in the app's database."""

    def __init__(self, engine: Engine, idle_seconds: float, absolute_seconds: float, secure: bool,
                 clock: Callable[[], float]) -> None:
        self.engine = engine
        self.idle_seconds = idle_seconds
        self.absolute_seconds = absolute_seconds
        self.secure = secure
        self.clock = clock
        self.cookie_name = SECURE_COOKIE_NAME if secure else COOKIE_NAME

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        token = request.cookies.get(self.cookie_name)
        if not token or len(token) > 128:
            return ServerSession()
        now = self.clock()
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(sessions).where(sessions.c.token_hash == token_hash(token))).first()
        if row is None:
            return ServerSession(expired=True)
        if now - row.last_seen > self.idle_seconds or now - row.created_at > self.absolute_seconds:
            self._delete(token)
            return ServerSession(expired=True)
        try:
            data = json.loads(row.data)
        except ValueError:
            data = {}
        return ServerSession(data if isinstance(data, dict) else {}, token, row.created_at, row.last_seen)

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:  # type: ignore[override]
        now = self.clock()
        if session.ended:
            if session.token:
                self._delete(session.token)
            response.delete_cookie(self.cookie_name, path="/", secure=self.secure, httponly=True, samesite="Strict")
            return
        if session.new and not session:
            return
        if session.new or session.rotate_requested:
            if session.token:
                self._delete(session.token)
            session.token = secrets.token_urlsafe(32)
            session.created_at = now
            self._insert(session, now)
            response.set_cookie(self.cookie_name, session.token, path="/", secure=self.secure, httponly=True,
                                samesite="Strict")
            response.vary.add("Cookie")
            return
        if session.modified or now - session.last_seen >= TOUCH_EVERY_SECONDS:
            with self.engine.begin() as connection:
                connection.execute(
                    sa.update(sessions).where(sessions.c.token_hash == token_hash(session.token))
                    .values(data=json.dumps(dict(session)), user_id=session.get("user_id"), last_seen=now,
                            expires_at=self._expires(session.created_at, now))
                )

    def _expires(self, created_at: float, last_seen: float) -> float:
        return min(last_seen + self.idle_seconds, created_at + self.absolute_seconds)

    def _insert(self, session: ServerSession, now: float) -> None:
        with self.engine.begin() as connection:
            connection.execute(sa.delete(sessions).where(sessions.c.expires_at < now))
            connection.execute(sa.insert(sessions).values(
                token_hash=token_hash(session.token), user_id=session.get("user_id"), data=json.dumps(dict(session)),
                created_at=now, last_seen=now, expires_at=self._expires(now, now),
            ))

    def _delete(self, token: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(sa.delete(sessions).where(sessions.c.token_hash == token_hash(token)))


def end_sessions_of(engine: Engine, user_id: int) -> None:
    """Log an account out everywhere (when it is disabled)."""
    with engine.begin() as connection:
        connection.execute(sa.delete(sessions).where(sessions.c.user_id == user_id))
