"""Replies rendered from their parts, against the real assistant, in Chromium.

Answer first, details after; crisis and emergency cards announced as alerts with
tap-to-call links for the configured numbers and no rating; the disclaimer as a quiet
line under every reply; "Not helpful" offering other ways on.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from core.content import ContentStore, phone_number_in
from tests.e2e.servers import RasaServer
from tests.widget.conftest import DemoSite
from tests.widget.helpers import (
    QUESTION,
    QUESTION_ID,
    SETTINGS,
    ask,
    axe_violations,
    feedback_slots,
    focused,
    session_id,
    start_chat,
    tel,
    wait_until,
    widget,
)

CRISIS_MESSAGE = "I don't want to be here anymore"
EMERGENCY_MESSAGE = "my lips and tongue are swelling up since I took the new tablet"
CLINIC, EMERGENCY = SETTINGS["clinic_phone"], SETTINGS["emergency_number"]
CRISIS = phone_number_in(SETTINGS["crisis_line"])

# The visible elements of a bubble, in order, by class (or tag).
SEQUENCE_JS = """e => [...e.querySelectorAll(':scope > *, :scope > .details > *')]
    .filter(x => x.checkVisibility() && !x.classList.contains('details'))
    .map(x => x.className || x.tagName.toLowerCase())"""


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``rgb(r, g, b)`` colours."""

    def luminance(color: str) -> float:
        channels = [int(value) / 255 for value in re.findall(r"\d+", color)[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def assert_quiet_disclaimer(bubble: Locator, store: ContentStore) -> None:
    """One disclaimer, the full text, small and muted but with AA contrast."""
    disclaimer = bubble.locator(".disclaimer")
    expect(disclaimer).to_have_count(1)
    expect(disclaimer).to_have_text(store.disclaimer.text)
    expect(disclaimer).to_have_css("font-size", "13px")
    color = disclaimer.evaluate("e => getComputedStyle(e).color")
    background = bubble.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color != bubble.evaluate("e => getComputedStyle(e).color"), "the disclaimer is not muted"
    assert contrast(color, background) >= 4.5


def assert_numbers_linked(bubble: Locator, numbers: list[str]) -> None:
    """Every occurrence of each number in the bubble's text is a ``tel:`` link."""
    text = bubble.evaluate("e => e.textContent")
    for number in numbers:
        occurrences = len(re.findall(rf"(?<!\d){re.escape(number)}(?!\d)", text))
        links = bubble.locator(f'a[href="{tel(number)}"]')
        assert occurrences > 0 and links.count() == occurrences, (number, occurrences, links.count())
        for index in range(links.count()):
            expect(links.nth(index)).to_contain_text(number)


def test_answer_first_then_details_then_the_disclaimer(
    page: Page, demo: DemoSite, rasa: RasaServer, store: ContentStore
) -> None:
    start_chat(page, demo)
    bubble = ask(page, QUESTION)
    expected = store.answer(QUESTION_ID)
    bot = next(e for e in rasa.tracker(session_id(page))["events"] if e["event"] == "bot")
    lead = bot["metadata"]["reply"]["lead"]

    # The lead, the direct answer, one details paragraph (the rest behind "Read more"),
    # the clinic's number, the disclaimer; then "Was this helpful?" and the quick replies.
    assert bubble.evaluate(SEQUENCE_JS) == [
        "sr-only", *(["lead"] if lead else []), "answer", "p", "read-more", "clinic-line", "disclaimer", "feedback",
        "quick",
    ]
    if lead:
        expect(bubble.locator(".lead")).to_have_text(lead)
    expect(bubble.locator(".answer")).to_have_text(expected.summary)
    blocks = expected.blocks()
    assert len(blocks) > 1 and all(isinstance(block, str) for block in blocks)
    details = bubble.locator(".details p")
    expect(details).to_have_text(blocks)
    expect(details.first).to_be_visible()
    more = bubble.get_by_role("button", name="Read more")
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(details.nth(len(blocks) - 1)).to_be_hidden()
    more.click()
    expect(details.nth(len(blocks) - 1)).to_be_visible()
    expect(bubble.get_by_role("button", name="Show less")).to_have_attribute("aria-expanded", "true")

    assert_quiet_disclaimer(bubble, store)
    expect(bubble.locator(".clinic-line a")).to_have_attribute("href", tel(CLINIC))
    expect(bubble.get_by_role("group", name="Was this answer helpful?")).to_be_visible()
    expect(bubble.locator(".quick button")).to_have_text([store.answer(i).title for i in expected.follow_ups])


def test_the_disclaimer_is_a_quiet_line_under_every_reply(page: Page, demo: DemoSite, store: ContentStore) -> None:
    start_chat(page, demo)
    for message in ("hello", QUESTION, "zxqv blorf wibble", CRISIS_MESSAGE):
        bubble = ask(page, message)
        assert_quiet_disclaimer(bubble, store)
        sequence = bubble.evaluate(SEQUENCE_JS)
        # Under the answer: after the disclaimer come only the rating and quick replies.
        assert sequence.index("answer") < sequence.index("disclaimer"), message
        assert set(sequence[sequence.index("disclaimer") + 1 :]) <= {"feedback", "quick"}, (message, sequence)
        # The clinic's number is in every reply, as a tap-to-call link.
        expect(bubble.locator(f'a[href="{tel(CLINIC)}"]').first).to_be_visible()


def test_crisis_card(page: Page, demo: DemoSite, store: ContentStore) -> None:
    start_chat(page, demo)
    card = ask(page, CRISIS_MESSAGE)
    expect(card).to_have_class(re.compile(r"\bcard\b.*\bcrisis\b"))
    expect(card).to_have_attribute("role", "alert")
    assert card.evaluate(SEQUENCE_JS) == ["sr-only", "answer", "calls", "p", "p", "disclaimer"]
    expect(card.locator(".answer")).to_have_text(store.answer("crisis_support").summary)
    hrefs = card.locator(".calls a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [tel(CRISIS), tel(EMERGENCY), tel(CLINIC)]
    assert_numbers_linked(card.locator(".answer"), [CRISIS])  # the crisis line is in the direct answer
    assert_numbers_linked(card.locator(".details"), [EMERGENCY])
    expect(card.locator(".feedback")).to_have_count(0)
    expect(card.get_by_text("Was this helpful?")).to_have_count(0)
    assert_quiet_disclaimer(card, store)


def test_emergency_card_gives_the_instruction_first(page: Page, demo: DemoSite, store: ContentStore) -> None:
    start_chat(page, demo)
    card = ask(page, EMERGENCY_MESSAGE)
    expect(card).to_have_class(re.compile(r"\bcard\b.*\bemergency\b"))
    expect(card).to_have_attribute("role", "alert")
    # Nothing comes before the emergency instruction (but the screen-reader prefix).
    assert card.evaluate(SEQUENCE_JS) == ["sr-only", "answer", "calls", "p", "disclaimer"]
    expect(card.locator(".answer")).to_have_text(store.answer("emergency_symptoms").summary)
    assert_numbers_linked(card.locator(".answer"), [EMERGENCY])
    first_call = card.locator(".calls a").first
    expect(first_call).to_have_attribute("href", tel(EMERGENCY))
    expect(first_call).to_contain_text(f"Call {EMERGENCY}")
    expect(card.locator(f'.calls a[href="{tel(CLINIC)}"]')).to_be_visible()
    expect(card.locator(".feedback")).to_have_count(0)
    assert_quiet_disclaimer(card, store)
    # Announced once: a card restored after a reload is not an alert again.
    page.reload()
    restored = widget(page, ".message.bot.card")
    expect(restored).to_have_count(1)
    expect(restored).not_to_have_attribute("role", "alert")


def test_not_helpful_offers_other_ways(page: Page, demo: DemoSite, rasa: RasaServer) -> None:
    start_chat(page, demo)
    bubble = ask(page, QUESTION)
    page.get_by_role("button", name="No, this was not helpful").click()
    offers = bubble.get_by_role("group", name="Other ways to get help")
    expect(offers).to_be_visible()
    assert focused(page)["text"] == "Ask in a different way"
    sender = session_id(page)
    assert wait_until(lambda: feedback_slots(rasa, sender)) == [{"content_id": QUESTION_ID, "helpful": False}]

    call = offers.get_by_role("link", name=re.compile(re.escape(CLINIC)))
    expect(call).to_have_attribute("href", tel(CLINIC))

    offers.get_by_role("button", name="Ask in a different way").click()
    question = page.get_by_label("Your question")
    expect(question).to_be_focused()
    hint = widget(page, "#chat-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("different way")
    expect(question).to_have_attribute("aria-describedby", "chat-hint")

    offers.get_by_role("button", name="Request a call back").click()
    form = widget(page, "form.callback")
    expect(form).to_be_visible()
    expect(form.get_by_label("Your name", exact=True)).to_be_focused()
    # After a reload the answer still shows the offers, not the question again.
    page.reload()
    expect(widget(page, ".offers")).to_be_visible()
    expect(widget(page, ".feedback")).to_have_count(0)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 375, "height": 812}])
def test_axe_on_cards_offers_and_the_callback_form(page: Page, demo: DemoSite, viewport: dict) -> None:
    page.set_viewport_size(viewport)
    start_chat(page, demo)
    ask(page, CRISIS_MESSAGE)
    ask(page, EMERGENCY_MESSAGE)
    ask(page, QUESTION)
    widget(page, ".read-more").last.click()
    page.get_by_role("button", name="No, this was not helpful").click()
    page.get_by_role("button", name="Request a call back").click()
    widget(page, "form.callback").get_by_role("button", name="Send request").click()
    expect(widget(page, ".field-error").first).to_be_visible()
    assert axe_violations(page) == []
