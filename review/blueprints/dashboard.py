"""The dashboard: figures and charts for a period of the clinic's days; its counts link to the lists."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from review import dashboard as figures_for
from review.blueprints.conversations import refresh
from review.charts import HALF_WIDTH, day_bars, helpfulness_bars, horizontal_bars
from review.dashboard import MIN_VOTES
from review.dates import DateError
from review.web import login_required, state

blueprint = Blueprint("dashboard", __name__)


def list_links(first: Any, last: Any) -> Dict[str, str]:
    """The conversation list behind each figure, for the period."""
    base = [("from", first.isoformat()), ("to", last.isoformat())]

    def link(*pairs: tuple) -> str:
        return url_for("conversations.conversation_list") + "?" + urlencode([*base, *pairs])

    return {"conversations": link(), "crisis": link(("flag", "crisis")), "emergency": link(("flag", "emergency")),
            "fallback": link(("flag", "low_confidence")), "not_helpful": link(("flag", "not_helpful"))}


@blueprint.get("/dashboard")
@login_required
def dashboard() -> Any:
    """Figures and charts for a period."""
    refresh()
    current = state()
    clinic, titles = current.clinic, current.titles
    today = clinic.today(current.clock())
    errors = []
    try:
        last = clinic.parse_day(request.args.get("to")) or today
        first = clinic.parse_day(request.args.get("from")) or last - timedelta(days=29)
    except DateError as error:
        errors.append(f"Dates: {error}")
        last, first = today, today - timedelta(days=29)
    if first > last or (last - first).days > 366:
        errors.append("Dates: choose a range of at most a year, 'From' before 'To'")
        last, first = today, today - timedelta(days=29)
    with current.review.connect() as connection:
        figures = figures_for.build(connection, first, last, clinic)
    days = [clinic.day(d.day) for d in figures.days]
    charts = {
        "per_day": day_bars(list(zip(days, [d.conversations for d in figures.days], strict=True)),
                            "Conversations per day"),
        "messages": day_bars(list(zip(days, [d.messages for d in figures.days], strict=True)), "Messages per day",
                             css="bar alt"),
        "safety": day_bars(list(zip(days, [d.crisis + d.emergency for d in figures.days], strict=True)),
                           "Crisis and emergency conversations per day", css="bar bad", height=180, width=HALF_WIDTH),
        "fallback": day_bars(list(zip(days, [round(100 * d.fallback / d.bot, 1) if d.bot else 0
                                             for d in figures.days], strict=True)),
                             "Fallback rate per day (%)", css="bar warn", height=180, width=HALF_WIDTH),
        "topics": horizontal_bars([(titles(topic), count) for topic, count in figures.top_topics],
                                  "Top topics served"),
        "helpfulness": helpfulness_bars([(titles(topic), good, bad) for topic, good, bad in figures.helpfulness],
                                        "Helpfulness by topic", MIN_VOTES),
    }
    return render_template("dashboard.html", figures=figures, charts=charts, errors=errors,
                           links=list_links(first, last), min_votes=MIN_VOTES), 400 if errors else 200
