"""deploy/entrypoint.sh, run for real with bash.

The "rasa" role is checked with a stand-in ``rasa`` executable first on PATH that
prints its arguments (starting the real Rasa server is the e2e suites' job); the
"actions" and "widget" roles start the real servers.
"""

import json
import os
import signal
import stat
import subprocess
import sys

import pytest

from tests.deploy.checks import DEPLOY, ROOT
from tests.e2e.servers import environment, free_port, wait_for

pytestmark = pytest.mark.integration  # needs a trained model, servers or a browser

ENTRYPOINT = DEPLOY / "entrypoint.sh"
TOKEN = "t" * 32
# What compose and Helm give every Rasa container (deploy/docker-compose.yml).
PRODUCTION = {
    "ASSISTANT_ENV": "production", "DB_HOST": "postgres", "DB_PORT": "5432", "DB_NAME": "rasa", "DB_USER": "rasa",
    "DB_PASSWORD": "p" * 20, "REDIS_HOST": "redis", "REDIS_PORT": "6379", "REDIS_DB": "1", "REDIS_PASSWORD": "r" * 20,
    "REDIS_KEY_PREFIX": "assistant", "ACTION_SERVER_URL": "http://action-server:5055/webhook", "SANIC_WORKERS": "1",
    "REST_CHANNEL_TOKEN": "r" * 32,
}


@pytest.fixture
def fake_rasa(tmp_path):
    """A `rasa` that prints its arguments as JSON (first on PATH)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "rasa"
    script.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return bin_dir


def run(role, env, fake_bin=None, *args, remove=()):
    base = {key: value for key, value in environment().items() if key not in PRODUCTION and not key.startswith("RASA_")}
    if role == "rasa":
        base.update(PRODUCTION)
    if fake_bin is not None:
        base["PATH"] = f"{fake_bin}{os.pathsep}{base['PATH']}"
    env = {key: value for key, value in {**base, **env}.items() if key not in remove}
    return subprocess.run(["bash", str(ENTRYPOINT), role, *args], env=env, capture_output=True, text=True, timeout=60)


def test_the_script_is_executable():
    assert os.access(ENTRYPOINT, os.X_OK)
    assert subprocess.run(["bash", "-n", str(ENTRYPOINT)]).returncode == 0


def test_rasa_with_a_token_runs_with_the_production_files(fake_rasa):
    result = run("rasa", {"RASA_AUTH_TOKEN": TOKEN}, fake_rasa)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "run", "--model", "models/assistant.tar.gz",
        "--endpoints", "deploy/endpoints.production.yml",
        "--credentials", "deploy/credentials.production.yml",
        "--interface", "0.0.0.0", "--port", "5005",
        "--enable-api", "--auth-token", TOKEN,
    ]


def test_rasa_with_a_jwt_secret_and_settings_from_the_environment(fake_rasa):
    env = {"RASA_JWT_SECRET": "j" * 30, "RASA_INTERFACE": "127.0.0.1", "RASA_PORT": "5999",
           "RASA_CREDENTIALS": "credentials.yml"}
    result = run("rasa", env, fake_rasa, "--debug")
    assert result.returncode == 0, result.stderr
    arguments = json.loads(result.stdout)
    assert arguments[arguments.index("--credentials") + 1] == "credentials.yml"
    assert arguments[arguments.index("--interface") + 1] == "127.0.0.1"
    assert arguments[-6:] == ["--enable-api", "--jwt-secret", "j" * 30, "--jwt-method", "HS256", "--debug"]
    assert "--auth-token" not in arguments


def test_rasa_with_the_api_off_needs_no_token(fake_rasa):
    result = run("rasa", {"RASA_API": "off"}, fake_rasa)
    assert result.returncode == 0, result.stderr
    assert "--enable-api" not in json.loads(result.stdout)


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "RASA_AUTH_TOKEN or RASA_JWT_SECRET must be set"),
        ({"RASA_AUTH_TOKEN": "short"}, "RASA_AUTH_TOKEN is too short"),
        ({"RASA_JWT_SECRET": "short"}, "RASA_JWT_SECRET is too short"),
        ({"RASA_API": "maybe", "RASA_AUTH_TOKEN": TOKEN}, "RASA_API must be 'on' or 'off'"),
        ({"RASA_AUTH_TOKEN": TOKEN, "DB_HOST": None}, "DB_HOST is not set"),
        ({"RASA_AUTH_TOKEN": TOKEN, "RASA_MODEL": "models/missing.tar.gz"}, "RASA_MODEL: models/missing.tar.gz"),
        ({"RASA_AUTH_TOKEN": TOKEN, "RASA_CREDENTIALS": "nope.yml"}, "RASA_CREDENTIALS: nope.yml does not exist"),
    ],
)
def test_rasa_refuses_to_start_and_names_the_setting(fake_rasa, env, message):
    removed = [name for name, value in env.items() if value is None]
    result = run("rasa", {name: value for name, value in env.items() if value is not None}, fake_rasa,
                 remove=removed)
    assert result.returncode == 64
    assert message in result.stderr
    assert result.stdout == ""  # rasa was never started


def test_no_role_is_an_error():
    result = subprocess.run(["bash", str(ENTRYPOINT)], capture_output=True, text=True)
    assert result.returncode == 64
    assert "no role given" in result.stderr


def test_any_other_command_runs_as_is():
    result = run("echo", {}, None, "hello", "world")
    assert (result.returncode, result.stdout) == (0, "hello world\n")


def test_widget_needs_public_url():
    result = run("widget", {})
    assert result.returncode == 64
    assert "PUBLIC_URL is required" in result.stderr


def _start(role, env, tmp_path):
    log = tmp_path / f"{role}.log"
    process = subprocess.Popen(
        ["bash", str(ENTRYPOINT), role], env={**environment(), **env}, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_actions_role_starts_the_real_action_server_and_passes_the_health_check(tmp_path):
    port = free_port()
    process, log = _start("actions", {"ACTION_SERVER_HOST": "127.0.0.1", "ACTION_SERVER_PORT": str(port)}, tmp_path)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process, log, timeout=120)
        check = subprocess.run(
            [sys.executable, str(DEPLOY / "healthcheck.py"), f"http://127.0.0.1:{port}/health"], cwd=ROOT
        )
        assert check.returncode == 0
    finally:
        _stop(process)


def test_widget_role_serves_the_widget_with_the_public_url(tmp_path):
    if not (ROOT / "widget" / "dist" / "widget.js").is_file():
        pytest.fail("widget/dist/widget.js is missing: run `make widget` (make install does)")
    port = free_port()
    env = {"PUBLIC_URL": "https://assistant.example-clinic.org", "WIDGET_HOST": "127.0.0.1", "WIDGET_PORT": str(port)}
    process, log = _start("widget", env, tmp_path)
    try:
        wait_for(f"http://127.0.0.1:{port}/widget.js", process, log, timeout=30)
        import requests

        page = requests.get(f"http://127.0.0.1:{port}/", timeout=5).text
        assert 'data-server-url="https://assistant.example-clinic.org"' in page
    finally:
        _stop(process)


def test_rasa_refuses_the_rest_channel_without_its_token(fake_rasa):
    result = run("rasa", {"RASA_AUTH_TOKEN": TOKEN}, fake_rasa, remove=("REST_CHANNEL_TOKEN",))
    assert result.returncode == 64
    assert ("deploy/credentials.production.yml: channels.rest.GuardedRestInput: field 'token_env': "
            "REST_CHANNEL_TOKEN is not set") in result.stderr
