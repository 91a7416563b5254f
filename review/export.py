"""Exports of the filtered conversations: CSV (one row per turn) and JSON Lines (one line per conversation).

Patient text is masked exactly as on screen. CSV cells that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Any, Iterator, List, Optional

from sqlalchemy.engine import Engine

from review.queries import Filters, ids_query
from review.review_work import events_of
from review.schema import FLAGS
from review.summary import turns

FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
CSV_COLUMNS = (
    "conversation_id", "sender_id", "channel", "conversation_started", "flags", "topics", "reviewed",
    "content_gap", "tags", "turn", "time", "kind", "text", "intent", "confidence", "content_id", "helpful",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def iso(timestamp: Optional[float]) -> str:
    """UTC ISO 8601 time, or empty."""
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def safe_cell(value: Any) -> str:
    """A CSV cell that spreadsheets will show, not run."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def matching(review: Engine, filters: Filters, limit: int) -> List[Any]:
    """Summary rows of the matching conversations, newest first."""
    with review.connect() as connection:
        return connection.execute(ids_query(filters, limit)).all()


def _flags(row: Any) -> List[str]:
    return [flag for flag in FLAGS if getattr(row, f"flag_{flag}")]


def conversation_record(tracker: Engine, row: Any) -> dict:
    """One conversation as exported: summary, review status and masked turns."""
    return {
        "conversation_id": row.id,
        "sender_id": row.sender_id,
        "channel": row.channel,
        "started": iso(row.started_at),
        "last": iso(row.last_at),
        "flags": _flags(row),
        "topics": row.topics.split(),
        "reviewed": bool(row.reviewed),
        "content_gap": bool(row.content_gap),
        "tags": row.tags.split() if row.tags else [],
        "turns": [dict(turn.export(), at=iso(turn.at)) for turn in turns(events_of(tracker, row))],
    }


def jsonl(tracker: Engine, rows: List[Any]) -> Iterator[str]:
    """JSON Lines, one conversation per line."""
    for row in rows:
        yield json.dumps(conversation_record(tracker, row), ensure_ascii=False) + "\n"


def csv_lines(tracker: Engine, rows: List[Any]) -> Iterator[str]:
    """CSV with a header, one row per turn."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for row in rows:
        record = conversation_record(tracker, row)
        head = [record["conversation_id"], record["sender_id"], record["channel"], record["started"],
                " ".join(record["flags"]), " ".join(record["topics"]), record["reviewed"], record["content_gap"],
                " ".join(record["tags"])]
        for number, turn in enumerate(record["turns"], start=1):
            writer.writerow([safe_cell(value) for value in (*head, number, turn["at"], turn["kind"], turn["text"],
                             turn["intent"], turn["confidence"], turn["content_id"], turn["helpful"])])
        yield flush()
