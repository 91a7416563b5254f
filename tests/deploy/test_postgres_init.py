"""deploy/postgres/init-databases.sh against the real PostgreSQL (tests/services.py).

It runs with unique role and database names, checks what the review role may do, and
drops everything it created.
"""

import os
import subprocess
import uuid
from urllib.parse import urlsplit

import psycopg2
import pytest

from tests.deploy.checks import DEPLOY
from tests.services import postgres_url

pytestmark = pytest.mark.integration  # needs a trained model, servers or a browser

SCRIPT = DEPLOY / "postgres" / "init-databases.sh"


@pytest.fixture
def initialised():
    url = urlsplit(postgres_url())
    suffix = uuid.uuid4().hex[:10]
    names = {
        "DB_USER": f"rasa_{suffix}", "DB_PASSWORD": uuid.uuid4().hex, "DB_NAME": f"rasa_{suffix}",
        "REVIEW_DB_USER": f"review_{suffix}",
        "REVIEW_DB_PASSWORD": uuid.uuid4().hex,
        "REVIEW_DB_NAME": f"review_{suffix}",
    }
    env = dict(
        os.environ, POSTGRES_USER=url.username or "postgres", PGHOST=url.hostname or "127.0.0.1",
        PGPORT=str(url.port or 5432), PGPASSWORD=url.password or "", **names,
    )
    admin = dict(host=env["PGHOST"], port=env["PGPORT"], user=env["POSTGRES_USER"], password=env["PGPASSWORD"])
    try:
        result = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        yield names, admin
    finally:
        connection = psycopg2.connect(dbname="postgres", **admin)
        connection.autocommit = True
        with connection.cursor() as cursor:
            for database in (names["DB_NAME"], names["REVIEW_DB_NAME"]):
                cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (names["DB_USER"], names["REVIEW_DB_USER"]):
                cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        connection.close()


def connect(admin, user, password, dbname):
    connection = psycopg2.connect(host=admin["host"], port=admin["port"], user=user, password=password, dbname=dbname)
    connection.autocommit = True
    return connection


def test_roles_and_databases_with_a_read_only_review_role(initialised):
    names, admin = initialised
    rasa = connect(admin, names["DB_USER"], names["DB_PASSWORD"], names["DB_NAME"])
    with rasa.cursor() as cursor:  # as Rasa's tracker store would
        cursor.execute("CREATE TABLE events (id serial PRIMARY KEY, sender_id text)")
        cursor.execute("INSERT INTO events (sender_id) VALUES ('patient-1')")
    rasa.close()

    review = connect(admin, names["REVIEW_DB_USER"], names["REVIEW_DB_PASSWORD"], names["DB_NAME"])
    with review.cursor() as cursor:
        cursor.execute("SELECT sender_id FROM events")
        assert cursor.fetchall() == [("patient-1",)]
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute("DELETE FROM events")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cursor.execute("CREATE TABLE sneaky (id int)")
    review.close()

    own = connect(admin, names["REVIEW_DB_USER"], names["REVIEW_DB_PASSWORD"], names["REVIEW_DB_NAME"])
    with own.cursor() as cursor:
        cursor.execute("CREATE TABLE review_notes (id int)")
    own.close()


def test_the_rasa_role_cannot_open_the_review_database(initialised):
    names, admin = initialised
    with pytest.raises(psycopg2.OperationalError, match="permission denied for database"):
        connect(admin, names["DB_USER"], names["DB_PASSWORD"], names["REVIEW_DB_NAME"])


def test_a_missing_password_stops_the_script():
    env = {key: value for key, value in os.environ.items() if key != "DB_PASSWORD"}
    env.update(DB_USER="x", DB_NAME="x", REVIEW_DB_USER="y", REVIEW_DB_PASSWORD="y", REVIEW_DB_NAME="y")
    result = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "DB_PASSWORD" in result.stderr
