"""The widget's socket.io channel (channels/socketio.py) against a real Rasa server.

Who owns a conversation (a session id alone no longer resumes one: the server-issued
resume token is needed), and the edges: other id formats, messages before
``session_request``, over-long and malformed messages, and floods.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, List

import pytest
import socketio

from core.content import ContentStore
from tests.channels.conftest import CLIENT_ORIGIN
from tests.e2e.servers import RasaServer

QUESTION = "how long until it works?"
QUIET_SECONDS = 3.0


@dataclass
class WidgetClient:
    """A socket.io client speaking the widget's protocol."""

    client: socketio.AsyncClient
    replies: asyncio.Queue = field(default_factory=asyncio.Queue)
    confirmed: asyncio.Queue = field(default_factory=asyncio.Queue)
    resumes: List[dict] = field(default_factory=list)

    @classmethod
    async def connect(cls, rasa: RasaServer) -> "WidgetClient":
        widget = cls(socketio.AsyncClient(reconnection=False))
        widget.client.on("bot_uttered", widget.replies.put_nowait)
        widget.client.on("session_confirm", widget.confirmed.put_nowait)
        widget.client.on("session_resume", widget.resumes.append)
        await widget.client.connect(rasa.url, headers={"Origin": CLIENT_ORIGIN}, transports=["polling"])
        return widget

    async def session(self, request: Any) -> str:
        await self.client.emit("session_request", request)
        return await asyncio.wait_for(self.confirmed.get(), 10)

    async def say(self, message: Any) -> dict:
        await self.client.emit("user_uttered", message)
        return await asyncio.wait_for(self.replies.get(), 60)

    async def close(self) -> None:
        """Disconnect without waiting for the long-poll to end (up to 25 s)."""
        await self.client.eio.disconnect(abort=True)

    async def nothing_received(self) -> bool:
        try:
            await asyncio.wait_for(self.replies.get(), QUIET_SECONDS)
        except asyncio.TimeoutError:
            return True
        return False

    @property
    def token(self) -> str:
        return self.resumes[-1]["resume_token"]


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def user_texts(rasa: RasaServer, sender: str, expected: int = 1, timeout: float = 60.0) -> List[str]:
    """The user texts of a conversation, once ``expected`` are stored (a reply may come first)."""
    deadline = time.monotonic() + timeout
    while True:
        texts = [event.get("text") for event in rasa.tracker(sender)["events"] if event["event"] == "user"]
        if len(texts) >= expected or time.monotonic() > deadline:
            return texts
        time.sleep(0.5)


def ends_with_disclaimer(message: dict, store: ContentStore) -> bool:
    return message["text"].endswith("\n\n" + store.disclaimer.text)


@pytest.fixture(scope="module")
def rasa(channel_servers: RasaServer) -> RasaServer:
    return channel_servers


def test_a_known_session_id_without_its_token_gets_a_new_session(rasa: RasaServer, store: ContentStore) -> None:
    async def attack() -> tuple:
        patient = await WidgetClient.connect(rasa)
        attacker = await WidgetClient.connect(rasa)
        try:
            session = await patient.session({"session_id": None})
            assert patient.resumes == [{"session_id": session, "resume_token": patient.token}]
            await patient.say(QUESTION)
            hijacked = await attacker.session({"session_id": session})
            reply = await attacker.say("I am writing into your conversation")
            patient_saw_it = not await patient.nothing_received()
            return session, hijacked, reply, patient_saw_it
        finally:
            await patient.close()
            await attacker.close()

    session, hijacked, reply, patient_saw_it = run(attack())
    assert hijacked != session
    assert ends_with_disclaimer(reply, store)
    assert not patient_saw_it
    assert "I am writing into your conversation" not in user_texts(rasa, session, expected=0)


@pytest.mark.parametrize("forged", ["", "1.abc", "other-session", "old-issue-time"])
def test_a_wrong_or_expired_token_gets_a_new_session(rasa: RasaServer, forged: str) -> None:
    async def attempt() -> tuple:
        patient = await WidgetClient.connect(rasa)
        other = await WidgetClient.connect(rasa)
        try:
            session = await patient.session({"session_id": None})
            await other.session({"session_id": None})
            signature = patient.token.split(".")[1]
            token = {"other-session": other.token, "old-issue-time": f"1000000000.{signature}"}.get(forged, forged)
            return session, await other.session({"session_id": session, "resume_token": token})
        finally:
            await patient.close()
            await other.close()

    session, got = run(attempt())
    assert got != session


