"""The burst phase: many conversations at once, and many messages at once in one conversation.

Two bursts against our assistant's REST channel, all requests sent at the same moment:

* ``conversations`` conversations (default 128) of ``turns`` turns each;
* ``same`` (default 10) simultaneous messages in one conversation.

Each reply is classed as an answer, the ``busy`` reply (the assistant was saturated:
allowed), the ``error`` reply (something failed: should never happen with a healthy
action server) or a failed request. Afterwards every conversation's stored history
is read back through the HTTP API: a message sent but not stored, or a reply
received but not stored, is a lost event.

``python -m scripts.bench burst`` runs only this phase (serving our assistant
itself) and writes the ``burst`` section of docs/benchmarks.md; ``make bench`` runs
it after the other phases.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import aiohttp

from channels.identity import rest_conversation_id  # REST conversations live under rest-<sender>
from core.content import PARAGRAPH, ContentStore
from core.replies import Reply, reply_text
from core.vocabulary import BUSY_ID, ERROR_ID
from scripts.bench import conversations as conversations_module
from scripts.bench.load import WEBHOOK
from scripts.bench.stats import percentile

ANSWER, BUSY, ERROR, FAILED = "answer", "busy reply", "error reply", "failed request"
SETTLE_SECONDS = 30.0
Classify = Callable[[List[Dict[str, Any]]], str]


@dataclass
class BurstResult:
    """One burst: how each turn was answered, its latency, and what the stored history lacks."""

    name: str
    outcomes: Counter = field(default_factory=Counter)
    latencies_ms: List[float] = field(default_factory=list)
    lost_user: int = 0
    lost_replies: int = 0
    out_of_order: int = 0
    wall_seconds: float = 0.0

    @property
    def turns(self) -> int:
        return sum(self.outcomes.values())

    def latency(self, q: float) -> float:
        return percentile(self.latencies_ms, q) if self.latencies_ms else float("nan")


def classifier(store: ContentStore) -> Callable[[List[Dict[str, Any]]], str]:
    """Classes a turn's REST messages: answer, busy reply or error reply."""
    texts = {reply_text(store, Reply(ERROR_ID), "rest").strip(): ERROR,
             reply_text(store, Reply(BUSY_ID), "rest").strip(): BUSY}

    def classify(messages: List[Dict[str, Any]]) -> str:
        text = joined(messages)
        return texts.get(text, ANSWER if text else FAILED)

    return classify


def joined(messages: List[Dict[str, Any]]) -> str:
    """The whole turn's text (Rasa's REST channel sends one message per paragraph)."""
    return PARAGRAPH.join(message.get("text", "") for message in messages if message.get("text")).strip()


@dataclass
class _Turn:
    sender: str
    message: str
    sent_at: float = 0.0
    reply: Optional[str] = None


async def _post(session: aiohttp.ClientSession, url: str, turn: _Turn) -> Optional[List[Dict[str, Any]]]:
    try:
        async with session.post(url + WEBHOOK, json={"sender": turn.sender, "message": turn.message}) as response:
            body = await response.json(content_type=None)
            return body if response.status == 200 and isinstance(body, list) else None
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return None


async def _send(session: aiohttp.ClientSession, url: str, turn: _Turn, classify: Callable[[List[Dict[str, Any]]], str],
                result: BurstResult) -> None:
    started = time.perf_counter()
    messages = await _post(session, url, turn)
    kind = FAILED if messages is None else classify(messages)
    result.outcomes[kind] += 1
    if kind != FAILED:
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        turn.reply = joined(messages or [])


async def _tracker_events(session: aiohttp.ClientSession, url: str, token: str, sender: str) -> List[Dict[str, Any]]:
    async with session.get(f"{url}/conversations/{sender}/tracker", params={"token": token}) as response:
        response.raise_for_status()
        return (await response.json()).get("events", [])


def stored_turns(events: List[Dict[str, Any]]) -> List[Tuple[str, List[str]]]:
    """``(user text, [bot texts stored after it])`` for each stored user message."""
    turns: List[Tuple[str, List[str]]] = []
    for event in events:
        if event.get("event") == "user":
            turns.append((event.get("text") or "", []))
        elif event.get("event") == "bot" and turns:
            turns[-1][1].append((event.get("text") or "").strip())
    return turns


def reply_stored(reply: str, bots: List[str]) -> bool:
    """True if a turn's reply is among the bot messages stored after its message (or is all of them)."""
    return reply in bots or reply == PARAGRAPH.join(bots)


