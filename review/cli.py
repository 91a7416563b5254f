"""Command line: ``review add-user | set-password | users | sync | purge | export-corrections | pseudonym | serve``."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
import threading
from typing import Optional, Sequence, TextIO

from core.content import ContentError
from review import audit, auth, corrections
from review.config import ConfigError, Settings, load_settings
from review.db import review_engine, tracker_engine
from review.pseudonyms import Pseudonyms
from review.purge import PurgeError, purge
from review.schema import ROLES
from review.sync import sync

logger = logging.getLogger("review")
SYNC_EVERY_SECONDS = 10.0


def cli_user() -> str:
    """Who ran the command, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except Exception:  # noqa: BLE001 - getuser raises various errors without a login name
        return "cli"


def read_password(from_stdin: bool, stdin: TextIO) -> str:
    """A new password from stdin (one line) or, on a terminal, typed twice at a prompt."""
    if from_stdin or not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise auth.UserError("password: the two passwords differ")
    return first


def parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    top = argparse.ArgumentParser(prog="review", description="Staff review of the assistant's conversations.")
    commands = top.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-user", help="create a staff account")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin (one line)")
    reset = commands.add_parser("set-password", help="set a new password (also lifts a lock-out)")
    reset.add_argument("name")
    reset.add_argument("--password-stdin", action="store_true")
    commands.add_parser("users", help="list the accounts")
    commands.add_parser("sync", help="summarise new Rasa events now")
    remove = commands.add_parser("purge", help="delete conversations older than an age, e.g. 90d")
    remove.add_argument("--older-than", required=True, metavar="AGE", help="e.g. 90d, 12w or 48h")
    corrected = commands.add_parser("export-corrections",
                                    help="write staff corrections as Rasa NLU training YAML (masked) for review")
    corrected.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    alias = commands.add_parser("pseudonym", help="the pseudonym the app shows for a sender id")
    alias.add_argument("sender_id")
    commands.add_parser("serve", help="run the web app (REVIEW_HOST:REVIEW_PORT)")
    return top


def main(argv: Optional[Sequence[str]] = None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Run one command; returns the exit status."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"review: configuration error: {error}", file=sys.stderr)
        return 2
    try:
        return run(args, settings, stdin, stdout)
    except ContentError as error:
        print(f"review: configuration error: {error}", file=sys.stderr)
        return 2
    except (auth.UserError, PurgeError, OSError) as error:
        print(f"review: {error}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """Dispatch a parsed command."""
    review = review_engine(settings.review_db_url)
    if args.command == "add-user":
        user = auth.create_user(review, args.name, read_password(args.password_stdin, stdin), args.role)
        audit.record(review, cli_user(), "cli", "user_created", {"user": user.username, "role": user.role})
        print(f"created {user.role} {user.username}", file=stdout)
    elif args.command == "set-password":
        auth.set_password(review, args.name, read_password(args.password_stdin, stdin))
        print(f"password set for {args.name}", file=stdout)
    elif args.command == "users":
        for user in auth.list_users(review):
            state = "disabled" if user.disabled else "active"
            print(f"{user.username}\t{user.role}\t{state}", file=stdout)
    elif args.command == "sync":
        result = sync(tracker_engine(settings.tracker_db_url), review)
        if result.tracker_problem:
            print(f"review: cannot read the tracker store: {result.tracker_problem}", file=sys.stderr)
            return 1
        print(f"read {result.events_read} events, wrote {result.conversations_written} conversation summaries, "
              f"watermark {result.watermark}", file=stdout)
    elif args.command == "purge":
        writable = tracker_engine(settings.tracker_db_url, writable=True)
        result = purge(writable, tracker_engine(settings.tracker_db_url), review, args.older_than, cli_user(),
                       pseudonym=Pseudonyms(settings.secret_key), audit_days=settings.audit_retention_days)
        print(f"deleted {result.conversations} conversations ({result.events} events) "
              f"last active before the cut-off, {result.callbacks} call-back requests made before it, and "
              f"{result.audit_rows} audit rows older than {settings.audit_retention_days} days", file=stdout)
    elif args.command == "export-corrections":
        export_corrections(settings, review, args.output, stdout)
    elif args.command == "pseudonym":
        print(Pseudonyms(settings.secret_key)(args.sender_id), file=stdout)
    elif args.command == "serve":
        return serve(settings, review)
    return 0


def export_corrections(settings: Settings, review: object, output: Optional[str], stdout: TextIO) -> None:
    """Write every correction as NLU YAML to ``output`` (or stdout), and audit it."""
    import time

    from review.dates import ClinicTime

    items = corrections.everything(review)  # type: ignore[arg-type]
    clinic = ClinicTime.named(settings.time_zone, settings.locale)
    text = corrections.nlu_yaml(items, f"Corrections from the staff review app, exported {clinic.when(time.time())} "
                                       f"({clinic.zone_name}) with `review export-corrections`.\n"
                                       "Patient messages (masked); review every example before adding it to "
                                       "data/nlu/<intent>.yml.")
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"wrote {len(items)} corrections to {output}", file=sys.stderr)
    else:
        stdout.write(text)
    audit.record(review, cli_user(), "cli", "corrections_exported", {"corrections": len(items)})  # type: ignore


def serve(settings: Settings, review: object) -> int:
    """Serve the app with waitress and keep the summaries synced in the background."""
    import waitress

    from review.web import create_app

    tracker = tracker_engine(settings.tracker_db_url)
    app = create_app(settings, review=review, tracker=tracker)  # type: ignore[arg-type]
    stop = threading.Event()

    def keep_syncing() -> None:
        while True:
            try:
                sync(tracker, review)  # type: ignore[arg-type]
            except Exception:  # noqa: BLE001 - keep the loop alive, the error is logged
                logger.exception("background sync failed")
            if stop.wait(SYNC_EVERY_SECONDS):
                return

    threading.Thread(target=keep_syncing, name="review-sync", daemon=True).start()
    print(f"review: serving on http://{settings.host}:{settings.port}/", file=sys.stderr)
    try:
        waitress.serve(app, host=settings.host, port=settings.port, threads=8, ident="review")
    finally:
        stop.set()
    return 0

