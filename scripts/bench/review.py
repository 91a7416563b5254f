"""``python -m scripts.bench review``: the staff review app's conversation list at scale, over real HTTP.

Seeds 100,000 conversations / 1,000,000 events (see :mod:`scripts.review_tools.seed`)
into a fresh tracker store on SQLite and on PostgreSQL, syncs them into a fresh
review database, serves the app with waitress on a free port, logs in and times
``GET /conversations`` with each filter (after one warm-up request; the page's own
bounded sync runs each time, as in production). It prints the table and, with
``--write`` (``make review-bench``), puts it into the ``review-bench`` section of
``docs/benchmarks.md`` through :func:`scripts.bench.report.write_section`, leaving
the rest of the file alone.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import requests
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlalchemy.engine import URL, Engine, make_url

from review import auth, schema
from review.config import ROOT, database_url, load_settings
from review.db import review_engine, tracker_engine
from review.queries import Filters, count_query, list_query
from review.sync import sync
from scripts.bench.report import write_section
from scripts.bench.review_plans import compiled, explain
from scripts.bench.review_report import SECTION, BackendRun, Timing, markdown
from scripts.review_tools.seed import seed
from scripts.review_tools.serving import logged_in, serve

BENCHMARKS = ROOT / "docs" / "benchmarks.md"
DEFAULT_POSTGRES = "postgresql://postgres:root@127.0.0.1:5432/test"


def cases(today: date) -> Dict[str, Filters]:
    """The list queries measured, by label."""
    return {
        "newest first, no filter": Filters(),
        "flag: crisis": Filters(flags=("crisis",)),
        "flag: crisis or emergency": Filters(flags=("crisis", "emergency")),
        "flag: fallback / low confidence": Filters(flags=("low_confidence",)),
        "flag: “not helpful”": Filters(flags=("not_helpful",)),
        "channel: twilio_sms": Filters(channel="twilio_sms"),
        "topic: stopping_medication": Filters(topic="stopping_medication"),
        "not reviewed": Filters(status="unreviewed"),
        "last 7 days": Filters(date_from=today - timedelta(days=6), date_to=today),
        "crisis in the last 30 days": Filters(flags=("crisis",), date_from=today - timedelta(days=29)),
        "text search “alcohol”": Filters(q="alcohol"),
        "text search, no match": Filters(q="zebra crossing"),
    }


def time_page(session: requests.Session, url: str, params: List[Tuple[str, str]], repeat: int) -> Timing:
    """Fetch ``url`` once to warm up, then ``repeat`` times, timing each."""
    timing = Timing()
    session.get(url, params=params, timeout=60).raise_for_status()
    for _ in range(repeat):
        started = time.perf_counter()
        response = session.get(url, params=params, timeout=60)
        timing.samples.append(1000 * (time.perf_counter() - started))
        response.raise_for_status()
    return timing


def database_version(engine: Engine) -> str:
    """``SQLite 3.x`` or ``PostgreSQL 15.x``."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            return f"SQLite {connection.exec_driver_sql('select sqlite_version()').scalar()}"
        return "PostgreSQL " + connection.exec_driver_sql("show server_version").scalar().split()[0]


