"""Seed a tracker store with realistic synthetic conversations, in Rasa's exact event format.

``python -m scripts.review_tools.seed --conversations 100000 --events 1000000 --db-url sqlite:///var/seed.db``

The ``events`` table is created by Rasa's own ``SQLTrackerStore`` model. Patient
messages are the NLU training examples (:mod:`.seed_pools`; sometimes with a phone
number, e-mail address or name added, as patients do), the assistant's replies
are the real answers of ``content/`` with the disclaimer, and each conversation
carries the ``content_id`` metadata, ``review_flags`` and ``feedback`` slots the
real bot writes. Channels are the web widget (socket.io, with feedback), REST and
SMS (``sms-<hex>`` pseudonyms, some patients coming back for a new session).
Events are inserted day by day in time order, so conversations interleave as
they do in production.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import uuid
from typing import Iterator, List, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.vocabulary import FLAG_FOR_CONTENT, TOPIC_IDS, content_id_for_intent
from review.config import database_url
from scripts.review_tools.seed_pools import GIBBERISH, Pools, load_pools

MODEL_META = {"model_id": "35ccb00b24084d3d8a3031f6198af12e", "assistant_id": "neuropathic-pain-medicines-assistant"}
SECONDS_PER_DAY = 86_400
CHANNELS = (("socketio", 0.55), ("twilio_sms", 0.3), ("rest", 0.15))
RETURNING_SMS = 0.15
EVENTS_PER_TURN = 5.15  # user, featurization, action, bot, action_listen, and sometimes a slot
SESSION_EVENTS = 3  # action_session_start, session_started, action_listen
UNHELPFUL_TOPICS = {"stopping_medication": 0.45, "what_relief_to_expect": 0.35, "side_effects": 0.3}
PII_SUFFIXES = (
    " my number is 07700 900{n:03d}", " you can email me on patient{n}@example.com", " my name is Sarah Jones",
    " call me on +44 7700 900{n:03d}", " NHS no 943 476 {n:04d}", " i live in LS1 4{letters}",
)
MEDICINES = ("amitriptyline", "nortriptyline", "duloxetine", "venlafaxine")


def _meta() -> dict:
    return dict(MODEL_META)


class Generator:
    """Makes conversations as lists of ``(sender_id, type_name, timestamp, intent, action, data)``."""

    def __init__(self, pools: Pools, rng: random.Random, turns_mean: float) -> None:
        self.pools = pools
        self.rng = rng
        self.turns_mean = max(turns_mean, 1.0)
        self.sms_senders: List[str] = []  # from earlier days, so a patient's sessions never overlap
        self.sms_senders_today: List[str] = []
        self.counter = 0

    def sender(self, channel: str) -> str:
        if channel == "twilio_sms":
            if self.sms_senders and self.rng.random() < RETURNING_SMS:
                return self.rng.choice(self.sms_senders)
            sender = f"sms-{self.rng.getrandbits(64):016x}"
            self.sms_senders_today.append(sender)
            return sender
        if channel == "rest":
            return f"web-{self.rng.getrandbits(48):012x}"
        return uuid.UUID(int=self.rng.getrandbits(128)).hex

    def next_day(self) -> None:
        """Today's SMS patients may come back from tomorrow on."""
        self.sms_senders.extend(self.sms_senders_today)
        self.sms_senders_today = []

    def turns(self) -> int:
        extra = self.turns_mean - 1
        count = 1
        while extra > 0 and self.rng.random() < extra / (extra + 1):
            count += 1
        return count

    def user_text(self, intent: str) -> str:
        text = self.rng.choice(self.pools.examples.get(intent) or GIBBERISH)
        if self.rng.random() < 0.03:
            self.counter += 1
            suffix = self.rng.choice(PII_SUFFIXES)
            text += suffix.format(n=self.counter % 1000, letters="".join(self.rng.choice("ABDEFGHJ") for _ in range(2)))
        return text

    def conversation(self, start: float) -> List[tuple]:
        """One conversation (a Rasa session) starting at ``start``."""
        rng = self.rng
        channel = rng.choices([name for name, _ in CHANNELS], [share for _, share in CHANNELS])[0]
        sender = self.sender(channel)
        sms = channel == "twilio_sms"
        at = start
        rows: List[tuple] = []

        def add(type_name: str, data: dict, intent: Optional[str] = None, action: Optional[str] = None) -> None:
            rows.append((sender, type_name, data["timestamp"], intent, action, json.dumps(data)))

        def action(name: str, policy: Optional[str], confidence: Optional[float]) -> None:
            add("action", {"event": "action", "timestamp": at, "metadata": _meta(), "name": name, "policy": policy,
                           "confidence": confidence, "action_text": None, "hide_rule_turn": False}, action=name)

        action("action_session_start", None, 1.0)
        at += 0.0001
        add("session_started", {"event": "session_started", "timestamp": at, "metadata": _meta()})
        at += 0.0001
        action("action_listen", None, None)
        flags: List[str] = []
        for _ in range(self.turns()):
            at += rng.uniform(4, 90)
            intent = rng.choices(self.pools.intents, self.pools.weights)[0]
            text = self.user_text(intent)
            confidence = rng.uniform(0.2, 0.45) if intent == "nlu_fallback" else rng.uniform(0.55, 1.0)
            lowered = text.lower()
            entities = [
                {"entity": "medicine", "value": name, "start": lowered.find(name),
                 "end": lowered.find(name) + len(name), "confidence": None, "extractor": "SpacyEntityExtractor"}
                for name in MEDICINES if name in lowered
            ]
            ranking = [{"name": intent, "confidence": confidence}] + [
                {"name": other, "confidence": (1 - confidence) / 4} for other in rng.sample(TOPIC_IDS, 4)
                if other != intent
            ]
            message_id = uuid.UUID(int=rng.getrandbits(128)).hex
            add("user", {
                "event": "user", "timestamp": at, "metadata": _meta(), "text": text,
                "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": entities,
                               "text": text, "message_id": message_id, "metadata": {},
                               "intent_ranking": ranking},
                "input_channel": channel, "message_id": message_id,
            }, intent=intent)
            at += 0.03
            add("user_featurization", {"event": "user_featurization", "timestamp": at, "metadata": _meta(),
                                       "use_text_for_featurization": False})
            content_id = content_id_for_intent(intent)
            if intent == "nlu_fallback" and rng.random() < 0.3:
                content_id = "clarify"
            name = "action_default_fallback" if content_id in ("fallback", "clarify") else "action_answer"
            action(name, "RulePolicy", 1.0)
            at += 0.01
            add("bot", {"event": "bot", "timestamp": at, "metadata": {"content_id": content_id, **_meta()},
                        "text": self.pools.replies[(content_id, sms)],
                        "data": {"elements": None, "quick_replies": None, "buttons": [], "attachment": None,
                                 "image": None, "custom": None}})
            flag = FLAG_FOR_CONTENT.get(content_id)
            if flag and flag not in flags:
                flags.append(flag)
                add("slot", {"event": "slot", "timestamp": at, "metadata": _meta(), "name": "review_flags",
                             "value": list(flags)}, action="review_flags")
            action("action_listen", "RulePolicy", 1.0)
            if channel == "socketio" and content_id in TOPIC_IDS and rng.random() < 0.3:
                at += rng.uniform(3, 30)
                helpful = rng.random() >= UNHELPFUL_TOPICS.get(content_id, 0.15)
                add("slot", {"event": "slot", "timestamp": at, "metadata": _meta(), "name": "feedback",
                             "value": {"content_id": content_id, "helpful": helpful}}, action="feedback")
        return rows


