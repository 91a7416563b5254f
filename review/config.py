"""The review app's settings, read from the environment and checked at start-up.

A bad value stops start-up with a :class:`ConfigError` naming the variable.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from review.dates import LOCALES
from stores.callbacks import CallbackConfigError, callback_db_url, callback_key

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DEFAULT_TRACKER_DB_URL = "sqlite:///var/tracker.db"
DEFAULT_REVIEW_DB_URL = "sqlite:///var/review.db"
SECRET_KEY_FILE = VAR / "review-secret-key"
SUPPORTED_DIALECTS = ("sqlite", "postgresql")
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")
HOST = re.compile(r"[A-Za-z0-9.:\-]{1,253}")
DEFAULT_HEALTH_URL = "http://127.0.0.1:5005/webhooks/health/"


class ConfigError(ValueError):
    """A setting has a bad value; the message names the environment variable."""


@dataclass(frozen=True)
class Settings:
    """Everything the app and the CLI need to know.

    Attributes:
        tracker_db_url: Rasa's SQL tracker store (read-only for the web app).
        review_db_url: the app's own tables (users, sessions, summaries, review work, audit).
        secret_key: signs nothing secret-bearing, but Flask requires one; also keys CSRF tokens.
        host: interface to listen on.
        port: TCP port to listen on.
        cookie_secure: mark the session cookie ``Secure`` (HTTPS only); on in production.
        idle_minutes: a session ends after this long without a request.
        absolute_hours: a session ends this long after log-in, whatever happens.
        max_failed_logins: failed log-ins in a row that lock an account.
        lockout_minutes: how long a locked account stays locked.
        page_size: conversations per list page.
        export_limit: most conversations in one export.
        proxy_hops: reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust.
        audit_retention_days: ``review purge`` deletes audit rows older than this.
        assistant_health_url: the Rasa server's health check (None: not checked).
        time_zone: the clinic's IANA time zone; times are shown in it and days are its days.
        locale: how the clinic writes dates (a key of ``review.dates.LOCALES``).
        content_dir: the content store, for topic titles.
        callback_key: the Fernet key of the call-back requests (``CALLBACK_KEY``).

    """

    tracker_db_url: URL
    review_db_url: URL
    secret_key: str
    host: str = "127.0.0.1"
    port: int = 8090
    cookie_secure: bool = False
    idle_minutes: int = 30
    absolute_hours: int = 12
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    page_size: int = 50
    export_limit: int = 10_000
    proxy_hops: int = 0
    audit_retention_days: int = 730
    assistant_health_url: Optional[str] = None
    time_zone: str = "Europe/London"
    locale: str = "en-GB"
    content_dir: Path = ROOT / "content"
    callback_key: Optional[bytes] = None


def database_url(name: str, value: str) -> URL:
    """Parse an SQLAlchemy URL; SQLite paths are made absolute against the repository root."""
    try:
        url = make_url(value)
    except ArgumentError as error:
        raise ConfigError(f"{name}: not a database URL ({value!r}): {error}") from None
    if url.get_backend_name() not in SUPPORTED_DIALECTS:
        raise ConfigError(f"{name}: unsupported database {url.get_backend_name()!r} (use sqlite or postgresql)")
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ConfigError(f"{name}: an SQLite URL needs a file path, e.g. sqlite:///var/review.db")
        path = Path(url.database)
        url = url.set(database=str(path if path.is_absolute() else ROOT / path))
    return url


def integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """An integer setting within ``low``..``high``."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}: {value} is outside {low}..{high}")
    return value


def boolean(env: Mapping[str, str], name: str, default: bool) -> bool:
    """A yes/no setting."""
    raw = env.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}: expected one of {', '.join(TRUE_WORDS + FALSE_WORDS[:-1])}, got {raw!r}")


def secret_key(env: Mapping[str, str], key_file: Path = SECRET_KEY_FILE) -> str:
    """``REVIEW_SECRET_KEY``, else a key generated once into ``var/review-secret-key``."""
    raw = env.get("REVIEW_SECRET_KEY")
    if raw is not None:
        if len(raw) < 32:
            raise ConfigError("REVIEW_SECRET_KEY: use at least 32 random characters")
        return raw
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    key = key_file.read_text().strip()
    if len(key) < 32:
        raise ConfigError(f"REVIEW_SECRET_KEY: {key_file} holds fewer than 32 characters; delete it to regenerate")
    return key


