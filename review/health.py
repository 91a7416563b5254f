"""Whether the assistant can store conversations: its health check, asked at most every 30 seconds.

The Rasa server answers ``GET /webhooks/health/`` with ``{"status": "ok"}`` or
``{"status": "degraded", "problems": ["tracker_store: ..."]}`` (HTTP 200 either
way), or HTTP 503 when it is unhealthy as a whole. When it is degraded, unhealthy
or cannot be reached, conversations may not be stored, so they cannot be reviewed:
every page then shows a red banner (``templates/base.html``).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

import requests

TIMEOUT_SECONDS = 2.0
CACHE_SECONDS = 30.0
MAX_BODY = 64 * 1024
MAX_PROBLEMS = 5
MAX_PROBLEM_CHARS = 200


@dataclass(frozen=True)
class Health:
    """The last answer: ``ok``, or what is wrong in words (``problem``)."""

    ok: bool
    problem: str = ""
    checked_at: float = 0.0


def interpret(status_code: int, body: bytes) -> Health:
    """What a health check answer means."""
    try:
        data = json.loads(body.decode("utf-8"))
    except ValueError:
        data = None
    problems = data.get("problems") if isinstance(data, dict) else None
    listed = "; ".join(str(item)[:MAX_PROBLEM_CHARS] for item in problems[:MAX_PROBLEMS]) \
        if isinstance(problems, list) else ""
    if status_code == 503:
        return Health(False, "the assistant reports it is unhealthy" + (f" ({listed})" if listed else ""))
    if status_code != 200:
        return Health(False, f"the assistant's health check answered HTTP {status_code}")
    if not isinstance(data, dict):
        return Health(False, "the assistant's health check did not answer with JSON")
    if data.get("status") == "ok":
        return Health(True)
    if data.get("status") == "degraded":
        return Health(False, "the assistant reports a problem" + (f": {listed}" if listed else ""))
    return Health(False, f"the assistant's health check answered an unknown status {str(data.get('status'))[:40]!r}")


class AssistantHealth:
    """Asks the assistant's health check, caching the answer; one request at a time asks."""

    def __init__(self, url: Optional[str], clock: Callable[[], float] = time.time,
                 timeout: float = TIMEOUT_SECONDS, cache_seconds: float = CACHE_SECONDS) -> None:
        self.url = url
        self.clock = clock
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self._last: Optional[Health] = None
        self._checking = threading.Lock()

    def current(self) -> Optional[Health]:
        """The assistant's health (None when checking is off, or before the first answer)."""
        if self.url is None:
            return None
        last = self._last
        if last is not None and self.clock() - last.checked_at < self.cache_seconds:
            return last
        if not self._checking.acquire(blocking=False):
            return last  # another request is asking right now
        try:
            self._last = self.check()
        finally:
            self._checking.release()
        return self._last

    def check(self) -> Health:
        """Ask now."""
        now = self.clock()
        try:
            with requests.get(self.url, timeout=self.timeout, allow_redirects=False, stream=True) as response:
                body = response.raw.read(MAX_BODY, decode_content=True)
                result = interpret(response.status_code, body)
        except requests.RequestException as error:
            result = Health(False, f"the assistant's health check cannot be reached ({type(error).__name__})")
        return Health(result.ok, result.problem, now)
