"""Plain words for staff: channel names and topic titles instead of internal ids.

Topic titles come from the content store (``core.content.ContentStore``, loaded once
per content folder); an id the store does not know (an answer since removed) is
shown as it is.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Dict, List, Tuple

from core.content import ContentStore
from core.vocabulary import INTENT_IDS, REST_CHANNEL, SMS_CHANNEL, TOPIC_IDS, WIDGET_CHANNEL

CHANNEL_NAMES = {WIDGET_CHANNEL: "Web chat", SMS_CHANNEL: "SMS", "twilio": "SMS", REST_CHANNEL: "API"}
NO_CONTENT = "none"
NO_CONTENT_TITLE = "No content yet"
_stores: Dict[Path, ContentStore] = {}
_loading = threading.Lock()


def channel_name(channel: str | None) -> str:
    """``Web chat``, ``SMS``, ``API``, or the channel's own name."""
    return CHANNEL_NAMES.get(channel or "", channel or "unknown")


def content_store(directory: Path) -> ContentStore:
    """The content store in ``directory``, loaded (and checked) once per process."""
    key = directory.resolve()
    with _loading:
        if key not in _stores:
            _stores[key] = ContentStore.load(key)
        return _stores[key]


class Titles:
    """Topic titles by content id."""

    def __init__(self, store: ContentStore) -> None:
        self._titles = {content_id: answer.title for content_id, answer in store.answers.items()}

    def __call__(self, content_id: str | None) -> str:
        """The title of ``content_id`` (``No content yet`` for ``none``; the id itself if unknown)."""
        if content_id == NO_CONTENT:
            return NO_CONTENT_TITLE
        return self._titles.get(content_id or "", content_id or "—")

    def __contains__(self, content_id: str) -> bool:
        return content_id in self._titles

    def correction_choices(self) -> List[Tuple[str, List[Tuple[str, str]]]]:
        """The topics staff can say should have answered, grouped for a ``<select>``: (group, [(id, title)])."""
        topics = [(cid, self(cid)) for cid in TOPIC_IDS if cid in self]
        others = [(cid, self(cid)) for cid in INTENT_IDS if cid in self and cid not in TOPIC_IDS]
        return [("Topics", topics), ("Other answers", others), ("Missing", [(NO_CONTENT, NO_CONTENT_TITLE)])]

    def correctable(self, content_id: str) -> bool:
        """Whether staff may pick ``content_id`` as the topic that should have answered."""
        return content_id == NO_CONTENT or (content_id in INTENT_IDS and content_id in self)
