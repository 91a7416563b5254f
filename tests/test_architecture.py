"""Package boundaries: core/ is free of Rasa, and no package reaches into another's privates."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterator, Tuple

import pytest

from tests.conftest import ROOT

PACKAGES = ("actions", "channels", "core", "intents", "review", "safety", "scripts", "stores")


def imports(package: str) -> Iterator[Tuple[Path, str, str]]:
    """(file, imported module, imported name or '') for every import in a package."""
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name, ""
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    yield path, node.module, alias.name


def test_core_imports_neither_rasa_nor_rasa_sdk() -> None:
    found = [(path.name, module) for path, module, _ in imports("core")
             if module.split(".")[0] in ("rasa", "rasa_sdk")]
    assert found == []


@pytest.mark.parametrize("package", ["channels", "safety", "stores", "review", "core"])
def test_only_the_action_server_uses_the_actions_package(package: str) -> None:
    found = [(path.name, module) for path, module, _ in imports(package) if module.split(".")[0] == "actions"]
    assert found == []


def test_the_review_app_does_not_need_rasa_sdk() -> None:
    assert [(path.name, module) for path, module, _ in imports("review") if module.startswith("rasa_sdk")] == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_private_name_is_imported_from_another_package(package: str) -> None:
    found = [(path.relative_to(ROOT).as_posix(), module, name) for path, module, name in imports(package)
             if module.split(".")[0] in PACKAGES and module.split(".")[0] != package
             and name.startswith("_") and not name.startswith("__")]
    assert found == []
