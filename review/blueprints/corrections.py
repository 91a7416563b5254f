"""Corrections: staff say which topic should have answered a patient's message; the list and its export."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from flask import Blueprint, Response, abort, flash, render_template, request

from review import corrections as store
from review import review_work
from review.blueprints.work import after_review, existing
from review.transcript import Turn, turns
from review.web import audit_user_action, login_required, state, username

blueprint = Blueprint("corrections", __name__)

PAGE = 100


def export_header(exported_at: float) -> str:
    """The comment at the top of an export."""
    current = state()
    return (f"Corrections from the staff review app, exported {current.clinic.when(exported_at)} "
            f"({current.clinic.zone_name}).\n"
            "Patient messages (masked) that staff said should have been answered by the topic named in `intent`.\n"
            "Review every example before adding it to the NLU data (data/nlu/<intent>.yml); do not add masked "
            "placeholders as they are.")


def patient_turn(conversation_id: int, event_id: Optional[int]) -> Turn:
    """The patient turn ``event_id`` of the conversation (404 when it is not one)."""
    row = existing(conversation_id)
    found = next((turn for turn in turns(review_work.events_of(state().tracker, row))
                  if turn.kind == "user" and turn.event_id == event_id), None)
    if found is None:
        abort(404)
    return found


@blueprint.post("/conversations/<id:conversation_id>/corrections")
@login_required
def save(conversation_id: int) -> Any:
    """Store the topic that should have answered one patient turn ("" takes a correction back)."""
    try:
        event_id = int(request.form.get("event_id", ""))
    except ValueError:
        abort(400)
    turn = patient_turn(conversation_id, event_id)
    topic = request.form.get("topic", "")
    current = state()
    if not topic:
        if store.remove(current.review, conversation_id, event_id):
            audit_user_action("correction_removed", {"conversation_id": conversation_id, "event_id": event_id})
        return after_review(conversation_id, f"#turn-{event_id}")
    if not current.titles.correctable(topic):
        flash("Correction: choose one of the listed topics, or “No content yet”.", "error")
        return after_review(conversation_id, f"#turn-{event_id}")
    store.save(current.review, conversation_id, event_id, turn.text, turn.intent, turn.served, topic, username(),
               current.clock)
    audit_user_action("correction_saved", {"conversation_id": conversation_id, "event_id": event_id,
                                           "topic": topic, "served": turn.served})
    flash(f"Correction saved: “{current.titles(topic)}”.", "info")
    return after_review(conversation_id, f"#turn-{event_id}")


@blueprint.get("/corrections")
@login_required
def listing() -> Any:
    """Every correction, newest first."""
    current = state()
    try:
        number = max(1, min(int(request.args.get("page", "1")), 10_000))
    except ValueError:
        number = 1
    items = store.newest(current.review, PAGE + 1, (number - 1) * PAGE)
    with current.review.connect() as connection:
        total = store.count(connection)
    return render_template("corrections.html", items=items[:PAGE], total=total, number=number,
                           has_next=len(items) > PAGE)


@blueprint.post("/corrections/export")
@login_required
def export() -> Response:
    """Every correction as Rasa NLU training YAML (masked text), for a developer to review (audited)."""
    current = state()
    items = store.everything(current.review)
    now = current.clock()
    audit_user_action("corrections_exported", {"corrections": len(items)})
    stamp = datetime.fromtimestamp(now, tz=timezone.utc).strftime("%Y%m%d-%H%M%S")
    return Response(store.nlu_yaml(items, export_header(now)), mimetype="application/yaml", headers={
        "Content-Disposition": f'attachment; filename="corrections-{stamp}.yml"',
        "Content-Type": "application/yaml; charset=utf-8",
    })
