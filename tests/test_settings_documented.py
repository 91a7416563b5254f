"""One name per setting: every environment variable the code reads is in the README, and back.

"The README" is README.md plus deploy/README.md (the deployment's own table, which
README.md links to). "The code" is what reads the environment in actions, channels,
safety, stores, review, core, the preflight, scripts/run.sh, deploy/entrypoint.sh,
deploy/*.py, and the environment compose and Helm give the containers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import pytest
import yaml

from tests.conftest import ROOT

PACKAGES = ("actions", "channels", "safety", "stores", "review", "core")
SHELL_SCRIPTS = (ROOT / "scripts" / "run.sh", ROOT / "deploy" / "entrypoint.sh",
                 ROOT / "deploy" / "postgres" / "init-databases.sh")
NAME = r"[A-Z][A-Z0-9]*_[A-Z0-9_]*"
PYTHON_READS = (
    re.compile(r"(?:environ|\benv|getenv)\s*(?:\.get)?\(\s*[\"'](" + NAME + r")[\"']"),
    re.compile(r"(?:environ|\benv)\s*\[\s*[\"'](" + NAME + r")[\"']\s*\]"),
    re.compile(r"\benv,\s*[\"'](" + NAME + r")[\"']"),  # helpers such as integer(env, "NAME", ...)
    re.compile(r"\bVariable\(\s*[\"'](" + NAME + r")[\"']"),  # scripts/production_preflight.py
    re.compile(r"\b[A-Z_]*_VARIABLE\s*=\s*[\"'](" + NAME + r")[\"']"),  # e.g. channels/rasa_patches.py
)
SHELL_WITH_DEFAULT = re.compile(r"\$\{(" + NAME + r"|[A-Z]+)(?::?[-=?+])")
SHELL_USE = re.compile(r"\$\{?(" + NAME + r"|[A-Z]+)\b")
SHELL_ASSIGNMENT = re.compile(r"^\s*(?:export\s+|local\s+)?(" + NAME + r"|[A-Z]+)=", re.MULTILINE)
DOCUMENTED = re.compile(r"`(" + NAME + r")(?:[=`])")
# Read by Rasa or its libraries, not by this project's code (documented so operators can tune them).
READ_BY_RASA = {"SANIC_WORKERS", "SQL_POOL_SIZE", "SQL_MAX_OVERFLOW", "RASA_TELEMETRY_ENABLED"}
# Keys of a WSGI/ASGI request's environ (socket.io's connect handler), not settings.
REQUEST_ENVIRON = re.compile(r"HTTP_[A-Z_]+")
COMPOSE_OR_HELM_REFERENCE = re.compile(r"\$\{(" + NAME + r")(?::?[-?+][^}]*)?\}")


def python_reads(paths: Iterable[Path]) -> set[str]:
    """Variables Python modules read from the environment."""
    names: set[str] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for pattern in PYTHON_READS:
            names.update(pattern.findall(text))
    return names


def shell_reads(text: str) -> set[str]:
    """Variables a shell script takes from its environment (not its own locals)."""
    assigned = set(SHELL_ASSIGNMENT.findall(text))
    with_default = set(SHELL_WITH_DEFAULT.findall(text))
    used = set(SHELL_USE.findall(text))
    return {name for name in with_default | (used - assigned) if "_" in name or name in with_default}


def container_environment() -> set[str]:
    """Variables compose and Helm set for the containers (each is read by the image),
    and the ``${VAR}`` settings compose (deploy/.env) and the Helm values take."""
    compose_text = (ROOT / "deploy" / "docker-compose.yml").read_text(encoding="utf-8")
    compose = yaml.safe_load(compose_text)
    names = set(COMPOSE_OR_HELM_REFERENCE.findall(compose_text.replace("$$", "")))
    names |= set(COMPOSE_OR_HELM_REFERENCE.findall((ROOT / "deploy" / "helm" / "values.yaml").read_text("utf-8")))
    for service in compose["services"].values():
        environment = service.get("environment") or {}
        if service.get("command") and isinstance(environment, dict):  # our image, not postgres/redis
            names.update(environment)
    values = yaml.safe_load((ROOT / "deploy" / "helm" / "values.yaml").read_text(encoding="utf-8"))
    names.update(entry["name"] for entry in values.get("extraEnv", []))
    for document in yaml.safe_load_all((ROOT / "deploy" / "helm" / "review-and-widget.yaml").read_text("utf-8")):
        if document and document.get("kind") == "Deployment":
            for container in document["spec"]["template"]["spec"]["containers"]:
                names.update(entry["name"] for entry in container.get("env", []))
    return names


def credentials_env_fields() -> set[str]:
    """Variables named by the channels files' ``*_env`` fields (read by channels/sms_config.py)."""
    names: set[str] = set()
    for path in (ROOT / "credentials.yml", ROOT / "deploy" / "credentials.production.yml"):
        for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values():
            names.update(value for key, value in (entry or {}).items() if key.endswith("_env"))
    return names


def code_reads() -> set[str]:
    """Every variable the project's code reads."""
    modules = [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")]
    modules += [ROOT / "scripts" / "production_preflight.py", *(ROOT / "deploy").glob("*.py")]
    names = {name for name in python_reads(modules) if not REQUEST_ENVIRON.fullmatch(name)}
    names |= credentials_env_fields() | container_environment()
    for script in SHELL_SCRIPTS:
        names |= shell_reads(script.read_text(encoding="utf-8"))
    return names


def documented() -> set[str]:
    """Variables written in backticks in README.md or deploy/README.md."""
    return {name for readme in (ROOT / "README.md", ROOT / "deploy" / "README.md")
            for name in DOCUMENTED.findall(readme.read_text(encoding="utf-8"))}


def read_by_tests_and_make() -> set[str]:
    """Variables only the tests (e.g. ``TEST_POSTGRES_URL``) or the Makefile read."""
    names = python_reads((ROOT / "tests").rglob("*.py"))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return names | set(re.findall(r"\$\((" + NAME + r")\)", makefile)) | shell_reads(makefile.replace("$$", "$"))


def test_every_variable_the_code_reads_is_documented():
    assert sorted(code_reads() - documented()) == []


def test_every_documented_variable_is_read_by_the_code():
    assert sorted(documented() - code_reads() - READ_BY_RASA - read_by_tests_and_make()) == []


def test_the_action_server_address_has_one_name():
    # issue #17: run.sh and the preflight used ACTION_HOST/ACTION_PORT, the container
    # and actions/server.py ACTION_SERVER_HOST/ACTION_SERVER_PORT.
    reads = code_reads()
    assert {"ACTION_SERVER_HOST", "ACTION_SERVER_PORT"} <= reads
    assert not {"ACTION_HOST", "ACTION_PORT"} & (reads | documented())


@pytest.mark.parametrize("script, expected", [
    (': "${A_B:=1}"\nX_Y=2\necho "$X_Y $C_D ${E_F:-} $1"\nROLE=${1:-all}\n', {"A_B", "C_D", "E_F"}),
    ('API=()\n[ -z "${RASA_API:-}" ] || API+=(x)\n"${API[@]}"\n', {"RASA_API"}),
])
def test_shell_reads_tells_environment_from_locals(script, expected):
    assert shell_reads(script) == expected


def test_python_reads_finds_each_form(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('os.environ.get("A_B")\nenv["C_D"]\ninteger(env, "E_F", 0)\nos.getenv("G_H")\n"NOT_READ"\n'
                      'WAIT_VARIABLE = "I_J"\n')
    assert python_reads([module]) == {"A_B", "C_D", "E_F", "G_H", "I_J"}
