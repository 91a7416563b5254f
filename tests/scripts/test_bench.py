"""The benchmark's own parts: statistics, targets, report writing, reply checks, load generator.

The full benchmark (servers, training) runs with `make bench`, not here.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml
from aiohttp import web

from core.content import PARAGRAPH, ContentStore
from core.replies import Reply, reply_text
from scripts.bench import checks, conversations, processes, report, targets
from scripts.bench.__main__ import parse
from scripts.bench.assistants import ours_endpoints
from scripts.bench.load import first_answer, run_phase
from scripts.bench.options import Options
from scripts.bench.projects import timed_training
from scripts.bench.results import SEQUENTIAL, AssistantResult, concurrent
from scripts.bench.runner import Trainings, training_order
from scripts.bench.stats import LatencySummary, percentile, summarize
from tests.conftest import ROOT

GIB = 1024**3


# --- statistics ------------------------------------------------------------------------------

@pytest.mark.parametrize("q", [0, 1, 25, 50, 90, 95, 99, 100])
def test_percentile_matches_numpy_linear_definition(q: float) -> None:
    values = [random.Random(q).uniform(1, 500) for _ in range(137)]
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile([40, 10, 30, 20], 95) == pytest.approx(38.5)
    assert percentile([7], 99) == 7


@pytest.mark.parametrize("values, q", [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_rejects_bad_input(values: list, q: float) -> None:
    with pytest.raises(ValueError):
        percentile(values, q)


def test_summary_counts_errors_and_throughput_of_good_turns() -> None:
    summary = summarize([100.0] * 9 + [1000.0], errors=2, wall_seconds=5.0)
    assert (summary.turns, summary.errors, summary.throughput) == (12, 2, 2.0)
    assert summary.p50 == 100 and summary.p99 == pytest.approx(919.0)


def test_summary_of_a_phase_without_good_turns_has_no_latency() -> None:
    summary = summarize([], errors=5, wall_seconds=1.0)
    assert summary.turns == 5 and summary.throughput == 0 and np.isnan(summary.p95)


# --- targets ---------------------------------------------------------------------------------

def test_p95_target_is_at_most_1_3_times_stock() -> None:
    assert targets.p95_latency(130.0, 100.0).met is True
    assert targets.p95_latency(131.0, 100.0).met is False
    assert targets.p95_latency(float("nan"), 100.0).met is None


def test_other_targets() -> None:
    assert targets.errors_at_64(0).met and not targets.errors_at_64(1).met
    assert targets.rasa_memory(GIB).met and not targets.rasa_memory(GIB + 1).met
    assert targets.training_time(300.0).met and not targets.training_time(300.1).met
    assert targets.training_time(None).met is None
    assert targets.ratio(1.0, 0) is None and targets.ratio(3.0, 2.0) == 1.5


# --- report ----------------------------------------------------------------------------------

def _result(p95: float, errors64: int = 0, rss: int = 800 * 1024**2, training: float | None = 60.0,
            action: int | None = 50 * 1024**2) -> AssistantResult:
    phases = {name: LatencySummary(100, errors64 if name == concurrent(64) else 0, p95 / 2, p95, p95 * 1.2, 20.0)
              for name in (SEQUENTIAL, concurrent(16), concurrent(64))}
    return AssistantResult(training, 15.0, phases, rss, action, {concurrent(64): Counter(timeout=errors64)})


def _row(rows: list[report.Row], metric: str) -> report.Row:
    return next(row for row in rows if row.metric == metric)


def test_rows_carry_ratios_and_target_verdicts() -> None:
    rows = report.build_rows(_result(120.0), _result(100.0, rss=GIB * 2, action=None, training=150.0), (16, 64))
    p95 = _row(rows, "latency p95, sequential")
    assert (p95.ours, p95.stock, p95.ratio, p95.target, p95.met) == ("120 ms", "100 ms", "1.20×", "≤ 1.3× stock", "yes")
    assert _row(rows, "errors, 64 concurrent").met == "yes"
    assert _row(rows, "errors, 16 concurrent").met == "—"
    assert _row(rows, "resident memory (peak), Rasa server").ours == "800 MiB"
    assert _row(rows, "resident memory (peak), action server").stock == "none"
    assert _row(rows, "training (`rasa train`)").ratio == "0.40×"
    assert report.missed_targets(rows) == []


def test_missed_targets_are_named() -> None:
    rows = report.build_rows(_result(200.0, errors64=3, rss=GIB + 1, training=None), _result(100.0), (16, 64))
    assert report.missed_targets(rows) == [
        "latency p95, sequential", "latency p95, 16 concurrent", "latency p95, 64 concurrent",
        "errors, 64 concurrent", "resident memory (peak), Rasa server"]
    assert _row(rows, "training (`rasa train`)").met == "not measured"
    assert report.error_details(_result(200.0, errors64=3), _result(100.0)) == ["- ours, 64 concurrent: 3 × timeout"]


def test_table_has_the_issue_columns() -> None:
    table = report.render_table(report.build_rows(_result(120.0), _result(100.0), (16, 64)))
    header = table.splitlines()[0]
    assert header == "| metric | ours | stock `rasa init` | ratio (ours / stock) | target | met? |"
    assert len(table.splitlines()) == 2 + 5 * 3 + 7


def test_section_says_which_targets_were_missed() -> None:
    rows = report.build_rows(_result(200.0), _result(100.0), (16, 64))
    info = report.RunInfo("2026-01-01T10:00+00:00", "make bench", 300.0, ["Machine: test"], ["Ours: test"])
    section = report.render_section(rows, info, [])
    assert "**Targets missed:** latency p95, sequential" in section
    assert "Generated by `make bench` on 2026-01-01T10:00+00:00 (whole run 5.0 min)" in section


OTHER_SECTIONS = """# Benchmarks

