from __future__ import annotations

import json
import sqlite3

import pytest

from channels.guard import as_plain_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("sur\ud800x", "surx"), ("a\udfffb\ud83d", "ab"), ("a\x00b\x1bc", "abc"), ("/greet{x}", "greet{x}")],
    ids=["lone-high-surrogate", "lone-low-surrogates", "control-characters", "typed-intent"],
)
def test_text_is_cleaned(text: str, expected: str) -> None:
    assert as_plain_text(text) == expected


def test_cleaned_text_can_be_stored() -> None:
    text = as_plain_text(json.loads('"broken \\ud800 character and \\u0000 NUL"'))
    with sqlite3.connect(":memory:") as connection:
        connection.execute("create table t (x text)")
        connection.execute("insert into t values (?)", (text,))
        [(stored,)] = connection.execute("select x from t").fetchall()
    assert stored == "broken  character and  NUL"


def test_real_emoji_are_kept() -> None:
    assert as_plain_text("sad 😢 face") == "sad 😢 face"
