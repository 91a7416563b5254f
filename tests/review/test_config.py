"""Settings from the environment: defaults, and a clear stop naming the variable for bad values."""

from __future__ import annotations

import stat

import pytest

from review.config import ROOT, ConfigError, load_settings, secret_key

KEY = {"REVIEW_SECRET_KEY": "k" * 40, "CALLBACK_KEY": "0Z6K2dV4vJ8p8t0cE4wG1bq9m3r5x7y9A1b3C5d7E9g="}


def test_defaults() -> None:
    settings = load_settings(dict(KEY))
    assert settings.tracker_db_url.database == str(ROOT / "var" / "tracker.db")
    assert settings.review_db_url.database == str(ROOT / "var" / "review.db")
    assert (settings.host, settings.port, settings.cookie_secure) == ("127.0.0.1", 8090, False)
    assert (settings.idle_minutes, settings.max_failed_logins, settings.lockout_minutes) == (30, 5, 15)
    assert settings.audit_retention_days == 730
    assert (settings.time_zone, settings.locale, settings.content_dir) == ("Europe/London", "en-GB", ROOT / "content")
    assert settings.callback_key == KEY["CALLBACK_KEY"].encode()
    assert settings.assistant_health_url == "http://127.0.0.1:5005/webhooks/health/"


def test_the_call_back_store_may_be_named_when_it_is_the_review_database() -> None:
    same = load_settings({**KEY, "REVIEW_DB_URL": "sqlite:///var/r.db", "CALLBACK_DB_URL": "sqlite:///var/r.db"})
    assert same.review_db_url.database == str(ROOT / "var" / "r.db")


def test_the_clinic_zone_and_locale_can_be_set() -> None:
    settings = load_settings({**KEY, "REVIEW_TIME_ZONE": "America/New_York", "REVIEW_LOCALE": "en-US"})
    assert (settings.time_zone, settings.locale) == ("America/New_York", "en-US")


def test_the_health_check_can_be_turned_off_or_moved() -> None:
    assert load_settings({**KEY, "REVIEW_ASSISTANT_HEALTH_URL": "off"}).assistant_health_url is None
    moved = load_settings({**KEY, "REVIEW_ASSISTANT_HEALTH_URL": "https://rasa:5005/webhooks/health/"})
    assert moved.assistant_health_url == "https://rasa:5005/webhooks/health/"


def test_values_from_the_environment() -> None:
    settings = load_settings({**KEY, "REVIEW_TRACKER_DB_URL": "postgresql://rasa:pw@db:5432/rasa",
                              "REVIEW_DB_URL": "sqlite:////srv/review.db", "REVIEW_PORT": "9000",
                              "REVIEW_HOST": "0.0.0.0", "REVIEW_COOKIE_SECURE": "yes"})
    assert settings.tracker_db_url.get_backend_name() == "postgresql" and settings.tracker_db_url.host == "db"
    assert settings.review_db_url.database == "/srv/review.db"
    assert (settings.host, settings.port, settings.cookie_secure) == ("0.0.0.0", 9000, True)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("REVIEW_TRACKER_DB_URL", "not a url", "not a database URL"),
    ("REVIEW_TRACKER_DB_URL", "mysql://x/y", "unsupported database 'mysql'"),
    ("REVIEW_DB_URL", "sqlite://", "needs a file path"),
    ("REVIEW_PORT", "eighty", "expected a whole number"),
    ("REVIEW_PORT", "70000", "outside 1..65535"),
    ("REVIEW_HOST", "http://x", "expected a host name"),
    ("REVIEW_COOKIE_SECURE", "maybe", "expected one of"),
    ("REVIEW_SECRET_KEY", "short", "at least 32"),
    ("REVIEW_IDLE_MINUTES", "0", "outside"),
    ("REVIEW_AUDIT_RETENTION_DAYS", "7", "outside 30..3650"),
    ("REVIEW_AUDIT_RETENTION_DAYS", "forever", "expected a whole number"),
    ("REVIEW_ASSISTANT_HEALTH_URL", "127.0.0.1:5005", "expected an http(s) URL"),
    ("REVIEW_ASSISTANT_HEALTH_URL", "ftp://rasa/health", "expected an http(s) URL"),
    ("REVIEW_ASSISTANT_HEALTH_URL", "http://", "expected an http(s) URL"),
    ("REVIEW_TIME_ZONE", "Mars/Olympus", "not a time zone name"),
    ("REVIEW_TIME_ZONE", "../../etc/passwd", "not a time zone name"),
    ("REVIEW_LOCALE", "fr-FR", "use one of en-GB"),
    ("REVIEW_CONTENT_DIR", "/nonexistent", "has no answers.yml"),
    ("CALLBACK_KEY", "not-a-key", "expected a Fernet key"),
    ("CALLBACK_DB_URL", "sqlite:///var/elsewhere.db", "the review app reads call-back requests from its own database"),
])
def test_bad_values_name_the_variable(name, value, message) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({**KEY, name: value})
    assert str(error.value).startswith(f"{name}: ") and message in str(error.value)


def test_secret_key_is_generated_once_and_private(tmp_path) -> None:
    key_file = tmp_path / "var" / "review-secret-key"
    first = secret_key({}, key_file)
    assert len(first) >= 32 and secret_key({}, key_file) == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
