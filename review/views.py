"""The pages: log-in, conversation list, transcript, review work, export, dashboard, admin."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, Optional
from urllib.parse import urlencode

from flask import (
    Flask,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from werkzeug.datastructures import MultiDict

from review import audit, auth, export, review_work
from review import dashboard as dashboard_figures
from review.charts import HALF_WIDTH, day_bars, helpfulness_bars, horizontal_bars
from review.purge import PurgeError, purge
from review.queries import Filters, fetch_page, flags_of_row, options
from review.schema import ROLES
from review.sessions import end_sessions_of
from review.summary import turns
from review.sync import sync_for_request
from review.web import admin_required, audit_user_action, client_ip, login_required, state, username

AUDIT_PAGE = 100
LOGIN_FAILED = (
    "Log-in failed: wrong user name or password, or the account is locked after repeated failures "
    "(it unlocks after {minutes} minutes, or an admin can unlock it)."
)


def safe_local_path(target: Optional[str], default: str) -> str:
    """``target`` if it is a path on this site (no scheme, host or protocol-relative ``//``), else ``default``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or any(
        char in target for char in "\r\n\\"
    ):
        return default
    return target


def refresh() -> None:
    """Bring the summaries up to date with Rasa's events (bounded; skipped if another request is syncing)."""
    current = state()
    if current.sync_on_request:
        result = sync_for_request(current.tracker, current.review)
        g.tracker_problem = result.tracker_problem if result else None


