"""The audit log: who did what, when (log-ins, transcript views, exports, purges, review work)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from review.schema import audit

ACTIONS = (
    "login", "login_failed", "login_locked", "logout", "view_transcript", "export", "purge",
    "tag_added", "tag_removed", "note_added", "review_status", "user_created", "user_unlocked",
    "user_disabled", "user_enabled", "review_saved", "callback_viewed", "callback_status", "correction_saved",
    "correction_removed", "corrections_exported",
)
MAX_DETAIL = 4000


def record(
    target: Engine | Connection, username: str, ip: str, action: str, detail: Optional[Dict[str, Any]] = None,
    at: Optional[float] = None,
) -> None:
    """Write one audit row (in its own transaction when given an engine)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    values = {
        "at": time.time() if at is None else at,
        "username": username[:64],
        "ip": (ip or "-")[:64],
        "action": action,
        "detail": json.dumps(detail or {}, sort_keys=True, default=str)[:MAX_DETAIL],
    }
    if isinstance(target, Engine):
        with target.begin() as connection:
            connection.execute(sa.insert(audit).values(**values))
    else:
        target.execute(sa.insert(audit).values(**values))


@dataclass(frozen=True)
class AuditEntry:
    """One audit row, for the admin page."""

    id: int
    at: float
    username: str
    ip: str
    action: str
    detail: Dict[str, Any]


def entries(
    engine: Engine, action: Optional[str] = None, username: Optional[str] = None, limit: int = 100, offset: int = 0
) -> List[AuditEntry]:
    """The newest audit rows, optionally only one action or one user."""
    query = sa.select(audit).order_by(audit.c.at.desc(), audit.c.id.desc()).limit(limit).offset(offset)
    if action:
        query = query.where(audit.c.action == action)
    if username:
        query = query.where(audit.c.username == username)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [AuditEntry(row.id, row.at, row.username, row.ip, row.action, _detail(row.detail)) for row in rows]


def _detail(text: str) -> Dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"raw": text}
    return value if isinstance(value, dict) else {"value": value}
