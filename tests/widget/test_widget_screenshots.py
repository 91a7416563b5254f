"""Screenshots for the docs (docs/screenshots/): phone and desktop, from the real assistant.

An answer-first bubble, a crisis card and the call-back form.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.widget.conftest import DemoSite
from tests.widget.helpers import QUESTION, SCREENSHOTS, ask, start_chat, widget
from tests.widget.test_widget_replies import CRISIS_MESSAGE

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}


def save(page: Page, name: str) -> Path:
    page.mouse.move(0, 0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    assert path.stat().st_size > 10_000
    return path


@pytest.mark.parametrize("device", VIEWPORTS)
def test_answer_first_screenshot(page: Page, demo: DemoSite, device: str) -> None:
    page.set_viewport_size(VIEWPORTS[device])
    start_chat(page, demo)
    answer = ask(page, QUESTION)
    # The widget shows the question and the start of the answer.
    expect(widget(page, ".message.user")).to_be_in_viewport()
    expect(answer.locator(".answer")).to_be_in_viewport()
    page.get_by_label("Your question").blur()
    save(page, f"widget-{device}.png")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_crisis_card_screenshot(page: Page, demo: DemoSite, device: str) -> None:
    page.set_viewport_size(VIEWPORTS[device])
    start_chat(page, demo)
    card = ask(page, CRISIS_MESSAGE)
    card.locator(".disclaimer").scroll_into_view_if_needed()
    expect(card.locator(".answer")).to_be_in_viewport()
    page.get_by_label("Your question").blur()
    save(page, f"widget-crisis-{device}.png")


@pytest.mark.parametrize("device", VIEWPORTS)
def test_callback_screenshot(page: Page, demo: DemoSite, device: str) -> None:
    page.set_viewport_size(VIEWPORTS[device])
    start_chat(page, demo)
    ask(page, QUESTION)
    page.get_by_role("button", name="No, this was not helpful").click()
    page.get_by_role("button", name="Request a call back").click()
    form = widget(page, "form.callback")
    form.get_by_label("Your name", exact=True).fill("Sam Patient")
    form.get_by_label("Phone number", exact=True).fill("07700 900123")
    form.get_by_label("Best time to call", exact=True).select_option("Morning")
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="Send request").scroll_into_view_if_needed()
    form.get_by_role("button", name="Send request").blur()
    save(page, f"widget-callback-{device}.png")
