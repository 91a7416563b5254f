"""The start page: what needs attention, most urgent first.

1. Crisis and emergency conversations not reviewed yet, oldest first.
2. Call-back requests not handled yet (status ``new``), oldest first.
3. "Not helpful" and low-confidence conversations not reviewed yet, oldest first.

A conversation leaves these lists when it is marked reviewed; a call-back request
when it is marked called or closed. Each list links to the full list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List
from urllib.parse import urlencode

from flask import Blueprint, render_template, url_for

from review.blueprints.conversations import refresh, transcript_link
from review.callback_links import conversation_ids
from review.queries import Filters, fetch_page, flags_of_row
from review.web import login_required, state

blueprint = Blueprint("triage", __name__)

SHOWN = 20
URGENT = Filters(flags=("crisis", "emergency"), status="unreviewed", order="oldest")
UNHELPED = Filters(flags=("not_helpful", "low_confidence"), status="unreviewed", order="oldest")


@dataclass
class Queue:
    """One list on the start page."""

    key: str
    title: str
    rows: List[Any]
    total: int
    capped: bool
    link: str


def conversation_queue(connection: Any, key: str, title: str, filters: Filters) -> Queue:
    """The oldest conversations matching ``filters``, with the total and a link to all of them."""
    page = fetch_page(connection, filters, 1, SHOWN)
    link = url_for("conversations.conversation_list") + "?" + urlencode(filters.args())
    return Queue(key, title, page.rows, page.total, page.capped, link)


@blueprint.get("/")
@login_required
def home() -> Any:
    """What needs attention: crisis and emergency first, then call-backs, then unhelped patients."""
    refresh()
    current = state()
    with current.review.connect() as connection:
        urgent = conversation_queue(connection, "urgent", "Crisis and emergency, not reviewed", URGENT)
        unhelped = conversation_queue(connection, "unhelped", "“Not helpful” or not understood, not reviewed",
                                      UNHELPED)
    waiting = current.callbacks.list("new", limit=SHOWN)
    return render_template(
        "attention.html", urgent=urgent, unhelped=unhelped, callbacks=waiting,
        callbacks_total=current.callbacks.count("new"),
        callback_conversations=conversation_ids(current.review, waiting),
        flags_of_row=flags_of_row, link=transcript_link,
    )
