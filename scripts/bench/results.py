"""What one benchmark run measured, per assistant."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, Optional

from scripts.bench.stats import LatencySummary

SEQUENTIAL = "sequential"


def concurrent(level: int) -> str:
    """The name of the phase with ``level`` conversations at once."""
    return f"{level} concurrent"


@dataclass
class AssistantResult:
    """One assistant's numbers.

    Attributes:
        training_seconds: ``rasa train`` wall time; None when training was not timed in this run.
        cold_start_seconds: process launch until the first good REST answer.
        phases: latency summary per phase (``sequential``, ``16 concurrent``, ...).
        error_kinds: per phase, how many turns failed and how.
        rasa_peak_rss: peak resident bytes of the Rasa server (and any child processes).
        action_peak_rss: the same for the action server; None when there is none.
        cpu_ms_per_turn: CPU time of all server processes during the load phases, per turn.
        nlu_p50_ms: median latency of ``POST /model/parse`` (the NLU pipeline alone), sequential.

    """

    training_seconds: Optional[float]
    cold_start_seconds: float
    phases: Dict[str, LatencySummary]
    rasa_peak_rss: int
    action_peak_rss: Optional[int] = None
    error_kinds: Dict[str, Counter] = field(default_factory=dict)
    cpu_ms_per_turn: float = float("nan")
    nlu_p50_ms: float = float("nan")

    @property
    def total_peak_rss(self) -> int:
        return self.rasa_peak_rss + (self.action_peak_rss or 0)
