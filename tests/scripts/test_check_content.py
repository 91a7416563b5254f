from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scripts.check_content import check, sentence_count
from tests.conftest import ROOT


def test_project_content_passes_every_check() -> None:
    assert check(ROOT / "content", ROOT / "domain.yml") == []


def test_hard_text_fails_the_reading_level(content_copy: Path) -> None:
    path = content_copy / "answers.yml"
    data = yaml.safe_load(path.read_text())
    record = next(item for item in data["answers"] if item["id"] == "alcohol")
    record["summary"] = (
        "Concomitant administration of pharmacologically psychoactive substances necessitates "
        "individualised consideration of pharmacodynamic potentiation of centrally mediated sedation."
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = check(content_copy, ROOT / "domain.yml")
    assert len(problems) == 1 and problems[0].startswith("record 'alcohol': field 'summary': reading grade")


def test_intent_without_answer_is_reported(tmp_path: Path) -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    domain["intents"].append("ask_about_parking")
    (tmp_path / "domain.yml").write_text(yaml.safe_dump(domain))
    problems = check(ROOT / "content", tmp_path / "domain.yml")
    assert problems == [f"{tmp_path / 'domain.yml'}: intent 'ask_about_parking' has no answer id"]


def test_a_long_direct_answer_fails_the_answer_first_check(content_copy: Path) -> None:
    path = content_copy / "answers.yml"
    data = yaml.safe_load(path.read_text())
    record = next(item for item in data["answers"] if item["id"] == "alcohol")
    record["summary"] = "It is best to avoid it. Ask your doctor. Drinking can make you sleepy."
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = check(content_copy, ROOT / "domain.yml")
    assert problems == ["record 'alcohol': field 'summary': 3 sentence(s), 14 words (the direct answer is at most "
                        "2 sentences and 35 words)"]


def test_a_long_paragraph_fails_the_answer_first_check(content_copy: Path) -> None:
    path = content_copy / "answers.yml"
    data = yaml.safe_load(path.read_text())
    record = next(item for item in data["answers"] if item["id"] == "alcohol")
    record["details"] = ["One. Two. Three. Four.", {"bullets": ["One. Two. Three. Four.", "Five."]}]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = check(content_copy, ROOT / "domain.yml")
    assert problems == ["record 'alcohol': field 'details[0]': 4 sentences (a paragraph is at most 3)"]


@pytest.mark.parametrize(("text", "expected"), [("One. Two? Three!", 3), ("No full stop", 1), ("Call 999. Now.", 2),
                                                ("He said \"stop.\" Then left.", 2), ("", 0)])
def test_sentence_count(text: str, expected: int) -> None:
    assert sentence_count(text) == expected
