"""Screenshots of the review app for docs/: ``make review-screenshots``.

Seeds a realistic month of conversations (see :mod:`scripts.review_tools.seed`) into a
temporary tracker store, adds review work, call-back requests (synthetic names and
Ofcom drama numbers) and corrections, serves the app and photographs the start page,
the list, a transcript opened at its flagged message, a call-back request and the
dashboard with Debian's Chromium (Playwright, headless).
"""

from __future__ import annotations

import argparse
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Optional, Sequence

import sqlalchemy as sa
from cryptography.fernet import Fernet

from review import auth, corrections, review_work
from review.config import ROOT, database_url, load_settings
from review.db import review_engine, tracker_engine
from review.schema import conversations
from review.sync import sync
from review.transcript import turns
from scripts.review_tools.seed import seed
from scripts.review_tools.serving import serve
from stores.callbacks import CallbackRequest, CallbackStore

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
OUTPUT = ROOT / "docs" / "screenshots"
# The list as a reviewer starts the day: flagged conversations, not reviewed yet.
LIST_FILTERS = "flag=crisis&flag=emergency&flag=low_confidence&flag=not_helpful&flag=handoff&status=unreviewed"
CALLERS = (("Sam Example", "07700 900101", "weekday mornings"), ("Alex Sample", "07700 900102", "after 5pm"),
           ("Jo Placeholder", "07700 900103", "any time"))


def add_review_work(review: sa.engine.Engine, tracker: sa.engine.Engine, key: bytes) -> int:
    """Review, tag, note, correct and ask call-backs as staff and patients would; the conversation to photograph."""
    c = conversations.c
    with review.connect() as connection:
        newest = connection.execute(sa.select(c.id).order_by(c.started_at.desc()).limit(40)).scalars().all()
        showcase = connection.execute(
            sa.select(c.id).where(c.n_user >= 3, c.flagged_event_id.isnot(None), c.flag_not_helpful == sa.true())
            .order_by(c.n_user.desc()).limit(1)
        ).scalar() or connection.execute(sa.select(c.id).order_by(c.n_user.desc()).limit(1)).scalar()
        fallbacks = connection.execute(sa.select(c).where(c.flag_low_confidence == sa.true())
                                       .order_by(c.started_at.desc()).limit(12)).all()
        senders = connection.execute(sa.select(c.sender_id, c.started_at).where(c.flag_handoff == sa.true())
                                     .order_by(c.started_at).limit(len(CALLERS))).all()
    for index, conversation_id in enumerate(newest):
        if index % 3 == 1:
            review_work.set_status(review, conversation_id, True, index % 9 == 4, "sam.nurse")
        if index % 5 == 2:
            review_work.add_tag(review, conversation_id, "follow-up" if index % 2 else "needs-new-answer", "sam.nurse")
    review_work.add_tag(review, showcase, "missing-topic", "sam.nurse")
    review_work.add_note(review, showcase, "Patient asked about something the content store does not cover. "
                                           "Suggest a new answer for the next content review.", "sam.nurse")
    for index, row in enumerate(fallbacks):
        patient = next((turn for turn in turns(review_work.events_of(tracker, row)) if turn.kind == "user"), None)
        if patient is not None:
            topic = ("none", "contact_clinic", "capabilities")[index % 3]
            corrections.save(review, row.id, patient.event_id, patient.text, patient.intent, patient.served, topic,
                             "sam.nurse")
    store = CallbackStore(review, key, create=False)
    for (sender, started_at), (name, phone, when) in zip(senders, CALLERS, strict=False):
        store.add(CallbackRequest("socketio", sender, name, phone, when), now=started_at + 60)
    return showcase


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m scripts.review_tools.screenshots",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--conversations", type=int, default=3000)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from review.web import create_app

    with tempfile.TemporaryDirectory(prefix="review-shots-") as workdir:
        tracker_url = database_url("tracker", f"sqlite:///{workdir}/tracker.db")
        review_url = database_url("review", f"sqlite:///{workdir}/review.db")
        seed(tracker_engine(tracker_url, writable=True), args.conversations, args.conversations * 10, days=30,
             seed_value=4)
        tracker, review = tracker_engine(tracker_url), review_engine(review_url)
        sync(tracker, review)
        key = Fernet.generate_key()
        showcase = add_review_work(review, tracker, key)
        password = secrets.token_urlsafe(18)
        auth.create_user(review, "sam.nurse", password, "admin")
        settings = load_settings({"REVIEW_SECRET_KEY": secrets.token_urlsafe(40), "CALLBACK_KEY": key.decode(),
                                  "REVIEW_TRACKER_DB_URL": str(tracker_url), "REVIEW_DB_URL": str(review_url),
                                  "REVIEW_ASSISTANT_HEALTH_URL": "off"})
        base, server = serve(create_app(settings, review=review, tracker=tracker))
        args.output.mkdir(parents=True, exist_ok=True)
        shots = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page(viewport={"width": 1360, "height": 900})
                page.goto(f"{base}/login")
                page.fill("#username", "sam.nurse")
                page.fill("#password", password)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/")

                def shot(name: str, url: str, full_page: bool = True) -> None:
                    page.goto(f"{base}{url}")
                    page.screenshot(path=str(args.output / name), full_page=full_page)
                    shots.append(name)

                shot("review-attention.png", "/")
                shot("review-list.png", f"/conversations?{LIST_FILTERS}", full_page=False)
                with review.connect() as connection:
                    anchor = connection.execute(sa.select(conversations.c.flagged_event_id)
                                                .where(conversations.c.id == showcase)).scalar()
                shot("review-transcript.png", f"/conversations/{showcase}" + (f"#turn-{anchor}" if anchor else ""),
                     full_page=False)
                shot("review-callback.png", "/callbacks/1", full_page=False)
                shot("review-dashboard.png", "/dashboard")
                browser.close()
        finally:
            server.close()
    print(f"wrote {', '.join(shots)} in {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
