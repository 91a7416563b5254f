"""What counts as a good answer from each assistant."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

from core.content import PARAGRAPH, ContentStore
from core.replies import Reply, reply_text
from core.vocabulary import BUSY_ID, ERROR_ID, SERVED_IDS
from scripts.bench.load import ReplyCheck, non_empty


def ours(content_dir: Path) -> ReplyCheck:
    """Our assistant: a non-empty turn that ends with the disclaimer and is neither the error nor the busy reply.

    The safe error reply (content id ``error``) is what the channels send when the
    assistant failed, the ``busy`` reply when it was too slow: both count as errors here.
    """
    store = ContentStore.load(content_dir, required_ids=SERVED_IDS)
    disclaimer = store.disclaimer.text.strip()
    error_reply = reply_text(store, Reply(ERROR_ID), "rest").strip()
    busy_reply = reply_text(store, Reply(BUSY_ID), "rest").strip()

    def check(messages: List[Dict[str, Any]]) -> Optional[str]:
        problem = non_empty(messages)
        if problem:
            return problem
        text = PARAGRAPH.join(message.get("text", "") for message in messages).strip()
        if text == error_reply:
            return "safe error reply (action server failed)"
        if text == busy_reply:
            return "busy reply (no answer within REPLY_WAIT_SECONDS)"
        if not text.endswith(disclaimer):
            return "reply without the disclaimer"
        return None

    return check


stock = non_empty
