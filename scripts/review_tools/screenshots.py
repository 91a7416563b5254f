"""Screenshots of the review app for docs/: ``make review-screenshots``.

Seeds a realistic month of conversations (see :mod:`scripts.review_tools.seed`) into a temporary
tracker store, adds some review work, serves the app and photographs the list,
a transcript and the dashboard with Debian's Chromium (Playwright, headless).
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Optional, Sequence

import sqlalchemy as sa

from review import auth, review_work
from review.config import ROOT, database_url, load_settings
from review.db import review_engine, tracker_engine
from review.schema import conversations
from review.sync import sync
from scripts.review_tools.seed import seed
from scripts.review_tools.serving import serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
OUTPUT = ROOT / "docs" / "screenshots"
# The list as a reviewer starts the day: flagged conversations, not reviewed yet.
LIST_FILTERS = "flag=crisis&flag=emergency&flag=low_confidence&flag=not_helpful&flag=handoff"


def add_review_work(review: sa.engine.Engine) -> int:
    """Tag, annotate and mark some conversations, as staff would; returns the conversation to photograph."""
    c = conversations.c
    with review.connect() as connection:
        newest = connection.execute(sa.select(c.id).order_by(c.started_at.desc()).limit(40)).scalars().all()
        showcase = connection.execute(
            sa.select(c.id).where(c.n_user >= 3, c.search_text.like("%[phone]%") | c.search_text.like("%[email]%"))
            .order_by((c.flag_crisis | c.flag_not_helpful | c.flag_low_confidence).desc(), c.n_user.desc())
            .limit(1)
        ).scalar() or connection.execute(sa.select(c.id).order_by(c.n_user.desc()).limit(1)).scalar()
    for index, conversation_id in enumerate(newest):
        if index % 3 == 1:
            review_work.set_status(review, conversation_id, True, index % 9 == 4, "sam.nurse")
        if index % 5 == 2:
            review_work.add_tag(review, conversation_id, "follow-up" if index % 2 else "needs-new-answer", "sam.nurse")
    review_work.add_tag(review, showcase, "missing-topic", "sam.nurse")
    review_work.add_note(review, showcase, "Patient asked about something the content store does not cover. "
                                           "Suggest a new answer for the next content review.", "sam.nurse")
    return showcase


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m scripts.review_tools.screenshots",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--conversations", type=int, default=3000)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="review-shots-") as workdir:
        tracker_url = database_url("tracker", f"sqlite:///{workdir}/tracker.db")
        review_url = database_url("review", f"sqlite:///{workdir}/review.db")
        seed(tracker_engine(tracker_url, writable=True), args.conversations, args.conversations * 10, days=30,
             seed_value=4)
        tracker, review = tracker_engine(tracker_url), review_engine(review_url)
        sync(tracker, review)
        showcase = add_review_work(review)
        password = secrets.token_urlsafe(18)
        auth.create_user(review, "sam.nurse", password, "admin")
        settings = load_settings({"REVIEW_SECRET_KEY": secrets.token_urlsafe(40),
                                  "REVIEW_TRACKER_DB_URL": str(tracker_url), "REVIEW_DB_URL": str(review_url)})
        from review.web import create_app

        base, server = serve(create_app(settings, review=review, tracker=tracker))
        args.output.mkdir(parents=True, exist_ok=True)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page(viewport={"width": 1360, "height": 900})
                page.goto(f"{base}/login")
                page.fill("#username", "sam.nurse")
                page.fill("#password", password)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/conversations")
                page.goto(f"{base}/conversations?{LIST_FILTERS}")
                page.screenshot(path=str(args.output / "review-list.png"))
                page.goto(f"{base}/conversations/{showcase}")
                page.screenshot(path=str(args.output / "review-transcript.png"), full_page=True)
                page.goto(f"{base}/dashboard")
                page.screenshot(path=str(args.output / "review-dashboard.png"), full_page=True)
                browser.close()
        finally:
            server.close()
    print(f"wrote review-list.png, review-transcript.png, review-dashboard.png in {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
