"""One message at a time per conversation, in arrival order."""

from __future__ import annotations

import asyncio
from typing import List

from channels.conversation_queue import ConversationQueue


async def _take_turns(queue: ConversationQueue, conversation: str, count: int) -> List[int]:
    entered: List[int] = []
    inside = 0

    async def turn(number: int) -> None:
        nonlocal inside
        assert await queue.acquire(conversation)
        inside += 1
        assert inside == 1, "two messages of one conversation at once"
        entered.append(number)
        await asyncio.sleep(0.01 * (count - number))  # earlier messages take longer
        inside -= 1
        queue.release(conversation)

    await asyncio.gather(*(turn(number) for number in range(count)))
    return entered


def test_messages_of_one_conversation_take_turns_in_arrival_order() -> None:
    queue = ConversationQueue()
    assert asyncio.run(_take_turns(queue, "patient", 10)) == list(range(10))
    assert len(queue) == 0


def test_conversations_do_not_wait_for_each_other() -> None:
    async def scenario() -> bool:
        queue = ConversationQueue()
        assert await queue.acquire("first")
        return await queue.acquire("second", timeout=0.05)

    assert asyncio.run(scenario()) is True


def test_a_wait_longer_than_the_timeout_gives_up_and_leaves_the_queue_usable() -> None:
    async def scenario() -> tuple[bool, bool, int]:
        queue = ConversationQueue()
        assert await queue.acquire("patient")
        timed_out = await queue.acquire("patient", timeout=0.05)
        queue.release("patient")
        again = await queue.acquire("patient", timeout=0.05)
        queue.release("patient")
        return timed_out, again, len(queue)

    assert asyncio.run(scenario()) == (False, True, 0)
