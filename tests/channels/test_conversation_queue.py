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


def test_at_most_in_flight_messages_are_handled_at_once_first_come_first_served() -> None:
    async def scenario() -> tuple[int, List[int]]:
        queue = ConversationQueue(in_flight=2)
        inside, most, entered = 0, 0, []

        async def message(number: int) -> None:
            nonlocal inside, most
            await asyncio.sleep(number * 0.001)  # arrival order
            assert await queue.acquire(f"conversation-{number}")
            inside += 1
            most = max(most, inside)
            entered.append(number)
            await asyncio.sleep(0.01)
            inside -= 1
            queue.release(f"conversation-{number}")

        await asyncio.gather(*(message(number) for number in range(8)))
        return most, entered

    assert asyncio.run(scenario()) == (2, list(range(8)))


def test_a_message_without_a_free_slot_in_time_gives_up_and_frees_its_conversation() -> None:
    async def scenario() -> tuple[bool, bool, int]:
        queue = ConversationQueue(in_flight=1)
        assert await queue.acquire("busy")
        no_slot = await queue.acquire("other", timeout=0.05)
        queue.release("busy")
        later = await queue.acquire("other", timeout=0.05)
        queue.release("other")
        return no_slot, later, len(queue)

    assert asyncio.run(scenario()) == (False, True, 0)
