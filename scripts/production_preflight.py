"""Check the production configuration before start-up: ``python -m scripts.production_preflight``.

``scripts/run.sh`` runs this when ``ASSISTANT_ENV=production``. It stops start-up
(exit status 2) with one line per problem, naming the environment variable or the
endpoints file and field, instead of letting Rasa fail later with a stack trace —
or worse, start quietly with an open HTTP API (CVE-2024-49375), an in-memory
tracker store (Rasa falls back to it when a custom store's module cannot be
imported) or one worker instead of ``SANIC_WORKERS`` (Rasa ignores it without a
Redis lock store). Nothing here connects to a database: Rasa waits for PostgreSQL
at start-up, so containers may start in any order.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ENDPOINTS = "deploy/endpoints.production.yml"
DEFAULT_CREDENTIALS = "credentials.yml"  # scripts/run.sh's default; deploy/entrypoint.sh sets RASA_CREDENTIALS
REST_CHANNEL = "channels.rest.GuardedRestInput"
MIN_SECRET_LENGTH = 16
ENV_REFERENCE = re.compile(r"\$\{([^}]+)\}")
RASA_BUILT_IN_STORES = {"sql", "redis", "mongod", "dynamo", "in_memory"}
ROLES = ("all", "rasa", "actions")


@dataclass(frozen=True)
class Variable:
    """An environment variable of the production configuration."""

    name: str
    meaning: str
    roles: tuple = ("all", "rasa")
    check: Optional[Callable[[str], Optional[str]]] = None


def port_number(value: str) -> Optional[str]:
    """None if ``value`` is a TCP port, else what is wrong with it."""
    return None if value.isdigit() and 1 <= int(value) <= 65535 else f"must be a port number (1-65535), not {value!r}"


def at_least(minimum: int) -> Callable[[str], Optional[str]]:
    """A check that the value is an integer >= ``minimum``."""

    def check(value: str) -> Optional[str]:
        return None if value.isdigit() and int(value) >= minimum else f"must be an integer >= {minimum}, not {value!r}"

    return check


def http_url(value: str) -> Optional[str]:
    """None if ``value`` is an http(s) URL."""
    return None if re.match(r"^https?://[^/\s]+", value) else f"must be an http:// or https:// URL, not {value!r}"


def alphanumeric_or_empty(value: str) -> Optional[str]:
    """Rasa silently ignores a key prefix that is not alphanumeric."""
    return None if value == "" or value.isalnum() else f"must be letters and digits only, not {value!r}"


def secret(value: str) -> Optional[str]:
    """None if ``value`` is long enough to be a secret."""
    if len(value) >= MIN_SECRET_LENGTH:
        return None
    return f"is too short: use at least {MIN_SECRET_LENGTH} random characters"


def on_or_off(value: str) -> Optional[str]:
    """None for ``on`` or ``off``."""
    return None if value in ("on", "off") else f"must be 'on' or 'off', not {value!r}"


# Variables checked when set; whether they must be set comes from the endpoints
# file (every ${VAR} it names) and from the API rules in `api_problems`.
VARIABLES = (
    Variable("ACTION_SERVER_URL", "the action server's webhook URL, e.g. http://actions:5055/webhook", check=http_url),
    Variable("DB_HOST", "PostgreSQL host of the tracker store"),
    Variable("DB_PORT", "PostgreSQL port", check=port_number),
    Variable("DB_NAME", "PostgreSQL database of the tracker store"),
    Variable("DB_USER", "PostgreSQL user"),
    Variable("DB_PASSWORD", "PostgreSQL password (may be empty)"),
    Variable("REDIS_HOST", "Redis host of the lock store"),
    Variable("REDIS_PORT", "Redis port", check=port_number),
    Variable("REDIS_DB", "Redis database number", check=at_least(0)),
    Variable("REDIS_PASSWORD", "Redis password (may be empty)"),
    Variable("REDIS_KEY_PREFIX", "prefix of the lock keys in Redis (may be empty)", check=alphanumeric_or_empty),
    Variable("SANIC_WORKERS", "number of Rasa server worker processes", check=at_least(1)),
    Variable("RASA_PORT", "Rasa server port", check=port_number),
    Variable("RASA_API", "'off' disables Rasa's HTTP API", check=on_or_off),
    Variable("RASA_AUTH_TOKEN", "token for Rasa's HTTP API", check=secret),
    Variable("RASA_JWT_SECRET", "JWT secret for Rasa's HTTP API", check=secret),
    Variable("REST_CHANNEL_TOKEN", "bearer token REST channel clients must send", check=secret),
    Variable("ACTION_SERVER_PORT", "action server port", roles=("all", "actions"), check=port_number),
)


def variable_problems(environ: Mapping[str, str], role: str) -> List[str]:
    """Invalid values among the variables that are set."""
    problems = []
    for variable in VARIABLES:
        value = environ.get(variable.name)
        if role in variable.roles and value is not None and variable.check:
            problem = variable.check(value)
            if problem:
                problems.append(f"{variable.name} {problem} ({variable.meaning})")
    return problems


def api_problems(environ: Mapping[str, str]) -> List[str]:
    """The HTTP API must be off or protected by a token or a JWT secret."""
    if environ.get("RASA_API", "on") == "off":
        return []
    if environ.get("RASA_AUTH_TOKEN") or environ.get("RASA_JWT_SECRET"):
        return []
    return [
        "RASA_AUTH_TOKEN or RASA_JWT_SECRET must be set: Rasa's HTTP API is never left open in production "
        "(CVE-2024-49375); set RASA_API=off to run without it"
    ]


def rest_channel_problems(path: Path, environ: Mapping[str, str], shown: str) -> List[str]:
    """In production the REST channel needs its bearer token (channels/rest_token.py)."""
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []  # Rasa reports an unreadable credentials file itself
    if not isinstance(config, dict) or REST_CHANNEL not in config:
        return []
    variable = str((config.get(REST_CHANNEL) or {}).get("token_env") or "REST_CHANNEL_TOKEN")
    if environ.get(variable, "").strip():
        return []
    return [f"{shown}: {REST_CHANNEL}: field 'token_env': {variable} is not set (REST clients must send "
            f"'Authorization: Bearer <token>' in production; or remove the REST channel from {shown})"]


def _meaning(name: str) -> str:
    return next((variable.meaning for variable in VARIABLES if variable.name == name), "used in the endpoints file")


def _references(value: object) -> List[str]:
    """The ${VAR} names in a loaded YAML value (comments are not values)."""
    if isinstance(value, dict):
        return [name for item in value.values() for name in _references(item)]
    if isinstance(value, list):
        return [name for item in value for name in _references(item)]
    return ENV_REFERENCE.findall(value) if isinstance(value, str) else []


def endpoints_problems(path: Path, environ: Mapping[str, str], shown: Optional[str] = None) -> List[str]:
    """Unset variables the endpoints file names, and store settings Rasa would silently ignore."""
    shown = shown or str(path)
    if not path.is_file():
        return [f"{shown}: endpoints file not found (RASA_ENDPOINTS)"]
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        return [f"{shown}: not valid YAML: {error}"]
    if not isinstance(config, dict):
        return [f"{shown}: expected a mapping of endpoints"]
    problems = [
        f"{name} is not set ({_meaning(name)}; {shown} uses it)"
        for name in dict.fromkeys(_references(config))
        if name not in environ
    ]
    return problems + _store_problems(shown, config, environ)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def _store_problems(path: str, config: Dict, environ: Mapping[str, str]) -> List[str]:
    problems = []
    for store in ("tracker_store", "lock_store"):
        store_type = str((config.get(store) or {}).get("type") or "")
        if "." in store_type and store_type.lower() not in RASA_BUILT_IN_STORES:
            module = store_type.rsplit(".", 1)[0]
            if not _importable(module):
                consequence = ("Rasa would silently keep conversations in memory only" if store == "tracker_store"
                               else "Rasa would not start")
                problems.append(f"{path}: field '{store}.type': module '{module}' not found ({consequence})")
    lock_type = str((config.get("lock_store") or {}).get("type") or "in_memory")
    workers = environ.get("SANIC_WORKERS", "1")
    if workers.isdigit() and int(workers) > 1 and lock_type == "in_memory":
        problems.append(f"SANIC_WORKERS={workers} needs a Redis lock store: {path} has no field 'lock_store' "
                        "(Rasa would silently run one worker)")
    return problems


def problems_for(environ: Mapping[str, str], role: str = "all", root: Path = ROOT) -> List[str]:
    """Everything wrong with the production configuration in ``environ`` for ``role``."""
    problems = variable_problems(environ, role)
    if role in ("all", "rasa"):
        problems += api_problems(environ)
        shown = environ.get("RASA_ENDPOINTS") or DEFAULT_ENDPOINTS
        problems += endpoints_problems(root / shown, environ, shown)
        credentials = environ.get("RASA_CREDENTIALS") or DEFAULT_CREDENTIALS
        problems += rest_channel_problems(root / credentials, environ, credentials)
    return problems


def main(argv: Optional[List[str]] = None) -> int:
    """Print the problems and return 2 if there are any, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("role", nargs="?", default="all", choices=ROLES,
                        help="what is being started: everything, only Rasa, or only the action server")
    args = parser.parse_args(argv)
    problems = problems_for(os.environ, args.role)
    for problem in problems:
        print(f"production configuration error: {problem}", file=sys.stderr)
    if problems:
        print("See README.md, 'Production configuration'. Start-up stopped.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
