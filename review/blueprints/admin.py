"""Admin pages: the audit log, staff accounts and retention."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for

from review import audit, auth
from review.db import tracker_engine
from review.purge import PurgeError, purge
from review.schema import ROLES
from review.sessions import end_sessions_of
from review.web import admin_required, audit_user_action, client_ip, state, username

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PAGE = 100


@blueprint.get("/audit")
@admin_required
def audit_log() -> Any:
    """The audit log, newest first, filtered by action or user."""
    action = request.args.get("action", "")
    action = action if action in audit.ACTIONS else ""
    who = request.args.get("user", "")[:64]
    try:
        number = max(1, min(int(request.args.get("page", "1")), 10_000))
    except ValueError:
        number = 1
    rows = audit.entries(state().review, action or None, who or None, AUDIT_PAGE + 1, (number - 1) * AUDIT_PAGE)
    base = [(name, value) for name, value in (("action", action), ("user", who)) if value]
    return render_template(
        "audit.html", rows=rows[:AUDIT_PAGE], action=action, who=who, actions=audit.ACTIONS, number=number,
        has_next=len(rows) > AUDIT_PAGE,
        page_link=lambda n: url_for("admin.audit_log") + "?" + urlencode([*base, ("page", str(n))]),
    )


@blueprint.route("/users", methods=["GET", "POST"])
@admin_required
def users() -> Any:
    """The staff accounts; POST adds one."""
    current = state()
    status = 200
    if request.method == "POST":
        name, role = request.form.get("username", ""), request.form.get("role", "")
        password = request.form.get("password", "")
        try:
            if password != request.form.get("password_again", ""):
                raise auth.UserError("password: the two passwords differ")
            created = auth.create_user(current.review, name, password, role, current.clock)
        except auth.UserError as error:
            flash(str(error), "error")
            status = 400
        else:
            audit_user_action("user_created", {"user": created.username, "role": created.role})
            flash(f"Account {created.username} ({created.role}) created.", "info")
            return redirect(url_for("admin.users"))
    return render_template("users.html", accounts=auth.list_users(current.review), roles=ROLES,
                           now=current.clock()), status


@blueprint.post("/users/<id:user_id>/<any(unlock, disable, enable):change>")
@admin_required
def change_user(user_id: int, change: str) -> Response:
    """Unlock, disable or enable an account."""
    current = state()
    account = auth.get_user(current.review, user_id)
    if account is None:
        abort(404)
    if change == "unlock":
        auth.unlock(current.review, user_id)
    elif change == "disable":
        if account.id == g.user.id:
            flash("You cannot disable your own account.", "error")
            return redirect(url_for("admin.users"))
        auth.set_disabled(current.review, user_id, True)
        end_sessions_of(current.review, user_id)
    else:
        auth.set_disabled(current.review, user_id, False)
    action = {"unlock": "user_unlocked", "disable": "user_disabled", "enable": "user_enabled"}[change]
    audit_user_action(action, {"user": account.username})
    return redirect(url_for("admin.users"))


@blueprint.route("/retention", methods=["GET", "POST"])
@admin_required
def retention() -> Any:
    """Delete old conversations (after a confirmation tick)."""
    current = state()
    result, status = None, 200
    if request.method == "POST":
        if request.form.get("confirm") != "1":
            flash("Tick the box to confirm the deletion.", "error")
            status = 400
        else:
            writable = tracker_engine(current.settings.tracker_db_url, writable=True)
            try:
                result = purge(writable, current.tracker, current.review, request.form.get("older_than", ""),
                               username(), client_ip(), current.clock, pseudonym=current.pseudonym,
                               audit_days=current.settings.audit_retention_days)
            except PurgeError as error:
                flash(str(error), "error")
                status = 400
            finally:
                writable.dispose()
    return render_template("retention.html", result=result), status
