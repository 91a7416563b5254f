"""Helpers shared by the widget's browser tests: locators, the patient's actions, checks."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import pytest
import yaml
from playwright.sync_api import Locator, Page, expect

from tests.conftest import ROOT
from tests.e2e.servers import RasaServer
from tests.widget.conftest import AXE_JS, DemoSite

QUESTION = "how long until duloxetine works?"
QUESTION_ID = "how_long_until_relief"
SCREENSHOTS = ROOT / "docs" / "screenshots"
SETTINGS = yaml.safe_load((ROOT / "content" / "settings.yml").read_text(encoding="utf-8"))
REPLY_TIMEOUT_MS = 60_000

# The focused element, looking inside shadow roots.
ACTIVE_ELEMENT_JS = """() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  return element ? {
    tag: element.tagName.toLowerCase(),
    text: (element.textContent || "").trim(),
    label: element.getAttribute("aria-label") || "",
    id: element.id,
    inWidget: element.getRootNode() !== document,
  } : null;
}"""


# -- helpers ---------------------------------------------------------------------------


def widget(page: Page, selector: str) -> Locator:
    """A locator inside the widget's (open) shadow root."""
    return page.locator(f"clinic-chat-widget {selector}")


def open_widget(page: Page, demo: DemoSite) -> None:
    page.goto(demo.url)
    page.get_by_role("button", name="Ask about your medicine").click()
    expect(widget(page, ".panel")).to_be_visible()


def start_chat(page: Page, demo: DemoSite) -> None:
    open_widget(page, demo)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_label("Your question")).to_be_focused()


def ask(page: Page, text: str) -> Locator:
    """Type ``text``, press Enter and return the bot message that answers it."""
    answers = widget(page, ".message.bot")
    before = answers.count()
    page.get_by_label("Your question").fill(text)
    page.get_by_label("Your question").press("Enter")
    expect(answers).to_have_count(before + 1, timeout=REPLY_TIMEOUT_MS)
    expect(widget(page, ".typing")).to_be_hidden()
    return answers.nth(before)


def session_id(page: Page) -> str:
    """The conversation id the widget keeps in localStorage."""
    value = page.evaluate("() => Object.entries(localStorage).find(([key]) => key.endsWith(':session'))?.[1]")
    assert value, "no session id in localStorage"
    return value


def wait_until(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Poll ``check`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.25)


def feedback_slots(rasa: RasaServer, sender: str) -> list[Any]:
    return [
        event["value"]
        for event in rasa.tracker(sender)["events"]
        if event["event"] == "slot" and event["name"] == "feedback"
    ]


def focused(page: Page) -> dict:
    return page.evaluate(ACTIVE_ELEMENT_JS)


def tab_to(page: Page, matches: Callable[[dict], bool], limit: int = 40) -> dict:
    """Press Tab until the focused element ``matches`` (fails after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element and matches(element):
            return element
    pytest.fail(f"Tab never reached the element; last focused: {focused(page)}")


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the whole page (it checks open shadow roots too)."""
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]], "help": v["help"]}
        for v in results
    ]




def run_async(coroutine: Any) -> Any:
    """Run a coroutine in its own thread (Playwright's sync API owns this thread's loop)."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result()


def tel(number: str) -> str:
    """The ``tel:`` URI the widget should link ``number`` to."""
    return "tel:" + "".join(char for char in number if char.isdigit() or char == "+")
