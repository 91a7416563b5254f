"""The whole benchmark run: train both, serve both, load them in alternation, write the report."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, List, Optional, Tuple

from scripts.bench import assistants, burst, burst_run, context, processes, projects, report
from scripts.bench.options import ROOT, Options
from scripts.bench.results import AssistantResult
from scripts.bench.serving import Serving
from scripts.bench.stats import LatencySummary

Log = Callable[[str], None]


def _log_phase(log: Log, serving: Serving, phase: str, summary: LatencySummary) -> None:
    log(f"{serving.name}, {phase}: {summary.turns} turns, p50 {summary.p50:.0f} ms, p95 {summary.p95:.0f} ms, "
        f"p99 {summary.p99:.0f} ms, {summary.throughput:.1f} turns/s, {summary.errors} errors "
        f"(load average {os.getloadavg()[0]:.2f})")


def measure_both(options: Options, ours: Serving, stock: Serving, log: Log) -> None:
    """Serve both assistants side by side and load them in alternation, phase by phase.

    Ours starts first with nothing else running; stock starts while ours is idle.
    Phase by phase the order alternates (ours first, then stock first, ...), so a
    busy spell on the machine is shared between both rather than falling on one.
    Only one assistant is under load at a time.
    """
    both = (ours, stock)
    with processes.MemorySampler([]) as sampler:
        for serving in both:
            log(f"{serving.name}: first answer {serving.start():.1f} s after launch")
            sampler.servers = [*ours.servers, *stock.servers]
        for serving in both:
            serving.warm_up()
        for index, (phase, level, count) in enumerate(options.phases()):
            for serving in both if index % 2 == 0 else reversed(both):
                _log_phase(log, serving, phase, serving.load(phase, level, count))
        for serving in both:
            turns = sum(summary.turns for summary in serving.phases.values())
            log(f"{serving.name}: {serving.cpu_seconds * 1000 / turns:.1f} ms server CPU per turn, "
                f"NLU alone p50 {serving.measure_nlu():.1f} ms")


def _train(options: Options, cwd: Path, out: Path, name: str, log: Log) -> float:
    env = processes.environment(options.venv_bin)
    timing = projects.timed_training(projects.train_command(options.rasa, out, name), cwd, env, out,
                                     options.logs / f"{name}-train.log")
    log(f"{name}: rasa train {timing.seconds:.1f} s ({timing.cpu_seconds:.1f} s CPU, "
        f"load average {os.getloadavg()[0]:.2f} at the end)")
    return timing.seconds


@dataclass(frozen=True)
class Trainings:
    """Timed ``rasa train`` runs of both assistants (empty lists: training not timed in this run)."""

    ours: List[float]
    stock: List[float]

    def medians(self) -> Tuple[Optional[float], Optional[float]]:
        """The median wall time of each assistant's runs (None: not timed)."""
        return (statistics.median(self.ours) if self.ours else None,
                statistics.median(self.stock) if self.stock else None)

    def line(self) -> Optional[str]:
        """Every run, for the report (None when nothing was timed)."""
        if not self.ours:
            return None

        def seconds(runs: List[float]) -> str:
            return ", ".join(f"{value:.1f}" for value in runs)

        return (f"Training runs (s, in the order run, alternating): ours {seconds(self.ours)}; "
                f"stock {seconds(self.stock)}. The table gives the median of each.")


def training_order(runs: int) -> List[str]:
    """Which assistant trains when: ours, stock; stock, ours; ... (``runs`` times each)."""
    return [name for index in range(runs) for name in (("ours", "stock") if index % 2 == 0 else ("stock", "ours"))]


def train_both(options: Options, log: Log) -> Trainings:
    """Create the stock project and time ``rasa train`` for both, ``options.train_runs`` times each.

    Runs alternate which assistant trains first (ours, stock; stock, ours; ...), so a
    busy spell on the machine is shared between both rather than falling on one.
    """
    options.logs.mkdir(parents=True, exist_ok=True)
    if not options.train and options.stock_model.exists():
        log("Training not timed: reusing the stock model from an earlier run")
        return Trainings([], [])
    projects.create_stock_project(options.stock_dir, projects.python_next_to(options.rasa))
    if not options.train:
        log("Training the stock model (no earlier one to reuse); not timed")
        _train(options, options.stock_dir, options.stock_model.parent, "stock", log)
        return Trainings([], [])
    trainings = Trainings([], [])
    projects_by_name = {"ours": (ROOT, options.work / "ours-model", trainings.ours),
                        "stock": (options.stock_dir, options.stock_model.parent, trainings.stock)}
    for name in training_order(options.train_runs):
        cwd, out, runs = projects_by_name[name]
        runs.append(_train(options, cwd, out, name, log))
    return trainings


def run(options: Options, command: str, log: Log = print) -> Tuple[AssistantResult, AssistantResult, List[report.Row]]:
    """The whole benchmark; writes the bench section of ``options.out``."""
    started, date = time.monotonic(), datetime.now().astimezone().isoformat(timespec="minutes")
    load_at_start = os.getloadavg()[0]
    log(f"Load average at start: {load_at_start:.2f} on {os.cpu_count()} CPUs")
    trainings = train_both(options, log)
    ours_training, stock_training = trainings.medians()
    ours_serving = Serving(options, assistants.ours(options, processes.free_port()))
    stock_serving = Serving(options, assistants.stock(options))
    try:
        measure_both(options, ours_serving, stock_serving, log)
        ours, stock = ours_serving.result(ours_training), stock_serving.result(stock_training)
        if options.burst_conversations:
            stock_serving.stop()  # the burst loads ours alone
            bursts = burst_run.run_on(ours_serving, options.burst_conversations, options.burst_same,
                                      options.burst_turns)
            burst_run.log_results(bursts)
            intro = burst_run.intro(command, options.burst_conversations, options.burst_same, options.burst_turns)
            report.write_section(options.out, burst.render(bursts, intro), "burst")
    finally:
        ours_serving.stop()
        stock_serving.stop()
    rows = report.build_rows(ours, stock, options.levels)
    busy = (f"Load average (1 min) {load_at_start:.2f} at the start, {os.getloadavg()[0]:.2f} at the end "
            "(the benchmark itself adds about 1); a much higher figure means something else was running.")
    training_line = [trainings.line()] if trainings.line() else []
    info = report.RunInfo(date, command, time.monotonic() - started, [*context.machine(), busy, *training_line],
                          context.setup_lines(options))
    report.write_section(options.out, report.render_section(rows, info, report.error_details(ours, stock)))
    log(f"Wrote {options.out}")
    return ours, stock, rows

