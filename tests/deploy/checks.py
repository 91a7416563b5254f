"""Checks of the deployment files in deploy/, as functions returning a list of problems.

The tests run each check on the real files (no problem expected) and on deliberately
broken copies (the problem must be reported), so every check can fail.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Iterator

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
NGINX_CONF = DEPLOY / "nginx.conf"
HELM_VALUES = DEPLOY / "helm" / "values.yaml"
HELM_EXTRA = DEPLOY / "helm" / "review-and-widget.yaml"
README = DEPLOY / "README.md"
COMPOSE_SCHEMA = Path(__file__).resolve().parent / "schemas" / "compose-spec.json"

SECRET_NAME = re.compile(r"(PASSWORD|TOKEN|SECRET|_KEY$|PSEUDONYM)", re.IGNORECASE)
COMPOSE_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(?::?[-?+])[^}]*)?\}")
ONLY_REFERENCE = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*(?:(?::?[-?+])[^}]*)?\}$")
K8S_REFERENCE = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_]*\)")
URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^:/@\s]*:([^@\s]*)@", re.IGNORECASE)
# Tracker store, lock store and action server: every Rasa replica must agree on these.
SHARED_RASA_SETTINGS = (
    "ASSISTANT_ENV",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_USER",
    "DB_PASSWORD",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_DB",
    "REDIS_PASSWORD",
    "REDIS_KEY_PREFIX",
    "ACTION_SERVER_URL",
    "RASA_ENDPOINTS",
    "SMS_STATE_DB_URL",
)
DATA_STORE_IMAGES = ("postgres", "redis")


# --- YAML ---------------------------------------------------------------------------


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping has the same key twice (PyYAML would silently keep the last one)."""


class UniqueKeyLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses duplicate keys (merge keys ``<<`` allowed)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r} (first at line {seen[key].start_mark.line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def load_yaml_documents(text: str) -> list[Any]:
    """Every document in ``text``; duplicate keys raise :class:`DuplicateKeyError`."""
    return [document for document in yaml.load_all(text, Loader=UniqueKeyLoader) if document is not None]


def load_yaml(path: Path) -> Any:
    """The single YAML document in ``path``."""
    documents = load_yaml_documents(path.read_text(encoding="utf-8"))
    if len(documents) != 1:
        raise ValueError(f"{path}: expected one YAML document, found {len(documents)}")
    return documents[0]


def yaml_files(directory: Path = DEPLOY) -> list[Path]:
    """All YAML files below ``directory``."""
    return sorted(path for pattern in ("*.yml", "*.yaml") for path in directory.rglob(pattern))


# --- documented variables -------------------------------------------------------------


def documented_variables(readme: str) -> dict[str, bool]:
    """Variables in the README's environment table: name -> is it a secret.

    Rows look like ``| `NAME` | yes | ... |`` (second column: secret yes/no).
    """
    variables: dict[str, bool] = {}
    for line in readme.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"`[A-Z][A-Z0-9_]*`", cells[0]):
            variables[cells[0].strip("`")] = cells[1].lower().startswith("yes")
    return variables


# --- docker compose -------------------------------------------------------------------


def compose_schema_problems(compose: dict) -> list[str]:
    """Violations of the Compose Specification's JSON schema."""
    schema = json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in validator.iter_errors(compose)
    ]


def service_role(service: dict) -> str | None:
    """The entry-point role (deploy/entrypoint.sh) a service runs, if it uses our image."""
    command = service.get("command")
    if isinstance(command, list) and command:
        return str(command[0])
    if isinstance(command, str) and command:
        return command.split()[0]
    return None


def is_data_store(service: dict) -> bool:
    """True for the PostgreSQL and Redis services."""
    image = str(service.get("image", ""))
    return image.split("/")[-1].split(":")[0] in DATA_STORE_IMAGES


def rasa_services(compose: dict) -> dict[str, dict]:
    """The Rasa server replicas."""
    return {name: service for name, service in compose["services"].items() if service_role(service) == "rasa"}


