"""Latency statistics: percentiles and a per-phase summary."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation between closest ranks.

    The same definition as ``numpy.percentile``'s default ("linear"). Raises
    ``ValueError`` for no values or ``q`` outside 0-100.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0-100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class LatencySummary:
    """One load phase: latencies in milliseconds, throughput and errors.

    Attributes:
        turns: turns sent (answered or not).
        errors: turns without a good answer (non-200, timeout, empty or degraded reply).
        p50, p95, p99: latency percentiles over the answered turns, ms (NaN if none).
        throughput: answered turns per second of wall time.

    """

    turns: int
    errors: int
    p50: float
    p95: float
    p99: float
    throughput: float


def summarize(latencies_ms: Sequence[float], errors: int, wall_seconds: float) -> LatencySummary:
    """Summarize the good turns' latencies, the error count and the phase's wall time."""
    if not latencies_ms:
        nan = float("nan")
        return LatencySummary(errors, errors, nan, nan, nan, 0.0)
    return LatencySummary(
        turns=len(latencies_ms) + errors,
        errors=errors,
        p50=percentile(latencies_ms, 50),
        p95=percentile(latencies_ms, 95),
        p99=percentile(latencies_ms, 99),
        throughput=len(latencies_ms) / wall_seconds if wall_seconds > 0 else float("nan"),
    )
