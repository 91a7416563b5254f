"""The benchmark section of docs/benchmarks.md: table, context, and writing it between markers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from scripts.bench import targets
from scripts.bench.results import SEQUENTIAL, AssistantResult, concurrent

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
MIB = 1024**2


@dataclass(frozen=True)
class Row:
    """One line of the results table."""

    metric: str
    ours: str
    stock: str
    ratio: str
    target: str = "—"
    met: str = "—"


def _ms(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _seconds(value: Optional[float]) -> str:
    return "not measured" if value is None else f"{value:.1f} s"


def _mib(value: Optional[int]) -> str:
    return "none" if value is None else f"{value / MIB:.0f} MiB"


def _ratio(ours: Optional[float], stock: Optional[float]) -> str:
    value = targets.ratio(ours, stock)
    return "—" if value is None else f"{value:.2f}×"


def _met(verdict: targets.Verdict) -> str:
    return {True: "yes", False: "**NO**", None: "not measured"}[verdict.met]


def _phase_rows(ours: AssistantResult, stock: AssistantResult, phase: str, errors_target: bool) -> List[Row]:
    mine, theirs = ours.phases[phase], stock.phases[phase]
    p95 = targets.p95_latency(mine.p95, theirs.p95)
    rows = [
        Row(f"latency p50, {phase}", _ms(mine.p50), _ms(theirs.p50), _ratio(mine.p50, theirs.p50)),
        Row(f"latency p95, {phase}", _ms(mine.p95), _ms(theirs.p95), _ratio(mine.p95, theirs.p95),
            p95.target, _met(p95)),
        Row(f"latency p99, {phase}", _ms(mine.p99), _ms(theirs.p99), _ratio(mine.p99, theirs.p99)),
        Row(f"throughput, {phase}", f"{mine.throughput:.1f} turns/s", f"{theirs.throughput:.1f} turns/s",
            _ratio(mine.throughput, theirs.throughput)),
    ]
    errors = Row(f"errors, {phase}", f"{mine.errors} of {mine.turns}", f"{theirs.errors} of {theirs.turns}", "—")
    if errors_target:
        verdict = targets.errors_at_64(mine.errors)
        errors = Row(errors.metric, errors.ours, errors.stock, "—", verdict.target, _met(verdict))
    return [*rows, errors]


def build_rows(ours: AssistantResult, stock: AssistantResult, levels: Sequence[int]) -> List[Row]:
    """The table: latency, throughput and errors per phase, memory, cold start, training."""
    rows: List[Row] = []
    for phase in (SEQUENTIAL, *(concurrent(level) for level in levels)):
        rows += _phase_rows(ours, stock, phase, errors_target=phase == concurrent(targets.ERRORS_LEVEL))
    memory = targets.rasa_memory(ours.rasa_peak_rss)
    training = targets.training_time(ours.training_seconds)
    rows += [
        Row("resident memory (peak), Rasa server", _mib(ours.rasa_peak_rss), _mib(stock.rasa_peak_rss),
            _ratio(ours.rasa_peak_rss, stock.rasa_peak_rss), memory.target, _met(memory)),
        Row("resident memory (peak), action server", _mib(ours.action_peak_rss), _mib(stock.action_peak_rss), "—"),
        Row("resident memory (peak), all processes", _mib(ours.total_peak_rss), _mib(stock.total_peak_rss),
            _ratio(ours.total_peak_rss, stock.total_peak_rss)),
        Row("server CPU per turn (all server processes)", _ms(ours.cpu_ms_per_turn), _ms(stock.cpu_ms_per_turn),
            _ratio(ours.cpu_ms_per_turn, stock.cpu_ms_per_turn)),
        Row("NLU alone (`POST /model/parse`), p50, sequential", _ms(ours.nlu_p50_ms), _ms(stock.nlu_p50_ms),
            _ratio(ours.nlu_p50_ms, stock.nlu_p50_ms)),
        Row("cold start to first answer", _seconds(ours.cold_start_seconds), _seconds(stock.cold_start_seconds),
            _ratio(ours.cold_start_seconds, stock.cold_start_seconds)),
        Row("training (`rasa train`)", _seconds(ours.training_seconds), _seconds(stock.training_seconds),
            _ratio(ours.training_seconds, stock.training_seconds), training.target, _met(training)),
    ]
    return rows


def render_table(rows: Sequence[Row]) -> str:
    """A markdown table with the columns metric | ours | stock | ratio | target | met?."""
    lines = ["| metric | ours | stock `rasa init` | ratio (ours / stock) | target | met? |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    lines += [f"| {r.metric} | {r.ours} | {r.stock} | {r.ratio} | {r.target} | {r.met} |" for r in rows]
    return "\n".join(lines)


def missed_targets(rows: Sequence[Row]) -> List[str]:
    """The metrics whose target was not met."""
    return [row.metric for row in rows if row.met == "**NO**"]


def error_details(ours: AssistantResult, stock: AssistantResult) -> List[str]:
    """One line per phase with failed turns, saying how they failed."""
    lines = []
    for name, result in (("ours", ours), ("stock", stock)):
        for phase, counts in result.error_kinds.items():
            kinds = +counts  # drops kinds counted zero times
            if kinds:
                detail = ", ".join(f"{count} × {kind}" for kind, count in kinds.most_common())
                lines.append(f"- {name}, {phase}: {detail}")
    return lines


@dataclass(frozen=True)
class RunInfo:
    """The context printed above the table.

    Attributes:
        date: when the run started (ISO 8601, local time).
        command: how it was started.
        duration_seconds: the whole run.
        machine: lines describing the machine and versions.
        setup: lines saying how each assistant was run and what load was sent.

    """

    date: str
    command: str
    duration_seconds: float
    machine: Sequence[str]
    setup: Sequence[str]


def render_section(rows: Sequence[Row], info: RunInfo, errors: Sequence[str]) -> str:
    """The whole bench section: heading, context, table, failed turns and missed targets."""
    missed = missed_targets(rows)
    verdict = ("All targets met." if not missed else
               "**Targets missed:** " + "; ".join(missed) + ".")
    parts = [
        "## Our assistant against the stock `rasa init` assistant",
        f"Generated by `{info.command}` on {info.date} (whole run {info.duration_seconds / 60:.1f} min). "
        "Regenerate with `make bench`; numbers depend on the machine and on anything else running on it.",
        "\n".join(f"- {line}" for line in info.machine),
        render_table(rows),
        verdict,
        "### How each assistant is run",
        "\n".join(f"- {line}" for line in info.setup),
    ]
    if errors:
        parts += ["### Failed turns", "\n".join(errors)]
    return "\n\n".join(parts)


def markers(name: str = "bench") -> Tuple[str, str]:
    """The start and end markers of the section called ``name`` (``bench``, ``review-bench``)."""
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def write_section(path: Path, section: str, name: str = "bench") -> None:
    """Put ``section`` between the markers of section ``name`` in ``path``, leaving everything else as it was.

    Every part of ``python -m scripts.bench`` writes docs/benchmarks.md through this
    function, each into its own section. Without markers, they are inserted after the
    title line (the first line starting with ``# ``, else at the top); without the
    file, it is created with a title. Raises ``ValueError`` when the markers are out
    of order or doubled.
    """
    start, end = markers(name)
    block = f"{start}\n{section.strip()}\n{end}"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    starts, ends = text.count(start), text.count(end)
    if starts == ends == 1 and text.index(start) < text.index(end):
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        path.write_text(before + block + after)
        return
    if starts or ends:
        raise ValueError(f"{path}: expected one {start} before one {end}; fix the markers by hand")
    lines = text.splitlines(keepends=True)
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title is None:
        path.write_text(block + "\n\n" + text)
        return
    head = "".join(lines[: title + 1])
    if not head.endswith("\n"):
        head += "\n"
    tail = "".join(lines[title + 1:]).lstrip("\n")
    path.write_text(head + "\n" + block + "\n" + ("\n" + tail if tail else ""))
