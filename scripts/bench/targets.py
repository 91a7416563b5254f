"""The performance targets of issue #7 (training: issue #13) and whether a run met them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

P95_RATIO_LIMIT = 1.3
ERRORS_LIMIT = 0
ERRORS_LEVEL = 64
RASA_RSS_LIMIT = 1024**3
# Issue #7 asked for 90 s; issue #13 allows up to 5 minutes on 2 cores when accuracy needs it.
TRAINING_LIMIT_SECONDS = 300.0


@dataclass(frozen=True)
class Verdict:
    """A target in words and whether it was met (None: not measured in this run)."""

    target: str
    met: Optional[bool]


def ratio(ours: Optional[float], stock: Optional[float]) -> Optional[float]:
    """``ours / stock``; None when either is missing, NaN, or stock is 0."""
    if ours is None or stock is None or math.isnan(ours) or math.isnan(stock) or stock == 0:
        return None
    return ours / stock


def p95_latency(ours_ms: float, stock_ms: float) -> Verdict:
    """p95 latency at most 1.3 times the stock assistant's, at the same load."""
    value = ratio(ours_ms, stock_ms)
    return Verdict(f"≤ {P95_RATIO_LIMIT:g}× stock", None if value is None else value <= P95_RATIO_LIMIT)


def errors_at_64(ours_errors: int) -> Verdict:
    """No failed turn at 64 concurrent conversations."""
    return Verdict(f"{ERRORS_LIMIT}", ours_errors <= ERRORS_LIMIT)


def rasa_memory(ours_bytes: int) -> Verdict:
    """The Rasa server stays within 1 GiB resident."""
    return Verdict("≤ 1 GiB", ours_bytes <= RASA_RSS_LIMIT)


def training_time(ours_seconds: Optional[float]) -> Verdict:
    """``rasa train`` takes at most 5 minutes."""
    met = None if ours_seconds is None else ours_seconds <= TRAINING_LIMIT_SECONDS
    return Verdict(f"≤ {TRAINING_LIMIT_SECONDS:g} s", met)