def _missing(turns: Sequence[_Turn], events: List[Dict[str, Any]]) -> Tuple[int, int, bool]:
    """Messages not stored, replies not stored, and whether stored messages are out of sending order."""
    stored = stored_turns(events)
    sent = [turn.message for turn in turns]
    lost_user = sum((Counter(sent) - Counter(text for text, _ in stored)).values())
    unmatched = list(stored)
    lost_replies = 0
    for turn in turns:
        match = next((s for s in unmatched if s[0] == turn.message), None)
        if match is not None:
            unmatched.remove(match)
        if turn.reply and (match is None or not reply_stored(turn.reply, match[1])):
            lost_replies += 1
    in_order = [text for text, _ in stored if text in sent] == sent
    return lost_user, lost_replies, not in_order


async def _check_history(url: str, token: str, conversations: Dict[str, List[_Turn]], result: BurstResult,
                         settle: float) -> None:
    """Read every conversation back; retry until nothing is missing or ``settle`` seconds passed."""
    deadline = time.monotonic() + settle
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        while True:
            lost_user = lost_replies = out_of_order = 0
            for sender, turns in conversations.items():
                events = await _tracker_events(session, url, token, rest_conversation_id(sender))
                user, replies, disorder = _missing(turns, events)
                lost_user, lost_replies = lost_user + user, lost_replies + replies
                out_of_order += disorder
            if lost_user + lost_replies == 0 or time.monotonic() > deadline:
                break
            await asyncio.sleep(1.0)  # channel replies are stored once the conversation's turn ends
    result.lost_user, result.lost_replies, result.out_of_order = lost_user, lost_replies, out_of_order


async def many_conversations(url: str, token: str, scripts: Sequence[Sequence[str]], count: int, turns: int,
                             classify: Callable[[List[Dict[str, Any]]], str], timeout: float = 120.0,
                             settle: float = SETTLE_SECONDS) -> BurstResult:
    """``count`` conversations started at the same moment, each sending its ``turns`` messages in turn."""
    result = BurstResult(f"{count} conversations at once, {turns} turns each")
    prefix = f"burst-{secrets.token_hex(3)}"
    conversations = {
        f"{prefix}-{index}": [_Turn(f"{prefix}-{index}", message)
                              for message in conversations_module.conversation(scripts, index, turns)]
        for index in range(count)
    }

    async def converse(session: aiohttp.ClientSession, conversation: List[_Turn]) -> None:
        for turn in conversation:
            await _send(session, url, turn, classify, result)

    async with _session(timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(converse(session, conversation) for conversation in conversations.values()))
        result.wall_seconds = time.perf_counter() - started
    await _check_history(url, token, conversations, result, settle)
    return result


async def one_conversation(url: str, token: str, messages: Sequence[str], classify: Classify,
                           timeout: float = 120.0, settle: float = SETTLE_SECONDS, stagger: float = 0.01
                           ) -> BurstResult:
    """``len(messages)`` messages of one conversation sent together (``stagger`` s apart, to fix their order)."""
    result = BurstResult(f"{len(messages)} messages at once in one conversation")
    sender = f"burst-same-{secrets.token_hex(3)}"
    turns = [_Turn(sender, message) for message in messages]

    async def send_later(session: aiohttp.ClientSession, index: int, turn: _Turn) -> None:
        await asyncio.sleep(index * stagger)
        await _send(session, url, turn, classify, result)

    async with _session(timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(send_later(session, index, turn) for index, turn in enumerate(turns)))
        result.wall_seconds = time.perf_counter() - started
    await _check_history(url, token, {sender: turns}, result, settle)
    return result


def _session(timeout: float) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout), connector=aiohttp.TCPConnector(limit=0))


def _ms(value: float) -> str:
    return "n/a" if value != value else f"{value:.0f} ms"


def render(results: Sequence[BurstResult], intro: Sequence[str]) -> str:
    """The ``burst`` section of docs/benchmarks.md."""
    lines = ["| burst | turns | answers | busy replies | error replies | failed requests | lost events "
             "(messages + replies not stored) | stored out of order | latency p50 | p95 | max |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        lines.append(f"| {r.name} | {r.turns} | {r.outcomes[ANSWER]} | {r.outcomes[BUSY]} | {r.outcomes[ERROR]} | "
                     f"{r.outcomes[FAILED]} | {r.lost_user} + {r.lost_replies} | {r.out_of_order} | "
                     f"{_ms(r.latency(50))} | {_ms(r.latency(95))} | {_ms(r.latency(100))} |")
    verdict = ("No error replies." if all(r.outcomes[ERROR] == 0 for r in results)
               else "**Error replies under load** (the action server was healthy: a regression).")
    return "\n\n".join(["## Burst: many conversations, and many messages in one conversation, at once",
                        "\n".join(f"- {line}" for line in intro), "\n".join(lines), verdict])