def host(env: Mapping[str, str]) -> str:
    """``REVIEW_HOST``: an interface name or address, no spaces or scheme."""
    value = env.get("REVIEW_HOST", "127.0.0.1").strip()
    if not HOST.fullmatch(value):
        raise ConfigError(f"REVIEW_HOST: expected a host name or address such as 127.0.0.1, got {value!r}")
    return value


def health_url(env: Mapping[str, str]) -> Optional[str]:
    """``REVIEW_ASSISTANT_HEALTH_URL``: an http(s) URL, or ``off`` (None)."""
    raw = env.get("REVIEW_ASSISTANT_HEALTH_URL")
    value = DEFAULT_HEALTH_URL if raw is None or not raw.strip() else raw.strip()
    if value.lower() == "off":
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(char.isspace() for char in value):
        raise ConfigError(f"REVIEW_ASSISTANT_HEALTH_URL: expected an http(s) URL such as {DEFAULT_HEALTH_URL}, "
                          f"or off; got {value!r}")
    return value


def time_zone(env: Mapping[str, str]) -> str:
    """``REVIEW_TIME_ZONE``: an IANA time zone name."""
    value = (env.get("REVIEW_TIME_ZONE") or "Europe/London").strip()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"REVIEW_TIME_ZONE: not a time zone name such as Europe/London: {value!r}") from None
    return value


def locale(env: Mapping[str, str]) -> str:
    """``REVIEW_LOCALE``: how dates are written."""
    value = (env.get("REVIEW_LOCALE") or "en-GB").strip()
    if value not in LOCALES:
        raise ConfigError(f"REVIEW_LOCALE: use one of {', '.join(LOCALES)}; got {value!r}")
    return value


def content_dir(env: Mapping[str, str]) -> Path:
    """``REVIEW_CONTENT_DIR``: the content store folder (for topic titles)."""
    path = Path(env.get("REVIEW_CONTENT_DIR") or "content")
    path = path if path.is_absolute() else ROOT / path
    if not (path / "answers.yml").is_file():
        raise ConfigError(f"REVIEW_CONTENT_DIR: {path} has no answers.yml")
    return path


def callbacks(env: Mapping[str, str], review_db_url: URL) -> bytes:
    """The call-back key; the call-back store must be the review database (``CALLBACK_DB_URL`` unset or equal)."""
    try:
        if env.get("CALLBACK_DB_URL") and callback_db_url(env) != review_db_url:
            raise ConfigError("CALLBACK_DB_URL: the review app reads call-back requests from its own database; "
                              "set it to the same URL as REVIEW_DB_URL, or leave it unset")
        return callback_key(env)
    except CallbackConfigError as error:
        raise ConfigError(str(error)) from None


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check every setting; raises :class:`ConfigError` naming the bad variable."""
    env = os.environ if env is None else env
    review_db_url = database_url("REVIEW_DB_URL", env.get("REVIEW_DB_URL") or DEFAULT_REVIEW_DB_URL)
    return Settings(
        tracker_db_url=database_url(
            "REVIEW_TRACKER_DB_URL", env.get("REVIEW_TRACKER_DB_URL") or DEFAULT_TRACKER_DB_URL
        ),
        review_db_url=review_db_url,
        secret_key=secret_key(env),
        host=host(env),
        port=integer(env, "REVIEW_PORT", 8090, 1, 65535),
        cookie_secure=boolean(env, "REVIEW_COOKIE_SECURE", False),
        idle_minutes=integer(env, "REVIEW_IDLE_MINUTES", 30, 1, 24 * 60),
        absolute_hours=integer(env, "REVIEW_ABSOLUTE_HOURS", 12, 1, 7 * 24),
        max_failed_logins=integer(env, "REVIEW_MAX_FAILED_LOGINS", 5, 1, 100),
        lockout_minutes=integer(env, "REVIEW_LOCKOUT_MINUTES", 15, 1, 24 * 60),
        export_limit=integer(env, "REVIEW_EXPORT_LIMIT", 10_000, 1, 1_000_000),
        proxy_hops=integer(env, "REVIEW_PROXY_HOPS", 0, 0, 5),
        audit_retention_days=integer(env, "REVIEW_AUDIT_RETENTION_DAYS", 730, 30, 3650),
        assistant_health_url=health_url(env),
        time_zone=time_zone(env),
        locale=locale(env),
        content_dir=content_dir(env),
        callback_key=callbacks(env, review_db_url),
    )