def environment_of(service: dict) -> dict[str, str]:
    """A service's environment as a mapping (compose also allows a list of NAME=value)."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {str(key): "" if value is None else str(value) for key, value in environment.items()}


def compose_structure_problems(compose: dict) -> list[str]:
    """Images, health checks, data stores kept private, replicas that agree."""
    problems = []
    networks = compose.get("networks") or {}
    for name, service in compose["services"].items():
        if not (service.get("image") or service.get("build")):
            problems.append(f"service {name}: neither image nor build")
        healthcheck = service.get("healthcheck") or {}
        if not healthcheck.get("test") or healthcheck.get("disable"):
            problems.append(f"service {name}: no healthcheck")
        if is_data_store(service):
            if service.get("ports"):
                problems.append(f"service {name}: a data store must not publish ports")
            for network in service.get("networks") or ["default"]:
                if not (networks.get(network) or {}).get("internal"):
                    problems.append(f"service {name}: network {network!r} is not internal")
    replicas = rasa_services(compose)
    if len(replicas) < 2:
        problems.append(f"{len(replicas)} Rasa replica service(s); at least 2 expected")
    environments = {name: environment_of(service) for name, service in replicas.items()}
    for setting in SHARED_RASA_SETTINGS:
        values = {name: environment.get(setting) for name, environment in environments.items()}
        if any(value in (None, "") for value in values.values()):
            problems.append(f"{setting}: not set for every Rasa replica ({values})")
        elif len(set(values.values())) > 1:
            problems.append(f"{setting}: Rasa replicas disagree ({values})")
    return problems


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a YAML structure, with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}/{index}")
    elif isinstance(value, str):
        yield path, value


def url_password_problem(where: str, value: str, reference: re.Pattern) -> str | None:
    """A URL with a literal password in it, if ``value`` is one.

    ``reference`` matches a variable reference; the password must be exactly one.
    """
    match = URL_PASSWORD.match(reference.sub("\x00", value))
    if match and match.group(1) and match.group(1) != "\x00":
        return f"{where}: literal password in URL {value!r}"
    return None


def compose_secret_problems(compose: dict) -> list[str]:
    """Secrets must be ${VAR} references to deploy/.env, never literal values."""
    problems = []
    for name, service in compose["services"].items():
        for key, value in environment_of(service).items():
            if SECRET_NAME.search(key) and value and not ONLY_REFERENCE.match(value):
                problems.append(f"service {name}: {key} has a literal value")
    for where, value in _strings(compose):
        problem = url_password_problem(where, value, COMPOSE_REFERENCE)
        if problem:
            problems.append(problem)
    return problems


def compose_references(compose: dict) -> set[str]:
    """Variables compose interpolates (``$$`` is an escaped dollar, not a reference)."""
    return {
        variable
        for _, value in _strings(compose)
        for variable in COMPOSE_REFERENCE.findall(value.replace("$$", ""))
    }


def compose_variable_problems(compose: dict, documented: dict[str, bool]) -> list[str]:
    """Every variable compose reads or sets in our containers is in the README's table."""
    problems = []
    for variable in sorted(compose_references(compose)):
        if variable not in documented:
            problems.append(f"${{{variable}}} is used but not documented in deploy/README.md")
    for name, service in compose["services"].items():
        if service_role(service) is None:
            continue
        for key in environment_of(service):
            if key not in documented:
                problems.append(f"service {name}: {key} is not documented in deploy/README.md")
    return problems


