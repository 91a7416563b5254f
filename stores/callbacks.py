"""Call-back requests: stored encrypted in the review app's database, never in the tracker.

A patient who asks for a call back gives a name, a phone number and a preferred time,
and consents to their storage. The three values are encrypted at rest (Fernet:
AES-128-CBC with HMAC-SHA256) with a key from configuration; staff see them in the
review app, which moves each request from ``new`` to ``called`` to ``closed`` and
records who did it and when. Retention (:meth:`CallbackStore.purge`) deletes old
requests like the rest of the review data.

Settings (environment): ``CALLBACK_DB_URL`` (default ``REVIEW_DB_URL``, else
``sqlite:///var/review.db``) and ``CALLBACK_KEY`` (a Fernet key; without it one is
generated once into ``var/callback-key``). A bad value raises
:class:`CallbackConfigError` naming the variable.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Mapping, Optional

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import ArgumentError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_URL = "sqlite:///var/review.db"
KEY_FILE = ROOT / "var" / "callback-key"
STATUSES = ("new", "called", "closed")
NEXT_STATUS = {"new": ("called", "closed"), "called": ("closed",), "closed": ()}
MAX_NAME = 100
MAX_PHONE = 40
MAX_TIME = 100

metadata = sa.MetaData()
callbacks = sa.Table(
    "review_callbacks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("channel", sa.String(32), nullable=False),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("name_enc", sa.Text, nullable=False),
    sa.Column("phone_enc", sa.Text, nullable=False),
    sa.Column("preferred_time_enc", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, default="new"),
    sa.Column("status_by", sa.String(64)),
    sa.Column("status_at", sa.Float),
    sa.Index("ix_review_callbacks_status_created", "status", "created_at"),
)


class CallbackConfigError(ValueError):
    """A call-back setting is wrong; the message names the environment variable."""


class CallbackError(ValueError):
    """A request or a status change that cannot be stored."""


@dataclass(frozen=True)
class CallbackRequest:
    """What the patient gave, with their consent."""

    channel: str
    sender_id: str
    name: str
    phone: str
    preferred_time: str

    def checked(self) -> CallbackRequest:
        """The request with its fields trimmed; :class:`CallbackError` if one is empty or too long."""
        fields = {"name": (self.name, MAX_NAME), "phone": (self.phone, MAX_PHONE),
                  "preferred_time": (self.preferred_time, MAX_TIME)}
        values = {}
        for field, (value, limit) in fields.items():
            text = " ".join(str(value or "").split())
            if not text or len(text) > limit:
                raise CallbackError(f"{field}: give 1 to {limit} characters")
            values[field] = text
        if sum(char.isdigit() for char in values["phone"]) < 6:
            raise CallbackError("phone: give a phone number")
        return CallbackRequest(self.channel, self.sender_id, **values)


@dataclass(frozen=True)
class CallbackRecord:
    """A stored request, decrypted for staff."""

    id: int
    created_at: float
    channel: str
    sender_id: str
    name: str
    phone: str
    preferred_time: str
    status: str
    status_by: Optional[str]
    status_at: Optional[float]


class CallbackStore:
    """Adds, lists, updates and purges call-back requests."""

    def __init__(self, engine: Engine, key: bytes, create: bool = True) -> None:
        self.engine = engine
        self._fernet = Fernet(key)
        if create:
            metadata.create_all(engine)

    def add(self, request: CallbackRequest, now: float | None = None) -> int:
        """Store a consented request; return its id."""
        request = request.checked()
        row = {
            "created_at": time.time() if now is None else now,
            "channel": request.channel,
            "sender_id": request.sender_id,
            "name_enc": self._encrypt(request.name),
            "phone_enc": self._encrypt(request.phone),
            "preferred_time_enc": self._encrypt(request.preferred_time),
            "status": "new",
        }
        with self.engine.begin() as connection:
            return int(connection.execute(callbacks.insert().values(**row)).inserted_primary_key[0])

    def get(self, callback_id: int) -> CallbackRecord | None:
        """One request, decrypted, or None."""
        with self.engine.connect() as connection:
            row = connection.execute(callbacks.select().where(callbacks.c.id == callback_id)).mappings().first()
        return None if row is None else self._record(row)

    def list(self, status: str | None = None, limit: int = 200) -> List[CallbackRecord]:
        """Requests, oldest first (the order staff should call them), optionally of one status."""
        query = callbacks.select().order_by(callbacks.c.created_at, callbacks.c.id).limit(limit)
        if status is not None:
            query = query.where(callbacks.c.status == status)
        with self.engine.connect() as connection:
            return [self._record(row) for row in connection.execute(query).mappings()]

    def count(self, status: str = "new") -> int:
        """How many requests have this status."""
        query = sa.select(sa.func.count()).select_from(callbacks).where(callbacks.c.status == status)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def set_status(self, callback_id: int, status: str, by: str, now: float | None = None) -> None:
        """Move a request on (new -> called -> closed); :class:`CallbackError` otherwise."""
        with self.engine.begin() as connection:
            current = connection.execute(
                sa.select(callbacks.c.status).where(callbacks.c.id == callback_id)
            ).scalar_one_or_none()
            if current is None:
                raise CallbackError(f"no call-back request {callback_id}")
            if status not in NEXT_STATUS.get(current, ()):
                raise CallbackError(f"a {current} request cannot become {status}")
            connection.execute(
                callbacks.update().where(callbacks.c.id == callback_id).values(
                    status=status, status_by=by, status_at=time.time() if now is None else now
                )
            )

    def purge(self, before: float) -> int:
        """Delete requests made before ``before`` (UNIX seconds); return how many."""
        with self.engine.begin() as connection:
            return int(connection.execute(callbacks.delete().where(callbacks.c.created_at < before)).rowcount)

    def _encrypt(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def _decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            return "(cannot be decrypted with this CALLBACK_KEY)"

    def _record(self, row: Mapping[str, Any]) -> CallbackRecord:
        return CallbackRecord(
            id=row["id"], created_at=row["created_at"], channel=row["channel"], sender_id=row["sender_id"],
            name=self._decrypt(row["name_enc"]), phone=self._decrypt(row["phone_enc"]),
            preferred_time=self._decrypt(row["preferred_time_enc"]), status=row["status"],
            status_by=row["status_by"], status_at=row["status_at"],
        )


def callback_key(env: Mapping[str, str], key_file: Path = KEY_FILE) -> bytes:
    """``CALLBACK_KEY``, else a key generated once into ``var/callback-key``."""
    raw = env.get("CALLBACK_KEY")
    if raw is None:
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(Fernet.generate_key())
        raw = key_file.read_text().strip()
    try:
        Fernet(raw.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise CallbackConfigError(
            "CALLBACK_KEY: expected a Fernet key (32 bytes, url-safe base64), e.g. from "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from None
    return raw.encode("ascii")


def callback_db_url(env: Mapping[str, str]) -> sa.engine.URL:
    """``CALLBACK_DB_URL``, else ``REVIEW_DB_URL``, else the review app's SQLite file."""
    name = "CALLBACK_DB_URL" if env.get("CALLBACK_DB_URL") else "REVIEW_DB_URL"
    value = env.get(name) or DEFAULT_DB_URL
    try:
        url = make_url(value)
    except ArgumentError as error:
        raise CallbackConfigError(f"{name}: not a database URL ({value!r}): {error}") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise CallbackConfigError(f"{name}: unsupported database {url.get_backend_name()!r} (use sqlite or postgresql)")
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).is_absolute():
        url = url.set(database=str(ROOT / url.database))
    return url


def store_from_env(env: Mapping[str, str] | None = None) -> CallbackStore:
    """The call-back store configured by the environment (tables created if missing)."""
    env = os.environ if env is None else env
    url = callback_db_url(env)
    key = callback_key(env)
    if url.get_backend_name() == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, future=True, connect_args={"check_same_thread": False})
    else:
        engine = sa.create_engine(url, future=True, pool_pre_ping=True)
    return CallbackStore(engine, key)
