"""Log-in and log-out."""

from __future__ import annotations

import re
from typing import Any, Optional
from urllib.parse import urlsplit

from flask import Blueprint, Response, g, redirect, render_template, request, session, url_for

from review import audit
from review import auth as accounts
from review.web import audit_user_action, client_ip, login_required, state

blueprint = Blueprint("auth", __name__)

# A path (and query) on this site: "/" then no second "/" or "\\", then URL characters only.
LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*")
MAX_TARGET = 2000

LOGIN_FAILED = (
    "Log-in failed: wrong user name or password, or the account is locked after repeated failures "
    "(it unlocks after {minutes} minutes, or an admin can unlock it)."
)


def safe_local_path(target: Optional[str], default: str) -> str:
    """``target`` if it is a relative path on this site, else ``default``.

    Only printable ASCII URL characters are accepted (no spaces, tabs, newlines,
    backslashes or other characters a browser drops or rewrites), it must start
    with one ``/`` (not ``//``, which is another site), and have no scheme or host.
    """
    if not target or len(target) > MAX_TARGET or not LOCAL_PATH.fullmatch(target):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The log-in form; on success, back to where the visitor was going."""
    target = safe_local_path(request.values.get("next"), url_for("triage.home"))
    if request.method == "GET":
        if g.user is not None:
            return redirect(target)
        expired = getattr(session, "expired", False)
        return render_template("login.html", next=target, expired=expired)
    current = state()
    name = request.form.get("username", "")
    result = accounts.authenticate(
        current.review, name, request.form.get("password", ""), client_ip(),
        current.settings.max_failed_logins, current.settings.lockout_minutes * 60, current.clock,
    )
    if result.user is None:
        action = "login_failed" if result.outcome == "invalid" else "login_locked"
        audit.record(current.review, name[:64] or "-", client_ip(), action, {"outcome": result.outcome},
                     at=current.clock())
        message = LOGIN_FAILED.format(minutes=current.settings.lockout_minutes)
        return render_template("login.html", next=target, error=message, username=name[:64]), 401
    session.clear()
    session.rotate()  # type: ignore[attr-defined]
    session["user_id"] = result.user.id
    audit.record(current.review, result.user.username, client_ip(), "login", {"role": result.user.role},
                 at=current.clock())
    return redirect(target)


@blueprint.post("/logout")
@login_required
def logout() -> Response:
    """End the session."""
    audit_user_action("logout")
    session.end()  # type: ignore[attr-defined]
    return redirect(url_for("auth.login"))
