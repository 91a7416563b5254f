"""What a benchmark run does: the options of ``python -m scripts.bench``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

from scripts.bench.results import SEQUENTIAL, concurrent

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Options:
    """What to run.

    Attributes:
        out: the markdown file to write the bench section into.
        work: scratch folder (stock project, trained models, logs, tracker database).
        train: time ``rasa train`` for both; when False, reuse the stock model from an earlier run.
        train_runs: timed trainings per assistant (alternating ours and stock); the median is reported.
        turns: turns per conversation.
        phase_turns: at least this many turns per load phase.
        levels: concurrent conversations per concurrent phase.
        warmup_turns: turns sent (and not measured) before the first phase.
        nlu_turns: messages parsed with ``POST /model/parse`` (NLU alone), one at a time, after the load.
        timeout: seconds a turn may take before it counts as an error.
        burst_conversations: conversations started at once in the burst phase (0: no burst phase).
        burst_same: simultaneous messages in one conversation in the burst phase.
        burst_turns: turns per conversation in the burst phase.

    """

    out: Path
    work: Path = ROOT / "build" / "bench"
    venv_bin: Path = ROOT / ".venv" / "bin"
    model: Path = ROOT / "models" / "assistant.tar.gz"
    train: bool = True
    train_runs: int = 3
    turns: int = 5
    phase_turns: int = 160
    levels: Tuple[int, ...] = (16, 64)
    warmup_turns: int = 20
    nlu_turns: int = 60
    timeout: float = 60.0
    burst_conversations: int = 128
    burst_same: int = 10
    burst_turns: int = 2

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
