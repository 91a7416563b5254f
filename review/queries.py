"""The conversation list: filters from the query string, and the SQL they become.

Every value from the browser is checked against a narrow pattern and then passed
to SQLAlchemy as a bound parameter, never pasted into SQL. The queries read only
the app's tables; each filter has an index that ends in ``started_at``, so the
newest matching conversations come straight off an index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from review.dates import UTC, ClinicTime, DateError
from review.schema import FLAGS, conversation_topics, conversations, tags

IDENTIFIER = re.compile(r"[a-z0-9_]{1,64}")
TAG = re.compile(r"[\w.:/+-]{1,40}")
MAX_SEARCH = 200
MAX_PAGE = 10_000
COUNT_CAP = 10_000
STATUSES = ("reviewed", "unreviewed")
ORDERS = ("newest", "oldest")
SEARCH_ESCAPE = "\\"


@dataclass(frozen=True)
class Filters:
    """What the list shows. Empty values mean "any"."""

    date_from: Optional[date] = None
    date_to: Optional[date] = None
    channel: str = ""
    topic: str = ""
    flags: Tuple[str, ...] = ()
    status: str = ""
    content_gap: bool = False
    tag: str = ""
    q: str = ""
    order: str = "newest"
    clinic: ClinicTime = field(default=UTC, compare=False)

    @classmethod
    def parse(cls, args: Mapping[str, Any], clinic: ClinicTime = UTC) -> Tuple["Filters", List[str]]:
        """Filters from request arguments (days in the clinic's zone), and a message for each ignored value."""
        errors: List[str] = []

        def one(name: str) -> str:
            value = args.get(name)
            return value.strip() if isinstance(value, str) else ""

        def day(name: str, label: str) -> Optional[date]:
            try:
                return clinic.parse_day(one(name))
            except DateError as error:
                errors.append(f"{label}: {error}")
                return None

        def identifier(name: str, label: str) -> str:
            raw = one(name)
            if raw and not IDENTIFIER.fullmatch(raw):
                errors.append(f"{label}: unknown value")
                return ""
            return raw

        flags_raw = args.getlist("flag") if hasattr(args, "getlist") else list(args.get("flag") or [])
        flags = tuple(dict.fromkeys(flag for flag in flags_raw if flag in FLAGS))
        if len(flags) != len([flag for flag in flags_raw if flag]):
            errors.append("Flag: unknown value")
        status = one("status")
        if status and status not in STATUSES:
            errors.append("Status: unknown value")
            status = ""
        tag = one("tag")
        if tag and not TAG.fullmatch(tag):
            errors.append("Tag: use up to 40 letters, digits or . : / + - _")
            tag = ""
        order = one("order") or "newest"
        if order not in ORDERS:
            errors.append("Order: unknown value")
            order = "newest"
        q = one("q")
        if len(q) > MAX_SEARCH:
            errors.append(f"Search: at most {MAX_SEARCH} characters")
            q = q[:MAX_SEARCH]
        filters = cls(
            date_from=day("from", "From"), date_to=day("to", "To"), channel=identifier("channel", "Channel"),
            topic=identifier("topic", "Topic"), flags=flags, status=status, content_gap=one("gap") == "1",
            tag=tag, q=q, order=order, clinic=clinic,
        )
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            errors.append("Dates: 'From' is after 'To'")
        return filters, errors

    def args(self) -> List[Tuple[str, str]]:
        """The filters as query-string pairs (for links and hidden form fields)."""
        pairs = [
            ("from", self.date_from.isoformat() if self.date_from else ""),
            ("to", self.date_to.isoformat() if self.date_to else ""),
            ("channel", self.channel), ("topic", self.topic), ("status", self.status),
            ("gap", "1" if self.content_gap else ""), ("tag", self.tag), ("q", self.q),
            ("order", "" if self.order == "newest" else self.order), *(("flag", flag) for flag in self.flags),
        ]
        return [(name, value) for name, value in pairs if value]

    def describe(self) -> Dict[str, Any]:
        """The filters for the audit log."""
        result: Dict[str, Any] = {}
        for name, value in self.args():
            if name == "flag":
                result.setdefault("flags", []).append(value)
            else:
                result[name] = value
        return result


def escape_like(text: str) -> str:
    """``text`` for use inside LIKE with ``%``, ``_`` and the escape character taken literally."""
    return text.replace(SEARCH_ESCAPE, SEARCH_ESCAPE * 2).replace("%", f"{SEARCH_ESCAPE}%").replace(
        "_", f"{SEARCH_ESCAPE}_"
    )


def conditions(filters: Filters) -> List[Any]:
    """The WHERE terms for ``filters``."""
    c = conversations.c
    terms: List[Any] = []
    if filters.date_from:
        terms.append(c.started_at >= filters.clinic.day_start(filters.date_from))
    if filters.date_to:
        terms.append(c.started_at < filters.clinic.day_end(filters.date_to))
    if filters.channel:
        terms.append(c.channel == filters.channel)
    if len(filters.flags) == 1:
        terms.append(c[f"flag_{filters.flags[0]}"] == sa.true())
    elif filters.flags:  # a union of index look-ups, one per flag, rather than a scan testing each row
        terms.append(c.id.in_(sa.union(*(
            sa.select(c.id).where(c[f"flag_{flag}"] == sa.true()) for flag in filters.flags
        ))))
    if filters.status:
        terms.append(c.reviewed == (sa.true() if filters.status == "reviewed" else sa.false()))
    if filters.content_gap:
        terms.append(c.content_gap == sa.true())
    if filters.topic:
        terms.append(c.id.in_(
            sa.select(conversation_topics.c.conversation_id).where(conversation_topics.c.content_id == filters.topic)
        ))
    if filters.tag:
        terms.append(c.id.in_(sa.select(tags.c.conversation_id).where(tags.c.tag == filters.tag)))
    if filters.q:
        terms.append(c.search_text.like(f"%{escape_like(filters.q.lower())}%", escape=SEARCH_ESCAPE))
    return terms


LIST_COLUMNS = (
    conversations.c.id, conversations.c.sender_id, conversations.c.started_at, conversations.c.last_at,
    conversations.c.channel, conversations.c.n_user, conversations.c.n_bot, conversations.c.topics,
    conversations.c.preview, conversations.c.reviewed, conversations.c.content_gap, conversations.c.tags,
    conversations.c.helpful, conversations.c.not_helpful, conversations.c.min_confidence,
    conversations.c.flagged_event_id, conversations.c.flagged_preview,
    *(conversations.c[f"flag_{flag}"] for flag in FLAGS),
)


def ordering(filters: Filters) -> Tuple[Any, Any]:
    """Newest first, or oldest first (the order of the "needs attention" queues)."""
    if filters.order == "oldest":
        return conversations.c.started_at.asc(), conversations.c.id.asc()
    return conversations.c.started_at.desc(), conversations.c.id.desc()


def list_query(filters: Filters, limit: int, offset: int = 0) -> sa.sql.Select:
    """The conversations matching ``filters``, newest (or oldest) first."""
    return (
        sa.select(*LIST_COLUMNS).where(*conditions(filters))
        .order_by(*ordering(filters)).limit(limit).offset(offset)
    )


def ids_query(filters: Filters, limit: int) -> sa.sql.Select:
    """Ids and event ranges of the newest matching conversations (for exports)."""
    return sa.select(conversations).where(*conditions(filters)).order_by(*ordering(filters)).limit(limit)


def count_query(filters: Filters, cap: int = COUNT_CAP) -> sa.sql.Select:
    """How many conversations match, counting at most ``cap + 1``."""
    inner = sa.select(conversations.c.id).where(*conditions(filters)).limit(cap + 1).subquery()
    return sa.select(sa.func.count()).select_from(inner)


@dataclass
class Page:
    """One page of the list."""

    rows: List[Any]
    number: int
    size: int
    total: int
    capped: bool
    has_next: bool = field(default=False)


def fetch_page(connection: Connection, filters: Filters, number: int, size: int) -> Page:
    """The rows of page ``number`` (1-based) and the (capped) total."""
    number = max(1, min(number, MAX_PAGE))
    rows = connection.execute(list_query(filters, size + 1, (number - 1) * size)).all()
    total = int(connection.execute(count_query(filters)).scalar() or 0)
    return Page(rows[:size], number, size, min(total, COUNT_CAP), total > COUNT_CAP, has_next=len(rows) > size)


def flags_of_row(row: Any) -> List[str]:
    """The flags set on a list row."""
    return [flag for flag in FLAGS if getattr(row, f"flag_{flag}")]


def options(connection: Connection) -> Dict[str, Sequence[str]]:
    """The channels, topics and tags present, for the filter form's drop-downs."""
    channels = connection.execute(sa.select(conversations.c.channel).distinct().order_by(conversations.c.channel))
    topics = connection.execute(
        sa.select(conversation_topics.c.content_id).distinct().order_by(conversation_topics.c.content_id)
    )
    tag_names = connection.execute(sa.select(tags.c.tag).distinct().order_by(tags.c.tag))
    return {
        "channels": [row[0] for row in channels],
        "topics": [row[0] for row in topics],
        "tags": [row[0] for row in tag_names],
    }
