"""Browser test in Debian's Chromium: log in → filter → transcript → tag → export (masked)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from review import auth
from review.config import database_url
from review.db import review_engine, tracker_engine
from review.web import create_app
from scripts.review_tools.serving import serve
from tests.browser import headless_chromium
from tests.review.helpers import EMAIL, PASSWORD, PHONE, pseudonym, settings_for


@pytest.fixture(scope="module")
def site(real_trackers, tmp_path_factory) -> Iterator[str]:
    """The app on the real SQLite tracker store, served by waitress on a free port."""
    review_url = database_url("review", f"sqlite:///{tmp_path_factory.mktemp('review-browser') / 'review.db'}")
    review, tracker = review_engine(review_url), tracker_engine(real_trackers["sqlite"])
    auth.create_user(review, "rita", PASSWORD, "reviewer")
    settings = settings_for(real_trackers["sqlite"], review_url)
    base, server = serve(create_app(settings, review=review, tracker=tracker))
    yield base
    server.close()
    review.dispose()
    tracker.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with headless_chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_log_in_filter_transcript_tag_export(page: Page, site: str) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{site}/conversations")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#username", "rita")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Log in')")
    expect(page).to_have_url(f"{site}/conversations")
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
    transcript = page.locator("section.transcript")
    expect(transcript).to_contain_text("my number is [phone] and my email is [email]")
    assert PHONE not in page.content() and EMAIL not in page.content()

    page.fill("#new-tag", "Needs follow up")
    page.click("button:has-text('Add tag')")
    expect(page.locator("ul.tags")).to_contain_text("needs-follow-up")

    page.click("text=← Back to the list")
    expect(page).to_have_url(re.compile(r"q=amitriptyline"))
    expect(page.locator("table.list tbody tr").first).to_contain_text("needs-follow-up")

    with page.expect_download() as download_info:
        page.click("form.export button:has-text('CSV')")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["sender"] for row in rows} == {pseudonym("patient-pii")} and "patient-pii" not in text
    assert rows[0]["tags"] == "needs-follow-up"
    assert "[phone]" in rows[0]["text"] and "[email]" in rows[0]["text"]
    assert PHONE not in text and EMAIL not in text and "07700" not in text
    assert errors == []
