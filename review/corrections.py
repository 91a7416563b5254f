"""Corrections: the topic that should have answered a patient's message, and their export as NLU data.

On any patient turn of a transcript, staff pick the topic (content id) that should
have answered it, or "no content yet". Each correction keeps the patient's text as
masked on screen, the intent the assistant predicted and the topic it served; it
lives in ``review_corrections`` and goes with its conversation at purge time.
``review export-corrections`` (and the Corrections page) write them as Rasa NLU
training YAML: one ``intent`` per topic (intents are named after the content id that
answers them), masked examples, and the "no content yet" messages as comments for
the clinicians. A developer reviews the file before adding any of it to data/nlu/.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from review.cleaning import clean_text
from review.schema import corrections
from review.wording import NO_CONTENT

INTENT_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
MAX_TEXT = 2000


@dataclass(frozen=True)
class Correction:
    """One correction."""

    id: int
    conversation_id: int
    event_id: int
    text: str
    intent: Optional[str]
    served: Optional[str]
    topic: str
    created_by: str
    created_at: float


def _correction(row: sa.engine.Row) -> Correction:
    return Correction(row.id, row.conversation_id, row.event_id, row.text, row.intent, row.served, row.topic,
                      row.created_by, row.created_at)


def save(engine: Engine, conversation_id: int, event_id: int, text: str, intent: Optional[str],
         served: Optional[str], topic: str, author: str, clock: Callable[[], float] = time.time) -> None:
    """Store (or replace) the correction of one patient turn; ``text`` is the masked message."""
    values = {"text": clean_text(text)[:MAX_TEXT], "intent": (intent or "")[:64] or None,
              "served": (served or "")[:64] or None, "topic": topic[:64], "created_by": author[:64],
              "created_at": clock()}
    where = (corrections.c.conversation_id == conversation_id) & (corrections.c.event_id == event_id)
    for _ in range(2):  # a second try updates the row another request inserted at the same moment
        try:
            with engine.begin() as connection:
                if connection.execute(sa.update(corrections).where(where).values(**values)).rowcount == 0:
                    connection.execute(sa.insert(corrections).values(conversation_id=conversation_id,
                                                                     event_id=event_id, **values))
            return
        except IntegrityError:
            continue


def remove(engine: Engine, conversation_id: int, event_id: int) -> bool:
    """Take back the correction of one turn; whether there was one."""
    with engine.begin() as connection:
        return connection.execute(sa.delete(corrections).where(
            corrections.c.conversation_id == conversation_id, corrections.c.event_id == event_id)).rowcount > 0


def of_conversation(engine: Engine, conversation_id: int) -> Dict[int, Correction]:
    """The conversation's corrections by event id."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(corrections).where(corrections.c.conversation_id == conversation_id))
        return {row.event_id: _correction(row) for row in rows}


def newest(engine: Engine, limit: int = 100, offset: int = 0) -> List[Correction]:
    """Corrections, newest first."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(corrections).order_by(corrections.c.created_at.desc(),
                                                                  corrections.c.id.desc()).limit(limit).offset(offset))
        return [_correction(row) for row in rows]


def count(connection: Connection) -> int:
    """How many corrections there are."""
    return int(connection.execute(sa.select(sa.func.count()).select_from(corrections)).scalar() or 0)


def everything(engine: Engine) -> List[Correction]:
    """Every correction, oldest first (for the export)."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(corrections).order_by(corrections.c.created_at, corrections.c.id))
        return [_correction(row) for row in rows]


def training_text(text: str) -> str:
    """A masked message as one NLU example line: one line, no ``[...]`` (Rasa's entity mark-up)."""
    flat = " ".join(clean_text(text).replace("\ufffd", " ").split())
    return flat.replace("[", "(").replace("]", ")")


def nlu_yaml(items: Iterable[Correction], header: str) -> str:
    """Rasa NLU training data (YAML, format 3.1) from corrections, with "no content yet" ones as comments."""
    by_topic: Dict[str, List[str]] = {}
    missing: List[str] = []
    for item in items:
        example = training_text(item.text)
        if not example:
            continue
        if item.topic == NO_CONTENT:
            missing.append(example)
        elif INTENT_NAME.fullmatch(item.topic):
            by_topic.setdefault(item.topic, []).append(example)
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += ['version: "3.1"', "nlu:" if by_topic else "nlu: []"]
    for topic in sorted(by_topic):
        lines += [f"- intent: {topic}", "  examples: |"]
        lines += [f"    - {example}" for example in dict.fromkeys(by_topic[topic])]
    if missing:
        lines += ["", "# No content yet: messages staff said no answer covers (for the clinicians, not for training):"]
        lines += [f"#   - {example}" for example in dict.fromkeys(missing)]
    return "\n".join(lines) + "\n"