## Widget size

| file | gzipped |
| --- | --- |
| widget.js | 18.5 KB |

<!-- review-bench:start -->
## Review app
numbers from another helper
<!-- review-bench:end -->
"""


def test_markers_are_inserted_after_the_title_and_other_sections_kept(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text(OTHER_SECTIONS)
    report.write_section(path, "## Ours\n\nfirst run")
    text = path.read_text()
    assert text.startswith("# Benchmarks\n\n<!-- bench:start -->\n## Ours\n\nfirst run\n<!-- bench:end -->\n\n")
    assert text.endswith(OTHER_SECTIONS.split("\n\n", 1)[1])


def test_a_rerun_replaces_only_the_bench_section(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text(OTHER_SECTIONS)
    report.write_section(path, "first run")
    first = path.read_text()
    report.write_section(path, "second run")
    assert path.read_text() == first.replace("first run", "second run")
    report.write_section(path, "second run")
    assert path.read_text() == first.replace("first run", "second run")


def test_the_real_benchmarks_file_keeps_its_other_sections(tmp_path: Path) -> None:
    original = (ROOT / "docs" / "benchmarks.md").read_text()
    path = tmp_path / "benchmarks.md"
    path.write_text(original)
    report.write_section(path, "new numbers")
    text = path.read_text()
    outside = text.split(report.START)[0] + text.split(report.END)[1]
    if report.START in original:
        assert outside == original.split(report.START)[0] + original.split(report.END)[1]
    else:
        assert outside.replace("\n", "") == original.replace("\n", "")
    assert "## Widget size" in outside


def test_missing_file_is_created_with_a_title(tmp_path: Path) -> None:
    path = tmp_path / "new.md"
    report.write_section(path, "numbers")
    assert path.read_text() == "# Benchmarks\n\n<!-- bench:start -->\nnumbers\n<!-- bench:end -->\n"


def test_broken_markers_are_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    broken = f"# Benchmarks\n\n{report.END}\nkeep me\n{report.START}\n"
    path.write_text(broken)
    with pytest.raises(ValueError, match="fix the markers"):
        report.write_section(path, "numbers")
    assert path.read_text() == broken


# --- what counts as a good answer ------------------------------------------------------------

@pytest.fixture(scope="module")
def ours_check():
    return checks.ours(ROOT / "content")


def _as_rest(text: str) -> list[dict]:
    """What Rasa's REST channel sends for a bot text: one message per paragraph."""
    return [{"recipient_id": "p", "text": part} for part in text.split(PARAGRAPH)]


