"""Scale: every list query is served by an index (EXPLAIN, on both databases) and each filtered page renders.

The full 100,000-conversation measurement is ``make review-bench`` (docs/benchmarks.md);
here a moderate seeded store (3,000 conversations, about 30,000 events) is enough to
read the plans and check each filtered page. Speed is measured by the benchmark, not asserted here.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from review.db import review_engine, tracker_engine
from review.queries import count_query, list_query
from review.sync import sync
from review.web import create_app
from scripts.bench import review as bench
from scripts.bench.report import markers, write_section
from scripts.bench.review_plans import compiled, explain, full_scans, indices_used
from scripts.bench.review_report import SECTION
from scripts.review_tools.seed import seed
from tests.review.helpers import PASSWORD, login, settings_for

pytestmark = pytest.mark.integration  # needs a trained model, servers or a browser

EXPECTED_INDEX = {
    "newest first, no filter": {"ix_review_conversations_started"},
    "flag: crisis": {"ix_review_conversations_crisis_started"},
    "flag: crisis or emergency": {
        "ix_review_conversations_crisis_started", "ix_review_conversations_emergency_started",
    },
    "flag: fallback / low confidence": {"ix_review_conversations_low_confidence_started"},
    "flag: “not helpful”": {"ix_review_conversations_not_helpful_started"},
    "channel: twilio_sms": {"ix_review_conversations_channel_started"},
    "topic: stopping_medication": {"ix_review_conversation_topics_content_started"},
    "not reviewed": {"ix_review_conversations_reviewed_started"},
    "last 7 days": {"ix_review_conversations_started"},
    "crisis in the last 30 days": {"ix_review_conversations_crisis_started"},
    "text search “alcohol”": {"ix_review_conversations_started"},
    "text search, no match": {"ix_review_conversations_started"},
}
# Text search reads every row's masked text: its count is a scan by design (bounded by the count cap).
SCANNING_COUNTS = {"text search “alcohol”", "text search, no match"}


@pytest.fixture(scope="module")
def scaled(backend, tmp_path_factory, postgres_databases, backend_accounts):
    """A seeded tracker store summarised into its own review database, with the accounts."""
    workdir = tmp_path_factory.mktemp("review-scale")
    tracker_url = backend.new_database("review_scale_tracker", workdir, postgres_databases)
    review_url = backend.new_database("review_scale_app", workdir, postgres_databases)
    seed(tracker_engine(tracker_url, writable=True), conversations=3000, events=30_000, days=60, seed_value=2)
    tracker, review = tracker_engine(tracker_url), review_engine(review_url)
    result = sync(tracker, review)
    assert result.conversations_written >= 3000
    from review import auth

    auth.create_user(review, "rita", PASSWORD, "reviewer")
    yield tracker_url, review_url, tracker, review
    tracker.dispose()
    review.dispose()


def plan_of(review, query) -> list[str]:
    with review.connect() as connection:
        if review.dialect.name == "postgresql":
            # On a few thousand rows PostgreSQL rightly prefers reading the table; with sequential scans
            # priced out, the plan shows which index serves the query (docs/benchmarks.md has real plans).
            connection.exec_driver_sql("SET enable_seqscan = off")
        return explain(connection, compiled(query, review))


@pytest.mark.parametrize("label", list(EXPECTED_INDEX))
def test_list_query_uses_its_index(scaled, label) -> None:
    review = scaled[3]
    filters = bench.cases(datetime.now(timezone.utc).date())[label]
    plan = plan_of(review, list_query(filters, 51))
    assert EXPECTED_INDEX[label] <= set(indices_used(plan)), "\n".join(plan)
    assert not full_scans(plan), "\n".join(plan)
    count_plan = plan_of(review, count_query(filters))
    if label not in SCANNING_COUNTS:
        assert not full_scans(count_plan), "\n".join(count_plan)


def test_every_filter_lists_the_count_the_database_gives(scaled, clock) -> None:
    """Each measured filter renders and states the database's count (speed is ``make review-bench``)."""
    tracker_url, review_url, tracker, review = scaled
    app = create_app(settings_for(tracker_url, review_url), review=review, tracker=tracker, clock=clock)
    client = app.test_client()
    assert login(client, "rita", PASSWORD).status_code == 302
    for label, filters in bench.cases(datetime.now(timezone.utc).date()).items():
        response = client.get("/conversations", query_string=filters.args())
        assert response.status_code == 200, label
        with review.connect() as connection:
            matching = connection.execute(count_query(filters)).scalar_one()
        text = response.get_data(as_text=True)
        if matching:
            assert f"of {matching:,}" in text, label
        else:
            assert "No conversations match." in text, label


def test_bench_writes_only_between_its_markers(tmp_path) -> None:
    target = tmp_path / "benchmarks.md"
    target.write_text("# Benchmarks\n\n## Widget size\n\nkeep me\n")
    write_section(target, "first\n", name=SECTION)
    write_section(target, "second\n", name=SECTION)
    text = target.read_text()
    start, end = markers(SECTION)
    assert text.startswith("# Benchmarks\n\n") and text.endswith("## Widget size\n\nkeep me\n")
    assert text.count(start) == 1 and "second\n" in text and "first" not in text
    assert f"{start}\nsecond\n{end}\n" in text
