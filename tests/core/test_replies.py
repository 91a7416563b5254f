from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.content_store import ContentStore
from actions.replies import Reply, reply_buttons, reply_text, send_reply


def test_web_reply_is_answer_then_disclaimer(store: ContentStore) -> None:
    text = reply_text(store, Reply("how_they_work"), "rest")
    answer = store.answer("how_they_work")
    assert text == f"{answer.text}\n\n{store.disclaimer.text}"


def test_sms_reply_uses_short_texts(store: ContentStore) -> None:
    text = reply_text(store, Reply("how_they_work"), "twilio")
    answer = store.answer("how_they_work")
    assert text == f"{answer.sms}\n\n{store.disclaimer.sms}"


def test_lead_goes_before_the_answer(store: ContentStore) -> None:
    text = reply_text(store, Reply("alcohol", lead="You asked about duloxetine."), "socketio")
    assert text.startswith("You asked about duloxetine.\n\n")
    assert text.endswith(store.disclaimer.text)


def test_buttons_send_the_topic_title(store: ContentStore) -> None:
    buttons = reply_buttons(store, Reply("greeting", quick_replies=("how_they_work",)))
    title = store.answer("how_they_work").title
    assert buttons == [{"title": title, "payload": title}]


def test_send_reply_tags_content_id(store: ContentStore) -> None:
    dispatcher = CollectingDispatcher()
    send_reply(dispatcher, store, Reply("thanks"), "rest")
    [message] = dispatcher.messages
    assert message["content_id"] == "thanks"
    assert message["text"].endswith(store.disclaimer.text)