def day_weights() -> List[float]:
    """Relative traffic per hour of the day (busier in the day and evening)."""
    return [0.3, 0.2, 0.15, 0.15, 0.2, 0.4, 0.8, 1.3, 1.8, 2.0, 2.0, 1.9, 1.8, 1.8, 1.7, 1.7, 1.8, 1.9, 2.0, 2.1,
            2.0, 1.6, 1.0, 0.6]


def generate(
    conversations: int, events: int, days: int, end: float, rng: random.Random, pools: Pools
) -> Iterator[List[tuple]]:
    """Days of events, oldest first, each day's events in time order."""
    turns_mean = max((events / max(conversations, 1) - SESSION_EVENTS) / EVENTS_PER_TURN, 1.0)
    generator = Generator(pools, rng, turns_mean)
    first_day = int(end // SECONDS_PER_DAY) - days + 1
    per_day = [0] * days
    for _ in range(conversations):
        per_day[rng.randrange(days)] += 1
    hours = day_weights()
    for offset, count in enumerate(per_day):
        day_rows: List[tuple] = []
        for _ in range(count):
            hour = rng.choices(range(24), hours)[0]
            start = (first_day + offset) * SECONDS_PER_DAY + hour * 3600 + rng.uniform(0, 3600)
            if start > end:
                start = end - rng.uniform(60, 3600)
            day_rows.extend(generator.conversation(start))
        day_rows.sort(key=lambda row: row[2])
        generator.next_day()
        yield day_rows


def create_events_table(engine: Engine) -> None:
    """Rasa's ``events`` table, created by Rasa's own SQLTrackerStore model."""
    from rasa.core.tracker_store import SQLTrackerStore

    SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)


def insert(engine: Engine, rows: Sequence[tuple]) -> None:
    """Append event rows (ids are assigned by the database, in this order)."""
    if not rows:
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            buffer = io.StringIO()
            for sender, type_name, timestamp, intent, action, data in rows:
                fields = [sender, type_name, repr(timestamp), intent, action, data]
                buffer.write("\t".join(_copy_field(value) for value in fields) + "\n")
            buffer.seek(0)
            cursor.copy_expert(
                "COPY events (sender_id, type_name, timestamp, intent_name, action_name, data) FROM STDIN", buffer
            )
        else:
            cursor.executemany(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "VALUES (?, ?, ?, ?, ?, ?)", rows,
            )
        raw.commit()
    finally:
        raw.close()


def _copy_field(value: Optional[str]) -> str:
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def seed(
    engine: Engine, conversations: int, events: int, days: int = 120, end: Optional[float] = None, seed_value: int = 1,
    progress: bool = False,
) -> int:
    """Write ``conversations`` conversations (about ``events`` events) ending at ``end``; returns the event count."""
    create_events_table(engine)
    rng = random.Random(seed_value)
    pools = load_pools()
    written = 0
    for day_rows in generate(conversations, events, days, time.time() if end is None else end, rng, pools):
        insert(engine, day_rows)
        written += len(day_rows)
        if progress:
            print(f"\r{written:,} events", end="", file=sys.stderr, flush=True)
    if progress:
        print(file=sys.stderr)
    return written


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m scripts.review_tools.seed", description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=120, help="spread over this many days up to now")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    parser.add_argument("--db-url", required=True, help="SQLAlchemy URL of the tracker database to fill")
    args = parser.parse_args(argv)
    from review.config import ConfigError

    try:
        url = database_url("--db-url", args.db_url)
    except ConfigError as error:
        parser.error(str(error))
    engine = sa.create_engine(url, future=True)
    started = time.perf_counter()
    written = seed(engine, args.conversations, args.events, args.days, seed_value=args.seed, progress=True)
    print(f"wrote {args.conversations:,} conversations, {written:,} events in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
