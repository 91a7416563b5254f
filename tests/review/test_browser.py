"""Browser tests in Debian's Chromium (Playwright), on both databases.

1. Log in → filter → transcript → tags → export (masked).
2. The day's work: crisis first on the start page → the flagged turn → review with a
   note → a call-back marked called → a correction → its export, read by Rasa's own
   NLU reader.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from rasa.shared.nlu.training_data.loading import load_data

from review import auth
from review.web import create_app
from scripts.review_tools.serving import serve
from stores.callbacks import CallbackRequest, CallbackStore
from tests.browser import headless_chromium
from tests.review.helpers import CALLBACK_KEY, EMAIL, PASSWORD, PHONE, pseudonym, settings_for

pytestmark = pytest.mark.integration  # needs a trained model, servers or a browser

CLINICIAN_PASSWORD = "a clinician's long passphrase"


@pytest.fixture
def site(backend, review_db, accounts, clock) -> Iterator[str]:
    """The app on this backend's real tracker store, served by waitress on a free port."""
    app = create_app(settings_for(backend.tracker_url, backend.review_url), review=review_db, tracker=backend.tracker,
                     clock=clock)
    base, server = serve(app)
    yield base
    server.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()


def log_in(page: Page, site: str, name: str, password: str, start: str = "/") -> None:
    page.goto(f"{site}{start}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#username", name)
    page.fill("#password", password)
    page.click("button:has-text('Log in')")
    expect(page).to_have_url(f"{site}{start}")


def test_log_in_filter_transcript_tag_export(page: Page, site: str) -> None:
    log_in(page, site, "rita", PASSWORD, "/conversations")
    expect(page.locator("table.list tbody tr")).to_have_count(8)

    page.fill("input[name=q]", "amitriptyline")
    page.check("input[name=flag][value=not_helpful]")
    page.click("button:has-text('Filter')")
    expect(page).to_have_url(re.compile(r"q=amitriptyline.*flag=not_helpful|flag=not_helpful.*q=amitriptyline"))
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("[phone]")

    rows.first.locator("td.preview a").click()
    expect(page.locator("h1")).to_contain_text("Conversation")
    expect(page.locator("section.transcript")).to_contain_text("my number is [phone] and my email is [email]")
    assert PHONE not in page.content() and EMAIL not in page.content()

    page.fill("#tags", "Needs follow up, callback")
    page.click("button:has-text('Save review')")
    expect(page.locator("ul.tags")).to_contain_text("needs-follow-up")
    expect(page.locator("ul.tags")).to_contain_text("callback")

    page.click("text=← Back to the list")
    expect(page).to_have_url(re.compile(r"q=amitriptyline"))
    expect(page.locator("table.list tbody tr").first).to_contain_text("needs-follow-up")

    with page.expect_download() as download_info:
        page.click("form.export button:has-text('CSV')")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["sender"] for row in rows} == {pseudonym("rest-patient-pii")} and "rest-patient-pii" not in text
    assert rows[0]["tags"] == "callback needs-follow-up"
    assert "[phone]" in rows[0]["text"] and "[email]" in rows[0]["text"]
    assert PHONE not in text and EMAIL not in text and "07700" not in text
    assert page.errors == []


def test_crisis_first_review_call_back_and_correction(page: Page, site: str, review_db, backend, tmp_path) -> None:
    auth.create_user(review_db, "cleo", CLINICIAN_PASSWORD, "clinician")
    request_id = CallbackStore(review_db, CALLBACK_KEY, create=False).add(
        CallbackRequest("rest", "rest-patient-handoff", "Jo Bloggs", "07700 900461", "weekday mornings"))
    log_in(page, site, "cleo", CLINICIAN_PASSWORD)

    # 1. Crisis first: the oldest unreviewed crisis conversation heads the start page, showing its flagged message.
    urgent = page.locator("#urgent table.list tbody tr")
    expect(urgent).to_have_count(2)
    expect(urgent.first).to_contain_text("i want to kill myself")
    urgent.first.locator("td.preview a").click()

    # 2. The transcript opens at the flagged turn, highlighted.
    expect(page).to_have_url(re.compile(r"/conversations/\d+\?back=%2F#turn-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    flagged = page.locator("article.turn.flagged")
    expect(flagged).to_have_attribute("id", anchor)
    expect(flagged).to_contain_text("i want to kill myself")
    expect(flagged).to_be_in_viewport()

    # 3. Reviewed, a tag and a note, saved together.
    page.check("input[name=reviewed]")
    page.fill("#tags", "crisis-followed-up")
    page.fill("#note", "Crisis reply was right; the clinic called the patient.")
    page.click("button:has-text('Save review')")
    expect(page.locator("p.notice")).to_contain_text("Review saved.")
    expect(page.locator("aside.work")).to_contain_text("Reviewed by cleo")
    expect(page.locator("aside.work")).to_contain_text("the clinic called the patient")
    expect(page.locator("input[name=reviewed]")).to_be_checked()
    page.click("text=← Back to the list")
    expect(page).to_have_url(f"{site}/")
    expect(page.locator("#urgent table.list tbody tr")).to_have_count(1)

    # 4. The call-back request: the number is on its own page; mark it called.
    page.click(f"#callbacks >> text=Open request {request_id}")
    expect(page.locator("dd.phone")).to_have_text("07700 900461")
    page.click("button:has-text('Mark called')")
    expect(page.locator("dl.meta")).to_contain_text("called by cleo")
    page.goto(f"{site}/")
    expect(page.locator("#callbacks")).to_contain_text("Nothing waiting.")

    # 5. A correction on a patient turn, and its export read by Rasa's NLU reader.
    page.locator("#unhelped table.list tbody tr", has_text="blah blah medication").locator("td.preview a").click()
    turn = page.locator("article.turn.user", has_text="can you book me a taxi")
    turn.locator("summary").click()
    turn.locator("select[name=topic]").select_option(label="How do I contact the clinic?")
    turn.locator("button:has-text('Save correction')").click()
    expect(page.locator("article.turn.user", has_text="can you book me a taxi")).to_contain_text(
        "Should have been: How do I contact the clinic?")
    page.click("nav >> text=Corrections")
    expect(page.locator("table.corrections tbody tr")).to_have_count(1)
    with page.expect_download() as download_info:
        page.click("button:has-text('as NLU training YAML')")
    path = tmp_path / "corrections.yml"
    download_info.value.save_as(path)
    examples = [(example.get("intent"), example.get("text")) for example in load_data(str(path)).intent_examples]
    assert examples == [("contact_clinic", "can you book me a taxi to the airport")]
    assert page.errors == []