def run_backend(
    name: str, tracker_url: URL, review_url: URL, conversations: int, events: int, repeat: int,
    log=print,
) -> BackendRun:
    """Seed, sync, serve and measure one backend."""
    from review.web import create_app

    writable = tracker_engine(tracker_url, writable=True)
    started = time.perf_counter()
    written = seed(writable, conversations, events, progress=True)
    seed_seconds = time.perf_counter() - started
    log(f"{name}: seeded {conversations:,} conversations, {written:,} events in {seed_seconds:.0f} s")
    readonly, review = tracker_engine(tracker_url), review_engine(review_url)
    started = time.perf_counter()
    sync(readonly, review)
    sync_seconds = time.perf_counter() - started
    with review.connect() as connection:
        summarised = connection.execute(sa.select(sa.func.count()).select_from(schema.conversations)).scalar()
    log(f"{name}: summarised {summarised:,} conversations in {sync_seconds:.0f} s")
    password = secrets.token_urlsafe(18)
    auth.create_user(review, "bench", password, "reviewer")
    settings = load_settings({"REVIEW_SECRET_KEY": secrets.token_urlsafe(40),
                              "CALLBACK_KEY": Fernet.generate_key().decode(),
                              "REVIEW_TRACKER_DB_URL": str(tracker_url), "REVIEW_DB_URL": str(review_url)})
    base, server = serve(create_app(settings, review=review, tracker=readonly))
    try:
        session = logged_in(base, "bench", password)
        today = datetime.now(timezone.utc).date()
        timings, plans = {}, {}
        with review.connect() as connection:
            for label, filters in cases(today).items():
                timings[label] = time_page(session, f"{base}/conversations", filters.args(), repeat)
                plans[label] = explain(connection, compiled(list_query(filters, settings.page_size + 1), review))
                plans[label] += explain(connection, compiled(count_query(filters), review))
                log(f"{name}: {label}: median {timings[label].median:.0f} ms, worst {timings[label].worst:.0f} ms")
        other = {
            "start page (needs attention)": time_page(session, f"{base}/", [], repeat),
            "transcript": time_page(session, f"{base}/conversations/1", [], repeat),
            "dashboard (30 days)": time_page(session, f"{base}/dashboard", [], max(3, repeat // 3)),
        }
    finally:
        server.close()
    version = database_version(review)
    for engine in (writable, readonly, review):
        engine.dispose()
    return BackendRun(name, version, conversations, written, seed_seconds, sync_seconds, timings, plans, other)


def postgres_databases(server_url: str) -> Tuple[URL, URL, Callable[[], None]]:
    """Two fresh databases on the server, and a function that drops them."""
    import psycopg2

    server = make_url(server_url)
    names = [f"review_bench_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("tracker", "app")]

    def admin(statements: List[str]) -> None:
        connection = psycopg2.connect(host=server.host, port=server.port or 5432, user=server.username,
                                      password=server.password, dbname=server.database)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        finally:
            connection.close()

    admin([f'CREATE DATABASE "{name}"' for name in names])

    def drop() -> None:
        admin([f'DROP DATABASE IF EXISTS "{name}"' for name in names])

    return server.set(database=names[0]), server.set(database=names[1]), drop


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m scripts.bench review", description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9, help="timed requests per filter")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("REVIEW_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="server where two temporary databases are created (and dropped)")
    parser.add_argument("--write", action="store_true", help=f"update the section in {BENCHMARKS.relative_to(ROOT)}")
    parser.add_argument("--output", type=Path, default=BENCHMARKS)
    args = parser.parse_args(argv)
    runs: List[BackendRun] = []
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="review-bench-") as workdir:
        if args.backend in ("sqlite", "both"):
            runs.append(run_backend(
                "SQLite", database_url("sqlite", f"sqlite:///{workdir}/tracker.db"),
                database_url("sqlite", f"sqlite:///{workdir}/review.db"), args.conversations, args.events,
                args.repeat, log=lambda line: print(line, file=sys.stderr)))
        if args.backend in ("postgresql", "both"):
            tracker_url, review_url, drop = postgres_databases(args.postgres_url)
            try:
                runs.append(run_backend("PostgreSQL", tracker_url, review_url, args.conversations, args.events,
                                        args.repeat, log=lambda line: print(line, file=sys.stderr)))
            finally:
                drop()
    command = "make review-bench" + ("" if args.conversations == 100_000 and args.events == 1_000_000 else
                                     f" (--conversations {args.conversations} --events {args.events})")
    section = markdown(runs, command, (load_at_start, os.getloadavg()[0]))
    print(section)
    if args.write:
        write_section(args.output, section, name=SECTION)
        print(f"updated {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
