"""The command line, run as a real process: add-user, users, sync, purge, configuration errors."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa

from review.config import database_url
from review.db import review_engine, tracker_engine
from review.schema import audit, users
from scripts.review_tools.seed import seed
from tests.conftest import ROOT


@pytest.fixture
def env(tmp_path) -> dict:
    tracker = tmp_path / "tracker.db"
    seed(tracker_engine(database_url("t", f"sqlite:///{tracker}"), writable=True), 20, 200, days=150, seed_value=5)
    return {"PATH": "/usr/bin:/bin", "REVIEW_TRACKER_DB_URL": f"sqlite:///{tracker}",
            "REVIEW_DB_URL": f"sqlite:///{tmp_path / 'review.db'}", "REVIEW_SECRET_KEY": "c" * 40,
            "CALLBACK_KEY": "0Z6K2dV4vJ8p8t0cE4wG1bq9m3r5x7y9A1b3C5d7E9g=",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def review(env: dict, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "review", *args], input=stdin, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_add_user_hashes_the_password_and_audits(env, tmp_path) -> None:
    result = review(env, "add-user", "carol", "--role", "admin", "--password-stdin", stdin="a very long secret\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "created admin carol"
    engine = review_engine(database_url("r", env["REVIEW_DB_URL"]))
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.username == "carol")).one()
        entry = connection.execute(sa.select(audit).where(audit.c.action == "user_created")).one()
    assert row.role == "admin" and row.password_hash.startswith("$argon2id$")
    assert "a very long secret" not in row.password_hash
    assert entry.username.startswith("cli") and '"user": "carol"' in entry.detail
    listing = review(env, "users")
    assert listing.stdout.strip() == "carol\tadmin\tactive"


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("add-user", "dave", "--role", "reviewer", "--password-stdin"), "short\n", "at least 12 characters"),
    (("add-user", "bad name!", "--role", "reviewer", "--password-stdin"), "a very long secret\n", "user name"),
])
def test_add_user_refuses_bad_input(env, args, stdin, message) -> None:
    result = review(env, *args, stdin=stdin)
    assert result.returncode == 1 and message in result.stderr


def test_unknown_role_is_an_argument_error(env) -> None:
    result = review(env, "add-user", "dave", "--role", "superuser", "--password-stdin", stdin="x" * 20)
    assert result.returncode == 2 and "invalid choice: 'superuser'" in result.stderr


def test_sync_and_purge(env) -> None:
    synced = review(env, "sync")
    assert synced.returncode == 0 and synced.stdout.startswith("read ") and "wrote 20 conversation summaries" in \
        synced.stdout
    purged = review(env, "purge", "--older-than", "90d")
    assert purged.returncode == 0, purged.stderr
    assert purged.stdout.startswith("deleted ") and "conversations" in purged.stdout
    assert "audit rows older than 730 days" in purged.stdout
    bad = review(env, "purge", "--older-than", "ninety")
    assert bad.returncode == 1 and "--older-than: expected" in bad.stderr


def test_pseudonym_prints_what_the_app_shows_for_a_sender(env) -> None:
    from review.pseudonyms import Pseudonyms

    result = review(env, "pseudonym", "jo@example.com")
    assert result.returncode == 0 and result.stdout.strip() == Pseudonyms(env["REVIEW_SECRET_KEY"])("jo@example.com")


def test_configuration_error_names_the_variable(env) -> None:
    result = review({**env, "REVIEW_PORT": "http"}, "serve")
    assert result.returncode == 2
    assert "configuration error: REVIEW_PORT: expected a whole number" in result.stderr
