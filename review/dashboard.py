"""Figures for the dashboard, from the app's summary tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import List, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from review.queries import day_start
from review.schema import conversation_topics, conversations
from review.summary import SECONDS_PER_DAY

TOP_TOPICS = 12
EPOCH = date(1970, 1, 1)


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


@dataclass
class Dashboard:
    """Everything the dashboard shows for a date range."""

    first: date
    last: date
    days: List[DayFigures] = field(default_factory=list)
    top_topics: List[Tuple[str, int]] = field(default_factory=list)
    helpfulness: List[Tuple[str, int, int]] = field(default_factory=list)
    channels: List[Tuple[str, int]] = field(default_factory=list)

    @property
    def conversations(self) -> int:
        return sum(day.conversations for day in self.days)

    @property
    def messages(self) -> int:
        return sum(day.messages for day in self.days)

    @property
    def crisis(self) -> int:
        return sum(day.crisis for day in self.days)

    @property
    def emergency(self) -> int:
        return sum(day.emergency for day in self.days)

    @property
    def fallback_rate(self) -> float:
        """Share of bot replies that were the fallback or a clarification."""
        bot = sum(day.bot for day in self.days)
        return sum(day.fallback for day in self.days) / bot if bot else 0.0


def _as_int(flag: sa.Column) -> sa.sql.ColumnElement:
    return sa.case((flag == sa.true(), 1), else_=0)


def build(connection: Connection, first: date, last: date) -> Dashboard:
    """The dashboard for ``first``..``last`` (inclusive, UTC days)."""
    c = conversations.c
    first_day, last_day = (first - EPOCH).days, (last - EPOCH).days
    per_day = connection.execute(
        sa.select(
            c.day, sa.func.count(), sa.func.sum(c.n_user + c.n_bot), sa.func.sum(_as_int(c.flag_crisis)),
            sa.func.sum(_as_int(c.flag_emergency)), sa.func.sum(c.n_fallback), sa.func.sum(c.n_bot),
        ).where(c.day.between(first_day, last_day)).group_by(c.day)
    ).all()
    found = {row[0]: row for row in per_day}
    dashboard = Dashboard(first, last)
    for offset in range(last_day - first_day + 1):
        row = found.get(first_day + offset)
        figures = DayFigures(first + timedelta(days=offset))
        if row is not None:
            values = [int(value or 0) for value in row[1:]]
            figures.conversations, figures.messages, figures.crisis, figures.emergency = values[:4]
            figures.fallback, figures.bot = values[4:]
        dashboard.days.append(figures)
    start, end = day_start(first), day_start(last) + SECONDS_PER_DAY
    t = conversation_topics.c
    in_range = t.started_at.between(start, end)
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
    dashboard.channels = [
        (row[0], int(row[1])) for row in connection.execute(
            sa.select(c.channel, sa.func.count()).where(c.day.between(first_day, last_day)).group_by(c.channel)
            .order_by(sa.func.count().desc())
        )
    ]
    return dashboard

