"""The two projects: the stock ``rasa init`` project, and timed ``rasa train`` for both."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence


def create_stock_project(directory: Path, python: Path) -> None:
    """Copy Rasa's ``rasa init`` project into ``directory`` (replacing it), without training.

    This is the copy ``rasa init --no-prompt`` makes (``rasa.cli.scaffold.create_initial_project``)
    before it trains; training is timed separately with ``rasa train``, like ours.
    """
    shutil.rmtree(directory, ignore_errors=True)
    directory.parent.mkdir(parents=True, exist_ok=True)
    code = "import sys; from rasa.cli.scaffold import create_initial_project; create_initial_project(sys.argv[1])"
    subprocess.run([str(python), "-c", code, str(directory)], check=True, capture_output=True)


def train_command(rasa: Path, out: Path, name: str, files: Sequence[str] = ()) -> list[str]:
    """``rasa train`` into ``out/<name>.tar.gz``, forced (no "nothing changed" shortcut)."""
    return [str(rasa), "train", *files, "--out", str(out), "--fixed-model-name", name, "--force", "--quiet"]


@dataclass(frozen=True)
class Training:
    """How long ``rasa train`` took: wall-clock seconds, and CPU seconds (user + system) it used."""

    seconds: float
    cpu_seconds: float


def timed_training(command: Sequence[str], cwd: Path, env: Mapping[str, str], out: Path, log: Path) -> Training:
    """Run ``command`` in ``cwd`` with an empty Rasa training cache and time it.

    ``out`` is emptied first. The cache (``RASA_CACHE_DIRECTORY``) is a fresh folder
    inside ``out``, so no earlier training is reused. Raises with the log's tail if
    training fails.
    """
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = {**env, "RASA_CACHE_DIRECTORY": str(out / "cache")}
    started, cpu_before = time.monotonic(), _children_cpu()
    with log.open("w") as output:
        status = subprocess.run(list(command), cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT).returncode
    timing = Training(time.monotonic() - started, _children_cpu() - cpu_before)
    shutil.rmtree(out / "cache", ignore_errors=True)
    if status != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(command)} failed with status {status}; log {log}:\n{tail}")
    return timing


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def python_next_to(rasa: Path) -> Path:
    """The venv's Python, next to its ``rasa`` script (falls back to this interpreter)."""
    candidate = rasa.parent / "python"
    return candidate if candidate.exists() else Path(sys.executable)
