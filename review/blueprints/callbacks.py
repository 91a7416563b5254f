"""The call-back queue: requests patients made, from ``new`` to ``called`` to ``closed``.

Everyone logged in sees the queue (when, channel, status, the conversation). Names,
numbers and preferred times are shown only to clinicians and admins
(``review.schema.CONTACT_ROLES``), on one request's page, and every view of that
page is audited (``callback_viewed``), as is every status change.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from review.callback_links import conversation_ids
from review.web import audit_user_action, contacts_required, login_required, state, username
from stores.callbacks import STATUSES, CallbackError

blueprint = Blueprint("callbacks", __name__, url_prefix="/callbacks")

SHOWN = 200


@blueprint.get("")
@login_required
def queue() -> Any:
    """Requests with one status (``new`` by default, oldest first), or all of them."""
    current = state()
    status = request.args.get("status", "new")
    if status not in (*STATUSES, "all"):
        status = "new"
    records = current.callbacks.list(None if status == "all" else status, limit=SHOWN)
    counts = {name: current.callbacks.count(name) for name in STATUSES}
    return render_template("callbacks.html", records=records, status=status, counts=counts,
                           linked=conversation_ids(current.review, records))


@blueprint.get("/<id:callback_id>")
@contacts_required
def detail(callback_id: int) -> Any:
    """One request with the patient's name and number (clinicians and admins; every view audited)."""
    current = state()
    record = current.callbacks.get(callback_id)
    if record is None:
        abort(404)
    audit_user_action("callback_viewed", {"callback_id": record.id, "sender": current.pseudonym(record.sender_id)})
    return render_template("callback.html", record=record, linked=conversation_ids(current.review, [record]),
                           sender=current.pseudonym(record.sender_id))


@blueprint.post("/<id:callback_id>/status")
@contacts_required
def change_status(callback_id: int) -> Any:
    """Move a request on: ``new`` -> ``called`` -> ``closed`` (who and when are recorded)."""
    current = state()
    record = current.callbacks.get(callback_id)
    if record is None:
        abort(404)
    status = request.form.get("status", "")
    try:
        current.callbacks.set_status(callback_id, status, username(), current.clock())
    except CallbackError as error:
        flash(f"Not changed: {error}.", "error")
        return redirect(url_for("callbacks.detail", callback_id=callback_id)), 303
    audit_user_action("callback_status", {"callback_id": callback_id, "from": record.status, "to": status})
    flash(f"Call-back request {callback_id} is now {status}.", "info")
    return redirect(url_for("callbacks.detail", callback_id=callback_id))
