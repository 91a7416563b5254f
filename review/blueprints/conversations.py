"""The conversation list, a transcript (with its review panel), and exports of the filtered list."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, g, render_template, request, stream_with_context, url_for
from werkzeug.datastructures import MultiDict

from review import corrections, export, review_work
from review.blueprints.auth import safe_local_path
from review.callback_links import callbacks_of_sender
from review.queries import Filters, fetch_page, flags_of_row, options
from review.sync import sync_for_request
from review.transcript import turns
from review.web import audit_user_action, login_required, state

blueprint = Blueprint("conversations", __name__)


def refresh() -> None:
    """Bring the summaries up to date with Rasa's events (bounded; skipped if another request is syncing)."""
    current = state()
    if current.sync_on_request:
        result = sync_for_request(current.tracker, current.review)
        g.tracker_problem = result.tracker_problem if result else None


def list_path() -> str:
    """The conversation list's own path (the default place to go back to)."""
    return url_for("conversations.conversation_list")


def transcript_link(row: Any, back: str = "") -> str:
    """A conversation's transcript, opened at its flagged message when it has one."""
    query = f"?{urlencode({'back': back})}" if back else ""
    anchor = f"#turn-{row.flagged_event_id}" if getattr(row, "flagged_event_id", None) else ""
    return url_for("conversations.transcript", conversation_id=row.id) + query + anchor


@blueprint.get("/conversations")
@login_required
def conversation_list() -> Any:
    """The filtered, paged conversation list."""
    refresh()
    current = state()
    filters, errors = Filters.parse(request.args, current.clinic)
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number, errors = 1, [*errors, "Page: expected a number"]
    with current.review.connect() as connection:
        page = fetch_page(connection, filters, number, current.settings.page_size)
        choices = current.cached_options(lambda: options(connection))
    base = filters.args()
    return render_template(
        "conversations.html", page=page, filters=filters, errors=errors, choices=choices,
        flags_of_row=flags_of_row, query=urlencode(base), base=base, link=transcript_link,
        page_link=lambda n: list_path() + "?" + urlencode([*base, ("page", str(n))]),
    ), 400 if errors else 200


def back_to_list(value: Any) -> str:
    """Where "back" goes: the list (or the start page) with its filters, if ``value`` is such a path on this site."""
    back = safe_local_path(value, list_path())
    return back if back.startswith("/conversations") or back == "/" else list_path()


def render_transcript(row: Any, form: Optional[Dict[str, Any]] = None, errors: Optional[List[str]] = None,
                      status: int = 200) -> Any:
    """The transcript page; ``form`` holds review-form values to show again after an error."""
    current = state()
    with current.review.connect() as connection:
        tag_names = review_work.tags_of(connection, row.id)
        choices = current.cached_options(lambda: options(connection))
    form = form or {"reviewed": bool(row.reviewed), "content_gap": bool(row.content_gap),
                    "tags": ", ".join(tag_names), "note": ""}
    return render_template(
        "transcript.html", row=row, turns=turns(review_work.events_of(current.tracker, row)),
        flags=flags_of_row(row), tags=tag_names, notes=review_work.notes_of(current.review, row.id),
        back=back_to_list(request.values.get("back")), choices=choices, sender=current.pseudonym(row.sender_id),
        form=form, errors=errors or [], corrected=corrections.of_conversation(current.review, row.id),
        correction_choices=current.titles.correction_choices(),
        callbacks=callbacks_of_sender(current.callbacks, row), sees_contacts=g.user.sees_contacts,
    ), status


@blueprint.get("/conversations/<id:conversation_id>")
@login_required
def transcript(conversation_id: int) -> Any:
    """One conversation, turn by turn, with the review panel (the view is audited)."""
    refresh()
    current = state()
    row = review_work.conversation(current.review, conversation_id)
    if row is None:
        abort(404)
    audit_user_action("view_transcript", {"conversation_id": row.id, "sender": current.pseudonym(row.sender_id)})
    return render_transcript(row)


@blueprint.post("/export")
@login_required
def export_conversations() -> Any:
    """The filtered conversations as CSV or JSON Lines (masked, audited)."""
    refresh()
    current = state()
    kind = request.form.get("format", "")
    if kind not in export.FORMATS:
        abort(400)
    filters, errors = Filters.parse(MultiDict(request.form), current.clinic)
    if errors:
        return render_template("error.html", code=400, title="Export not made", message="; ".join(errors)), 400
    rows = export.matching(current.review, filters, current.settings.export_limit)
    audit_user_action("export", {
        "format": kind, "filters": filters.describe(), "conversations": len(rows),
        "senders": sorted({current.pseudonym(row.sender_id) for row in rows})[:1000],
    })
    stamp = datetime.fromtimestamp(current.clock(), tz=timezone.utc).strftime("%Y%m%d-%H%M%S")
    make = export.csv_lines if kind == "csv" else export.jsonl
    body = export.marked_if_incomplete(make(current.tracker, rows, current.pseudonym), kind)
    return Response(stream_with_context(body), mimetype=export.FORMATS[kind].split(";")[0], headers={
        "Content-Disposition": f'attachment; filename="conversations-{stamp}.{kind}"',
        "Content-Type": export.FORMATS[kind],
    })
