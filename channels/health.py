"""``GET /webhooks/health/``: whether this Rasa process can store conversations.

Answers ``{"status": "ok"}`` or ``{"status": "degraded", "problems": ["tracker_store: ..."]}``
(HTTP 200 either way), the contract :mod:`review.health` reads to show staff a red
banner when conversations may not be stored. Register it in the credentials file as
``channels.health.HealthInput:`` (no settings).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from stores.health import STORAGE_HEALTH, StorageHealth


def health_report(health: StorageHealth) -> Dict[str, Any]:
    """The health check's JSON body."""
    problems = health.problems()
    return {"status": "degraded", "problems": problems} if problems else {"status": "ok"}


class HealthInput(InputChannel):
    """An input channel that takes no messages: it only reports storage health."""

    def __init__(self, health: StorageHealth = STORAGE_HEALTH) -> None:
        self.health = health

    @classmethod
    def name(cls) -> Text:
        return "health"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "HealthInput":
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("health_check", __name__)

        @health.route("/", methods=["GET"])
        async def report(_: Request) -> HTTPResponse:
            return response.json(health_report(self.health))

        return health
