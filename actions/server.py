"""Action server entry point: ``python -m actions.server``.

Loads and validates the content store once, then serves the actions built with
it. It mirrors ``rasa_sdk.endpoint.create_app`` but registers action *instances*,
so the content store is passed in rather than loaded at import time.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import List, Sequence

from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.answer import ActionAnswer, ActionClarify
from actions.base import ContentAction
from actions.fallback import ActionDefaultFallback
from core.content import ContentError, ContentStore
from core.vocabulary import DEFAULT_CONTENT_DIR, SERVED_IDS

logger = logging.getLogger(__name__)


def build_actions(store: ContentStore) -> List[ContentAction]:
    """Every custom action the assistant uses, each given the content store."""
    return [ActionAnswer(store), ActionClarify(store), ActionDefaultFallback(store)]


def load_store(directory: str) -> ContentStore:
    """Load the content store with every id the assistant can serve required."""
    return ContentStore.load(directory, required_ids=SERVED_IDS)


def create_app(store: ContentStore, name: str = "action_server") -> Sanic:
    """Create the Sanic app that serves the actions over Rasa's webhook protocol."""
    app = Sanic(name, configure_logging=False)
    executor = ActionExecutor()
    for action in build_actions(store):
        executor.register_action(action)

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok", "answers": len(store.answers)})

    @app.get("/actions")
    async def actions(_: Request) -> HTTPResponse:
        return response.json([{"name": name} for name in executor.actions])

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        action_call = request.json
        if not isinstance(action_call, dict):
            return response.json({"error": "Invalid body request"}, status=400)
        try:
            result = await executor.run(action_call)
        except ActionExecutionRejection as error:
            return response.json({"error": error.message, "action_name": error.action_name}, status=400)
        except ActionNotFoundException as error:
            logger.error(error)
            return response.json({"error": error.message, "action_name": error.action_name}, status=404)
        return response.json(result)

    return app


def main(argv: Sequence[str] | None = None) -> None:
    """Validate the content store, then run the action server."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=os.environ.get("CONTENT_DIR", DEFAULT_CONTENT_DIR))
    parser.add_argument("--host", default=os.environ.get("ACTION_SERVER_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTION_SERVER_PORT", "5055")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        store = load_store(args.content)
    except ContentError as error:
        sys.exit(f"Content error, action server not started: {error}")
    logger.info("Loaded %d answers from %s", len(store.answers), args.content)
    create_app(store).run(host=args.host, port=args.port, access_log=False)


if __name__ == "__main__":
    main()
