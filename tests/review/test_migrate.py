"""An existing review database gets the new summary columns, keeps its review work and is summarised again."""

from __future__ import annotations

import sqlalchemy as sa

from review.db import review_engine
from review.migrate import missing_columns
from review.schema import conversations, sync_state
from review.sync import sync
from tests.review.helpers import conversation_ids

NEW = ("flagged_event_id", "flagged_preview")


def test_an_old_database_is_upgraded_without_losing_review_work(backend, review_db) -> None:
    sync(backend.tracker, review_db)
    cid = conversation_ids(review_db)["rest-patient-crisis"]
    with review_db.begin() as connection:
        connection.execute(sa.update(conversations).where(conversations.c.id == cid)
                           .values(reviewed=True, reviewed_by="rita", tags="kept"))
        for name in NEW:  # the table as the previous release created it
            connection.exec_driver_sql(f"ALTER TABLE review_conversations DROP COLUMN {name}")
    assert [column.name for column in missing_columns(review_db)] == list(NEW)
    upgraded = review_engine(backend.review_url)
    try:
        assert missing_columns(upgraded) == []
        with upgraded.connect() as connection:
            assert connection.execute(sa.select(sync_state.c.watermark)).scalar() == 0
        sync(backend.tracker, upgraded)
        with upgraded.connect() as connection:
            row = connection.execute(sa.select(conversations).where(conversations.c.id == cid)).one()
        assert (row.reviewed, row.reviewed_by, row.tags) == (True, "rita", "kept")
        assert row.flagged_preview == "i want to kill myself" and row.flagged_event_id > row.first_event_id
    finally:
        upgraded.dispose()
