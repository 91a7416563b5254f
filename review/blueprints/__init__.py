"""The app's pages as Flask blueprints, one per concern.

:mod:`.auth` (log-in, log-out), :mod:`.conversations` (list, transcript, export),
:mod:`.work` (review work on a conversation), :mod:`.dashboard`, :mod:`.admin`
(audit log, users, retention).
"""

from __future__ import annotations

from flask import Flask, g

from review.web import state


def register_blueprints(app: Flask) -> None:
    """Add every blueprint (and the template globals they share) to ``app``."""
    from review.blueprints import admin, auth, conversations, dashboard, work

    @app.context_processor
    def globals_for_templates() -> dict:
        user = g.get("user")
        health = state().health.current() if user is not None else None
        return {"user": user, "tracker_problem": g.get("tracker_problem"), "assistant_health": health}

    for module in (auth, conversations, work, dashboard, admin):
        app.register_blueprint(module.blueprint)
