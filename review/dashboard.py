"""Figures for the dashboard, from the app's summary tables, by the clinic's days.

Conversations are counted in 15-minute buckets of their start time (every time
zone's offset is a whole number of quarter hours) and the buckets added up into the
clinic's days, so a day runs from local midnight to local midnight, summer time too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Dict, List, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from review.dates import UTC, ClinicTime
from review.schema import conversation_topics, conversations, corrections

TOP_TOPICS = 12
BUCKET_SECONDS = 900
MIN_VOTES = 5  # fewer votes than this give a count, never a rate


@dataclass
class DayFigures:
    """One day's counts."""

    day: date
    conversations: int = 0
    messages: int = 0
    crisis: int = 0
    emergency: int = 0
    fallback: int = 0
    bot: int = 0


@dataclass(frozen=True)
class CorrectionShare:
    """Of the patient turns a topic answered in the period, how many staff corrected."""

    topic: str
    answered: int
    corrected: int

    @property
    def share(self) -> float:
        return self.corrected / self.answered if self.answered else 0.0


@dataclass
class Dashboard:
    """Everything the dashboard shows for a date range."""

    first: date
    last: date
    days: List[DayFigures] = field(default_factory=list)
    top_topics: List[Tuple[str, int]] = field(default_factory=list)
    helpfulness: List[Tuple[str, int, int]] = field(default_factory=list)
    channels: List[Tuple[str, int]] = field(default_factory=list)
    corrected: List[CorrectionShare] = field(default_factory=list)
    corrected_to: List[Tuple[str, int]] = field(default_factory=list)
    not_helpful: int = 0

    def total(self, name: str) -> int:
        """The period's sum of one of :class:`DayFigures`' counts."""
        return sum(getattr(day, name) for day in self.days)

    @property
    def conversations(self) -> int:
        return self.total("conversations")

    @property
    def messages(self) -> int:
        return self.total("messages")

    @property
    def crisis(self) -> int:
        return self.total("crisis")

    @property
    def emergency(self) -> int:
        return self.total("emergency")

    @property
    def fallback_rate(self) -> float:
        """Share of bot replies that were the fallback or a clarification."""
        bot = self.total("bot")
        return self.total("fallback") / bot if bot else 0.0


def _as_int(flag: sa.Column) -> sa.sql.ColumnElement:
    return sa.case((flag == sa.true(), 1), else_=0)


def _bucket(connection: Connection) -> sa.sql.ColumnElement:
    """The 15-minute bucket of ``started_at`` (floor; SQLite's CAST truncates, which is floor for positives)."""
    scaled = conversations.c.started_at / BUCKET_SECONDS
    if connection.dialect.name == "sqlite":
        return sa.cast(scaled, sa.Integer)
    return sa.cast(sa.func.floor(scaled), sa.BigInteger)


def build(connection: Connection, first: date, last: date, clinic: ClinicTime = UTC) -> Dashboard:
    """The dashboard for ``first``..``last`` (inclusive, the clinic's days)."""
    c = conversations.c
    start, end = clinic.day_start(first), clinic.day_end(last)
    bucket = _bucket(connection)
    per_bucket = connection.execute(
        sa.select(
            bucket, sa.func.count(), sa.func.sum(c.n_user + c.n_bot), sa.func.sum(_as_int(c.flag_crisis)),
            sa.func.sum(_as_int(c.flag_emergency)), sa.func.sum(c.n_fallback), sa.func.sum(c.n_bot),
        ).where(c.started_at >= start, c.started_at < end).group_by(bucket)
    ).all()
    days: Dict[date, DayFigures] = {first + timedelta(days=n): DayFigures(first + timedelta(days=n))
                                    for n in range((last - first).days + 1)}
    for row in per_bucket:
        figures = days.get(clinic.today(int(row[0]) * BUCKET_SECONDS))
        if figures is None:
            continue
        values = [int(value or 0) for value in row[1:]]
        for name, value in zip(("conversations", "messages", "crisis", "emergency", "fallback", "bot"), values,
                               strict=True):
            setattr(figures, name, getattr(figures, name) + value)
    dashboard = Dashboard(first, last, days=list(days.values()))
    _topics(connection, dashboard, start, end)
    dashboard.channels = [
        (row[0], int(row[1])) for row in connection.execute(
            sa.select(c.channel, sa.func.count()).where(c.started_at >= start, c.started_at < end)
            .group_by(c.channel).order_by(sa.func.count().desc())
        )
    ]
    dashboard.not_helpful = int(connection.execute(
        sa.select(sa.func.count()).where(c.started_at >= start, c.started_at < end, c.flag_not_helpful == sa.true())
    ).scalar() or 0)
    _corrections(connection, dashboard, start, end)
    return dashboard


def _topics(connection: Connection, dashboard: Dashboard, start: float, end: float) -> None:
    t = conversation_topics.c
    in_range = (t.started_at >= start) & (t.started_at < end)
    served = sa.func.sum(t.served)
    dashboard.top_topics = [
        (row[0], int(row[1] or 0)) for row in connection.execute(
            sa.select(t.content_id, served).where(in_range).group_by(t.content_id)
            .order_by(served.desc(), t.content_id).limit(TOP_TOPICS)
        ) if row[1]
    ]
    helpful, not_helpful = sa.func.sum(t.helpful), sa.func.sum(t.not_helpful)
    dashboard.helpfulness = [
        (row[0], int(row[1] or 0), int(row[2] or 0)) for row in connection.execute(
            sa.select(t.content_id, helpful, not_helpful).where(in_range).group_by(t.content_id)
            .having(helpful + not_helpful > 0).order_by((helpful + not_helpful).desc(), t.content_id)
        )
    ]


def _corrections(connection: Connection, dashboard: Dashboard, start: float, end: float) -> None:
    """Share of corrected turns by the topic that answered them, and the topics staff said should have."""
    t, k, c = conversation_topics.c, corrections.c, conversations.c
    answered = dict(connection.execute(
        sa.select(t.content_id, sa.func.sum(t.served)).where(t.started_at >= start, t.started_at < end)
        .group_by(t.content_id)
    ).all())
    in_period = sa.select(c.id).where(c.started_at >= start, c.started_at < end)
    corrected = dict(connection.execute(
        sa.select(k.served, sa.func.count()).where(k.conversation_id.in_(in_period), k.served.isnot(None))
        .group_by(k.served)
    ).all())
    dashboard.corrected = sorted(
        (CorrectionShare(topic, int(answered.get(topic) or 0), int(count)) for topic, count in corrected.items()),
        key=lambda item: (-item.corrected, item.topic),
    )
    dashboard.corrected_to = [(row[0], int(row[1])) for row in connection.execute(
        sa.select(k.topic, sa.func.count()).where(k.conversation_id.in_(in_period)).group_by(k.topic)
        .order_by(sa.func.count().desc(), k.topic)
    )]
