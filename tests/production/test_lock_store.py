"""AtomicRedisLockStore against the real Redis: concurrent replicas never share a ticket.

Needs Redis (tests/services.py). Keys use a unique prefix and are deleted afterwards.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Iterator, List
from urllib.parse import urlsplit

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from stores.lock_store import AtomicRedisLockStore
from tests.services import redis_available

REPLICAS = 4
TICKETS_PER_REPLICA = 25


@pytest.fixture
def settings() -> Iterator[dict]:
    url = urlsplit(redis_available())
    prefix = f"test{uuid.uuid4().hex[:10]}"
    yield {"host": url.hostname, "port": url.port or 6379, "db": int(url.path.strip("/") or 0), "key_prefix": prefix}
    client = redis.Redis(host=url.hostname, port=url.port or 6379, db=int(url.path.strip("/") or 0))
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def issue_concurrently(stores: List[LockStore], conversation: str) -> List[int]:
    """Each store (a replica) issues tickets for one conversation at the same time as the others."""
    tickets: List[int] = []
    start = threading.Barrier(len(stores))

    def replica(store: LockStore) -> None:
        start.wait()
        for _ in range(TICKETS_PER_REPLICA):
            tickets.append(store.issue_ticket(conversation))

    threads = [threading.Thread(target=replica, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tickets


def test_every_ticket_is_issued_once(settings) -> None:
    stores = [AtomicRedisLockStore(**settings) for _ in range(REPLICAS)]
    tickets = issue_concurrently(stores, "patient")
    assert sorted(tickets) == list(range(REPLICAS * TICKETS_PER_REPLICA))


def test_rasa_redis_lock_store_hands_out_the_same_ticket_twice(settings) -> None:
    """Why the atomic store exists (Rasa 3.6's RedisLockStore reads, changes and writes separately)."""
    stores = [RedisLockStore(**settings) for _ in range(REPLICAS)]
    tickets = issue_concurrently(stores, "patient")
    assert len(set(tickets)) < len(tickets)


def test_created_from_the_endpoints_file_settings(settings) -> None:
    config = EndpointConfig(url=settings["host"], port=str(settings["port"]), db=str(settings["db"]), password="",
                            key_prefix=settings["key_prefix"], type="stores.lock_store.AtomicRedisLockStore")
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.key_prefix.startswith(settings["key_prefix"])


def test_lock_serialises_and_cleans_up(settings) -> None:
    first, second = AtomicRedisLockStore(**settings), AtomicRedisLockStore(**settings)
    order: List[str] = []

    async def handle(store: AtomicRedisLockStore, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock("patient", wait_time_in_seconds=0.05):
            order.append(f"{name} in")
            await asyncio.sleep(0.3)
            order.append(f"{name} out")

    async def both() -> None:
        await asyncio.gather(handle(first, "first", 0), handle(second, "second", 0.05))

    asyncio.run(both())
    assert order == ["first in", "first out", "second in", "second out"]
    assert first.get_lock("patient") is None  # deleted once nobody waits
    ttl = first.red.ttl(first.key_prefix + "other")
    first.issue_ticket("other")
    assert ttl == -2 and 0 < first.red.ttl(first.key_prefix + "other") <= 120


def test_redis_down_is_a_lock_error() -> None:
    store = AtomicRedisLockStore(host="127.0.0.1", port=1, socket_timeout=1)
    with pytest.raises(LockError, match="Error while acquiring lock"):
        store.issue_ticket("patient")
