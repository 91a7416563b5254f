"""Review work on one conversation: tags, notes, reviewed status and the content-gap marker."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, flash, redirect, request, url_for

from review import review_work
from review.blueprints.auth import safe_local_path
from review.web import audit_user_action, login_required, state, username

blueprint = Blueprint("work", __name__)


def after_review(conversation_id: int) -> Response:
    """Back to the transcript, keeping where its "back" link leads."""
    back = safe_local_path(request.form.get("back"), "")
    query = urlencode({"back": back}) if back.startswith("/conversations") else ""
    target = url_for("conversations.transcript", conversation_id=conversation_id)
    return redirect(target + (f"?{query}" if query else ""))


def existing(conversation_id: int) -> Any:
    """The conversation's summary row (404 if there is none)."""
    row = review_work.conversation(state().review, conversation_id)
    if row is None:
        abort(404)
    return row


@blueprint.post("/conversations/<id:conversation_id>/tags")
@login_required
def add_tag(conversation_id: int) -> Response:
    """Tag the conversation."""
    existing(conversation_id)
    try:
        tag = review_work.add_tag(state().review, conversation_id, request.form.get("tag", ""), username(),
                                  state().clock)
    except review_work.ReviewError as error:
        flash(str(error), "error")
    else:
        state().forget_options()
        audit_user_action("tag_added", {"conversation_id": conversation_id, "tag": tag})
    return after_review(conversation_id)


@blueprint.post("/conversations/<id:conversation_id>/tags/remove")
@login_required
def remove_tag(conversation_id: int) -> Response:
    """Remove a tag."""
    existing(conversation_id)
    tag = request.form.get("tag", "")[:40]
    review_work.remove_tag(state().review, conversation_id, tag)
    state().forget_options()
    audit_user_action("tag_removed", {"conversation_id": conversation_id, "tag": tag})
    return after_review(conversation_id)


@blueprint.post("/conversations/<id:conversation_id>/notes")
@login_required
def add_note(conversation_id: int) -> Response:
    """Add a note."""
    existing(conversation_id)
    try:
        review_work.add_note(state().review, conversation_id, request.form.get("text", ""), username(),
                             state().clock)
    except review_work.ReviewError as error:
        flash(str(error), "error")
    else:
        audit_user_action("note_added", {"conversation_id": conversation_id})
    return after_review(conversation_id)


@blueprint.post("/conversations/<id:conversation_id>/status")
@login_required
def set_status(conversation_id: int) -> Response:
    """Mark reviewed / content gap."""
    existing(conversation_id)
    reviewed, gap = request.form.get("reviewed") == "1", request.form.get("content_gap") == "1"
    review_work.set_status(state().review, conversation_id, reviewed, gap, username(), state().clock)
    audit_user_action("review_status", {"conversation_id": conversation_id, "reviewed": reviewed, "content_gap": gap})
    flash("Review status saved.", "info")
    return after_review(conversation_id)
