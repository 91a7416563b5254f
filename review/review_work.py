"""Staff review work on a conversation: tags, notes, reviewed status and the content-gap marker.

All of it is stored in the app's tables; Rasa's events are never changed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from review.db import EVENTS
from review.queries import TAG
from review.schema import conversations, notes, tags
from review.summary import EventRow

MAX_NOTE = 4000
MAX_TAGS = 20


class ReviewError(ValueError):
    """Review input that cannot be stored; the message says why."""


@dataclass(frozen=True)
class ReviewInput:
    """What the one review form sends: reviewed, content gap, the whole set of tags, and a new note."""

    reviewed: bool
    content_gap: bool
    tags: Tuple[str, ...] = ()
    note: str = ""

    @classmethod
    def parse(cls, reviewed: bool, content_gap: bool, tags_text: str, note: str) -> ReviewInput:
        """Checked input (tags separated by commas); :class:`ReviewError` saying what is wrong."""
        tags = tuple(dict.fromkeys(normalise_tag(tag) for tag in (tags_text or "").split(",") if tag.strip()))
        if len(tags) > MAX_TAGS:
            raise ReviewError(f"Tags: a conversation can have at most {MAX_TAGS} tags")
        note = (note or "").strip()
        if len(note) > MAX_NOTE:
            raise ReviewError(f"Note: at most {MAX_NOTE} characters")
        return cls(reviewed, content_gap, tags, note)


@dataclass(frozen=True)
class Note:
    """A staff note on a conversation."""

    id: int
    author: str
    created_at: float
    text: str


def conversation(engine: Engine, conversation_id: int) -> Optional[Any]:
    """The summary row of one conversation, or None."""
    with engine.connect() as connection:
        return connection.execute(sa.select(conversations).where(conversations.c.id == conversation_id)).first()


def events_of(tracker: Engine, row: Any) -> List[EventRow]:
    """The Rasa events of one conversation (read-only), in id order."""
    query = (
        sa.select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.intent_name,
                  EVENTS.c.action_name, EVENTS.c.data)
        .where(EVENTS.c.sender_id == row.sender_id, EVENTS.c.id.between(row.first_event_id, row.last_event_id))
        .order_by(EVENTS.c.id)
    )
    with tracker.connect() as connection:
        return [EventRow(*event) for event in connection.execute(query)]


def tags_of(connection: Connection, conversation_id: int) -> List[str]:
    """The conversation's tags, alphabetically."""
    rows = connection.execute(
        sa.select(tags.c.tag).where(tags.c.conversation_id == conversation_id).order_by(tags.c.tag)
    )
    return [row[0] for row in rows]


def notes_of(engine: Engine, conversation_id: int) -> List[Note]:
    """The conversation's notes, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(notes).where(notes.c.conversation_id == conversation_id).order_by(notes.c.created_at, notes.c.id)
        )
        return [Note(row.id, row.author, row.created_at, row.text) for row in rows]


def _refresh_tags(connection: Connection, conversation_id: int) -> None:
    names = tags_of(connection, conversation_id)
    connection.execute(
        sa.update(conversations).where(conversations.c.id == conversation_id).values(tags=" ".join(names))
    )


def normalise_tag(tag: str) -> str:
    """A tag as stored: lower case, spaces turned into dashes, checked."""
    tag = "-".join((tag or "").split()).lower()
    if not TAG.fullmatch(tag):
        raise ReviewError("Tag: use 1-40 letters, digits or . : / + - _ (spaces become dashes)")
    return tag


def add_tag(engine: Engine, conversation_id: int, tag: str, author: str, clock: Callable[[], float] = time.time) -> str:
    """Tag a conversation (adding a tag it already has changes nothing)."""
    tag = normalise_tag(tag)
    with engine.begin() as connection:
        present = tags_of(connection, conversation_id)
        if tag in present:
            return tag
        if len(present) >= MAX_TAGS:
            raise ReviewError(f"Tag: a conversation can have at most {MAX_TAGS} tags")
        connection.execute(sa.insert(tags).values(conversation_id=conversation_id, tag=tag, created_by=author,
                                                  created_at=clock()))
        _refresh_tags(connection, conversation_id)
    return tag


def remove_tag(engine: Engine, conversation_id: int, tag: str) -> None:
    """Remove a tag from a conversation."""
    with engine.begin() as connection:
        connection.execute(sa.delete(tags).where(tags.c.conversation_id == conversation_id, tags.c.tag == tag))
        _refresh_tags(connection, conversation_id)


def add_note(
    engine: Engine, conversation_id: int, text: str, author: str, clock: Callable[[], float] = time.time
) -> None:
    """Add a note to a conversation."""
    text = (text or "").strip()
    if not text:
        raise ReviewError("Note: write something first")
    if len(text) > MAX_NOTE:
        raise ReviewError(f"Note: at most {MAX_NOTE} characters")
    with engine.begin() as connection:
        connection.execute(sa.insert(notes).values(conversation_id=conversation_id, author=author, created_at=clock(),
                                                   text=text))


def set_status(engine: Engine, conversation_id: int, reviewed: bool, content_gap: bool, author: str,
               clock: Callable[[], float] = time.time) -> None:
    """Mark a conversation reviewed (or not) and as showing a content gap (or not)."""
    with engine.begin() as connection:
        connection.execute(sa.update(conversations).where(conversations.c.id == conversation_id).values(
            reviewed=reviewed, content_gap=content_gap,
            reviewed_by=author if reviewed else None, reviewed_at=clock() if reviewed else None,
        ))


def save_review(engine: Engine, conversation_id: int, review: ReviewInput, author: str,
                clock: Callable[[], float] = time.time) -> Dict[str, Any]:
    """Save the whole review form in one transaction; what changed (for the audit log)."""
    now = clock()
    with engine.begin() as connection:
        row = connection.execute(
            sa.select(conversations.c.reviewed).where(conversations.c.id == conversation_id)).first()
        status: Dict[str, Any] = {"reviewed": review.reviewed, "content_gap": review.content_gap}
        if review.reviewed and not (row and row.reviewed):
            status.update(reviewed_by=author, reviewed_at=now)
        elif not review.reviewed:
            status.update(reviewed_by=None, reviewed_at=None)
        connection.execute(sa.update(conversations).where(conversations.c.id == conversation_id).values(**status))
        present = tags_of(connection, conversation_id)
        added = [tag for tag in review.tags if tag not in present]
        removed = [tag for tag in present if tag not in review.tags]
        if removed:
            connection.execute(
                sa.delete(tags).where(tags.c.conversation_id == conversation_id, tags.c.tag.in_(removed)))
        if added:
            connection.execute(sa.insert(tags), [{"conversation_id": conversation_id, "tag": tag, "created_by": author,
                                                  "created_at": now} for tag in added])
        _refresh_tags(connection, conversation_id)
        if review.note:
            connection.execute(sa.insert(notes).values(conversation_id=conversation_id, author=author, created_at=now,
                                                       text=review.note))
    return {"conversation_id": conversation_id, "reviewed": review.reviewed, "content_gap": review.content_gap,
            "tags_added": added, "tags_removed": removed, "note_added": bool(review.note)}
