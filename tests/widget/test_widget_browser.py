"""The chat widget in a real browser (Chromium) against the real running assistant."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import requests
import socketio
import websockets
from playwright.sync_api import BrowserContext, Page, expect

from core.content import PARAGRAPH, ContentStore
from core.replies import ReplyParts
from scripts.widget_size import BUDGET_BYTES, gzipped_sizes
from tests.e2e.servers import RasaServer
from tests.widget.conftest import XSS_PAYLOAD, DemoSite
from tests.widget.helpers import (
    QUESTION,
    QUESTION_ID,
    REPLY_TIMEOUT_MS,
    SETTINGS,
    ask,
    axe_violations,
    feedback_slots,
    focused,
    open_widget,
    run_async,
    session_id,
    start_chat,
    tab_to,
    wait_until,
    widget,
)

# -- the whole patient journey ---------------------------------------------------------


def test_intro_question_answer_feedback_and_reload(
    page: Page, demo: DemoSite, rasa: RasaServer, store: ContentStore
) -> None:
    open_widget(page, demo)
    intro = widget(page, ".intro")
    expect(intro).to_contain_text("automated assistant, not a person")
    expect(intro).to_contain_text("not for emergencies")
    expect(intro).to_contain_text(f"In an emergency, call {SETTINGS['emergency_number']}.")
    expect(widget(page, ".log")).to_be_hidden()

    page.get_by_role("button", name="Start").click()
    # Record whether the typing indicator shows while the reply is on its way.
    widget(page, ".typing").evaluate(
        """typing => new MutationObserver(() => { if (!typing.hidden) window.typingShown = true; })
            .observe(typing, {attributes: true})"""
    )
    answer = ask(page, QUESTION)
    assert page.evaluate("() => window.typingShown") is True
    expected = store.answer(QUESTION_ID)
    expect(widget(page, ".message.user")).to_have_text(f"You said: {QUESTION}")
    for paragraph in expected.text.split(PARAGRAPH):
        expect(answer).to_contain_text(paragraph)
    expect(answer.locator(".disclaimer")).to_have_text(store.disclaimer.text)
    expect(answer.locator(".disclaimer")).to_have_css("font-size", "13px")
    expect(answer.locator(".quick button")).to_have_text([store.answer(i).title for i in expected.follow_ups])

    page.get_by_role("button", name="Yes, this was helpful").click()
    expect(answer.locator(".thanks")).to_have_text("Thank you for your feedback.")
    sender = session_id(page)
    assert wait_until(lambda: feedback_slots(rasa, sender)) == [{"content_id": QUESTION_ID, "helpful": True}]
    user_events = [e for e in rasa.tracker(sender)["events"] if e["event"] == "user"]
    assert [(e["text"], e["input_channel"]) for e in user_events] == [(QUESTION, "socketio")]

    page.reload()
    expect(widget(page, ".panel")).to_be_visible()
    expect(widget(page, ".message.user")).to_have_text(f"You said: {QUESTION}")
    restored = widget(page, ".message.bot")
    expect(restored).to_have_count(1)
    for paragraph in expected.text.split(PARAGRAPH):
        expect(restored).to_contain_text(paragraph)
    expect(restored.locator(".disclaimer")).to_have_text(store.disclaimer.text)
    expect(restored.locator(".thanks")).to_be_visible()

    # The conversation carries on in the same session after the reload.
    follow_up = store.answer(expected.follow_ups[0])
    restored.get_by_role("button", name=follow_up.title).click()
    expect(widget(page, ".message.bot")).to_have_count(2, timeout=REPLY_TIMEOUT_MS)
    for paragraph in follow_up.text.split(PARAGRAPH):
        expect(widget(page, ".message.bot").nth(1)).to_contain_text(paragraph)
    assert session_id(page) == sender
    served = [e["metadata"].get("content_id") for e in rasa.tracker(sender)["events"] if e["event"] == "bot"]
    assert served == [QUESTION_ID, follow_up.id]


def test_dropped_connection_reconnects_and_keeps_the_conversation(
    page: Page, demo: DemoSite, rasa: RasaServer, store: ContentStore
) -> None:
    start_chat(page, demo)
    ask(page, QUESTION)
    sender = session_id(page)
    page.evaluate("() => window.clinicChatWidget.connection.socket.io.engine.close()")
    expect(widget(page, ".banner")).to_contain_text(SETTINGS["clinic_phone"])
    expect(widget(page, ".banner")).to_be_empty(timeout=20_000)
    answer = ask(page, "what if I miss a dose?")
    expect(answer.locator(".disclaimer")).to_have_text(store.disclaimer.text)
    assert session_id(page) == sender
    assert len([e for e in rasa.tracker(sender)["events"] if e["event"] == "bot"]) == 2


def test_server_unreachable_shows_the_clinic_phone(page: Page, offline_demo: DemoSite) -> None:
    start_chat(page, offline_demo)
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("can\u2019t reach the assistant")
    expect(banner).to_contain_text(f"call {SETTINGS['clinic_name']} on {SETTINGS['clinic_phone']}")
    expect(banner).to_contain_text(f"In an emergency, call {SETTINGS['emergency_number']}.")
    expect(banner.get_by_role("link", name=SETTINGS["clinic_phone"])).to_have_attribute("href", "tel:01632960000")


# -- keyboard and accessibility ----------------------------------------------------------


def test_keyboard_only(page: Page, demo: DemoSite, store: ContentStore) -> None:
    page.goto(demo.url)
    tab_to(page, lambda e: e["text"] == "Ask about your medicine")
    page.keyboard.press("Enter")
    assert focused(page)["text"] == "Start"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "chat-input"

    page.keyboard.type(QUESTION)
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Send"
    page.keyboard.press("Enter")
    expect(widget(page, ".message.bot")).to_have_count(1, timeout=REPLY_TIMEOUT_MS)
    assert focused(page)["id"] == "chat-input"

    tab_to(page, lambda e: e["label"] == "Yes, this was helpful")
    page.keyboard.press("Enter")
    expect(widget(page, ".thanks")).to_be_visible()
    assert focused(page)["id"] == "chat-input"

    follow_up = store.answer(store.answer(QUESTION_ID).follow_ups[0])
    tab_to(page, lambda e: e["text"] == follow_up.title)
    page.keyboard.press("Enter")
    expect(widget(page, ".message.bot")).to_have_count(2, timeout=REPLY_TIMEOUT_MS)
    assert focused(page)["id"] == "chat-input"

    page.keyboard.press("Escape")
    expect(widget(page, ".panel")).to_be_hidden()
    assert focused(page)["text"] == "Ask about your medicine"
    page.keyboard.press("Enter")
    expect(widget(page, ".panel")).to_be_visible()
    assert focused(page)["id"] == "chat-input"
    tab_to(page, lambda e: e["label"] == "Close chat")
    page.keyboard.press("Enter")
    expect(widget(page, ".panel")).to_be_hidden()
    assert focused(page)["text"] == "Ask about your medicine"


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 375, "height": 812}])
def test_axe_finds_no_violations(page: Page, demo: DemoSite, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    page.goto(demo.url)
    assert axe_violations(page) == []
    open_widget(page, demo)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start").click()
    ask(page, QUESTION)
    assert axe_violations(page) == []
    live = widget(page, "[aria-live=polite]")
    expect(live).to_have_attribute("role", "log")
    expect(live.locator(".message")).to_have_count(2)


def test_phone_layout_is_full_screen(context: BrowserContext, demo: DemoSite) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 812})
    open_widget(page, demo)
    box = widget(page, ".panel").bounding_box()
    assert box == {"x": 0, "y": 0, "width": 375, "height": 812}
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    # The panel covers the page, so Tab stays inside it.
    assert focused(page)["text"] == "Start"
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Close chat"
    page.keyboard.press("Shift+Tab")
    assert focused(page)["text"] == "Start"


def test_page_styles_do_not_leak_in(page: Page, demo: DemoSite) -> None:
    open_widget(page, demo)
    start = widget(page, "button.primary")
    # The demo page styles every button in Courier, upper case, with a dashed border.
    expect(start).to_have_css("text-transform", "none")
    expect(start).to_have_css("border-top-style", "none")
    assert "Courier" not in start.evaluate("e => getComputedStyle(e).fontFamily")
    # ...and hides anything with class "panel" or role=dialog.
    expect(widget(page, ".panel")).to_be_in_viewport()


def test_works_under_a_strict_content_security_policy(page: Page, csp_demo: DemoSite, store: ContentStore) -> None:
    """A clinic page that forbids inline styles and scripts still gets a styled, working widget."""
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security" in message.text else None)
    start_chat(page, csp_demo)
    expect(widget(page, ".header")).to_have_css("background-color", "rgb(29, 107, 95)")
    answer = ask(page, QUESTION)
    expect(answer.locator(".disclaimer")).to_have_text(store.disclaimer.text)
    # The one inline style blocked is the demo page's own <style>, not the widget's.
    assert sum("inline style" in message for message in blocked) == 1, blocked


# -- security ---------------------------------------------------------------------------


def test_html_in_user_text_is_shown_literally(page: Page, demo: DemoSite) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    start_chat(page, demo)
    ask(page, XSS_PAYLOAD)
    expect(widget(page, ".message.user p")).to_have_text(XSS_PAYLOAD)
    page.reload()
    expect(widget(page, ".message.user p").first).to_have_text(XSS_PAYLOAD)
    assert widget(page, "img").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []


def polling_url(rasa: RasaServer) -> str:
    return f"{rasa.url}/socket.io/"


def test_foreign_origin_is_refused(rasa: RasaServer, demo: DemoSite) -> None:
    params = {"EIO": "4", "transport": "polling"}
    allowed = demo.url.rstrip("/")

    refused = requests.get(polling_url(rasa), params=params, headers={"Origin": "http://evil.example"}, timeout=10)
    assert refused.status_code == 400
    accepted = requests.get(polling_url(rasa), params=params, headers={"Origin": allowed}, timeout=10)
    assert accepted.status_code == 200 and accepted.text.startswith("0{")
    assert accepted.headers["Access-Control-Allow-Origin"] == allowed

    # Without an Origin header engine.io lets the handshake through, but the
    # channel's connect handler refuses to open the socket.io session.
    handshake = requests.get(polling_url(rasa), params=params, timeout=10)
    sid = json.loads(handshake.text[1:])["sid"]
    requests.post(polling_url(rasa), params={**params, "sid": sid}, data="40", timeout=10).raise_for_status()
    reply = requests.get(polling_url(rasa), params={**params, "sid": sid}, timeout=10)
    assert reply.text.startswith("44") and "origin not allowed" in reply.text

    async def websocket_from(origin: str) -> str:
        url = f"ws://127.0.0.1:{rasa.port}/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, origin=origin, open_timeout=10) as websocket:
            return await asyncio.wait_for(websocket.recv(), 10)

    with pytest.raises(websockets.exceptions.InvalidStatusCode):
        run_async(websocket_from("http://evil.example"))
    assert run_async(websocket_from(allowed)).startswith("0{")


def test_polling_transport_passes_the_browsers_cors_check(page: Page, demo: DemoSite, rasa: RasaServer) -> None:
    """The widget falls back to long-polling where WebSockets are blocked: that needs CORS."""
    page.goto(demo.url)
    body = page.evaluate("async url => (await fetch(url)).text()", f"{polling_url(rasa)}?EIO=4&transport=polling")
    assert body.startswith("0{")


def test_socketio_channel_guards_text_and_feedback(rasa: RasaServer, demo: DemoSite, store: ContentStore) -> None:
    """A non-browser client: no /intent injection, feedback only for content sent."""

    async def conversation() -> tuple[str, list[dict], dict, dict]:
        client = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        replies: asyncio.Queue = asyncio.Queue()
        client.on("session_confirm", lambda sid: confirmed.set_result(sid))
        client.on("bot_uttered", replies.put_nowait)
        await client.connect(rasa.url, headers={"Origin": demo.url.rstrip("/")}, transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": None})
            sender = await asyncio.wait_for(confirmed, 10)
            messages = []
            for text in ('/greeting{"feedback": {"content_id": "greeting", "helpful": true}}', QUESTION):
                await client.emit("user_uttered", {"message": text, "session_id": sender})
                messages.append(await asyncio.wait_for(replies.get(), 60))
            unknown = await client.call(
                "feedback", {"session_id": sender, "content_id": "not_sent", "helpful": True}, timeout=10
            )
            known = await client.call(
                "feedback", {"session_id": sender, "content_id": QUESTION_ID, "helpful": False}, timeout=10
            )
            return sender, messages, unknown, known
        finally:
            await client.disconnect()

    sender, messages, unknown, known = run_async(conversation())
    for message in messages:
        assert message["text"].endswith(f"\n\n{store.disclaimer.text}")
    assert messages[1]["metadata"]["content_id"] == QUESTION_ID
    parts = ReplyParts.from_metadata(messages[1]["metadata"]["reply"])
    assert parts is not None and parts.content_id == QUESTION_ID and parts.text == messages[1]["text"]
    assert [b["payload"] for b in messages[1]["quick_replies"]] == [
        store.answer(i).title for i in store.answer(QUESTION_ID).follow_ups
    ]
    assert unknown == {"ok": False} and known == {"ok": True}
    tracker = rasa.tracker(sender)
    first_user = next(e for e in tracker["events"] if e["event"] == "user")
    assert not first_user["text"].startswith("/")
    assert feedback_slots(rasa, sender) == [{"content_id": QUESTION_ID, "helpful": False}]


def test_widget_fits_the_size_budget(built_widget: Path) -> None:
    sizes = gzipped_sizes(built_widget.parent)
    assert "widget.js" in sizes
    assert sum(gzipped for _, gzipped in sizes.values()) <= BUDGET_BYTES


# -- conversation ownership and long messages -------------------------------------------


def test_the_widget_keeps_the_resume_token_and_a_copied_session_id_alone_resumes_nothing(
    page: Page, demo: DemoSite, rasa: RasaServer
) -> None:
    start_chat(page, demo)
    ask(page, QUESTION)
    sender = session_id(page)
    token = page.evaluate("() => Object.entries(localStorage).find(([key]) => key.endsWith(':resume'))?.[1]")
    assert token and token.count(".") == 1
    # Another browser that copied only the session id gets a conversation of its own.
    page.evaluate("() => Object.keys(localStorage).filter(k => k.endsWith(':resume'))"
                  ".forEach(k => localStorage.removeItem(k))")
    page.reload()
    expect(widget(page, ".panel")).to_be_visible()
    assert wait_until(lambda: session_id(page) != sender)


def test_pasted_text_over_2000_characters_is_not_cut_and_gets_the_too_long_reply(
    page: Page, demo: DemoSite, rasa: RasaServer, store: ContentStore
) -> None:
    start_chat(page, demo)
    long_text = "my feet burn at night " * 120  # 2,640 characters
    box = page.get_by_label("Your question")
    box.fill(long_text)
    assert len(box.input_value()) == len(long_text)
    expect(widget(page, "#chat-hint")).to_contain_text("2,000")
    box.press("Enter")
    reply = widget(page, ".message.bot").last
    expect(reply).to_contain_text(store.answer("too_long").summary, timeout=REPLY_TIMEOUT_MS)
    expect(reply.locator(".disclaimer")).to_have_text(store.disclaimer.text)
