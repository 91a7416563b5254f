"""The whole benchmark run: train both, serve each in turn, load it, write the report."""

from __future__ import annotations

import asyncio
import math
import os
import platform
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import yaml

from scripts.bench import checks, conversations, processes, projects, report
from scripts.bench.load import ReplyCheck, first_answer, parse_latencies, run_phase
from scripts.bench.results import SEQUENTIAL, AssistantResult, concurrent
from scripts.bench.stats import LatencySummary, percentile

ROOT = Path(__file__).resolve().parents[2]
Log = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    """What to run.

    Attributes:
        out: the markdown file to write the bench section into.
        work: scratch folder (stock project, trained models, logs, tracker database).
        train: time ``rasa train`` for both; when False, reuse the stock model from an earlier run.
        turns: turns per conversation.
        phase_turns: at least this many turns per load phase.
        levels: concurrent conversations per concurrent phase.
        warmup_turns: turns sent (and not measured) before the first phase.
        nlu_turns: messages parsed with ``POST /model/parse`` (NLU alone), one at a time, after the load.
        timeout: seconds a turn may take before it counts as an error.

    """

    out: Path
    work: Path = ROOT / "build" / "bench"
    venv_bin: Path = ROOT / ".venv" / "bin"
    model: Path = ROOT / "models" / "assistant.tar.gz"
    train: bool = True
    turns: int = 5
    phase_turns: int = 160
    levels: Tuple[int, ...] = (16, 64)
    warmup_turns: int = 20
    nlu_turns: int = 60
    timeout: float = 60.0

    @property
    def rasa(self) -> Path:
        return self.venv_bin / "rasa"

    @property
    def stock_dir(self) -> Path:
        return self.work / "stock"

    @property
    def stock_model(self) -> Path:
        return self.stock_dir / "models" / "stock.tar.gz"

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    def phases(self) -> List[Tuple[str, int, int]]:
        """``(name, concurrency, conversations)`` for each measured phase."""
        per_phase = max(1, math.ceil(self.phase_turns / self.turns))
        phases = [(SEQUENTIAL, 1, per_phase)]
        for level in self.levels:
            phases.append((concurrent(level), level, math.ceil(per_phase / level) * level))
        return phases


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


def _ours(options: Options, action_port: int) -> Assistant:
    folder = options.work / "ours"
    folder.mkdir(parents=True, exist_ok=True)
    tracker = folder / "tracker.db"
    tracker.unlink(missing_ok=True)
    endpoints = folder / "endpoints.yml"
    endpoints.write_text(ours_endpoints(ROOT / "endpoints.yml", action_port, tracker))
    return Assistant("ours", ROOT, options.model, endpoints, ROOT / "credentials.yml", conversations.OURS,
                     checks.ours(ROOT / "content"), action_port)


def _stock(options: Options) -> Assistant:
    folder = options.stock_dir
    return Assistant("stock", folder, options.stock_model, folder / "endpoints.yml", folder / "credentials.yml",
                     conversations.STOCK, checks.stock)


def _conversations(assistant: Assistant, count: int, turns: int) -> List[List[str]]:
    return [conversations.conversation(assistant.scripts, index, turns) for index in range(count)]


def _load_phases(options: Options, assistant: Assistant, url: str, alive: Callable[[], None],
                 log: Log) -> Tuple[Dict[str, LatencySummary], Dict[str, Counter]]:
    summaries, error_kinds = {}, {}
    for name, level, count in options.phases():
        load_before = os.getloadavg()[0]
        result = asyncio.run(run_phase(url, _conversations(assistant, count, options.turns), level,
                                       f"{name.replace(' ', '-')}-{secrets.token_hex(3)}", assistant.check,
                                       options.timeout))
        alive()
        summaries[name], error_kinds[name] = result.summary(), result.errors
        s = summaries[name]
        log(f"{assistant.name}, {name}: {s.turns} turns, p50 {s.p50:.0f} ms, p95 {s.p95:.0f} ms, "
            f"p99 {s.p99:.0f} ms, {s.throughput:.1f} turns/s, {s.errors} errors "
            f"(load average before: {load_before:.2f})")
    return summaries, error_kinds


def _nlu_p50(options: Options, assistant: Assistant, url: str, token: str) -> float:
    messages = sorted({message for script in assistant.scripts for message in script})
    repeats = max(1, math.ceil(options.nlu_turns / len(messages)))
    return percentile(asyncio.run(parse_latencies(url, token, messages * repeats, options.timeout)), 50)


