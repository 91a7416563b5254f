"""docs/content.md is generated from content/ and must not drift from it."""

from __future__ import annotations

from pathlib import Path

import yaml

from core.content import ContentStore
from core.vocabulary import SERVED_IDS, TOPIC_IDS
from scripts.content_table import cell, main, render, store_ids
from tests.conftest import ROOT

DOC = ROOT / "docs" / "content.md"


def test_committed_page_equals_what_the_script_generates(store: ContentStore) -> None:
    assert DOC.read_text(encoding="utf-8") == render(store), "docs/content.md is out of date: run `make content-doc`"


def test_every_topic_row_has_its_title_linked_sources_and_review_date(store: ContentStore) -> None:
    rows = {line.split("`")[1]: line for line in render(store).splitlines() if line.startswith("| `")}
    for content_id in TOPIC_IDS:
        answer = store.answer(content_id)
        line = rows[content_id]
        assert cell(answer.title) in line
        assert answer.last_reviewed.isoformat() in line
        for key in answer.sources:
            source = store.sources[key]
            assert (f"]({source.url})" if source.url else cell(source.title)) in line


def test_topics_come_first_in_the_assistants_order_then_every_other_reply(store: ContentStore) -> None:
    ids = store_ids(render(store))
    assert ids[: len(TOPIC_IDS)] == list(TOPIC_IDS)
    assert sorted(ids) == sorted(store.answers)


def test_a_changed_title_and_review_date_show_in_the_page(content_copy: Path) -> None:
    path = content_copy / "answers.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    record = next(item for item in data["answers"] if item["id"] == "alcohol")
    record["title"] = "Is a glass of wine | beer OK?"
    record["last_reviewed"] = "2020-01-02"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    page = render(ContentStore.load(content_copy, required_ids=SERVED_IDS))
    [line] = [line for line in page.splitlines() if line.startswith("| `alcohol`")]
    assert "Is a glass of wine \\| beer OK?" in line and "| 2020-01-02 |" in line


def test_cell_escapes_table_and_link_characters() -> None:
    assert cell("a | b [c]\n d") == "a \\| b \\[c\\] d"


def test_check_mode_fails_on_a_stale_page_and_passes_once_written(tmp_path: Path) -> None:
    out = tmp_path / "content.md"
    out.write_text("stale", encoding="utf-8")
    assert main(["--content", str(ROOT / "content"), "--out", str(out), "--check"]) == 1
    assert main(["--content", str(ROOT / "content"), "--out", str(out)]) == 0
    assert main(["--content", str(ROOT / "content"), "--out", str(out), "--check"]) == 0


def test_a_broken_content_folder_is_reported_not_written(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / "sources.yml").write_text("sources: [", encoding="utf-8")
    out = tmp_path / "content.md"
    assert main(["--content", str(content_copy), "--out", str(out)]) == 1
    assert not out.exists()
