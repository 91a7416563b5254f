"""The bench's burst phase: how replies are classed, what counts as lost, the report."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from core.content import ContentStore
from core.replies import Reply, reply_text
from scripts.bench import burst, report
from scripts.bench.__main__ import parse
from scripts.bench.burst_run import same_conversation_messages


def _messages(text: str) -> list:
    return [{"recipient_id": "x", "text": part} for part in text.split("\n\n")]


def test_replies_are_classed_as_answers_busy_error_or_failed(store: ContentStore) -> None:
    classify = burst.classifier(store)
    assert classify(_messages(reply_text(store, Reply("error"), "rest"))) == burst.ERROR
    assert classify(_messages(reply_text(store, Reply("busy"), "rest"))) == burst.BUSY
    assert classify(_messages(reply_text(store, Reply("alcohol"), "rest"))) == burst.ANSWER
    assert classify([]) == burst.FAILED


def _turns(*pairs: tuple) -> list:
    return [burst._Turn("s", message, reply=reply) for message, reply in pairs]


def test_messages_and_replies_missing_from_the_history_are_lost_and_order_is_checked() -> None:
    turns = _turns(("a", "answer a"), ("b", "answer b"), ("c", "answer c"))
    events = [{"event": "user", "text": "b"}, {"event": "bot", "text": "answer b"},
              {"event": "user", "text": "a"}, {"event": "bot", "text": "answer a"}]
    assert burst._missing(turns, events) == (1, 1, True)
    complete = [{"event": "user", "text": t.message} if i % 2 == 0 else {"event": "bot", "text": t.reply}
                for t in turns for i in range(2)]
    assert burst._missing(turns, complete) == (0, 0, False)


def test_the_section_reports_each_count_and_flags_error_replies(tmp_path: Path) -> None:
    calm = burst.BurstResult("calm", Counter({burst.ANSWER: 9, burst.BUSY: 1}), [100.0, 200.0])
    assert "No error replies." in burst.render([calm], ["intro"])
    broken = burst.BurstResult("broken", Counter({burst.ANSWER: 8, burst.ERROR: 2}), [100.0], lost_user=1)
    section = burst.render([calm, broken], ["intro"])
    assert "| broken | 10 | 8 | 0 | 2 | 0 | 1 + 0 | 0 |" in section
    assert "**Error replies under load**" in section
    out = tmp_path / "benchmarks.md"
    out.write_text("# Benchmarks\n\nkept\n")
    report.write_section(out, section, "burst")
    assert "kept" in out.read_text() and "<!-- burst:start -->" in out.read_text()


def test_same_conversation_messages_are_distinct() -> None:
    messages = same_conversation_messages(12)
    assert len(set(messages)) == 12


def test_quick_runs_have_a_smaller_burst(tmp_path: Path) -> None:
    model = tmp_path / "model.tar.gz"
    model.write_text("")
    quick, full = parse(["--quick", "--model", str(model)]), parse(["--model", str(model)])
    assert (quick.burst_conversations, full.burst_conversations) == (16, 128)
