"""``python -m scripts.bench``: benchmark our assistant against the stock ``rasa init`` one.

Writes the bench section of docs/benchmarks.md (between ``<!-- bench:start -->`` and
``<!-- bench:end -->``). ``--quick`` is a smoke run (few turns, training not timed
when an earlier stock model exists) written to build/bench/benchmarks-quick.md.

``python -m scripts.bench burst [...]`` runs only the burst phase
(:mod:`scripts.bench.burst_run`) and rewrites only its ``burst`` section.

``python -m scripts.bench review [...]`` (``make review-bench``) runs the staff review
app's benchmark instead (:mod:`scripts.bench.review`), which rewrites only its own
``review-bench`` section of the same file.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
from pathlib import Path
from typing import List, Optional

from scripts.bench.options import ROOT, Options
from scripts.bench.report import missed_targets
from scripts.bench.runner import run


def parse(argv: Optional[List[str]]) -> Options:
    """Options from the command line."""
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 2 turns per conversation, 20 per phase, no timed training")
    parser.add_argument("--out", type=Path, help="markdown file (default docs/benchmarks.md; with --quick "
                        "build/bench/benchmarks-quick.md)")
    parser.add_argument("--no-train", action="store_true", help="don't time training; reuse the earlier stock model")
    parser.add_argument("--train-runs", type=int, default=3,
                        help="timed trainings per assistant, alternating; the median is reported (default 3)")
    parser.add_argument("--turns", type=int, help="turns per conversation (default 5)")
    parser.add_argument("--phase-turns", type=int, help="at least this many turns per load phase (default 160)")
    parser.add_argument("--levels", type=int, nargs="+", default=[16, 64],
                        help="concurrent conversations per concurrent phase (default 16 64)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz",
                        help="our model to serve (default models/assistant.tar.gz)")
    args = parser.parse_args(argv)
    if any(value is not None and value < 1 for value in (args.turns, args.phase_turns, args.train_runs, *args.levels)):
        parser.error("--turns, --phase-turns, --train-runs and --levels must be positive")
    if not args.model.exists():
        parser.error(f"{args.model} does not exist: run `make train` first")
    quick = args.quick
    out = args.out or (ROOT / "build" / "bench" / "benchmarks-quick.md" if quick else ROOT / "docs" / "benchmarks.md")
    return Options(
        out=out.resolve(), model=args.model.resolve(), train=not (quick or args.no_train), train_runs=args.train_runs,
        turns=args.turns or (2 if quick else 5), phase_turns=args.phase_turns or (20 if quick else 160),
        levels=tuple(args.levels), warmup_turns=6 if quick else 20,
        burst_conversations=16 if quick else 128, burst_same=10,
    )


def main(argv: Optional[List[str]] = None) -> int:
    """Run the benchmark; exit status 0 even when a target is missed (the report says so)."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["review"]:
        from scripts.bench import review

        return review.main(arguments[1:])
    if arguments[:1] == ["burst"]:
        from scripts.bench import burst_run

        return burst_run.main(arguments[1:])
    options = parse(argv)
    # On SIGTERM, exit through the `finally` blocks that stop the servers this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    command = " ".join(["python -m scripts.bench", *map(shlex.quote, arguments)]) if arguments else "make bench"
    _, _, rows = run(options, command)
    missed = missed_targets(rows)
    print("All targets met." if not missed else "Targets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