def measure(options: Options, assistant: Assistant, log: Log) -> AssistantResult:
    """Start the assistant's servers, time the cold start, run the load phases, stop them."""
    env = processes.environment(options.venv_bin)
    port, token = processes.free_port(), secrets.token_urlsafe(16)
    servers: List[processes.Server] = []
    try:
        if assistant.action_port:
            servers.append(processes.start(f"{assistant.name} action server",
                                           action_server_command(options, assistant.action_port),
                                           ROOT, env, options.logs / f"{assistant.name}-actions.log"))
        servers.append(processes.start(f"{assistant.name} Rasa server",
                                       rasa_run_command(options, assistant, port, token), assistant.cwd, env,
                                       options.logs / f"{assistant.name}-rasa.log"))
        url = f"http://127.0.0.1:{port}"

        def alive() -> None:
            for server in servers:
                server.check_alive()

        with processes.MemorySampler(servers):
            cold_start = asyncio.run(first_answer(url, assistant.scripts[0][0], assistant.check, alive)) \
                - servers[0].started
            log(f"{assistant.name}: first answer {cold_start:.1f} s after launch")
            warmup = _conversations(assistant, max(1, math.ceil(options.warmup_turns / options.turns)), options.turns)
            asyncio.run(run_phase(url, warmup, 1, f"warmup-{secrets.token_hex(3)}", assistant.check, options.timeout))
            cpu_before = sum(processes.cpu_seconds(server.process.pid) for server in servers)
            summaries, error_kinds = _load_phases(options, assistant, url, alive, log)
            cpu = sum(processes.cpu_seconds(server.process.pid) for server in servers) - cpu_before
            nlu_p50 = _nlu_p50(options, assistant, url, token)
        turns = sum(summary.turns for summary in summaries.values())
        log(f"{assistant.name}: {cpu * 1000 / turns:.1f} ms server CPU per turn, NLU alone p50 {nlu_p50:.1f} ms")
        return AssistantResult(
            training_seconds=None, cold_start_seconds=cold_start, phases=summaries,
            rasa_peak_rss=servers[-1].final_peak(),
            action_peak_rss=servers[0].final_peak() if assistant.action_port else None,
            error_kinds=error_kinds, cpu_ms_per_turn=cpu * 1000 / turns, nlu_p50_ms=nlu_p50,
        )
    finally:
        for server in reversed(servers):
            server.stop()


def _train(options: Options, cwd: Path, out: Path, name: str) -> float:
    env = processes.environment(options.venv_bin)
    return projects.timed_training(projects.train_command(options.rasa, out, name), cwd, env, out,
                                   options.logs / f"{name}-train.log")


def train_both(options: Options, log: Log) -> Tuple[Optional[float], Optional[float]]:
    """Create the stock project and time ``rasa train`` for ours, then stock (None: not timed)."""
    options.logs.mkdir(parents=True, exist_ok=True)
    if not options.train and options.stock_model.exists():
        log("Training not timed: reusing the stock model from an earlier run")
        return None, None
    projects.create_stock_project(options.stock_dir, projects.python_next_to(options.rasa))
    if not options.train:
        log("Training the stock model (no earlier one to reuse); not timed")
        _train(options, options.stock_dir, options.stock_model.parent, "stock")
        return None, None
    ours = _train(options, ROOT, options.work / "ours-model", "ours")
    log(f"ours: rasa train {ours:.1f} s")
    stock = _train(options, options.stock_dir, options.stock_model.parent, "stock")
    log(f"stock: rasa train {stock:.1f} s")
    return ours, stock


def machine() -> List[str]:
    """CPU, memory, OS and versions, for the report."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:"))
    return [f"Machine: {os.cpu_count()} CPUs ({cpu}), {memory_kib / 1024**2:.1f} GiB RAM, {platform.platform()}",
            f"Python {platform.python_version()}, Rasa {version('rasa')}, rasa-sdk {version('rasa-sdk')}, "
            f"TensorFlow {version('tensorflow')}, aiohttp {version('aiohttp')} (load generator)"]


def ours_tracker_store() -> str:
    """The tracker store type in the project's ``endpoints.yml`` (Rasa's default: in-memory)."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text()) or {}
    return (config.get("tracker_store") or {}).get("type", "InMemoryTrackerStore")


def setup_lines(options: Options) -> List[str]:
    """How each assistant was run and what load it got, for the report."""
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
        "Both on 127.0.0.1, one after the other (ours first) on the same machine; only one assistant runs at a time.",
        "Training: `rasa train --force --fixed-model-name …` for each project with an empty Rasa cache "
        "(`RASA_CACHE_DIRECTORY`), ours into `build/bench/` so `models/` is untouched. Latency is measured "
        f"against the deployed `{options.model.relative_to(ROOT)}`.",
        "Cold start: from launching the first process until the first good REST answer (polled every 0.1 s).",
        f"Load: `POST /webhooks/rest/webhook`, one sender per conversation, turns in order. Warm-up "
        f"{options.warmup_turns} turns (not measured), then {phases}. Ours gets patients' questions across the "
        "topics with typos and SMS shorthand; stock gets the greetings and mood messages of its own data "
        "(`scripts/bench/conversations.py`).",
        f"Latency: client-side, request sent to response read. Error: non-200, timeout ({options.timeout:.0f} s), "
        "connection error, empty reply; for ours also a reply without the disclaimer or the safe error reply "
        "sent when the action server failed. Throughput: good turns per second of the phase's wall time.",
        "Resident memory: peak VmRSS of each server's process tree, sampled every 0.25 s from launch to the end "
        "of the load, or the kernel's high-water mark (VmHWM) if higher.",
    ]


def run(options: Options, command: str, log: Log = print) -> Tuple[AssistantResult, AssistantResult, List[report.Row]]:
    """The whole benchmark; writes the bench section of ``options.out``."""
    started, date = time.monotonic(), datetime.now().astimezone().isoformat(timespec="minutes")
    log(f"Load average at start: {os.getloadavg()} on {os.cpu_count()} CPUs")
    ours_training, stock_training = train_both(options, log)
    ours = measure(options, _ours(options, processes.free_port()), log)
    stock = measure(options, _stock(options), log)
    ours.training_seconds, stock.training_seconds = ours_training, stock_training
    rows = report.build_rows(ours, stock, options.levels)
    info = report.RunInfo(date, command, time.monotonic() - started, machine(), setup_lines(options))
    report.write_section(options.out, report.render_section(rows, info, report.error_details(ours, stock)))
    log(f"Wrote {options.out}")
    return ours, stock, rows

