"""The README's map of the repository matches the tree."""
from __future__ import annotations

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# Backquoted names that look like paths in the "Map of the files" section.
_PATH = re.compile(r"`([A-Za-z0-9_./-]+)`")


def map_section() -> str:
    start = README.index("## Map of the files")
    return README[start:README.index("\n## ", start + 1)]


def test_the_map_names_the_top_level_folders_and_files() -> None:
    named = set(_PATH.findall(map_section()))
    for folder in ("actions/", "channels/", "content/", "core/", "data/", "deploy/", "docs/", "intents/",
                   "review/", "safety/", "scripts/", "stores/", "tests/", "widget/"):
        assert folder in named, f"the README's map does not name {folder}"
        assert (ROOT / folder).is_dir()


def test_every_path_the_map_names_exists() -> None:
    section = map_section()
    missing = []
    for row in section.splitlines():
        if not row.startswith("| `"):
            continue
        folder = _PATH.search(row).group(1)
        for name in _PATH.findall(row):
            if "." not in name and "/" not in name:
                continue  # a word in backquotes, not a path
            candidates = [ROOT / name] + ([ROOT / folder / name] if folder.endswith("/") else [])
            if not any(path.exists() for path in candidates):
                missing.append(name)
    assert not missing, f"the README's map names paths that do not exist: {missing}"
