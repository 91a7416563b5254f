"""What is wrong with the assistant's storage right now, for its health check.

Stores report each failed and each successful operation here; the health
endpoint (:mod:`channels.health`) lists the parts whose last operation failed.
One record per process (each Rasa worker answers for itself).
"""

from __future__ import annotations

import threading
from typing import Dict, List

TRACKER_STORE = "tracker_store"
MAX_REASON_CHARS = 200


def describe(error: BaseException) -> str:
    """A one-line, bounded, ASCII description of the root cause of ``error`` (type and first line)."""
    while error.__cause__ is not None:
        error = error.__cause__
    lines = str(error).strip().splitlines()
    text = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    return text.encode("ascii", "backslashreplace").decode("ascii")[:MAX_REASON_CHARS]


class StorageHealth:
    """The parts of storage whose last operation failed, and why."""

    def __init__(self) -> None:
        self._problems: Dict[str, str] = {}
        self._lock = threading.Lock()

    def failed(self, part: str, reason: str) -> None:
        """Record that ``part`` just failed, for ``reason``."""
        with self._lock:
            self._problems[part] = reason[:MAX_REASON_CHARS]

    def succeeded(self, part: str) -> None:
        """Record that ``part`` just worked."""
        with self._lock:
            self._problems.pop(part, None)

    def problems(self) -> List[str]:
        """``"part: reason"`` for every part whose last operation failed."""
        with self._lock:
            return [f"{part}: {reason}" for part, reason in sorted(self._problems.items())]


STORAGE_HEALTH = StorageHealth()
