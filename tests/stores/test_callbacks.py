from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from stores.callbacks import (
    CallbackConfigError,
    CallbackError,
    CallbackRequest,
    CallbackStore,
    callback_db_url,
    callback_key,
    callbacks,
)
from tests.services import temporary_database

REQUEST = CallbackRequest("socketio", "abc123", "Jo Bloggs", "07700 900123", "weekday mornings")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.engine.Engine]:
    if request.param == "sqlite":
        yield sa.create_engine(f"sqlite:///{tmp_path / 'review.db'}", future=True)
        return
    with temporary_database("callbacks") as url:
        engine = sa.create_engine(url, future=True)
        yield engine
        engine.dispose()


def test_a_request_is_stored_encrypted_and_read_back(engine: sa.engine.Engine) -> None:
    store = CallbackStore(engine, Fernet.generate_key())
    callback_id = store.add(REQUEST, now=100.0)
    with engine.connect() as connection:
        raw = " ".join(str(value) for value in connection.execute(sa.select(callbacks)).one())
    for secret in ("Jo Bloggs", "07700 900123", "weekday mornings", "07700"):
        assert secret not in raw
    record = store.get(callback_id)
    assert record is not None
    assert (record.name, record.phone, record.preferred_time, record.status) == (
        "Jo Bloggs", "07700 900123", "weekday mornings", "new")
    assert store.count("new") == 1


def test_another_key_cannot_read_the_requests(engine: sa.engine.Engine) -> None:
    callback_id = CallbackStore(engine, Fernet.generate_key()).add(REQUEST)
    record = CallbackStore(engine, Fernet.generate_key()).get(callback_id)
    assert record is not None and "cannot be decrypted" in record.phone


def test_status_moves_forward_with_who_and_when(engine: sa.engine.Engine) -> None:
    store = CallbackStore(engine, Fernet.generate_key())
    callback_id = store.add(REQUEST)
    store.set_status(callback_id, "called", by="sam.nurse", now=200.0)
    record = store.get(callback_id)
    assert record is not None and (record.status, record.status_by, record.status_at) == ("called", "sam.nurse", 200.0)
    with pytest.raises(CallbackError, match="a called request cannot become new"):
        store.set_status(callback_id, "new", by="sam.nurse")
    store.set_status(callback_id, "closed", by="alex")
    with pytest.raises(CallbackError, match="no call-back request 999"):
        store.set_status(999, "called", by="alex")


def test_list_is_oldest_first_and_purge_removes_old_requests(engine: sa.engine.Engine) -> None:
    store = CallbackStore(engine, Fernet.generate_key())
    store.add(REQUEST, now=300.0)
    store.add(CallbackRequest("twilio_sms", "sms-1", "A", "+44 7700 900000", "any time"), now=100.0)
    assert [record.created_at for record in store.list()] == [100.0, 300.0]
    assert store.purge(before=200.0) == 1
    assert [record.created_at for record in store.list()] == [300.0]


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [("name", "  ", "name"), ("phone", "call me", "phone"), ("preferred_time", "x" * 101, "preferred_time"),
     ("name", "n" * 101, "name")],
)
def test_incomplete_requests_are_refused(engine: sa.engine.Engine, field: str, value: str, problem: str) -> None:
    store = CallbackStore(engine, Fernet.generate_key())
    fields = {"name": "Jo", "phone": "01632 960000", "preferred_time": "am", field: value}
    with pytest.raises(CallbackError, match=problem):
        store.add(CallbackRequest("rest", "s", **fields))
    assert store.list() == []


def test_key_comes_from_the_environment_or_a_generated_file(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    assert callback_key({"CALLBACK_KEY": key}, tmp_path / "k") == key.encode()
    generated = callback_key({}, tmp_path / "k")
    assert (tmp_path / "k").stat().st_mode & 0o777 == 0o600
    assert callback_key({}, tmp_path / "k") == generated
    with pytest.raises(CallbackConfigError, match="CALLBACK_KEY: expected a Fernet key"):
        callback_key({"CALLBACK_KEY": "too-short"}, tmp_path / "k")


def test_database_url_names_the_variable_at_fault() -> None:
    assert callback_db_url({"REVIEW_DB_URL": "postgresql://u@h/review"}).database == "review"
    assert callback_db_url({"CALLBACK_DB_URL": "sqlite:///x.db"}).database.endswith("/x.db")
    with pytest.raises(CallbackConfigError, match="CALLBACK_DB_URL: unsupported database 'mysql'"):
        callback_db_url({"CALLBACK_DB_URL": "mysql://u@h/db"})
    with pytest.raises(CallbackConfigError, match="REVIEW_DB_URL: not a database URL"):
        callback_db_url({"REVIEW_DB_URL": "::nonsense::"})