def test_a_real_answer_is_good(ours_check, store: ContentStore) -> None:
    assert ours_check(_as_rest(reply_text(store, Reply("alcohol"), "rest"))) is None


def test_safe_error_reply_missing_disclaimer_and_silence_are_errors(ours_check, store: ContentStore) -> None:
    assert ours_check(_as_rest(reply_text(store, Reply("error"), "rest"))).startswith("safe error reply")
    assert ours_check(_as_rest(reply_text(store, Reply("busy"), "rest"))).startswith("busy reply")
    assert ours_check(_as_rest(store.answer("alcohol").text)) == "reply without the disclaimer"
    assert ours_check([]) == "empty reply"
    assert checks.stock([{"recipient_id": "p", "image": "https://i.imgur.com/nGF1K8f.jpg"}]) is None
    assert checks.stock([{"recipient_id": "p", "text": ""}]) == "empty reply"


def test_conversations_wrap_round_their_script() -> None:
    script = conversations.STOCK[1]
    assert conversations.conversation(conversations.STOCK, 1, 5) == [*script, *script[:2]]
    assert conversations.conversation(conversations.OURS, len(conversations.OURS), 2) == list(conversations.OURS[0][:2])


def test_phases_have_at_least_the_turns_asked_for(tmp_path: Path) -> None:
    options = Options(out=tmp_path / "x.md", turns=5, phase_turns=160, levels=(16, 64))
    assert options.phases() == [(SEQUENTIAL, 1, 32), (concurrent(16), 16, 32), (concurrent(64), 64, 64)]


@pytest.mark.integration  # the benchmark checks the trained model exists
def test_quick_runs_do_not_overwrite_the_docs(tmp_path: Path) -> None:
    quick = parse(["--quick"])
    assert quick.out == ROOT / "build" / "bench" / "benchmarks-quick.md" and not quick.train
    full = parse([])
    assert full.out == ROOT / "docs" / "benchmarks.md" and full.train and full.turns == 5
    with pytest.raises(SystemExit):
        parse(["--turns", "0"])


# --- load generator, against a local stand-in server -----------------------------------------

def test_load_generator_times_good_turns_and_classifies_failures() -> None:
    async def webhook(request: web.Request) -> web.Response:
        message = (await request.json())["message"]
        if message == "boom":
            return web.json_response({"error": "x"}, status=500)
        if message == "slow":
            await asyncio.sleep(2)
        if message == "silent":
            return web.json_response([])
        await asyncio.sleep(0.05)
        return web.json_response([{"recipient_id": "p", "text": "hello"}])

    async def scenario() -> tuple:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        port = processes.free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            url = f"http://127.0.0.1:{port}"
            good = await run_phase(url, [["hi", "hi"]] * 8, 8, "good")
            bad = await run_phase(url, [["boom", "silent", "slow", "hi"]], 1, "bad", timeout=0.5)
            answered = await first_answer(url, "hi", checks.stock, lambda: None, timeout=5)
            return good, bad, answered
        finally:
            await runner.cleanup()

    good, bad, answered = asyncio.run(scenario())
    assert len(good.latencies_ms) == 16 and not good.errors
    assert all(latency >= 50 for latency in good.latencies_ms)
    # 8 conversations at once: two rounds of ~50 ms, not 16 sequential ones.
    assert good.wall_seconds < 16 * 0.05
    assert bad.errors == Counter({"HTTP 500": 1, "empty reply": 1, "timeout": 1})
    assert len(bad.latencies_ms) == 1
    assert answered > 0


