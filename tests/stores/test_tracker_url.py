"""stores/tracker_url.py: the review app reads the tracker store Rasa's endpoints file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from stores.tracker_url import TrackerUrlError, main, tracker_url
from tests.conftest import ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "endpoints.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_projects_sqlite_store_is_found_relative_to_the_base():
    assert tracker_url(ROOT / "endpoints.yml", {}, base=ROOT) == f"sqlite:///{ROOT / 'var' / 'tracker.db'}"


def test_an_absolute_sqlite_path_is_kept(tmp_path):
    endpoints = write(tmp_path, f"tracker_store:\n  type: sql\n  dialect: sqlite\n  db: {tmp_path / 't.db'}\n")
    assert tracker_url(endpoints, {}) == f"sqlite:///{tmp_path / 't.db'}"


def test_the_production_file_expands_environment_variables():
    environ = {"DB_HOST": "pg", "DB_PORT": "5433", "DB_NAME": "rasa", "DB_USER": "rasa", "DB_PASSWORD": "s3cr:et"}
    url = tracker_url(ROOT / "deploy" / "endpoints.production.yml", environ)
    assert url == "postgresql://rasa:s3cr%3Aet@pg:5433/rasa"


def test_a_missing_variable_names_the_file_field_and_variable():
    message = r"endpoints.production.yml: tracker_store.db: environment variable DB_NAME is not set"
    with pytest.raises(TrackerUrlError, match=message):
        tracker_url(ROOT / "deploy" / "endpoints.production.yml", {})


@pytest.mark.parametrize("text, field", [
    ("action_endpoint:\n  url: http://x\n", "tracker_store is missing"),
    ("tracker_store:\n  type: redis\n", "tracker_store.type is 'redis'"),
    ("tracker_store:\n  type: sql\n  dialect: postgresql\n  url: h\n  port: abc\n", "tracker_store.port"),
])
def test_unusable_stores_are_refused_naming_the_field(tmp_path, text, field):
    with pytest.raises(TrackerUrlError, match=field):
        tracker_url(write(tmp_path, text), {})


def test_the_command_prints_the_url_or_fails_with_status_2(tmp_path, capsys):
    assert main([str(ROOT / "endpoints.yml")]) == 0
    assert capsys.readouterr().out.strip().endswith("var/tracker.db")
    assert main([str(write(tmp_path, "tracker_store:\n  type: in_memory\n"))]) == 2
    assert "tracker_store.type" in capsys.readouterr().err
