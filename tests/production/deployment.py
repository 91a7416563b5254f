"""Start Rasa the production way (``ASSISTANT_ENV=production scripts/run.sh rasa``) for tests."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence
from urllib.parse import urlsplit

import psycopg2
import requests
from sqlalchemy.engine import make_url

from tests.conftest import ROOT
from tests.e2e.servers import RasaServer, environment, free_port, wait_for

PRODUCTION_TOKEN = "production-test-token-0123456789"
JWT_SECRET = "production-test-jwt-secret-0123456789"
REST_TOKEN = "production-rest-channel-token-0123456789"
RUN_SCRIPT = ROOT / "scripts" / "run.sh"
ENDPOINTS = ROOT / "deploy" / "endpoints.production.yml"
# Production settings the tests set themselves; anything inherited is dropped.
PRODUCTION_VARIABLES = (
    "ASSISTANT_ENV", "RASA_ENDPOINTS", "RASA_API", "RASA_AUTH_TOKEN", "RASA_JWT_SECRET", "RASA_JWT_METHOD",
    "SANIC_WORKERS", "ACTION_SERVER_URL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD",
    "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_PASSWORD", "REDIS_KEY_PREFIX", "RASA_INTERFACE", "RASA_PORT",
    "REST_CHANNEL_TOKEN",
)


def production_environment(database_url: str, redis_url: str, action_port: int, key_prefix: str,
                           workers: int = 1, api: str = "token") -> Dict[str, str]:
    """The environment variables of the README's production configuration.

    ``api``: ``token`` (RASA_AUTH_TOKEN), ``jwt`` (RASA_JWT_SECRET) or ``off`` (RASA_API=off).
    """
    database = make_url(database_url)
    redis = urlsplit(redis_url)
    env = {key: value for key, value in environment().items() if key not in PRODUCTION_VARIABLES}
    env.update(
        ASSISTANT_ENV="production",
        ACTION_SERVER_URL=f"http://127.0.0.1:{action_port}/webhook",
        DB_HOST=database.host or "127.0.0.1", DB_PORT=str(database.port or 5432), DB_NAME=database.database,
        DB_USER=database.username or "postgres", DB_PASSWORD=database.password or "",
        REDIS_HOST=redis.hostname or "127.0.0.1", REDIS_PORT=str(redis.port or 6379),
        REDIS_DB=(redis.path or "/0").strip("/") or "0", REDIS_PASSWORD=redis.password or "",
        REDIS_KEY_PREFIX=key_prefix, SANIC_WORKERS=str(workers), REST_CHANNEL_TOKEN=REST_TOKEN,
    )
    env.update({"token": {"RASA_AUTH_TOKEN": PRODUCTION_TOKEN}, "jwt": {"RASA_JWT_SECRET": JWT_SECRET},
                "off": {"RASA_API": "off"}}[api])
    return env


def admin_jwt(secret: str = JWT_SECRET) -> str:
    """A JWT (HS256) for Rasa's admin role."""
    import jwt

    return jwt.encode({"user": {"username": "staff", "role": "admin"}}, secret, algorithm="HS256")


@dataclass
class ProductionRasa(RasaServer):
    """``scripts/run.sh rasa`` in its own process group (the script and Rasa's workers)."""

    token: Optional[str] = PRODUCTION_TOKEN
    jwt_secret: Optional[str] = None

    def tracker(self, sender: str) -> dict:
        """The tracker through the HTTP API, with the token or an admin JWT."""
        if self.jwt_secret:
            options = {"headers": {"Authorization": f"Bearer {admin_jwt(self.jwt_secret)}"}}
        else:
            options = {"params": {"token": self.token}}
        response = requests.get(f"{self.url}/conversations/{sender}/tracker", timeout=30, **options)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def run_script(env: Dict[str, str], role: str = "rasa", log: Optional[Path] = None) -> subprocess.Popen:
    """``scripts/run.sh role`` with ``env``, in a new process group."""
    output = log.open("w") if log else subprocess.PIPE
    return subprocess.Popen(["bash", str(RUN_SCRIPT), role], cwd=ROOT, env=env, stdout=output,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def launch_production_rasa(workdir: Path, env: Dict[str, str], port: Optional[int] = None) -> ProductionRasa:
    """Start Rasa through ``scripts/run.sh rasa`` without waiting for it."""
    port = port or free_port()
    log = workdir / f"rasa-production-{port}.log"
    process = run_script(dict(env, RASA_PORT=str(port), RASA_INTERFACE="127.0.0.1"), "rasa", log)
    return ProductionRasa(port, process, log, ENDPOINTS, env.get("RASA_AUTH_TOKEN"), env.get("RASA_JWT_SECRET"))


def start_production_rasa(workdir: Path, envs: Sequence[Dict[str, str]]) -> List[ProductionRasa]:
    """Start one Rasa replica per environment, in parallel, and wait until all answer."""
    servers = [launch_production_rasa(workdir, env) for env in envs]
    try:
        for server in servers:
            wait_for(f"{server.url}/", server.process, server.log, timeout=300)
    except Exception:
        for server in servers:
            server.stop()
        raise
    return servers


def stored_conversation(database_url: str, sender: str) -> List[dict]:
    """The events stored for one conversation, as Rasa serialised them."""
    return [json.loads(event[3]) for event in events_by_sender(database_url, sender).get(sender, [])]


def review_flags(events: List[dict]) -> list:
    """The conversation's review flags: the last value stored for that slot."""
    values = [event["value"] for event in events if event["event"] == "slot" and event["name"] == "review_flags"]
    return values[-1] if values else []


def events_by_sender(database_url: str, prefix: str) -> Dict[str, List[tuple]]:
    """Stored events (type, action, intent, data) per conversation whose id starts with ``prefix``."""
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sender_id, type_name, action_name, intent_name, data FROM events "
                "WHERE sender_id LIKE %s ORDER BY id", (prefix + "%",),
            )
            rows = cursor.fetchall()
    finally:
        connection.close()
    grouped: Dict[str, List[tuple]] = {}
    for sender, *event in rows:
        grouped.setdefault(sender, []).append(tuple(event))
    return grouped


def say(server: RasaServer, sender: str, message: str, timeout: float = 30.0) -> tuple[int, list, float]:
    """POST a message; return status, messages and seconds taken (never raises for HTTP errors)."""
    started = time.monotonic()
    response = requests.post(f"{server.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                             headers={"Authorization": f"Bearer {REST_TOKEN}"}, timeout=timeout)
    return response.status_code, response.json(), time.monotonic() - started


def parallel(function, items: Sequence, workers: int) -> list:
    """``function`` over ``items`` in ``workers`` threads, results in order (exceptions re-raised)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, items))