def register(app: Flask) -> None:
    """Add every route to ``app``."""

    @app.context_processor
    def globals_for_templates() -> dict:
        return {"user": g.get("user"), "tracker_problem": g.get("tracker_problem")}

    @app.get("/")
    @login_required
    def home() -> Response:
        return redirect(url_for("conversation_list"))

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        target = safe_local_path(request.values.get("next"), url_for("conversation_list"))
        if request.method == "GET":
            if g.user is not None:
                return redirect(target)
            expired = getattr(session, "expired", False)
            return render_template("login.html", next=target, expired=expired)
        current = state()
        name = request.form.get("username", "")
        result = auth.authenticate(
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

    @app.post("/logout")
    @login_required
    def logout() -> Response:
        audit_user_action("logout")
        session.end()  # type: ignore[attr-defined]
        return redirect(url_for("login"))

    @app.get("/conversations")
    @login_required
    def conversation_list() -> Any:
        refresh()
        current = state()
        filters, errors = Filters.parse(request.args)
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
            flags_of_row=flags_of_row, query=urlencode(base), base=base,
            page_link=lambda n: url_for("conversation_list") + "?" + urlencode([*base, ("page", str(n))]),
        ), 400 if errors else 200

    @app.get("/conversations/<int:conversation_id>")
    @login_required
    def transcript(conversation_id: int) -> Any:
        refresh()
        current = state()
        row = review_work.conversation(current.review, conversation_id)
        if row is None:
            abort(404)
        audit_user_action("view_transcript", {"conversation_id": row.id, "sender_id": row.sender_id})
        back = safe_local_path(request.args.get("back"), url_for("conversation_list"))
        if not back.startswith("/conversations"):
            back = url_for("conversation_list")
        with current.review.connect() as connection:
            tag_names = review_work.tags_of(connection, row.id)
            choices = current.cached_options(lambda: options(connection))
        return render_template(
            "transcript.html", row=row, turns=turns(review_work.events_of(current.tracker, row)),
            flags=flags_of_row(row), tags=tag_names, notes=review_work.notes_of(current.review, row.id),
            back=back, choices=choices,
        )

    def after_review(conversation_id: int) -> Response:
        back = safe_local_path(request.form.get("back"), "")
        query = urlencode({"back": back}) if back.startswith("/conversations") else ""
        return redirect(url_for("transcript", conversation_id=conversation_id) + (f"?{query}" if query else ""))

    def existing(conversation_id: int) -> Any:
        row = review_work.conversation(state().review, conversation_id)
        if row is None:
            abort(404)
        return row

    @app.post("/conversations/<int:conversation_id>/tags")
    @login_required
    def add_tag(conversation_id: int) -> Response:
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

    @app.post("/conversations/<int:conversation_id>/tags/remove")
    @login_required
    def remove_tag(conversation_id: int) -> Response:
        existing(conversation_id)
        tag = request.form.get("tag", "")[:40]
        review_work.remove_tag(state().review, conversation_id, tag)
        state().forget_options()
        audit_user_action("tag_removed", {"conversation_id": conversation_id, "tag": tag})
        return after_review(conversation_id)

    @app.post("/conversations/<int:conversation_id>/notes")
    @login_required
    def add_note(conversation_id: int) -> Response:
        existing(conversation_id)
        try:
            review_work.add_note(state().review, conversation_id, request.form.get("text", ""), username(),
                                 state().clock)
        except review_work.ReviewError as error:
            flash(str(error), "error")
        else:
            audit_user_action("note_added", {"conversation_id": conversation_id})
        return after_review(conversation_id)

    @app.post("/conversations/<int:conversation_id>/status")
    @login_required
    def set_status(conversation_id: int) -> Response:
        existing(conversation_id)
        reviewed, gap = request.form.get("reviewed") == "1", request.form.get("content_gap") == "1"
        review_work.set_status(state().review, conversation_id, reviewed, gap, username(), state().clock)
        audit_user_action("review_status",
                          {"conversation_id": conversation_id, "reviewed": reviewed, "content_gap": gap})
        flash("Review status saved.", "info")
        return after_review(conversation_id)

    @app.post("/export")
    @login_required
    def export_conversations() -> Any:
        refresh()
        current = state()
        kind = request.form.get("format", "")
        if kind not in export.FORMATS:
            abort(400)
        filters, errors = Filters.parse(MultiDict(request.form))
        if errors:
            return render_template("error.html", code=400, title="Export not made", message="; ".join(errors)), 400
        rows = export.matching(current.review, filters, current.settings.export_limit)
        audit_user_action("export", {
            "format": kind, "filters": filters.describe(), "conversations": len(rows),
            "sender_ids": sorted({row.sender_id for row in rows})[:1000],
        })
        stamp = datetime.fromtimestamp(current.clock(), tz=timezone.utc).strftime("%Y%m%d-%H%M%S")
        body = export.csv_lines(current.tracker, rows) if kind == "csv" else export.jsonl(current.tracker, rows)
        return Response(stream_with_context(body), mimetype=export.FORMATS[kind].split(";")[0], headers={
            "Content-Disposition": f'attachment; filename="conversations-{stamp}.{kind}"',
            "Content-Type": export.FORMATS[kind],
        })

    @app.get("/dashboard")
    @login_required
    def dashboard() -> Any:
        refresh()
        current = state()
        today = datetime.fromtimestamp(current.clock(), tz=timezone.utc).date()
        errors = []
        try:
            last = date.fromisoformat(request.args.get("to") or today.isoformat())
            first = date.fromisoformat(request.args.get("from") or (last - timedelta(days=29)).isoformat())
        except ValueError:
            errors.append("Dates: expected dates like 2025-01-31")
            last, first = today, today - timedelta(days=29)
        if first > last or (last - first).days > 366:
            errors.append("Dates: choose a range of at most a year, 'From' before 'To'")
            last, first = today, today - timedelta(days=29)
        with current.review.connect() as connection:
            figures = dashboard_figures.build(connection, first, last)
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

    @app.get("/admin/audit")
    @admin_required
    def audit_log() -> Any:
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
            page_link=lambda n: url_for("audit_log") + "?" + urlencode([*base, ("page", str(n))]),
        )

    @app.route("/admin/users", methods=["GET", "POST"])
    @admin_required
    def users() -> Any:
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
                return redirect(url_for("users"))
        return render_template("users.html", accounts=auth.list_users(current.review), roles=ROLES,
                               now=current.clock()), status

    @app.post("/admin/users/<int:user_id>/<any(unlock, disable, enable):change>")
    @admin_required
    def change_user(user_id: int, change: str) -> Response:
        current = state()
        account = auth.get_user(current.review, user_id)
        if account is None:
            abort(404)
        if change == "unlock":
            auth.unlock(current.review, user_id)
        elif change == "disable":
            if account.id == g.user.id:
                flash("You cannot disable your own account.", "error")
                return redirect(url_for("users"))
            auth.set_disabled(current.review, user_id, True)
            end_sessions_of(current.review, user_id)
        else:
            auth.set_disabled(current.review, user_id, False)
        action = {"unlock": "user_unlocked", "disable": "user_disabled", "enable": "user_enabled"}[change]
        audit_user_action(action, {"user": account.username})
        return redirect(url_for("users"))

    @app.route("/admin/retention", methods=["GET", "POST"])
    @admin_required
    def retention() -> Any:
        current = state()
        result, status = None, 200
        if request.method == "POST":
            if request.form.get("confirm") != "1":
                flash("Tick the box to confirm the deletion.", "error")
                status = 400
            else:
                from review.db import tracker_engine

                writable = tracker_engine(current.settings.tracker_db_url, writable=True)
                try:
                    result = purge(writable, current.tracker, current.review, request.form.get("older_than", ""),
                                   username(), client_ip(), current.clock)
                except PurgeError as error:
                    flash(str(error), "error")
                    status = 400
                finally:
                    writable.dispose()
        return render_template("retention.html", result=result), status
