"""The context printed with the results: the machine, and how each assistant was run."""

from __future__ import annotations

import os
import platform
from importlib.metadata import version
from pathlib import Path
from typing import List

from scripts.bench.assistants import ours_tracker_store
from scripts.bench.options import ROOT, Options


def machine() -> List[str]:
    """CPU, memory, OS and versions, for the report."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:"))
    return [f"Machine: {os.cpu_count()} CPUs ({cpu}), {memory_kib / 1024**2:.1f} GiB RAM, {platform.platform()}",
            f"Python {platform.python_version()}, Rasa {version('rasa')}, rasa-sdk {version('rasa-sdk')}, "
            f"TensorFlow {version('tensorflow')}, aiohttp {version('aiohttp')} (load generator)"]


def setup_lines(options: Options) -> List[str]:
    """How each assistant was run and what load it got, for the report."""
    names = [name for name, _, _ in options.phases()]
    phases = "; ".join(f"{name}: {count} conversations × {options.turns} turns, {level} at a time"
                       for name, level, count in options.phases())
    return [
        "**Ours**, as `make run` deploys it: `python -m actions.server` (content store loaded once) and "
        f"`rasa run --model {options.model.relative_to(ROOT)} --enable-api --auth-token …` with the project's "
        "`credentials.yml` (hardened REST, socket.io and SMS channels) and `endpoints.yml` (tracker store "
        f"`{ours_tracker_store()}`, in a fresh SQLite file; lock store as configured there, in-memory by default); "
        "only the ports differ.",
        "**Stock**: the project `rasa init` creates (its default pipeline and policies, copied by "
        "`rasa.cli.scaffold.create_initial_project` as `rasa init --no-prompt` does), served with the same "
        "`rasa run` flags and its own `endpoints.yml` and `credentials.yml`: in-memory tracker store and no "
        "action server (its stories use responses only).",
        "Both served side by side on 127.0.0.1 and loaded in alternation, phase by phase (ours first in "
        f"{' and '.join(names[0::2])}; stock first in {' and '.join(names[1::2]) or 'none'}); only one is under "
        "load at a time. Cold starts: ours with nothing else running, then stock with ours idle.",
        "Training: `rasa train --force --fixed-model-name …` for each project with an empty Rasa cache "
        f"(`RASA_CACHE_DIRECTORY`), ours into `build/bench/` so `models/` is untouched; {options.train_runs} "
        "runs each, alternating which trains first, median reported. Latency is measured "
        f"against the deployed `{options.model.relative_to(ROOT)}`.",
        "Cold start: from launching the first process until the first good REST answer (polled every 0.1 s).",
        f"Load: `POST /webhooks/rest/webhook`, one sender per conversation, turns in order. Warm-up "
        f"{options.warmup_turns} turns (not measured), then {phases}. Ours gets patients' questions across the "
        "topics with typos and SMS shorthand; stock gets the greetings and mood messages of its own data "
        "(`scripts/bench/conversations.py`).",
        f"Latency: client-side, request sent to response read. Error: non-200, timeout ({options.timeout:.0f} s), "
        "connection error, empty reply; for ours also a reply without the disclaimer or the safe error reply "
        "sent when the action server failed. Throughput: good turns per second of the phase's wall time.",
        "Server CPU per turn: user + system CPU time of all the assistant's server processes (from /proc) during "
        "the load phases, divided by the turns; less sensitive to other work on the machine than latency. NLU "
        f"alone: `POST /model/parse` of each assistant's distinct messages ({options.nlu_turns} or more parses), "
        "one at a time, after the load.",
        "Resident memory: peak VmRSS of each server's process tree, sampled every 0.25 s from launch to the end "
        "of the load, or the kernel's high-water mark (VmHWM) if higher.",
    ]
