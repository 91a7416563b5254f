"""Bring an existing review database up to the current tables (new columns), keeping all review work.

``metadata.create_all`` adds missing tables but not missing columns. The summary
columns added since a database was created are added here, and the sync watermark
goes back to 0 so every conversation is summarised again (the update path keeps
the review work: reviewed, content gap, tags, notes, corrections).
"""

from __future__ import annotations

import logging
from typing import List

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from review.schema import SYNC_STATE_NAME, conversations, sync_state

logger = logging.getLogger(__name__)


def missing_columns(engine: Engine) -> List[sa.Column]:
    """Columns of ``review_conversations`` the database's table lacks."""
    present = {column["name"] for column in sa.inspect(engine).get_columns(conversations.name)}
    return [column for column in conversations.columns if column.name not in present]


def upgrade(engine: Engine) -> List[str]:
    """Add missing columns (and re-summarise everything if any were added); the names added."""
    missing = missing_columns(engine)
    if not missing:
        return []
    with engine.begin() as connection:
        for column in missing:
            kind = column.type.compile(dialect=engine.dialect)
            default = column.server_default.arg if column.server_default is not None else None
            clause = f" NOT NULL DEFAULT '{default}'" if default is not None and not column.nullable else ""
            connection.exec_driver_sql(f"ALTER TABLE {conversations.name} ADD COLUMN {column.name} {kind}{clause}")
        connection.execute(sa.update(sync_state).where(sync_state.c.name == SYNC_STATE_NAME)
                           .values(watermark=0, held_since=None))
    names = [column.name for column in missing]
    logger.warning("review database upgraded: added %s; every conversation will be summarised again",
                   ", ".join(names))
    return names
