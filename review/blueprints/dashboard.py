"""The dashboard: figures and charts for a period."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, render_template, request

from review import dashboard as figures_for
from review.blueprints.conversations import refresh
from review.charts import HALF_WIDTH, day_bars, helpfulness_bars, horizontal_bars
from review.dates import DateError, parse_day
from review.web import login_required, state

blueprint = Blueprint("dashboard", __name__)


@blueprint.get("/dashboard")
@login_required
def dashboard() -> Any:
    """Figures and charts for a period."""
    refresh()
    current = state()
    today = datetime.fromtimestamp(current.clock(), tz=timezone.utc).date()
    errors = []
    try:
        last = parse_day(request.args.get("to")) or today
        first = parse_day(request.args.get("from")) or last - timedelta(days=29)
    except DateError as error:
        errors.append(f"Dates: {error}")
        last, first = today, today - timedelta(days=29)
    if first > last or (last - first).days > 366:
        errors.append("Dates: choose a range of at most a year, 'From' before 'To'")
        last, first = today, today - timedelta(days=29)
    with current.review.connect() as connection:
        figures = figures_for.build(connection, first, last)
    charts = {
        "per_day": day_bars([(d.day.isoformat(), d.conversations) for d in figures.days], "Conversations per day"),
        "messages": day_bars([(d.day.isoformat(), d.messages) for d in figures.days], "Messages per day",
                             css="bar alt"),
        "safety": day_bars([(d.day.isoformat(), d.crisis + d.emergency) for d in figures.days],
                           "Crisis and emergency conversations per day", css="bar bad", height=180,
                           width=HALF_WIDTH),
        "fallback": day_bars([(d.day.isoformat(), round(100 * d.fallback / d.bot, 1) if d.bot else 0)
                              for d in figures.days], "Fallback rate per day (%)", css="bar warn", height=180,
                             width=HALF_WIDTH),
        "topics": horizontal_bars(figures.top_topics, "Top topics served"),
        "helpfulness": helpfulness_bars(figures.helpfulness, "Helpfulness by topic"),
    }
    return render_template("dashboard.html", figures=figures, charts=charts, errors=errors), 400 if errors else 200
