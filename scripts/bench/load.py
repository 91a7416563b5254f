"""The load generator: conversations over Rasa's REST channel, timed turn by turn."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence

import aiohttp

from scripts.bench.stats import LatencySummary, summarize

WEBHOOK = "/webhooks/rest/webhook"
ReplyCheck = Callable[[List[Dict[str, Any]]], Optional[str]]
"""Given the bot's messages for a turn, the kind of error they are, or None for a good answer."""


def non_empty(messages: List[Dict[str, Any]]) -> Optional[str]:
    """The minimal check: a turn must get at least one message with text or an image."""
    if not any(message.get("text") or message.get("image") for message in messages):
        return "empty reply"
    return None


@dataclass
class PhaseResult:
    """All turns of one load phase."""

    latencies_ms: List[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    wall_seconds: float = 0.0

    def summary(self) -> LatencySummary:
        return summarize(self.latencies_ms, sum(self.errors.values()), self.wall_seconds)


async def send(session: aiohttp.ClientSession, base_url: str, sender: str, message: str,
               check: ReplyCheck) -> Optional[str]:
    """One turn; the kind of error, or None when the answer is good."""
    try:
        async with session.post(base_url + WEBHOOK, json={"sender": sender, "message": message}) as response:
            if response.status != 200:
                return f"HTTP {response.status}"
            body = await response.json(content_type=None)
    except asyncio.TimeoutError:
        return "timeout"
    except aiohttp.ClientError as error:
        return f"connection: {type(error).__name__}"
    except ValueError:
        return "invalid JSON"
    if not isinstance(body, list):
        return "invalid JSON"
    return check(body)


async def _conversation(session: aiohttp.ClientSession, base_url: str, sender: str, messages: Sequence[str],
                        check: ReplyCheck, result: PhaseResult) -> None:
    for message in messages:
        started = time.perf_counter()
        error = await send(session, base_url, sender, message, check)
        elapsed_ms = (time.perf_counter() - started) * 1000
        if error:
            result.errors[error] += 1
        else:
            result.latencies_ms.append(elapsed_ms)


def _session(timeout: float) -> aiohttp.ClientSession:
    # No connection limit: each conversation in flight has its own connection.
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout),
                                 connector=aiohttp.TCPConnector(limit=0))


async def run_phase(base_url: str, conversations: Sequence[Sequence[str]], concurrency: int, sender_prefix: str,
                    check: ReplyCheck = non_empty, timeout: float = 60.0) -> PhaseResult:
    """Send ``conversations`` (one sender each, turns in order), at most ``concurrency`` at a time."""
    result = PhaseResult()
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int, messages: Sequence[str]) -> None:
        async with gate:
            await _conversation(session, base_url, f"{sender_prefix}-{index}", messages, check, result)

    async with _session(timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(one(index, messages) for index, messages in enumerate(conversations)))
        result.wall_seconds = time.perf_counter() - started
    return result


async def first_answer(base_url: str, message: str, check: ReplyCheck, alive: Callable[[], None],
                       timeout: float = 300.0, poll: float = 0.1) -> float:
    """Poll until ``message`` gets a good answer; the ``time.monotonic()`` when it arrived.

    ``alive`` raises if a server died. Each attempt uses a new sender, so no attempt
    sees the state of an earlier one.
    """
    deadline = time.monotonic() + timeout
    attempt = 0
    async with _session(30.0) as session:
        while time.monotonic() < deadline:
            alive()
            attempt += 1
            if await send(session, base_url, f"cold-start-{attempt}", message, check) is None:
                return time.monotonic()
            await asyncio.sleep(poll)
    raise RuntimeError(f"no good answer from {base_url} within {timeout:.0f} s")


async def parse_latencies(base_url: str, token: str, messages: Sequence[str], timeout: float = 60.0) -> List[float]:
    """Milliseconds for ``POST /model/parse`` (the NLU pipeline alone) of each message, one at a time."""
    latencies = []
    async with _session(timeout) as session:
        for message in messages:
            started = time.perf_counter()
            request = session.post(f"{base_url}/model/parse", params={"token": token}, json={"text": message})
            async with request as reply:
                reply.raise_for_status()
                await reply.read()
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies
