"""Zoom and narrow screens: the conversation keeps at least half of the panel's height.

Browser zoom shrinks the CSS viewport: a 1280 x 800 window at 200% lays out like a
640 x 400 one, at 400% like 320 x 200 (WCAG 1.4.10 reflow). The third case is a
320 px wide phone.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.widget.conftest import DemoSite
from tests.widget.helpers import QUESTION, ask, start_chat, widget

LAYOUTS = {
    "200% zoom": {"width": 640, "height": 400},
    "400% zoom": {"width": 320, "height": 200},
    "320 px phone": {"width": 320, "height": 568},
}


@pytest.mark.parametrize("viewport", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_conversation_keeps_half_the_panel(page: Page, demo: DemoSite, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    start_chat(page, demo)
    ask(page, QUESTION)
    panel = widget(page, ".panel").bounding_box()
    log = widget(page, ".log").bounding_box()
    header = widget(page, ".header").bounding_box()
    composer = widget(page, ".composer").bounding_box()
    assert panel and log and header and composer
    assert log["height"] >= panel["height"] / 2, (viewport, panel, log, header, composer)
    # The whole panel is on screen, the composer inside it, and nothing scrolls sideways.
    assert panel["y"] >= 0 and panel["y"] + panel["height"] <= viewport["height"] + 0.5
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= viewport["width"] + 0.5
    assert composer["y"] + composer["height"] <= panel["y"] + panel["height"] + 0.5
    assert widget(page, ".log").evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    # The close button and the question box stay usable.
    expect(page.get_by_role("button", name="Close chat")).to_be_in_viewport()
    expect(page.get_by_label("Your question")).to_be_in_viewport()