def test_the_issued_token_resumes_the_conversation(rasa: RasaServer) -> None:
    async def resume() -> tuple:
        first = await WidgetClient.connect(rasa)
        try:
            session = await first.session({"session_id": None})
            await first.say(QUESTION)
            token = first.token
        finally:
            await first.close()
        again = await WidgetClient.connect(rasa)
        try:
            resumed = await again.session({"session_id": session, "resume_token": token})
            reply = await again.say("thanks")
            return session, resumed, again.token, reply
        finally:
            await again.close()

    session, resumed, new_token, reply = run(resume())
    assert resumed == session and new_token
    assert reply["text"]


@pytest.mark.parametrize("requested", ["rest-alice", "sms-" + "0" * 32, "A" * 32, "../../etc", 42, ["x"]])
def test_session_ids_in_other_formats_are_refused(rasa: RasaServer, requested: Any) -> None:
    async def attempt() -> str:
        client = await WidgetClient.connect(rasa)
        try:
            return await client.session({"session_id": requested, "resume_token": "1.x"})
        finally:
            await client.close()

    session = run(attempt())
    assert session != requested and len(session) == 32


def test_a_message_before_session_request_is_answered(rasa: RasaServer, store: ContentStore) -> None:
    async def early() -> tuple:
        client = await WidgetClient.connect(rasa)
        try:
            reply = await client.say({"message": QUESTION})
            return await asyncio.wait_for(client.confirmed.get(), 5), client.token, reply
        finally:
            await client.close()

    session, token, reply = run(early())
    assert len(session) == 32 and token and ends_with_disclaimer(reply, store)


@pytest.mark.parametrize("message", ["not an object", {"message": 12}, {"message": None}, {}])
def test_malformed_messages_get_a_reply_with_the_disclaimer(
    rasa: RasaServer, store: ContentStore, message: Any
) -> None:
    async def send() -> dict:
        client = await WidgetClient.connect(rasa)
        try:
            await client.session({"session_id": None})
            return await client.say(message)
        finally:
            await client.close()

    assert ends_with_disclaimer(run(send()), store)


def test_an_over_long_message_gets_the_too_long_reply_not_a_cut(rasa: RasaServer, store: ContentStore) -> None:
    async def send() -> tuple:
        client = await WidgetClient.connect(rasa)
        try:
            session = await client.session({"session_id": None})
            return session, await client.say({"message": "my pain " * 400})
        finally:
            await client.close()

    session, reply = run(send())
    assert reply["metadata"]["content_id"] == "too_long"
    assert store.answer("too_long").summary in reply["text"] and ends_with_disclaimer(reply, store)
    assert not [text for text in user_texts(rasa, session, expected=0) if text and len(text) >= 2000]


def test_a_flood_gets_a_reply_for_every_message_and_busy_is_logged(rasa: RasaServer, store: ContentStore) -> None:
    count = 26

    async def flood() -> list:
        client = await WidgetClient.connect(rasa)
        try:
            await client.session({"session_id": None})
            for index in range(count):
                await client.client.emit("user_uttered", {"message": f"hello {index}"})
            replies = []
            while len(replies) < count:
                try:
                    replies.append(await asyncio.wait_for(client.replies.get(), 60))
                except asyncio.TimeoutError:
                    break
            return replies
        finally:
            await client.close()

    replies = run(flood())
    log = rasa.log.read_text()
    assert len(replies) == count, ([r["metadata"].get("content_id") for r in replies], log[-3000:])
    assert all(ends_with_disclaimer(reply, store) for reply in replies)
    busy = [reply for reply in replies if reply["metadata"].get("content_id") == "busy"]
    assert busy
    assert "messages waiting; one more got the busy reply" in rasa.log.read_text()


def test_nothing_is_written_with_a_fresh_random_id(rasa: RasaServer) -> None:
    """Guessing is no better than knowing: an unknown well-formed id is not adopted either."""
    guessed = uuid.uuid4().hex

    async def attempt() -> str:
        client = await WidgetClient.connect(rasa)
        try:
            return await client.session({"session_id": guessed})
        finally:
            await client.close()

    assert run(attempt()) != guessed
