"""One message at a time per conversation, in the order the messages arrived.

Rasa's lock store also serialises a conversation, but a waiting message polls it
once a second, so ten simultaneous messages of one conversation took seconds each
and ran into the reply deadline. Here each conversation has a FIFO
:class:`asyncio.Lock` in front of Rasa: a message enters Rasa when the previous one
of its conversation has finished, so Rasa's lock is free and never polled (on one
replica; several replicas still meet in the shared lock store).
"""

from __future__ import annotations

import asyncio
from typing import Dict


class ConversationQueue:
    """Per-conversation FIFO locks, forgotten when nobody holds or waits for them."""

    def __init__(self) -> None:
        self._locks: Dict[str, asyncio.Lock] = {}
        self._users: Dict[str, int] = {}

    def __len__(self) -> int:
        """Conversations with a message being handled or waiting."""
        return len(self._locks)

    async def acquire(self, conversation_id: str, timeout: float | None = None) -> bool:
        """Wait for the conversation's turn; False if ``timeout`` seconds passed first."""
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
        return True

    def release(self, conversation_id: str) -> None:
        """End the conversation's current turn (the next waiting message goes on)."""
        self._locks[conversation_id].release()
        self._forget(conversation_id)

    def _forget(self, conversation_id: str) -> None:
        self._users[conversation_id] -= 1
        if self._users[conversation_id] == 0:
            del self._users[conversation_id], self._locks[conversation_id]
