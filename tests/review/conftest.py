"""Fixtures for the review app: real tracker stores written by the real Rasa, on SQLite and PostgreSQL.

Once per session, the real action server and two real Rasa servers (one with the
SQL tracker store on SQLite, one on PostgreSQL) receive the scripted
conversations of ``helpers.SCRIPT``. Every test that takes ``backend`` runs once
per database; the review app's own tables are emptied before each test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, Optional

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import URL, Engine

from review import auth
from review.config import database_url
from review.db import review_engine, tracker_engine
from review.schema import metadata, users
from review.web import create_app
from stores.callbacks import callbacks
from tests.e2e.servers import launch_rasa_server, start_action_server, wait_for, write_endpoints
from tests.review.helpers import (
    ADMIN_PASSWORD,
    PASSWORD,
    Clock,
    PostgresDatabases,
    postgres_endpoints,
    send_script,
    settings_for,
)
from tests.services import postgres_url

BACKENDS = ("sqlite", "postgresql")


def postgres_or_none() -> Optional[str]:
    """The PostgreSQL URL, or None when it is missing (the postgresql tests then skip or fail on their own)."""
    try:
        return postgres_url()
    except (pytest.skip.Exception, pytest.fail.Exception):
        return None


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[Optional[PostgresDatabases]]:
    """Creates test databases on PostgreSQL (None when it is not available); drops them at the end."""
    server = postgres_or_none()
    if server is None:
        yield None
        return
    databases = PostgresDatabases(server)
    try:
        yield databases
    finally:
        databases.drop_all()


@pytest.fixture(scope="session")
def real_trackers(tmp_path_factory: pytest.TempPathFactory, postgres_databases) -> Dict[str, URL]:
    """Tracker stores written by the real Rasa server: ``{"sqlite": url, "postgresql": url}``."""
    workdir = tmp_path_factory.mktemp("review-rasa")
    urls: Dict[str, URL] = {"sqlite": database_url("sqlite", f"sqlite:///{workdir / 'tracker.db'}")}
    actions = start_action_server(workdir)
    servers = []
    try:
        servers.append(launch_rasa_server(workdir, write_endpoints(workdir, actions.port, workdir / "tracker.db")))
        if postgres_databases is not None:
            urls["postgresql"] = postgres_databases.create("review_tracker")
            servers.append(launch_rasa_server(workdir, postgres_endpoints(workdir, actions.port, urls["postgresql"])))
        for server in servers:
            wait_for(f"{server.url}/", server.process, server.log)
        for server in servers:
            send_script(server)
    finally:
        for server in servers:
            server.stop()
        actions.stop()
    return urls


@dataclass
class Backend:
    """One database kind: the real tracker store (read-only for the app) and the app's own database."""

    name: str
    tracker_url: URL
    review_url: URL
    tracker: Engine
    review: Engine

    def new_database(self, prefix: str, tmp_path: Path, databases: Optional[PostgresDatabases]) -> URL:
        """An empty database of this kind (for seeded trackers)."""
        if self.name == "sqlite":
            return database_url("sqlite", f"sqlite:///{tmp_path / f'{prefix}.db'}")
        assert databases is not None
        return databases.create(prefix)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request, real_trackers, postgres_databases, tmp_path_factory) -> Iterator[Backend]:
    """Each backend in turn (PostgreSQL skips, or fails with REQUIRE_SERVICES=1, when it is missing)."""
    if request.param == "postgresql":
        postgres_url()
        review_url = postgres_databases.create("review_app")
    else:
        review_url = database_url("sqlite", f"sqlite:///{tmp_path_factory.mktemp('review-app') / 'review.db'}")
    tracker_url = real_trackers[request.param]
    result = Backend(request.param, tracker_url, review_url, tracker_engine(tracker_url), review_engine(review_url))
    yield result
    result.tracker.dispose()
    result.review.dispose()


@pytest.fixture(scope="session")
def backend_accounts(backend: Backend) -> Dict[str, auth.User]:
    """A reviewer ``rita`` and an admin ``adam``, created once per backend (argon2 is slow on purpose)."""
    with backend.review.begin() as connection:
        connection.execute(sa.delete(users))
    return {
        "reviewer": auth.create_user(backend.review, "rita", PASSWORD, "reviewer"),
        "admin": auth.create_user(backend.review, "adam", ADMIN_PASSWORD, "admin"),
    }


@pytest.fixture
def review_db(backend: Backend, backend_accounts) -> Engine:
    """The app's database emptied (call-back requests too), except the two accounts, which are reset."""
    keep = [user.id for user in backend_accounts.values()]
    with backend.review.begin() as connection:
        connection.execute(sa.delete(callbacks))
        for table in reversed(metadata.sorted_tables):
            if table is users:
                connection.execute(sa.delete(users).where(users.c.id.notin_(keep)))
                connection.execute(sa.update(users).values(failed_logins=0, locked_until=None, disabled=False,
                                                           last_login_at=None))
            else:
                connection.execute(sa.delete(table))
    return backend.review


@pytest.fixture
def accounts(review_db: Engine, backend_accounts) -> Dict[str, auth.User]:
    """The reviewer and the admin, reset for this test."""
    return backend_accounts


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(backend: Backend, review_db: Engine, clock: Clock) -> Flask:
    """The review app on this backend's databases."""
    settings = settings_for(backend.tracker_url, backend.review_url)
    return create_app(settings, review=review_db, tracker=backend.tracker, clock=clock)


@pytest.fixture
def client(app: Flask, accounts) -> FlaskClient:
    return app.test_client()

