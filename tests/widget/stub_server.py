"""A small stand-in for Rasa's socket.io channel (python-socketio + aiohttp), for tests.

It confirms every session and answers each ``user_uttered`` with the ``bot_uttered``
payload the test chose for that text, so a test can send the widget replies that the
real assistant cannot (HTML in every part, a ``request_callback`` reply). It records
what the widget sent.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List

import socketio
from aiohttp import web

from tests.e2e.servers import free_port

STUB_SESSION_ID = "5" * 32


@dataclass
class StubServer:
    """Answers each message with ``replies[text]`` (or ``replies["*"]``)."""

    replies: Dict[str, Dict[str, Any]]
    received: List[tuple[str, Any]] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def events(self, name: str) -> List[Any]:
        """The payloads of the events called ``name`` the widget sent."""
        return [data for event, data in self.received if event == name]

    def start(self) -> None:
        """Serve in a thread with its own event loop."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self.port = free_port()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _shutdown(self) -> None:
        await self._sio.shutdown()
        await self._runner.cleanup()
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _serve(self) -> None:
        sio = self._sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        app = web.Application()
        sio.attach(app)

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            self.received.append(("session_request", data))
            await sio.emit("session_confirm", STUB_SESSION_ID, to=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any) -> None:
            self.received.append(("user_uttered", data))
            text = data.get("message") if isinstance(data, dict) else None
            reply = self.replies.get(text) or self.replies.get("*")
            if reply is not None:
                await sio.emit("bot_uttered", reply, to=sid)

        @sio.on("*")
        async def anything_else(event: str, sid: str, data: Any) -> None:
            self.received.append((event, data))

        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
