"""The Flask app: configuration, security headers, sessions, CSRF, log-in checks and error pages."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

from flask import Flask, abort, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.engine import Engine
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from review import audit, auth
from review.config import ConfigError, Settings
from review.dates import ClinicTime
from review.db import review_engine, tracker_engine
from review.health import AssistantHealth
from review.pseudonyms import Pseudonyms
from review.schema import FLAG_LABELS, FLAGS
from review.sessions import DatabaseSessionInterface
from review.wording import CHANNEL_NAMES, Titles, channel_name, content_store
from stores.callbacks import CallbackStore

logger = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
OPTIONS_TTL_SECONDS = 60.0
MAX_ID = 2**31 - 1  # the largest id either database's INTEGER columns hold


class IdConverter(IntegerConverter):
    """``<id:name>`` in a route: a whole number from 1 to ``MAX_ID``; anything else is a 404, never an overflow."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


@dataclass
class AppState:
    """What every request needs: settings, both databases and the clock."""

    settings: Settings
    review: Engine
    tracker: Engine
    clock: Callable[[], float] = time.time
    sync_on_request: bool = True
    _options: Tuple[float, Dict[str, Sequence[str]]] = field(default=(0.0, {}))
    pseudonym: Pseudonyms = field(init=False)
    health: AssistantHealth = field(init=False)
    clinic: ClinicTime = field(init=False)
    titles: Titles = field(init=False)
    callbacks: CallbackStore = field(init=False)

    def __post_init__(self) -> None:
        settings = self.settings
        self.pseudonym = Pseudonyms(settings.secret_key)
        self.health = AssistantHealth(settings.assistant_health_url, self.clock)
        self.clinic = ClinicTime.named(settings.time_zone, settings.locale)
        self.titles = Titles(content_store(settings.content_dir))
        if settings.callback_key is None:
            raise ConfigError("CALLBACK_KEY: not set (load the settings with review.config.load_settings)")
        self.callbacks = CallbackStore(self.review, settings.callback_key, create=False)

    def cached_options(self, load: Callable[[], Dict[str, Sequence[str]]]) -> Dict[str, Sequence[str]]:
        """Filter drop-down values, re-read at most once a minute."""
        loaded_at, values = self._options
        if not values or self.clock() - loaded_at > OPTIONS_TTL_SECONDS:
            values = load()
            self._options = (self.clock(), values)
        return values

    def forget_options(self) -> None:
        """Re-read the drop-down values on the next request (a tag was added)."""
        self._options = (0.0, {})


def state() -> AppState:
    """The running app's :class:`AppState`."""
    from flask import current_app

    return current_app.extensions["review"]


def client_ip() -> str:
    """The client's address (the proxy's, unless ``REVIEW_PROXY_HOPS`` says how many to trust)."""
    return (request.remote_addr or "-")[:64]


def username() -> str:
    """The logged-in user's name (for the audit log)."""
    return g.user.username if getattr(g, "user", None) else "-"


def audit_user_action(action: str, detail: Optional[Dict[str, Any]] = None) -> None:
    """Write what the logged-in user just did to the audit log (their name, address, the app's clock)."""
    current = state()
    audit.record(current.review, username(), client_ip(), action, detail, at=current.clock())


def login_required(view: Callable) -> Callable:
    """Send anonymous visitors to the log-in page, then back."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            target = request.full_path if request.method == "GET" else request.path
            return redirect(url_for("auth.login", next=target.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def contacts_required(view: Callable) -> Callable:
    """Logged in with a role that sees patients' contact details (403 otherwise)."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not g.user.sees_contacts:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable) -> Callable:
    """Logged in, and an admin (403 otherwise)."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not g.user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def create_app(
    settings: Settings, review: Optional[Engine] = None, tracker: Optional[Engine] = None,
    clock: Callable[[], float] = time.time, sync_on_request: bool = True,
) -> Flask:
    """Build the app; the engines default to the ones ``settings`` name (tracker read-only)."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        WTF_CSRF_TIME_LIMIT=settings.absolute_hours * 3600,
        MAX_CONTENT_LENGTH=64 * 1024,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.extensions["review"] = AppState(
        settings, review or review_engine(settings.review_db_url), tracker or tracker_engine(settings.tracker_db_url),
        clock, sync_on_request,
    )
    current = app.extensions["review"]
    app.session_interface = DatabaseSessionInterface(
        current.review, settings.idle_minutes * 60, settings.absolute_hours * 3600, settings.cookie_secure, clock
    )
    CSRFProtect(app)
    if settings.proxy_hops:
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.jinja_env.filters.update(when=current.clinic.when, day=current.clinic.day, zone=current.clinic.abbreviation,
                                 channel_name=channel_name, topic_title=current.titles)
    app.jinja_env.globals.update(FLAG_LABELS=FLAG_LABELS, FLAGS=FLAGS, CHANNEL_NAMES=CHANNEL_NAMES,
                                 clinic=current.clinic)
    app.url_map.converters["id"] = IdConverter
    _install_hooks(app)
    from review.blueprints import register_blueprints

    register_blueprints(app)
    return app


def has_nul(values: Any) -> bool:
    """Whether any key or value of a request MultiDict contains a NUL character."""
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def _install_hooks(app: Flask) -> None:
    @app.before_request
    def refuse_nul() -> None:
        """No field of any form or query holds NUL (PostgreSQL cannot store it, nobody types it): 400."""
        if has_nul(request.args) or (request.method == "POST" and has_nul(request.form)):
            abort(400)

    @app.before_request
    def load_user() -> None:
        g.user = None
        user_id = session.get("user_id")
        if user_id is None:
            return
        user = auth.get_user(state().review, int(user_id))
        if user is None or user.disabled:
            session.end()  # type: ignore[attr-defined]
            return
        g.user = user

    @app.after_request
    def security_headers(response: Any) -> Any:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Tuple[str, int]:
        return render_template("error.html", code=400, title="Form expired or not sent from this site",
                               message="Go back, reload the page and try again."), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Tuple[str, int]:
        code = error.code or 500
        titles = {403: "Not allowed", 404: "Not found", 405: "Not allowed here", 413: "Request too large"}
        return render_template("error.html", code=code, title=titles.get(code, error.name),
                               message="Your role does not give access to this page." if code == 403 else ""), code

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Tuple[str, int]:
        logger.exception("unexpected error on %s %s", request.method, request.path)
        return render_template("error.html", code=500, title="Something went wrong",
                               message="The error was logged. Try again, or tell the administrator."), 500
