from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.base import send_reply
from core.content import ContentStore
from core.replies import Reply, ReplyParts


def test_send_reply_tags_content_id(store: ContentStore) -> None:
    dispatcher = CollectingDispatcher()
    send_reply(dispatcher, store, Reply("thanks"), "rest")
    [message] = dispatcher.messages
    assert message["content_id"] == "thanks"
    assert message["text"].endswith(store.disclaimer.text)


def test_send_reply_carries_the_parts_it_was_composed_from(store: ContentStore) -> None:
    dispatcher = CollectingDispatcher()
    send_reply(dispatcher, store, Reply("alcohol", quick_replies=("missed_dose",)), "socketio")
    [message] = dispatcher.messages
    parts = ReplyParts.from_metadata(message["reply"])
    assert parts is not None
    assert parts.text == message["text"]
    assert parts.buttons() == message["buttons"]
