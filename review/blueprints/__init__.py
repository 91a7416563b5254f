"""The app's pages as Flask blueprints, one per concern.

:mod:`.auth` (log-in, log-out), :mod:`.triage` (the start page: what needs
attention), :mod:`.conversations` (list, transcript, export), :mod:`.work` (review
work on a conversation), :mod:`.corrections`, :mod:`.callbacks` (the call-back
queue), :mod:`.dashboard`, :mod:`.admin` (audit log, users, retention).
"""

from __future__ import annotations

from flask import Flask, g

from review.web import state


def register_blueprints(app: Flask) -> None:
    """Add every blueprint (and the template globals they share) to ``app``."""
    from review.blueprints import admin, auth, callbacks, conversations, corrections, dashboard, triage, work

    @app.context_processor
    def globals_for_templates() -> dict:
        user = g.get("user")
        health = state().health.current() if user is not None else None
        return {"user": user, "tracker_problem": g.get("tracker_problem"), "assistant_health": health,
                "now_zone": state().clinic.abbreviation(state().clock())}

    for module in (auth, triage, conversations, work, corrections, callbacks, dashboard, admin):
        app.register_blueprint(module.blueprint)
