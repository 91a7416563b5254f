"""The review benchmark's results and its section of docs/benchmarks.md (``review-bench``)."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Dict, List, Sequence

from scripts.bench.review_plans import indices_used

SECTION = "review-bench"
BUDGET_MS = 300.0


@dataclass
class Timing:
    """Response times of one page, in milliseconds."""

    samples: List[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def worst(self) -> float:
        return max(self.samples)


@dataclass
class BackendRun:
    """Everything measured on one database."""

    name: str
    version: str
    conversations: int
    events: int
    seed_seconds: float
    sync_seconds: float
    list_timings: Dict[str, Timing]
    plans: Dict[str, List[str]]
    other_timings: Dict[str, Timing]


def indices_cell(runs: Sequence[BackendRun], label: str) -> str:
    """The indices each backend's plans for ``label`` read (one list when they agree)."""
    used = {run.name: ", ".join(f"`{name}`" for name in indices_used(run.plans[label])) or "none (table scan)"
            for run in runs}
    if len(set(used.values())) == 1:
        return next(iter(used.values()))
    return "; ".join(f"{name}: {names}" for name, names in used.items())


def markdown(runs: Sequence[BackendRun], command: str, load: Sequence[float] = ()) -> str:
    """The benchmark section."""
    lines = [
        "## Staff review app: conversation list at scale",
        "",
        f"`{command}` seeds {runs[0].conversations:,} conversations ({runs[0].events:,} events in Rasa's format, "
        "see `scripts/review_tools/seed.py`) into a fresh tracker store, syncs them into the app's summary tables, "
        "serves the app with waitress and times `GET /conversations` over HTTP with each filter, logged in "
        "(median and worst of the timed requests after one warm-up; each includes the page's own incremental sync "
        f"and the capped count). Budget: {BUDGET_MS:.0f} ms.",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        + ", ".join(run.version for run in runs) + f"; measured {datetime.now(timezone.utc):%Y-%m-%d}."
        + (f" Load average (1 min) {load[0]:.2f} at the start and {load[1]:.2f} at the end (the benchmark itself "
           "adds about 1-2; a higher start means other work was running)." if len(load) == 2 else ""),
        "",
        "| list filter | " + " | ".join(f"{run.name} median | {run.name} worst" for run in runs) + " | indices used |",
        "| --- | " + " | ".join("---: | ---:" for _ in runs) + " | --- |",
    ]
    for label in runs[0].list_timings:
        cells = " | ".join(f"{run.list_timings[label].median:.0f} ms | {run.list_timings[label].worst:.0f} ms"
                           for run in runs)
        lines.append(f"| {label} | {cells} | {indices_cell(runs, label)} |")
    lines += ["", "| other page | " + " | ".join(f"{run.name} median" for run in runs) + " |",
              "| --- | " + " | ".join("---:" for _ in runs) + " |"]
    for label in runs[0].other_timings:
        lines.append(f"| {label} | " + " | ".join(f"{run.other_timings[label].median:.0f} ms" for run in runs) + " |")
    lines += ["", "| set-up | " + " | ".join(run.name for run in runs) + " |",
              "| --- | " + " | ".join("---:" for _ in runs) + " |",
              "| seed (events written) | " + " | ".join(f"{run.seed_seconds:.0f} s" for run in runs) + " |",
              "| first full sync | " + " | ".join(f"{run.sync_seconds:.0f} s" for run in runs) + " |"]
    slowest = max(timing.worst for run in runs for timing in run.list_timings.values())
    verdict = "within" if slowest < BUDGET_MS else "OVER"
    lines += ["", f"Slowest list request: {slowest:.0f} ms, {verdict} the {BUDGET_MS:.0f} ms budget. The indices "
              "are in `review/schema.py`; the plans above are the databases' own choices at this size (PostgreSQL "
              "walks the `started_at` index and filters when a filter matches a large share of the rows, and scans "
              "when a text search has to read every row anyway). `tests/review/test_scale.py` checks with EXPLAIN "
              "on both databases, on a smaller seeded store, that an index serves each of these queries."]
    return "\n".join(lines) + "\n"
