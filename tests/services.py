"""External services the tests need: PostgreSQL and Redis on 127.0.0.1.

``postgres_url()`` and ``redis_url()`` return the service's URL when it answers.
When it does not, the test is skipped with a reason naming the service, or fails
when ``REQUIRE_SERVICES=1`` (CI sets it): there, a missing service is an error.
``TEST_POSTGRES_URL`` and ``TEST_REDIS_URL`` point the tests at other servers.

``create_database()`` / ``drop_database()`` / ``temporary_database()`` give a test
its own uniquely named PostgreSQL database, so suites running at the same time
never share tables.
"""

from __future__ import annotations

import os
import socket
from contextlib import contextmanager
from typing import Iterator

import pytest

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres:root@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def services_required() -> bool:
    """True when a missing service must fail the run (``REQUIRE_SERVICES=1``)."""
    return os.environ.get("REQUIRE_SERVICES", "") not in ("", "0", "false", "no")


def missing(service: str, reason: str) -> None:
    """Fail (``REQUIRE_SERVICES=1``) or skip, saying which service is missing and why."""
    message = f"{service} is not available: {reason}"
    if services_required():
        pytest.fail(f"{message} (REQUIRE_SERVICES=1 makes this a failure)", pytrace=False)
    pytest.skip(f"{message} (set REQUIRE_SERVICES=1 to fail instead)")


def _port_open(host: str, port: int) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=2):
            return None
    except OSError as error:
        return f"nothing listens on {host}:{port} ({error})"


def postgres_url() -> str:
    """The test PostgreSQL server's URL (database ``test``, user ``postgres``)."""
    try:
        import psycopg2
    except ImportError as error:  # pragma: no cover - psycopg2-binary is pinned
        missing("PostgreSQL", f"psycopg2 cannot be imported ({error})")
    try:
        psycopg2.connect(POSTGRES_URL, connect_timeout=3).close()
    except psycopg2.Error as error:
        missing("PostgreSQL", f"cannot connect to {POSTGRES_URL}: {str(error).strip()}")
    return POSTGRES_URL


def redis_url() -> str:
    """The test Redis server's URL."""
    from urllib.parse import urlsplit

    parts = urlsplit(REDIS_URL)
    problem = _port_open(parts.hostname or "127.0.0.1", parts.port or 6379)
    if problem:
        missing("Redis", problem)
    return REDIS_URL


def redis_available() -> str:
    """Like :func:`redis_url`, but also checks that Redis answers PING."""
    import redis

    url = redis_url()
    try:
        redis.Redis.from_url(url, socket_timeout=3).ping()
    except redis.RedisError as error:
        missing("Redis", f"{url} does not answer PING ({error})")
    return url


def database_url(url: str, database: str) -> str:
    """``url`` with its database name replaced by ``database``."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _admin_connection(url: str):
    import psycopg2

    connection = psycopg2.connect(url, connect_timeout=5)
    connection.autocommit = True
    return connection


def create_database(prefix: str = "test", url: str | None = None) -> str:
    """Create a new, uniquely named PostgreSQL database and return its URL.

    ``url`` is the server to use (default: :func:`postgres_url`); drop it with
    :func:`drop_database`.
    """
    import uuid

    url = url or postgres_url()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    connection = _admin_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
    return database_url(url, name)


def drop_database(url: str) -> None:
    """Drop the database created by :func:`create_database` (closing its connections)."""
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    connection = _admin_connection(database_url(url, "postgres"))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        connection.close()


@contextmanager
def temporary_database(prefix: str = "test", url: str | None = None) -> Iterator[str]:
    """A fresh PostgreSQL database (its URL), dropped afterwards."""
    created = create_database(prefix, url)
    try:
        yield created
    finally:
        drop_database(created)
