"""One message at a time per conversation, in the order the messages arrived.

Rasa's lock store also serialises a conversation, but a waiting message polls it
once a second, so ten simultaneous messages of one conversation took seconds each
and ran into the reply deadline. Here each conversation has a FIFO
:class:`asyncio.Lock` in front of Rasa: a message enters Rasa when the previous one
of its conversation has finished, so Rasa's lock is free and never polled (on one
replica; several replicas still meet in the shared lock store).

At most ``in_flight`` messages (of all conversations) are handled at once; the
others wait their turn in arrival order. Without that limit a burst of 128
conversations was handled in lockstep and every message took the whole burst's
time (all 128 late); with it, the first messages are answered at once and only
those beyond the replica's capacity wait.
"""

from __future__ import annotations

import asyncio
from typing import Dict


class ConversationQueue:
    """Per-conversation FIFO locks, forgotten when nobody holds or waits for them."""

    def __init__(self, in_flight: int | None = None) -> None:
        self._locks: Dict[str, asyncio.Lock] = {}
        self._users: Dict[str, int] = {}
        self.in_flight = in_flight
        self._slots: asyncio.Semaphore | None = None

    def _slot_pool(self) -> asyncio.Semaphore | None:
        if self.in_flight is not None and self._slots is None:
            self._slots = asyncio.Semaphore(self.in_flight)
        return self._slots

    def __len__(self) -> int:
        """Conversations with a message being handled or waiting."""
        return len(self._locks)

    async def acquire(self, conversation_id: str, timeout: float | None = None) -> bool:
        """Wait for the conversation's turn and a free slot; False if ``timeout`` seconds passed first."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        self._users[conversation_id] = self._users.get(conversation_id, 0) + 1
        try:
            await asyncio.wait_for(lock.acquire(), timeout)
        except asyncio.TimeoutError:
            self._forget(conversation_id)
            return False
        except BaseException:
            self._forget(conversation_id)
            raise
        slots = self._slot_pool()
        if slots is None:
            return True
        remaining = None if timeout is None else max(0.0, timeout - (loop.time() - started))
        try:
            await asyncio.wait_for(slots.acquire(), remaining)
        except BaseException as error:
            lock.release()
            self._forget(conversation_id)
            if isinstance(error, asyncio.TimeoutError):
                return False
            raise
        return True

    def release(self, conversation_id: str) -> None:
        """End the conversation's current turn (the next waiting message goes on)."""
        self._locks[conversation_id].release()
        self._forget(conversation_id)
        if self._slots is not None:
            self._slots.release()

    def _forget(self, conversation_id: str) -> None:
        self._users[conversation_id] -= 1
        if self._users[conversation_id] == 0:
            del self._users[conversation_id], self._locks[conversation_id]
