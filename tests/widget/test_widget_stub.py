"""The widget against a stand-in socket.io server: replies the real assistant cannot send.

Content can no longer hold HTML (the content store refuses it), so the escaping test
sends HTML in the bot message's text and in every part itself. The stand-in also
sends a ``request_callback`` reply (an intent the lead is adding) and a reply with a
bullet list and a long tail of details.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.widget.conftest import DemoSite, serve_demo
from tests.widget.helpers import ask, start_chat, tel, widget
from tests.widget.stub_server import StubServer

HTML = {
    "text": '<img src=x onerror="window.pwned=1">',
    "lead": "<script>window.pwned=2</script>",
    "answer": '<iframe src="javascript:window.pwned=3"></iframe>',
    "paragraph": '<svg onload="window.pwned=4"><b>bold</b></svg>',
    "item": '<a href="javascript:window.pwned=5">link</a>',
    "disclaimer": '<style>*{display:none}</style><img src=x onerror="window.pwned=6">',
    "button": '<img src=x onerror="window.pwned=7">',
    "number": '<img src=x onerror="window.pwned=8">',
}
DISCLAIMER = "This is general information, not medical advice for you."


def parts(**fields: Any) -> Dict[str, Any]:
    """Reply parts as core/replies.py sends them, with ``fields`` changed."""
    return {
        "kind": "answer",
        "content_id": "stub_answer",
        "lead": None,
        "answer": "The direct answer.",
        "details": [],
        "disclaimer": DISCLAIMER,
        "quick_replies": [],
        "rate": True,
        "sms": False,
        "contacts": [{"role": "clinic", "number": "01632 960000", "tel": "tel:01632960000"}],
        **fields,
    }


def bot_message(text: str, reply: Dict[str, Any]) -> Dict[str, Any]:
    return {"text": text, "quick_replies": reply["quick_replies"], "metadata": {"content_id": reply["content_id"],
                                                                                 "reply": reply}}


HTML_REPLY = parts(
    content_id=HTML["text"],
    lead=HTML["lead"],
    answer=HTML["answer"],
    details=[HTML["paragraph"], [HTML["item"], HTML["text"]]],
    disclaimer=HTML["disclaimer"],
    quick_replies=[{"title": HTML["button"], "payload": HTML["button"]}],
    contacts=[{"role": "emergency", "number": HTML["number"], "tel": "javascript:window.pwned=9"}],
)
LIST_REPLY = parts(
    content_id="stub_list",
    answer="Short answer first.",
    details=["First detail.", ["One", "Two"], "Third detail, folded away.", "Fourth detail, folded away."],
)
CALLBACK_REPLY = parts(content_id="request_callback", kind="service", rate=False,
                       answer="I can ask the clinic to call you back.")
REPLIES = {
    "html please": bot_message(HTML["text"], HTML_REPLY),
    "emergency html": bot_message(HTML["text"], {**HTML_REPLY, "kind": "emergency", "rate": True}),
    "plain text only": {"text": HTML["text"] + "\n\nSecond paragraph", "metadata": {}},
    "list please": bot_message("Short answer first.", LIST_REPLY),
    "call me": bot_message(CALLBACK_REPLY["answer"], CALLBACK_REPLY),
}


@pytest.fixture(scope="module")
def stub() -> Iterator[StubServer]:
    server = StubServer(REPLIES)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def stub_demo(stub: StubServer) -> Iterator[DemoSite]:
    yield from serve_demo(stub.url)


def created_elements(page: Page) -> list[str]:
    """Tags of elements in the widget that no widget code creates, and any on* attributes."""
    return page.evaluate(
        """() => {
            const root = document.querySelector('clinic-chat-widget').shadowRoot;
            const found = [...root.querySelectorAll('img, script, iframe, style, b, object, embed')]
                .map(e => e.tagName.toLowerCase());
            for (const e of root.querySelectorAll('*')) {
                for (const a of e.attributes) if (a.name.startsWith('on')) found.push(`${e.tagName}[${a.name}]`);
                if ((e.getAttribute('href') || '').startsWith('javascript')) found.push(`${e.tagName}[href]`);
            }
            return found;
        }"""
    )


def test_bot_html_is_shown_literally(page: Page, stub_demo: DemoSite) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    start_chat(page, stub_demo)
    answer = ask(page, "html please")
    expect(answer.locator(".lead")).to_have_text(HTML["lead"])
    expect(answer.locator(".answer")).to_have_text(HTML["answer"])
    expect(answer.locator(".details > p").first).to_have_text(HTML["paragraph"])
    expect(answer.locator(".details li")).to_have_text([HTML["item"], HTML["text"]])
    expect(answer.locator(".disclaimer")).to_have_text(HTML["disclaimer"])
    expect(answer.locator(".quick button")).to_have_text(HTML["button"])
    card = ask(page, "emergency html")
    expect(card.locator(".call")).to_have_count(0)  # a "number" without digits is not callable
    old = ask(page, "plain text only")
    # From an old server (no parts): the whole text, as text, not split into paragraphs.
    expect(old.locator("p")).to_have_text(HTML["text"] + "\n\nSecond paragraph")
    assert created_elements(page) == []
    page.reload()
    expect(widget(page, ".message.bot")).to_have_count(3)
    expect(widget(page, ".message.bot .answer").first).to_have_text(HTML["answer"])
    assert created_elements(page) == []
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.evaluate("() => window.pwned") is None


def test_details_lists_and_read_more(page: Page, stub_demo: DemoSite) -> None:
    start_chat(page, stub_demo)
    answer = ask(page, "list please")
    sequence = answer.evaluate(
        """e => [...e.querySelectorAll('p, ul, button')]
            .filter(x => x.checkVisibility()).map(x => x.className || x.tagName)"""
    )
    assert sequence[:3] == ["answer", "P", "read-more"], sequence
    more = answer.get_by_role("button", name="Read more")
    region = answer.locator(f"#{more.get_attribute('aria-controls')}")
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(region).to_be_hidden()
    expect(answer.locator("ul li")).to_have_count(2)
    more.click()
    expect(answer.get_by_role("button", name="Show less")).to_have_attribute("aria-expanded", "true")
    expect(region).to_be_visible()
    expect(region.locator("ul li")).to_have_text(["One", "Two"])
    expect(region).to_contain_text("Fourth detail, folded away.")
    # The clinic's number is in every reply, as a tap-to-call link.
    expect(answer.locator(".clinic-line a")).to_have_attribute("href", tel("01632 960000"))


def test_request_callback_reply_opens_the_form(page: Page, stub: StubServer, stub_demo: DemoSite) -> None:
    start_chat(page, stub_demo)
    ask(page, "call me")
    form = widget(page, "form.callback")
    expect(form).to_be_visible()
    form.get_by_label("Your name", exact=True).fill("Sam Stub")
    form.get_by_label("Phone number", exact=True).fill("+44 7700 900123")
    form.get_by_label("Best time to call", exact=True).select_option("Afternoon")
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="Send request").click()
    expect(form).to_have_count(0)
    expect(widget(page, ".message.user").last).to_have_text("You said: Please call me back.")
    requests = []
    for _ in range(40):
        requests = stub.events("callback_request")
        if requests:
            break
        page.wait_for_timeout(250)
    assert requests == [
        {"name": "Sam Stub", "phone": "+44 7700 900123", "preferred_time": "Afternoon", "consent": True,
         "session_id": "5" * 32}
    ]
    # Only the request carries the details: the saved history does not.
    history = page.evaluate("() => JSON.stringify(Object.entries(sessionStorage))")
    assert "Sam Stub" not in history and "900123" not in history
    page.reload()
    expect(widget(page, "form.callback")).to_have_count(0)  # answered: not offered again
