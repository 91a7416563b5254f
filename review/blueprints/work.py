"""Review work on one conversation: one form saves reviewed, content gap, tags and a note together."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, flash, redirect, request, url_for

from review import review_work
from review.blueprints.auth import safe_local_path
from review.blueprints.conversations import render_transcript
from review.web import audit_user_action, login_required, state, username

blueprint = Blueprint("work", __name__)


def after_review(conversation_id: int, anchor: str = "") -> Response:
    """Back to the transcript, keeping where its "back" link leads."""
    back = safe_local_path(request.form.get("back"), "")
    query = urlencode({"back": back}) if back.startswith("/conversations") or back == "/" else ""
    target = url_for("conversations.transcript", conversation_id=conversation_id)
    return redirect(target + (f"?{query}" if query else "") + anchor)


def existing(conversation_id: int) -> Any:
    """The conversation's summary row (404 if there is none)."""
    row = review_work.conversation(state().review, conversation_id)
    if row is None:
        abort(404)
    return row


@blueprint.post("/conversations/<id:conversation_id>/review")
@login_required
def save_review(conversation_id: int) -> Any:
    """Save reviewed, content gap, the tags and a new note; on an error nothing is saved and the form comes back."""
    row = existing(conversation_id)
    form = {"reviewed": request.form.get("reviewed") == "1", "content_gap": request.form.get("content_gap") == "1",
            "tags": request.form.get("tags", "")[:2000], "note": request.form.get("note", "")[:20_000]}
    try:
        review = review_work.ReviewInput.parse(form["reviewed"], form["content_gap"], form["tags"], form["note"])
    except review_work.ReviewError as error:
        return render_transcript(row, form=form, errors=[f"{error}. Nothing was saved."], status=400)
    changes = review_work.save_review(state().review, conversation_id, review, username(), state().clock)
    state().forget_options()
    audit_user_action("review_saved", changes)
    flash("Review saved.", "info")
    return after_review(conversation_id)
