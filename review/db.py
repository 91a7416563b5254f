"""Database engines: the app's own database, and Rasa's tracker store (read-only).

The web app opens Rasa's database read-only: SQLite through a ``mode=ro`` URI,
PostgreSQL with ``default_transaction_read_only`` set for every connection. Only
``review purge`` opens it writable (:func:`tracker_engine` with ``writable=True``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine

from review.migrate import upgrade
from review.schema import metadata
from stores.callbacks import metadata as callback_metadata

SQLITE_BUSY_MS = 10_000


def _sqlite_pragmas(engine: Engine, wal: bool) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        if wal:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


def review_engine(url: URL, create: bool = True) -> Engine:
    """The app's own database, with its tables (and ``review_callbacks``) created or upgraded if needed."""
    if url.get_backend_name() == "sqlite":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, future=True, connect_args={"check_same_thread": False})
        _sqlite_pragmas(engine, wal=True)
    else:
        engine = sa.create_engine(url, future=True, pool_pre_ping=True)
    if create:
        metadata.create_all(engine)
        callback_metadata.create_all(engine)
        upgrade(engine)
    return engine


def tracker_engine(url: URL, writable: bool = False) -> Engine:
    """Rasa's tracker store; read-only unless ``writable`` (only ``review purge`` asks for that)."""
    connect_args: Dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        connect_args["check_same_thread"] = False
        if not writable:
            url = url.set(database=f"file:{url.database}", query={"mode": "ro", "uri": "true"})
        engine = sa.create_engine(url, future=True, connect_args=connect_args)
        _sqlite_pragmas(engine, wal=False)
        return engine
    if not writable:
        connect_args["options"] = "-c default_transaction_read_only=on"
    return sa.create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)


def events_table() -> sa.Table:
    """Rasa's ``events`` table as SQLTrackerStore defines it (read by name, never created here)."""
    return sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("type_name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Float),
        sa.Column("intent_name", sa.String(255)),
        sa.Column("action_name", sa.String(255)),
        sa.Column("data", sa.Text),
    )


EVENTS = events_table()
