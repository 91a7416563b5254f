from __future__ import annotations

from pathlib import Path

import yaml

from scripts.check_content import check
from tests.conftest import ROOT


def test_project_content_passes_every_check() -> None:
    assert check(ROOT / "content", ROOT / "domain.yml") == []


def test_hard_text_fails_the_reading_level(content_copy: Path) -> None:
    path = content_copy / "answers.yml"
    data = yaml.safe_load(path.read_text())
    record = next(item for item in data["answers"] if item["id"] == "alcohol")
    record["text"] = (
        "Concomitant administration of pharmacologically psychoactive substances necessitates "
        "individualised consideration of pharmacodynamic potentiation of centrally mediated sedation."
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    problems = check(content_copy, ROOT / "domain.yml")
    assert len(problems) == 1 and problems[0].startswith("record 'alcohol': field 'text': reading grade")


def test_intent_without_answer_is_reported(tmp_path: Path) -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    domain["intents"].append("ask_about_parking")
    (tmp_path / "domain.yml").write_text(yaml.safe_dump(domain))
    problems = check(ROOT / "content", tmp_path / "domain.yml")
    assert problems == [f"{tmp_path / 'domain.yml'}: intent 'ask_about_parking' has no answer id"]
