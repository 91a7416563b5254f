"""The two assistants: how each is served and what it is sent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

import yaml

from scripts.bench import checks, conversations
from scripts.bench.load import ReplyCheck
from scripts.bench.options import ROOT, Options


@dataclass(frozen=True)
class Assistant:
    """How to serve one assistant and what to send it."""

    name: str
    cwd: Path
    model: Path
    endpoints: Path
    credentials: Path
    scripts: Sequence[Sequence[str]]
    check: ReplyCheck
    action_port: Optional[int] = None


def rasa_run_command(options: Options, assistant: Assistant, port: int, token: str) -> List[str]:
    """``rasa run`` as ``make run`` starts it; the same flags for both assistants."""
    return [str(options.rasa), "run", "--model", str(assistant.model), "--endpoints", str(assistant.endpoints),
            "--credentials", str(assistant.credentials), "--interface", "127.0.0.1", "--port", str(port),
            "--enable-api", "--auth-token", token]


def action_server_command(options: Options, port: int) -> List[str]:
    """The action server as ``make run`` starts it."""
    return [str(options.venv_bin / "python"), "-m", "actions.server", "--port", str(port), "--content", "content"]


def ours_endpoints(project_endpoints: Path, action_port: int, tracker_db: Path) -> str:
    """The project's ``endpoints.yml`` with the benchmark's action server port and a fresh SQLite file.

    Everything else (tracker store type, lock store) stays as ``make run`` has it.
    """
    config = yaml.safe_load(project_endpoints.read_text()) or {}
    config.setdefault("action_endpoint", {})["url"] = f"http://127.0.0.1:{action_port}/webhook"
    store = config.get("tracker_store") or {}
    if store.get("dialect") == "sqlite":
        store["db"] = str(tracker_db)
    return "# Written by scripts/bench from endpoints.yml: benchmark port and tracker file.\n" + yaml.safe_dump(
        config, sort_keys=False)


def ours(options: Options, action_port: int) -> Assistant:
    """Our assistant as ``make run`` serves it, with a fresh tracker file under ``options.work``."""
    folder = options.work / "ours"
    folder.mkdir(parents=True, exist_ok=True)
    tracker = folder / "tracker.db"
    tracker.unlink(missing_ok=True)
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(ours_endpoints(ROOT / "endpoints.yml", action_port, tracker))
    return Assistant("ours", ROOT, options.model, endpoints, ROOT / "credentials.yml", conversations.OURS,
                     checks.ours(ROOT / "content"), action_port)


def stock(options: Options) -> Assistant:
    """The ``rasa init`` assistant in ``options.stock_dir``, with its own endpoints and credentials."""
    folder = options.stock_dir
    return Assistant("stock", folder, options.stock_model, folder / "endpoints.yml", folder / "credentials.yml",
                     conversations.STOCK, checks.stock)


def ours_tracker_store() -> str:
    """The tracker store type in the project's ``endpoints.yml`` (Rasa's default: in-memory)."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text()) or {}
    return (config.get("tracker_store") or {}).get("type", "InMemoryTrackerStore")
