"""Call-back requests: the widget's form and channels/callback_requests.py, with the real
assistant and the real database (a row only with consent, encrypted; nothing in the tracker).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Locator, Page, expect

from channels.callback_requests import MAX_REQUESTS, RequestLimit, check_configuration
from channels.socketio import GuardedSocketIOInput
from core.content import ContentStore
from stores.callbacks import CallbackConfigError
from tests.e2e.servers import RasaServer
from tests.widget.conftest import CallbackDatabase, DemoSite
from tests.widget.helpers import QUESTION, ask, run_async, session_id, start_chat, wait_until, widget

NAME, PHONE = "Alice Callback", "07700 900123"


def rows_for(db: CallbackDatabase, sender: str) -> list[dict]:
    return [row for row in db.rows() if row["sender_id"] == sender]


def open_form(page: Page, demo: DemoSite) -> Locator:
    """Ask a question, say it did not help, and open the call-back form."""
    start_chat(page, demo)
    ask(page, QUESTION)
    page.get_by_role("button", name="No, this was not helpful").click()
    page.get_by_role("button", name="Request a call back").click()
    form = widget(page, "form.callback")
    expect(form).to_be_visible()
    return form


def fill(form: Locator, name: str = NAME, phone: str = PHONE) -> None:
    form.get_by_label("Your name", exact=True).fill(name)
    form.get_by_label("Phone number", exact=True).fill(phone)
    form.get_by_label("Best time to call", exact=True).select_option("Morning")


def last_reply_id(rasa: RasaServer, sender: str) -> Any:
    bots = [e for e in rasa.tracker(sender)["events"] if e["event"] == "bot"]
    return bots[-1]["metadata"].get("content_id") if bots else None


def assert_no_details_in_tracker(rasa: RasaServer, sender: str) -> None:
    events = json.dumps(rasa.tracker(sender)["events"])
    for secret in (NAME, PHONE, "900123", "Callback Alice"):
        assert secret not in events


def test_consent_explains_what_is_kept_and_problems_are_shown(page: Page, demo: DemoSite) -> None:
    form = open_form(page, demo)
    consent = form.get_by_role("checkbox")
    label = consent.evaluate("e => e.labels[0].textContent")
    for words in ("name, phone number and best time to call", "for up to", "opening hours", "not for emergencies"):
        assert words in label
    expect(form).to_contain_text("in an emergency, call 999")
    form.get_by_role("button", name="Send request").click()
    name = form.get_by_label("Your name", exact=True)
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".field-error:visible")).to_have_text(
        ["Enter your name.", "Enter a phone number we can call, like 07700 900123.",
         "Tick the box to agree, or choose \u201cNo thanks\u201d."]
    )


def test_with_consent_the_request_is_stored_encrypted_and_flagged(
    page: Page, demo: DemoSite, rasa: RasaServer, store: ContentStore, callback_db: CallbackDatabase
) -> None:
    form = open_form(page, demo)
    sender = session_id(page)
    fill(form)
    form.get_by_role("button", name="Send request").click()
    # Details without consent are not sent.
    expect(form.get_by_role("checkbox")).to_be_focused()
    assert rows_for(callback_db, sender) == []
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="Send request").click()

    expect(widget(page, ".message.user").last).to_have_text("You said: Please call me back.")
    reply = widget(page, ".message.bot").last
    expect(reply.locator(".answer")).to_have_text(store.answer("callback_saved").summary, timeout=30_000)
    expect(reply.locator(".disclaimer")).to_have_text(store.disclaimer.text)
    expect(page.get_by_label("Your question")).to_be_focused()

    rows = rows_for(callback_db, sender)
    assert len(rows) == 1 and rows[0]["channel"] == "socketio" and rows[0]["status"] == "new"
    raw = " ".join(str(value) for value in rows[0].values())
    assert NAME not in raw and "900123" not in raw and "Morning" not in raw
    fernet = Fernet(callback_db.key.encode("ascii"))
    decrypted = [fernet.decrypt(rows[0][column].encode("ascii")).decode() for column in
                 ("name_enc", "phone_enc", "preferred_time_enc")]
    assert decrypted == [NAME, PHONE, "Morning"]

    # The reply reaches the patient first; then it is recorded with the flag for staff.
    assert wait_until(lambda: last_reply_id(rasa, sender) == "callback_saved")
    events = rasa.tracker(sender)["events"]
    flags = [e["value"] for e in events if e["event"] == "slot" and e["name"] == "review_flags"]
    assert flags and "handoff" in flags[-1]
    assert_no_details_in_tracker(rasa, sender)
    history = page.evaluate("() => JSON.stringify(Object.entries(sessionStorage))")
    assert NAME not in history and "900123" not in history


def test_no_thanks_stores_nothing(
    page: Page, demo: DemoSite, rasa: RasaServer, store: ContentStore, callback_db: CallbackDatabase
) -> None:
    form = open_form(page, demo)
    sender = session_id(page)
    fill(form)
    form.get_by_role("button", name="No thanks").click()
    expect(widget(page, ".message.user").last).to_have_text("You said: No thanks.")
    reply = widget(page, ".message.bot").last
    expect(reply.locator(".answer")).to_have_text(store.answer("callback_not_saved").summary, timeout=30_000)
    expect(reply.locator(".disclaimer")).to_have_text(store.disclaimer.text)
    assert wait_until(lambda: last_reply_id(rasa, sender) == "callback_not_saved")
    assert rows_for(callback_db, sender) == []
    events = rasa.tracker(sender)["events"]
    assert not any(e["event"] == "slot" and e["name"] == "review_flags" for e in events)
    assert_no_details_in_tracker(rasa, sender)


def test_socketio_clients_cannot_store_without_consent_or_flood(
    rasa: RasaServer, demo: DemoSite, store: ContentStore, callback_db: CallbackDatabase
) -> None:
    """A non-browser client: consent must be exactly true, details valid, and requests few."""
    import socketio

    details = {"name": NAME, "phone": PHONE, "preferred_time": "Any time"}

    async def conversation() -> tuple[str, Any, list[tuple[dict, dict]]]:
        client = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        replies: asyncio.Queue = asyncio.Queue()
        client.on("session_confirm", lambda sid: confirmed.set_result(sid))
        client.on("bot_uttered", replies.put_nowait)
        await client.connect(rasa.url, headers={"Origin": demo.url.rstrip("/")}, transports=["polling"])
        try:
            before_session = await client.call("callback_request", {**details, "consent": True}, timeout=10)
            await client.emit("session_request", {"session_id": None})
            sender = await asyncio.wait_for(confirmed, 10)
            answers = []
            for request in (
                {**details, "consent": "yes"},
                {**details, "consent": False},
                {**details, "phone": "call me", "consent": True},
                "not a dict",
                *[{**details, "consent": True}] * (MAX_REQUESTS + 1),
            ):
                ack = await client.call("callback_request", request, timeout=30)
                answers.append((ack, await asyncio.wait_for(replies.get(), 30)))
            return sender, before_session, answers
        finally:
            await client.disconnect()

    sender, before_session, answers = run_async(conversation())
    assert before_session == {"ok": False, "content_id": None}
    expected = ["callback_not_saved"] * 4 + ["callback_saved"] * MAX_REQUESTS + ["rate_limited"]
    assert [ack["content_id"] for ack, _ in answers] == expected
    assert [ack["ok"] for ack, _ in answers] == [content_id == "callback_saved" for content_id in expected]
    for (ack, message) in answers:
        assert message["metadata"]["content_id"] == ack["content_id"]
        assert message["text"].endswith(f"\n\n{store.disclaimer.text}")
        assert message["metadata"]["reply"]["disclaimer"] == store.disclaimer.text
    assert len(rows_for(callback_db, sender)) == MAX_REQUESTS
    assert_no_details_in_tracker(rasa, sender)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"CALLBACK_KEY": "not-a-key"}, "CALLBACK_KEY"),
        ({"CALLBACK_DB_URL": "mysql://db/callbacks"}, "CALLBACK_DB_URL"),
        ({"REVIEW_DB_URL": "::nonsense::"}, "REVIEW_DB_URL"),
    ],
)
def test_bad_settings_stop_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, env: dict, variable: str
) -> None:
    with pytest.raises(CallbackConfigError, match=variable):
        check_configuration(env)
    for name in ("CALLBACK_KEY", "CALLBACK_DB_URL", "REVIEW_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    channel = GuardedSocketIOInput(allowed_origins=["http://localhost:8080"])

    async def on_new_message(message: Any) -> None:
        return None

    with pytest.raises(CallbackConfigError, match=variable):
        channel.blueprint(on_new_message)


def test_request_limit_counts_per_conversation_and_forgets_old_requests() -> None:
    limit = RequestLimit(limit=2, window=60.0)
    for now in (0.0, 1.0):
        assert limit.allows("a", now)
        limit.record("a", now)
    assert not limit.allows("a", 2.0)
    assert limit.allows("b", 2.0)
    assert limit.allows("a", 60.5)  # the first request left the window


def test_a_database_failure_gets_the_error_reply_not_a_crash(store: ContentStore) -> None:
    """PostgreSQL unreachable (nothing listens on the port): the patient is told, with the disclaimer."""
    from channels.callback_requests import CallbackRequests
    from channels.safe_reply import SafeReplies
    from stores.callbacks import store_from_env
    from tests.e2e.servers import free_port

    sent: list[tuple[str, str, dict]] = []

    class Output:
        async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
            sent.append((recipient_id, text, kwargs))

    class Channel:
        app = None  # no agent: nothing to record
        safe_replies = SafeReplies.from_content()

        def get_output_channel(self) -> Output:
            return Output()

    env = {"CALLBACK_DB_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/none",
           "CALLBACK_KEY": Fernet.generate_key().decode()}
    requests = CallbackRequests(Channel(), store=lambda: store_from_env(env))
    ack = run_async(requests.handle("a" * 32, {"name": NAME, "phone": PHONE, "preferred_time": "Any time",
                                               "consent": True}))
    assert ack == {"ok": False, "content_id": "error"}
    [(recipient, text, metadata)] = sent
    assert recipient == "a" * 32 and metadata["content_id"] == "error"
    assert text.endswith(store.disclaimer.text) and NAME not in text
