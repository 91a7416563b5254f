"""The tracker database URL named by a Rasa endpoints file: ``python -m stores.tracker_url FILE``.

``scripts/run.sh`` starts the review app on the tracker store Rasa uses, so the URL
comes from the same endpoints file (``RASA_ENDPOINTS``), with ``${VAR}`` expanded as
Rasa expands it. A file without an SQL tracker store is refused with a message naming
the file and the field (the review app can only read SQL tracker stores).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence

import yaml
from sqlalchemy.engine import URL

SQL_STORE_TYPES = ("sql", "stores.tracker_store.GuardedSQLTrackerStore")
ENV_REFERENCE = re.compile(r"\$\{([^}]+)\}")


class TrackerUrlError(ValueError):
    """The endpoints file names no usable SQL tracker store (the message says where)."""


def _expanded(value: Any, environ: Mapping[str, str], where: str) -> Optional[str]:
    """``value`` as text with ``${VAR}`` replaced from ``environ``; None when absent."""
    if value is None:
        return None

    def lookup(match: re.Match) -> str:
        name = match.group(1)
        if name not in environ:
            raise TrackerUrlError(f"{where}: environment variable {name} is not set")
        return environ[name]

    return ENV_REFERENCE.sub(lookup, str(value))


def tracker_url(endpoints: Path, environ: Mapping[str, str], base: Path | None = None) -> str:
    """The SQLAlchemy URL of the tracker store in ``endpoints`` (SQLite paths made absolute)."""
    try:
        config = yaml.safe_load(endpoints.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise TrackerUrlError(f"{endpoints}: cannot be read as YAML ({error})") from None
    store = config.get("tracker_store") if isinstance(config, dict) else None
    if not isinstance(store, dict):
        raise TrackerUrlError(f"{endpoints}: tracker_store is missing (the review app needs an SQL tracker store)")
    if store.get("type") not in SQL_STORE_TYPES:
        raise TrackerUrlError(
            f"{endpoints}: tracker_store.type is {store.get('type')!r}; the review app reads only "
            f"{' or '.join(SQL_STORE_TYPES)}"
        )

    def field(name: str) -> Optional[str]:
        return _expanded(store.get(name), environ, f"{endpoints}: tracker_store.{name}")

    dialect = field("dialect") or "sqlite"
    database = field("db") or "rasa.db"
    if dialect == "sqlite":
        path = Path(database)
        if not path.is_absolute():
            path = (base or Path.cwd()) / path
        return f"sqlite:///{path}"
    port = field("port")
    if port is not None and not port.isdigit():
        raise TrackerUrlError(f"{endpoints}: tracker_store.port must be a number, not {port!r}")
    url = URL.create(
        dialect, username=field("username"), password=field("password"), host=field("url"),
        port=int(port) if port else None, database=database,
    )
    return url.render_as_string(hide_password=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the tracker URL of the endpoints file given as the only argument."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m stores.tracker_url ENDPOINTS_FILE", file=sys.stderr)
        return 2
    try:
        print(tracker_url(Path(args[0]), os.environ))
    except TrackerUrlError as error:
        print(f"stores.tracker_url: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
