"""channels/safe_reply.py: a message that fails after its safe reply was sent is logged, not lost silently."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List

from rasa.core.channels.channel import OutputChannel, UserMessage

from channels.safe_reply import SafeReplies, never_silent


class CollectingOutput(OutputChannel):
    """Keeps what would be sent to the patient."""

    def __init__(self) -> None:
        self.sent: List[Dict[str, Any]] = []

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.sent.append(message)


def test_a_failure_after_the_deadline_is_logged(caplog) -> None:
    async def slow_then_failing(message: UserMessage) -> None:
        await asyncio.sleep(0.2)
        raise RuntimeError("Could not acquire lock")

    async def scenario() -> CollectingOutput:
        output = CollectingOutput()
        message = UserMessage("hello", output, "late-sender")
        await never_silent(slow_then_failing, message, SafeReplies.from_content(), deadline=0.05)
        await asyncio.sleep(0.4)
        return output

    with caplog.at_level(logging.ERROR, logger="channels.safe_reply"):
        output = asyncio.run(scenario())
    assert len(output.sent) == 1 and output.sent[0]["text"]
    assert "late-sender failed after its safe reply was sent" in caplog.text
    assert "Could not acquire lock" in caplog.text
