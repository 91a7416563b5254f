"""Call-back requests beside conversations: which conversation a request came from, and the reverse.

A request (``stores/callbacks.py``) records the sender and the time; its conversation
is that sender's conversation that had started by then (the latest such one).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from review.schema import conversations
from stores.callbacks import CallbackRecord, CallbackStore, callbacks

GRACE_SECONDS = 60.0  # a request saved just before the conversation's first event was summarised


def conversation_ids(review: Engine, records: Sequence[CallbackRecord]) -> Dict[int, int]:
    """Call-back id -> the id of the conversation it was asked in (when it is known)."""
    found: Dict[int, int] = {}
    with review.connect() as connection:
        for record in records:
            conversation_id: Optional[int] = connection.execute(
                sa.select(conversations.c.id).where(
                    conversations.c.sender_id == record.sender_id,
                    conversations.c.started_at <= record.created_at + GRACE_SECONDS,
                ).order_by(conversations.c.started_at.desc()).limit(1)
            ).scalar()
            if conversation_id is not None:
                found[record.id] = conversation_id
    return found


def callbacks_of_sender(store: CallbackStore, row: Any) -> List[Dict[str, Any]]:
    """The call-back requests made during one conversation (ids, times and status only: no contact details)."""
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(callbacks.c.id, callbacks.c.created_at, callbacks.c.status).where(
                callbacks.c.sender_id == row.sender_id,
                callbacks.c.created_at >= row.started_at - GRACE_SECONDS,
                callbacks.c.created_at <= row.last_at + GRACE_SECONDS,
            ).order_by(callbacks.c.created_at)
        ).mappings().all()
    return [dict(item) for item in rows]
