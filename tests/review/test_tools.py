"""The review app's tooling outside the app package: the seeder's NLU source and the benchmark entry point."""

from __future__ import annotations

import pytest

from scripts.bench.__main__ import main as bench_main
from scripts.review_tools.seed_pools import nlu_examples, nlu_files


def write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_seeder_reads_every_file_of_data_nlu_when_the_folder_exists(tmp_path) -> None:
    write(tmp_path / "data" / "nlu.yml", 'version: "3.1"\nnlu:\n- intent: old\n  examples: |\n    - stale\n')
    write(tmp_path / "data" / "nlu" / "alcohol.yml",
          'version: "3.1"\nnlu:\n- intent: alcohol\n  examples: |\n    - can i drink [wine](drink)\n    - beer ok?\n')
    write(tmp_path / "data" / "nlu" / "greeting.yml",
          'version: "3.1"\nnlu:\n- intent: greeting\n  examples: |\n    - hello\n- intent: alcohol\n'
          '  examples: |\n    - a pint?\n')
    files = nlu_files(tmp_path)
    assert [path.name for path in files] == ["alcohol.yml", "greeting.yml"]
    assert nlu_examples(files) == {"alcohol": ["can i drink wine", "beer ok?", "a pint?"], "greeting": ["hello"]}


def test_the_seeder_falls_back_to_data_nlu_yml(tmp_path) -> None:
    write(tmp_path / "data" / "nlu.yml", 'version: "3.1"\nnlu:\n- intent: thanks\n  examples: |\n    - ta\n')
    assert nlu_examples(nlu_files(tmp_path)) == {"thanks": ["ta"]}


def test_the_review_benchmark_is_a_sub_command_of_the_one_entry_point(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        bench_main(["review", "--help"])
    assert done.value.code == 0
    assert "usage: python -m scripts.bench review" in capsys.readouterr().out