# --- resident memory -------------------------------------------------------------------------

def test_resident_memory_counts_child_processes() -> None:
    child = subprocess.Popen([sys.executable, "-c", "x = bytearray(60 * 1024 * 1024); import time; time.sleep(30)"])
    try:
        deadline = time.monotonic() + 10
        while processes._status_kib(child.pid, "VmRSS") < 50 * 1024 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert child.pid in processes.process_tree(os.getpid())
        alone = processes._status_kib(os.getpid(), "VmRSS") * 1024
        assert processes.resident_bytes(os.getpid()) >= alone + 50 * 1024**2
        assert processes.peak_resident_bytes(child.pid) >= 50 * 1024**2
    finally:
        child.kill()
        child.wait()
    assert processes.resident_bytes(child.pid) == 0


def test_our_endpoints_follow_the_project_file_with_bench_port_and_tracker(tmp_path: Path) -> None:
    project = tmp_path / "endpoints.yml"
    project.write_text('action_endpoint:\n  url: "http://127.0.0.1:5055/webhook"\n'
                       "tracker_store:\n  type: stores.tracker_store.GuardedSQLTrackerStore\n  dialect: sqlite\n"
                       "  db: var/tracker.db\nlock_store:\n  type: in_memory\n")
    written = yaml.safe_load(ours_endpoints(project, 4321, tmp_path / "bench.db"))
    assert written == {
        "action_endpoint": {"url": "http://127.0.0.1:4321/webhook"},
        "tracker_store": {"type": "stores.tracker_store.GuardedSQLTrackerStore", "dialect": "sqlite",
                          "db": str(tmp_path / "bench.db")},
        "lock_store": {"type": "in_memory"},
    }
    real = yaml.safe_load(ours_endpoints(ROOT / "endpoints.yml", 4321, tmp_path / "bench.db"))
    assert real["action_endpoint"]["url"] == "http://127.0.0.1:4321/webhook"


def test_timed_training_starts_from_an_empty_cache_and_reports_failures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "cache").mkdir(parents=True)
    (out / "cache" / "old-entry").write_text("from an earlier run")
    script = ("import os, pathlib; cache = pathlib.Path(os.environ['RASA_CACHE_DIRECTORY']); "
              "print(sorted(p.name for p in cache.parent.iterdir()), cache.exists()); sum(range(3_000_000))")
    timing = timed_training([sys.executable, "-c", script], tmp_path, dict(os.environ), out, tmp_path / "train.log")
    assert (tmp_path / "train.log").read_text().strip() == "[] False"
    assert timing.seconds > 0 and timing.cpu_seconds > 0
    with pytest.raises(RuntimeError, match="failed with status 3"):
        timed_training([sys.executable, "-c", "print('bad data'); raise SystemExit(3)"], tmp_path, dict(os.environ),
                       out, tmp_path / "train.log")


# --- repeated training runs -------------------------------------------------------------------

def test_training_runs_alternate_which_assistant_goes_first() -> None:
    assert training_order(3) == ["ours", "stock", "stock", "ours", "ours", "stock"]
    assert training_order(1) == ["ours", "stock"]


def test_trainings_report_the_median_and_every_run() -> None:
    trainings = Trainings([70.0, 66.0, 105.0], [63.0, 64.5, 62.0])
    assert trainings.medians() == (70.0, 63.0)
    assert trainings.line() == ("Training runs (s, in the order run, alternating): ours 70.0, 66.0, 105.0; "
                                "stock 63.0, 64.5, 62.0. The table gives the median of each.")
    assert Trainings([], []).medians() == (None, None) and Trainings([], []).line() is None


@pytest.mark.integration  # the benchmark checks the trained model exists
def test_train_runs_option_is_parsed_and_checked() -> None:
    assert parse([]).train_runs == 3 and parse(["--train-runs", "5"]).train_runs == 5
    with pytest.raises(SystemExit):
        parse(["--train-runs", "0"])
