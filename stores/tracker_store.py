"""A SQL tracker store that never forgets a conversation silently.

Rasa wraps every tracker store in ``FailSafeTrackerStore``. When the database
fails, that wrapper returns "no conversation" from ``retrieve`` and saves into an
in-memory store: the processor then starts a **new, empty** conversation for a
patient who has history, answers without its context, and — once the database is
back — ``SQLTrackerStore.save`` compares only event *counts*, so the new turns
are silently dropped or stored out of place. After a PostgreSQL restart every
pooled connection is stale, so the first query of each one fails this way.

:class:`GuardedSQLTrackerStore` (``type: stores.tracker_store.GuardedSQLTrackerStore``
in the endpoints file) instead:

- checks each pooled connection before use (``pool_pre_ping``) and retries a
  failed connection for at most ``retry_seconds`` (a restart takes about a second);
- raises :class:`TrackerStoreUnavailable` when the database stays unreachable, so
  the channel sends the safe reply (clinic contact, disclaimer) instead of an
  answer without context (it is not wrapped in ``FailSafeTrackerStore``);
- stores the events after the last stored one (found by type and timestamp,
  not by counting), so saving the same tracker twice, or retrying a commit whose
  answer was lost, stores nothing twice;
- reports each failed and successful save to :data:`stores.health.STORAGE_HEALTH`
  (shown by the health check, :mod:`channels.health`);
- refuses to save a tracker that does not contain the last stored event
  (:class:`ConversationHistoryMismatch`), so stored history is never overwritten
  or skipped, and logs an error naming the conversation.

Creating the store (Rasa does, from the endpoints file, before it builds its
``Agent``) applies :func:`channels.rasa_patches.apply`, which stops ``Agent`` from
wrapping *this* store in ``FailSafeTrackerStore``; other stores are unaffected.
Importing the module changes nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from functools import partial
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, TypeVar

import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, is_postgresql_url
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from channels import rasa_patches
from stores.health import STORAGE_HEALTH, TRACKER_STORE, describe

logger = logging.getLogger(__name__)

DEFAULT_RETRY_SECONDS = 3.0
DEFAULT_CONNECT_TIMEOUT = 3
FIRST_RETRY_DELAY = 0.1
LONGEST_RETRY_DELAY = 1.0
T = TypeVar("T")


class TrackerStoreUnavailable(Exception):
    """The conversation database cannot be reached (after retrying)."""


class ConversationHistoryMismatch(Exception):
    """A tracker to save does not continue the conversation stored in the database."""


def is_connection_error(error: BaseException) -> bool:
    """True for errors that a new connection may cure (database restarting, connection dropped)."""
    if isinstance(error, sqlalchemy.exc.DisconnectionError):
        return True
    if isinstance(error, sqlalchemy.exc.DBAPIError):
        return error.connection_invalidated or isinstance(
            error, (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)
        )
    return False


class GuardedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store with reconnection, bounded retries and a history check."""

    handles_own_failures = True  # not wrapped in FailSafeTrackerStore (channels.rasa_patches)

    def __init__(
        self,
        domain: Optional[Domain] = None,
        dialect: Text = "sqlite",
        host: Optional[Text] = None,
        port: Optional[int] = None,
        db: Text = "rasa.db",
        username: Optional[Text] = None,
        password: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        login_db: Optional[Text] = None,
        query: Optional[Dict] = None,
        retry_seconds: float = DEFAULT_RETRY_SECONDS,
        connect_timeout: int = DEFAULT_CONNECT_TIMEOUT,
        **kwargs: Any,
    ) -> None:
        """Connect (waiting for the database like Rasa's store), then use a checked pool.

        Args:
            domain: the assistant's domain.
            dialect: SQLAlchemy dialect (``postgresql`` in production, ``sqlite`` for ``make run``).
            host: database host (a full SQLAlchemy URL is accepted too).
            port: database port.
            db: database name (SQLite: file path).
            username: database user.
            password: database password; empty means none.
            event_broker: Rasa event broker, if any.
            login_db: see Rasa's ``SQLTrackerStore`` (creates ``db`` from it).
            query: extra connection options.
            retry_seconds: how long to retry a lost connection before giving up.
            connect_timeout: seconds to wait for a PostgreSQL connection.
            kwargs: passed on to Rasa's tracker store.

        """
        rasa_patches.apply()
        super().__init__(
            domain, dialect, host, port, db, username, password or None, event_broker, login_db, query, **kwargs
        )
        self.retry_seconds = float(retry_seconds)
        url = self.engine.url
        engine_kwargs = create_engine_kwargs(url)
        if is_postgresql_url(url):
            connect_args = engine_kwargs.setdefault("connect_args", {})
            connect_args["connect_timeout"] = int(connect_timeout)
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **engine_kwargs)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrying(self, what: Text, operation: Callable[[], Awaitable[T]]) -> T:
        """Run ``operation``, retrying connection errors for ``retry_seconds``."""
        deadline = time.monotonic() + self.retry_seconds
        delay = FIRST_RETRY_DELAY
        attempts = 0
        while True:
            attempts += 1
            try:
                return await operation()
            except sqlalchemy.exc.SQLAlchemyError as error:
                if not is_connection_error(error):
                    raise
                reason = str(error).strip().splitlines()[0]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    logger.error(
                        "The conversation database is unavailable: could not %s after %d attempts in %.1f s: %s",
                        what, attempts, self.retry_seconds, reason,
                    )
                    raise TrackerStoreUnavailable(
                        f"could not {what}: the conversation database is unavailable"
                    ) from error
                logger.warning("Could not %s (attempt %d), retrying: %s", what, attempts, reason)
                await asyncio.sleep(min(delay, remaining))
                delay = min(delay * 2, LONGEST_RETRY_DELAY)

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        read = partial(super()._retrieve, sender_id, fetch_events_from_all_sessions)
        try:
            tracker = await self._retrying(f"read conversation '{sender_id}'", read)
        except Exception as error:
            STORAGE_HEALTH.failed(TRACKER_STORE, f"could not read a conversation ({describe(error)})")
            raise
        return tracker

    async def keys(self) -> list:
        """The stored conversation ids."""
        return await self._retrying("list conversations", super().keys)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the tracker's new events once, after checking it continues the stored conversation.

        Raises:
            ConversationHistoryMismatch: the tracker does not start with the stored events.
            TrackerStoreUnavailable: the database stayed unreachable.

        """
        await self.stream_events(tracker)
        write = partial(self._store_new_events, tracker)
        try:
            await self._retrying(f"save conversation '{tracker.sender_id}'", write)
        except ConversationHistoryMismatch:
            STORAGE_HEALTH.failed(TRACKER_STORE, "refused to save a conversation that did not continue its history")
            raise
        except Exception as error:
            STORAGE_HEALTH.failed(TRACKER_STORE, f"could not save a conversation ({describe(error)})")
            raise
        STORAGE_HEALTH.succeeded(TRACKER_STORE)

    async def _store_new_events(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            query = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False)
            last = query.order_by(None).order_by(self.SQLEvent.id.desc()).first()
            events = list(tracker.events)
            new_events = events[self._continuation_index(tracker, events, last):]
            for event in new_events:
                session.add(self._row(tracker.sender_id, event))
            session.commit()
        logger.debug("Stored %d new events of conversation '%s'", len(new_events), tracker.sender_id)

    @staticmethod
    def _continuation_index(tracker: DialogueStateTracker, events: List[Event], last: Any) -> int:
        """Index of the tracker's first event after the last stored one.

        Rasa's store skips as many events as the database holds; a tracker that
        does not contain the last stored event (a conversation started afresh after
        a failed read) would then lose its new turns or store them out of place.
        Matching the event itself also makes saving the same tracker twice harmless.

        Raises:
            ConversationHistoryMismatch: the tracker does not contain the last stored event.

        """
        if last is None:
            return 0
        stored = json.loads(last.data)
        for index in range(len(events) - 1, -1, -1):
            event = events[index]
            if event.type_name == last.type_name and event.timestamp == stored.get("timestamp"):
                return index + 1
        logger.error(
            "Refusing to save conversation '%s': its tracker (%d events) does not contain the last stored event "
            "(%s at %s); saving it would lose the conversation's history",
            tracker.sender_id, len(events), last.type_name, stored.get("timestamp"),
        )
        raise ConversationHistoryMismatch(
            f"conversation '{tracker.sender_id}' does not continue its stored history"
        )

    def _row(self, sender_id: Text, event: Any) -> Any:
        data = event.as_dict()
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=event.type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
            action_name=data.get("name"),
            data=json.dumps(data),
        )
