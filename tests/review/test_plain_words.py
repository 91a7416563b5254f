"""Plain words: channel names, topic titles, the clinic's time zone and date format, charts that don't mislead."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from review.charts import helpfulness_bars
from review.dashboard import build
from review.dates import ClinicTime, DateError
from review.schema import FLAGS, conversations
from review.web import create_app
from tests.review.helpers import PASSWORD, conversation_ids, login, settings_for

LONDON = ClinicTime.named("Europe/London", "en-GB")


def test_days_and_times_are_the_clinics() -> None:
    summer = datetime(2025, 7, 1, 0, 30, tzinfo=ZoneInfo("UTC")).timestamp()
    assert LONDON.when(summer) == "01/07/2025 01:30" and LONDON.abbreviation(summer) == "BST"
    assert LONDON.day_end(date(2025, 3, 30)) - LONDON.day_start(date(2025, 3, 30)) == 23 * 3600  # clocks go forward
    assert LONDON.day_start(date(2025, 7, 1)) == datetime(2025, 6, 30, 23, tzinfo=ZoneInfo("UTC")).timestamp()
    us = ClinicTime.named("America/New_York", "en-US")
    assert us.parse_day("07/01/2025") == date(2025, 7, 1) and LONDON.parse_day("07/01/2025") == date(2025, 1, 7)
    assert LONDON.parse_day("2025-01-31") == date(2025, 1, 31) and LONDON.parse_day("31/1/25") == date(2025, 1, 31)


@pytest.mark.parametrize("typed", ["31/02/2025", "0001-01-01", "31/12/9999", "1/1/1", "yesterday", "2025-13-01",
                                   "1" * 30, "31/01/2025x"])
def test_impossible_dates_are_refused_with_the_format(typed) -> None:
    with pytest.raises(DateError) as error:
        LONDON.parse_day(typed)
    assert "dd/mm/yyyy" in str(error.value) or "between 01/01/2000 and 31/12/2099" in str(error.value)


def summary_row(started_at: float, **flags: bool) -> dict:
    return {"sender_id": f"s-{started_at}", "first_event_id": 1, "last_event_id": 2, "started_at": started_at,
            "last_at": started_at, "day": 0, "channel": "rest", "n_user": 1, "n_bot": 1, "n_fallback": 0,
            "min_confidence": None, "helpful": 0, "not_helpful": 0, "topics": "", "preview": "", "search_text": "",
            **{f"flag_{flag}": flags.get(flag, False) for flag in FLAGS}}


def test_the_dashboard_counts_by_the_clinics_days(review_db) -> None:
    utc = ZoneInfo("UTC")
    late = datetime(2025, 6, 30, 23, 30, tzinfo=utc).timestamp()  # 00:30 BST on 1 July
    early = datetime(2025, 6, 30, 22, 30, tzinfo=utc).timestamp()  # 23:30 BST on 30 June
    with review_db.begin() as connection:
        connection.execute(sa.insert(conversations), [summary_row(late, crisis=True), summary_row(early)])
    with review_db.connect() as connection:
        london = build(connection, date(2025, 6, 30), date(2025, 7, 1), LONDON)
        utc_days = build(connection, date(2025, 6, 30), date(2025, 7, 1), ClinicTime())
    assert [(day.day.day, day.conversations, day.crisis) for day in london.days] == [(30, 1, 0), (1, 1, 1)]
    assert [(day.day.day, day.conversations) for day in utc_days.days] == [(30, 2), (1, 0)]


def test_pages_use_channel_names_topic_titles_and_the_clinics_zone(backend, review_db, accounts, clock) -> None:
    settings = settings_for(backend.tracker_url, backend.review_url, time_zone="Asia/Tokyo")
    client = create_app(settings, review=review_db, tracker=backend.tracker, clock=clock).test_client()
    login(client, "rita", PASSWORD)
    listing = client.get("/conversations").get_data(as_text=True)
    assert "<td>API</td>" in listing and "<td>rest</td>" not in listing
    assert '<option value="rest" >API</option>' in listing or '<option value="rest">API</option>' in listing
    assert "I need support right now" in listing and ">crisis_support<" not in listing
    assert "Asia/Tokyo" in listing and "(now JST)" in listing and "dd/mm/yyyy" in listing
    cid = conversation_ids(review_db)["rest-patient-crisis"]
    transcript = client.get(f"/conversations/{cid}").get_data(as_text=True)
    started = re.search(r"<dt>Started</dt><dd>(\d\d/\d\d/\d{4} \d\d:\d\d:\d\d) JST</dd>", transcript)
    assert started, transcript[:2000]
    with review_db.connect() as connection:
        at = connection.execute(sa.select(conversations.c.started_at).where(conversations.c.id == cid)).scalar()
    assert started.group(1) == datetime.fromtimestamp(at, ZoneInfo("Asia/Tokyo")).strftime("%d/%m/%Y %H:%M:%S")


def test_helpfulness_shows_counts_and_no_rate_from_few_votes() -> None:
    svg = str(helpfulness_bars([("Can I drink alcohol?", 2, 1), ("When should I take it?", 8, 2)], "Helpfulness"))
    assert "2 helpful, 1 not (too few votes for a rate)" in svg and "67%" not in svg
    assert "80% helpful (8 of 10)" in svg
    assert svg.count('class="bar few"') == 1 and svg.count('class="bar good"') == 1
