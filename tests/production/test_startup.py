"""Production start-up (``ASSISTANT_ENV=production scripts/run.sh``) refuses a bad configuration.

No services needed: the checks run before any server starts, and a refused
start-up must not leave anything listening.
"""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path
from typing import Dict

import pytest

from scripts.production_preflight import problems_for
from tests.e2e.servers import free_port, wait_for
from tests.production.deployment import production_environment, run_script


def complete_environment(**changes: str) -> Dict[str, str]:
    env = production_environment("postgresql://assistant:secret@127.0.0.1:5432/assistant",
                                 "redis://127.0.0.1:6379/0", 5055, key_prefix="")
    env.update(RASA_PORT=str(free_port()), ACTION_SERVER_PORT=str(free_port()))
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def refused(env: Dict[str, str], role: str = "all") -> str:
    """Run scripts/run.sh, expect it to stop with status 2, return what it printed."""
    process = run_script(env, role)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2, output
    for port in (env["RASA_PORT"], env["ACTION_SERVER_PORT"]):
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", int(port))) != 0, f"something listens on {port}"
    return output


def without(*names: str) -> Dict[str, str]:
    env = complete_environment()
    for name in names:
        env.pop(name)
    return env


def test_the_complete_configuration_passes() -> None:
    assert problems_for(complete_environment()) == []
    assert problems_for(without("RASA_AUTH_TOKEN") | {"RASA_JWT_SECRET": "x" * 32}) == []
    assert problems_for(without("RASA_AUTH_TOKEN") | {"RASA_API": "off"}) == []


def test_refuses_an_open_http_api() -> None:
    output = refused(without("RASA_AUTH_TOKEN"))
    assert "RASA_AUTH_TOKEN or RASA_JWT_SECRET must be set" in output
    assert "CVE-2024-49375" in output


@pytest.mark.parametrize("name", ["ACTION_SERVER_URL", "DB_HOST", "DB_NAME", "DB_USER", "REDIS_HOST"])
def test_refuses_a_missing_variable_and_names_it(name: str) -> None:
    output = refused(without(name))
    assert f"production configuration error: {name} is not set" in output
    assert output.count("production configuration error") == 1


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DB_PORT", "fivefourthreetwo", "DB_PORT must be a port number"),
        ("REDIS_DB", "-1", "REDIS_DB must be an integer >= 0"),
        ("SANIC_WORKERS", "0", "SANIC_WORKERS must be an integer >= 1"),
        ("RASA_AUTH_TOKEN", "short", "RASA_AUTH_TOKEN is too short"),
        ("REDIS_KEY_PREFIX", "my-prefix", "REDIS_KEY_PREFIX must be letters and digits only"),
        ("ACTION_SERVER_URL", "actions:5055", "ACTION_SERVER_URL must be an http:// or https:// URL"),
        ("RASA_API", "no", "RASA_API must be 'on' or 'off'"),
    ],
)
def test_refuses_an_invalid_value(name: str, value: str, message: str) -> None:
    assert message in refused(complete_environment(**{name: value}))


def test_refuses_workers_without_a_redis_lock_store() -> None:
    output = refused(complete_environment(SANIC_WORKERS="2", RASA_ENDPOINTS="endpoints.yml"))
    assert "SANIC_WORKERS=2 needs a Redis lock store: endpoints.yml has no field 'lock_store'" in output


def test_refuses_a_tracker_store_module_rasa_would_ignore(tmp_path: Path) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text("tracker_store:\n  type: stores.no_such_module.Store\n")
    output = refused(complete_environment(RASA_ENDPOINTS=str(endpoints)))
    assert f"{endpoints}: field 'tracker_store.type': module 'stores.no_such_module' not found" in output


def test_refuses_a_missing_endpoints_file() -> None:
    assert "no-such-endpoints.yml: endpoints file not found" in refused(
        complete_environment(RASA_ENDPOINTS="no-such-endpoints.yml"))


def test_the_action_server_alone_needs_no_database_settings() -> None:
    env = {"ASSISTANT_ENV": "production", "ACTION_SERVER_PORT": "5055"}
    assert problems_for(env, role="actions") == []
    assert "DB_HOST is not set" in "\n".join(problems_for(env, role="rasa"))


def test_unknown_role_is_refused() -> None:
    assert "usage: scripts/run.sh [all|rasa|actions]" in refused(complete_environment(), role="everything")


def test_the_action_server_alone_starts_on_the_configured_address(tmp_path: Path) -> None:
    port = free_port()
    env = {key: value for key, value in complete_environment().items() if not key.startswith(("DB_", "REDIS_"))}
    env.update(ACTION_SERVER_HOST="127.0.0.1", ACTION_SERVER_PORT=str(port))
    log = tmp_path / "actions.log"
    process = run_script(env, "actions", log)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process, log, timeout=60)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.parametrize("credentials", [None, "deploy/credentials.production.yml"])
def test_refuses_the_rest_channel_without_its_token_naming_file_and_field(credentials) -> None:
    output = refused(complete_environment(REST_CHANNEL_TOKEN=None, RASA_CREDENTIALS=credentials))
    shown = credentials or "credentials.yml"
    assert (f"production configuration error: {shown}: channels.rest.GuardedRestInput: field 'token_env': "
            "REST_CHANNEL_TOKEN is not set") in output


def test_a_credentials_file_without_the_rest_channel_needs_no_token(tmp_path: Path) -> None:
    credentials = tmp_path / "credentials.yml"
    credentials.write_text("channels.socketio.GuardedSocketIOInput:\n")
    env = complete_environment(REST_CHANNEL_TOKEN=None, RASA_CREDENTIALS=str(credentials))
    assert problems_for(env, role="rasa") == []