def env_example_problems(text: str, documented: dict[str, bool]) -> list[str]:
    """deploy/.env.example: documented names only, and no secret filled in."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        if name not in documented:
            problems.append(f"line {number}: {name} is not documented in deploy/README.md")
        if documented.get(name) and value.strip():
            problems.append(f"line {number}: secret {name} has a value")
    return problems


# --- nginx ----------------------------------------------------------------------------


class Directive:
    """One nginx directive: name, arguments and (for blocks) children."""

    def __init__(self, name: str, args: list[str], children: list[Directive] | None = None) -> None:
        self.name = name
        self.args = args
        self.children = children

    def find(self, name: str) -> list[Directive]:
        """Direct children called ``name``."""
        return [child for child in self.children or [] if child.name == name]

    def walk(self) -> Iterator[Directive]:
        """This directive and everything below it."""
        yield self
        for child in self.children or []:
            yield from child.walk()


TOKEN = re.compile(r"""\s*(?:(#[^\n]*)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([{};])|([^\s{};"'#]+))""")


def parse_nginx(text: str) -> Directive:
    """Parse nginx configuration into a tree rooted at a ``main`` block."""
    root = Directive("main", [], [])
    stack = [root]
    words: list[str] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ValueError(f"nginx: cannot parse at offset {position}: {text[position:position + 30]!r}")
        position = match.end()
        comment, quoted, punctuation, word = match.groups()
        if comment:
            continue
        if quoted or word:
            words.append(quoted[1:-1] if quoted else word)
            continue
        if punctuation == ";":
            if not words:
                raise ValueError("nginx: empty directive")
            stack[-1].children.append(Directive(words[0], words[1:]))
        elif punctuation == "{":
            if not words:
                raise ValueError("nginx: block without a name")
            block = Directive(words[0], words[1:], [])
            stack[-1].children.append(block)
            stack.append(block)
        else:
            if words or len(stack) == 1:
                raise ValueError("nginx: unbalanced '}' or directive without ';'")
            stack.pop()
        words = []
    if words or len(stack) != 1:
        raise ValueError("nginx: unexpected end of file (missing '}' or ';')")
    return root


def _socketio_locations(config: Directive) -> list[Directive]:
    return [d for d in config.walk() if d.name == "location" and d.args and d.args[-1].startswith("/socket.io")]


def _upstream(config: Directive, name: str) -> Directive | None:
    for directive in config.walk():
        if directive.name == "upstream" and directive.args == [name]:
            return directive
    return None


def _proxied_upstream(location: Directive) -> str | None:
    for directive in location.find("proxy_pass"):
        match = re.match(r"https?://([^/:]+)", directive.args[0])
        if match:
            return match.group(1)
    return None


def nginx_problems(config: Directive, rasa_service_names: Iterable[str]) -> list[str]:
    """socket.io: upgrade headers, sticky upstream holding every Rasa replica; API not public."""
    problems = []
    locations = _socketio_locations(config)
    if not locations:
        return ["no location for /socket.io/"]
    connection_maps = {
        d.args[1]
        for d in config.walk()
        if d.name == "map" and d.args[:1] == ["$http_upgrade"] and len(d.args) == 2
    }
    for location in locations:
        if not any(d.args == ["1.1"] for d in location.find("proxy_http_version")):
            problems.append("/socket.io/: proxy_http_version 1.1 missing")
        headers = {d.args[0].lower(): d.args[1] for d in location.find("proxy_set_header") if len(d.args) == 2}
        if headers.get("upgrade") != "$http_upgrade":
            problems.append("/socket.io/: 'proxy_set_header Upgrade $http_upgrade' missing")
        connection = headers.get("connection")
        if connection != "upgrade" and connection not in connection_maps:
            problems.append("/socket.io/: 'proxy_set_header Connection' is not an upgrade")
        name = _proxied_upstream(location)
        upstream = _upstream(config, name) if name else None
        if upstream is None:
            problems.append(f"/socket.io/: proxy_pass to {name!r}, which is not an upstream block")
            continue
        if not (upstream.find("ip_hash") or upstream.find("hash") or upstream.find("sticky")):
            problems.append(f"upstream {name}: no sticky sessions (ip_hash, hash or sticky)")
        servers = {d.args[0].split(":")[0] for d in upstream.find("server")}
        missing = sorted(set(rasa_service_names) - servers)
        if missing:
            problems.append(f"upstream {name}: Rasa replicas {missing} are not in it")
    rasa_upstreams = {
        upstream.args[0]
        for upstream in config.walk()
        if upstream.name == "upstream"
        and set(rasa_service_names) & {d.args[0].split(":")[0] for d in upstream.find("server")}
    }
    for location in (d for d in config.walk() if d.name == "location"):
        if location.args in (["/"], ["^~", "/"]) and _proxied_upstream(location) in rasa_upstreams:
            problems.append("location /: proxies everything to Rasa, the HTTP API included")
    return problems


# --- Helm -----------------------------------------------------------------------------


def _env_list_problems(where: str, env: list[dict]) -> list[str]:
    problems = []
    for variable in env or []:
        name = variable.get("name", "")
        value = variable.get("value")
        if SECRET_NAME.search(name) and value is not None and not K8S_REFERENCE.fullmatch(str(value)):
            problems.append(f"{where}: {name} has a literal value instead of a secretKeyRef")
        if isinstance(value, str):
            problem = url_password_problem(f"{where}: {name}", value, K8S_REFERENCE)
            if problem:
                problems.append(problem)
    return problems


def env_by_name(env: list[dict]) -> dict[str, dict]:
    """A container env list as name -> entry."""
    return {variable["name"]: variable for variable in env or []}


def helm_values_problems(values: dict) -> list[str]:
    """Replicas, stores, API token from a Secret, sticky ingress, no literal secrets."""
    problems = []
    if not isinstance(values.get("replicaCount"), int) or values["replicaCount"] < 2:
        problems.append(f"replicaCount is {values.get('replicaCount')!r}; at least 2 expected")
    endpoints = values.get("applicationSettings", {}).get("endpoints", {})
    tracker = endpoints.get("trackerStore", {})
    if not (tracker.get("enabled") and tracker.get("type") == "sql" and tracker.get("dialect") == "postgresql"):
        problems.append("applicationSettings.endpoints.trackerStore: not an enabled PostgreSQL SQL store")
    lock = endpoints.get("lockStore", {})
    if not (lock.get("enabled") and lock.get("type") == "redis"):
        problems.append("applicationSettings.endpoints.lockStore: not an enabled Redis lock store")
    postgresql, redis = values.get("postgresql", {}), values.get("redis", {})
    if not (postgresql.get("install") or postgresql.get("external", {}).get("enabled")):
        problems.append("postgresql: neither installed nor external")
    if not (redis.get("install") or redis.get("external", {}).get("enabled")):
        problems.append("redis: neither installed nor external")
    settings = values.get("applicationSettings", {})
    if settings.get("token"):
        problems.append("applicationSettings.token: a literal token (use a secretKeyRef in extraEnv)")
    env = env_by_name(values.get("extraEnv"))
    token = env.get("RASA_AUTH_TOKEN", {})
    if not token.get("valueFrom", {}).get("secretKeyRef"):
        problems.append("extraEnv RASA_AUTH_TOKEN: not taken from a Secret")
    if settings.get("enableAPI") and values.get("args") != ["rasa"]:
        problems.append("args: not ['rasa'] (the chart's default args pass its own generated token)")
    problems += _env_list_problems("extraEnv", values.get("extraEnv"))
    action = values.get("rasa-action-server", {})
    problems += _env_list_problems("rasa-action-server.extraEnv", action.get("extraEnv"))
    expected_action_name = f"{values.get('fullnameOverride')}-rasa-action-server"
    if action.get("install") and action.get("fullnameOverride") != expected_action_name:
        problems.append("rasa-action-server.fullnameOverride: does not match the URL the rasa chart builds")
    ingress = values.get("ingress", {})
    annotations = ingress.get("annotations") or {}
    sticky = annotations.get("nginx.ingress.kubernetes.io/upstream-hash-by") or (
        annotations.get("nginx.ingress.kubernetes.io/affinity") == "cookie"
    )
    if not (ingress.get("enabled") and sticky):
        problems.append("ingress: no sticky-session annotation (upstream-hash-by or affinity: cookie)")
    if ingress.get("path") in ("/", "/*"):
        problems.append("ingress.path: '/' publishes the Rasa HTTP API; route the channels only")
    paths = [ingress.get("path")] + [path.get("path") for path in ingress.get("extraPaths") or []]
    if not any(str(path).startswith("/socket.io") for path in paths):
        problems.append("ingress: /socket.io/ is not routed")
    return problems


def manifest_problems(documents: list[dict]) -> list[str]:
    """Kubernetes manifests: every container's secrets come from Secrets."""
    problems = []
    for document in documents:
        where = f"{document.get('kind')}/{document.get('metadata', {}).get('name')}"
        pod = document.get("spec", {}).get("template", {}).get("spec", {})
        for container in pod.get("containers", []):
            problems += _env_list_problems(f"{where} {container.get('name')}", container.get("env"))
    return problems


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?message}`` substitution."""

    def substitute(match: re.Match) -> str:
        name, operator, argument = match.group(1), match.group(2) or "", match.group(3) or ""
        value = variables.get(name, "")
        if operator in (":-", "-") and not value:
            return argument
        if operator in (":?", "?") and not value:
            raise KeyError(f"{name}: {argument}")
        return value

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}", substitute, value.replace("$$", "\0")).replace(
        "\0", "$"
    )
