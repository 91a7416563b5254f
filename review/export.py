"""Exports of the filtered conversations: CSV (one row per turn) and JSON Lines (one line per conversation).

Patient text is masked exactly as on screen and sender ids are pseudonyms. Every
text is cleaned (:mod:`review.cleaning`: NUL, lone surrogates, control and bidi
characters become U+FFFD, CR/CRLF become LF), so any character in any field gives a
complete file. CSV cells that a spreadsheet would run as a formula (starting, after
any spaces or line breaks, with ``=``, ``+``, ``-``, ``@``, their full-width forms,
or a tab) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, List, Optional

from sqlalchemy.engine import Engine

from review.cleaning import clean_text, clean_value
from review.queries import Filters, ids_query
from review.review_work import events_of
from review.schema import FLAGS
from review.transcript import turns

logger = logging.getLogger(__name__)
INCOMPLETE = "EXPORT INCOMPLETE: an error stopped it here (logged). Export again or tell the administrator."
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
CSV_COLUMNS = (
    "conversation_id", "sender", "channel", "conversation_started", "flags", "topics", "reviewed",
    "content_gap", "tags", "turn", "time", "kind", "text", "intent", "confidence", "content_id", "helpful",
)
FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
Pseudonym = Callable[[str], str]


def iso(timestamp: Optional[float]) -> str:
    """UTC ISO 8601 time, or empty."""
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def safe_cell(value: Any) -> str:
    """A CSV cell that spreadsheets will show, not run (and that the csv module can always write)."""
    text = clean_text(value)
    return f"'{text}" if text.startswith("\t") or text.lstrip(" \t\n").startswith(FORMULA_START) else text


def matching(review: Engine, filters: Filters, limit: int) -> List[Any]:
    """Summary rows of the matching conversations, newest first."""
    with review.connect() as connection:
        return connection.execute(ids_query(filters, limit)).all()


def _flags(row: Any) -> List[str]:
    return [flag for flag in FLAGS if getattr(row, f"flag_{flag}")]


def conversation_record(tracker: Engine, row: Any, pseudonym: Pseudonym) -> dict:
    """One conversation as exported: summary, review status and masked turns (every string cleaned)."""
    return clean_value({
        "conversation_id": row.id,
        "sender": pseudonym(row.sender_id),
        "channel": row.channel,
        "started": iso(row.started_at),
        "last": iso(row.last_at),
        "flags": _flags(row),
        "topics": row.topics.split(),
        "reviewed": bool(row.reviewed),
        "content_gap": bool(row.content_gap),
        "tags": row.tags.split() if row.tags else [],
        "turns": [dict(turn.export(), at=iso(turn.at)) for turn in turns(events_of(tracker, row))],
    })


def jsonl(tracker: Engine, rows: List[Any], pseudonym: Pseudonym) -> Iterator[str]:
    """JSON Lines, one conversation per line."""
    for row in rows:
        line = json.dumps(conversation_record(tracker, row, pseudonym), ensure_ascii=False)
        # U+2028 / U+2029 end lines for some readers (str.splitlines, JavaScript): escape them.
        yield line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def csv_lines(tracker: Engine, rows: List[Any], pseudonym: Pseudonym) -> Iterator[str]:
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
        record = conversation_record(tracker, row, pseudonym)
        head = [record["conversation_id"], record["sender"], record["channel"], record["started"],
                " ".join(record["flags"]), " ".join(record["topics"]), record["reviewed"], record["content_gap"],
                " ".join(record["tags"])]
        for number, turn in enumerate(record["turns"], start=1):
            writer.writerow([safe_cell(value) for value in (*head, number, turn["at"], turn["kind"], turn["text"],
                             turn["intent"], turn["confidence"], turn["content_id"], turn["helpful"])])
        yield flush()


def marked_if_incomplete(body: Iterator[str], kind: str) -> Iterator[str]:
    """``body``, ending with a line saying the file is incomplete if an error stops it part way.

    The response has already started (HTTP 200) when the rows stream out, so an error
    cannot change the status; this last line makes sure a cut-short file is never
    mistaken for a whole one.
    """
    try:
        yield from body
    except Exception:  # noqa: BLE001 - any failure must be visible in the file itself
        logger.exception("export failed part way")
        if kind == "csv":
            buffer = io.StringIO()
            csv.writer(buffer).writerow(["", "", "", "", "", "", "", "", "", "", "", "error", INCOMPLETE])
            yield buffer.getvalue()
        else:
            yield json.dumps({"error": INCOMPLETE}) + "\n"
