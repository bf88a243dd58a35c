"""The layers import in one direction only (docs/architecture.md).

Every ``import`` in the tree, at module level or inside a function, is read from the
source with ``ast``; a new import against the direction fails here with the file, line and
module named.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = ("core", "intents", "bot", "scheduler", "migrations")

# package -> the packages of ours it may import (itself always allowed)
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "intents": set(),  # the parser stands alone: text in, intent and slots out
    "scheduler": {"core"},
    "migrations": {"core"},
    "bot": {"core", "intents", "scheduler"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _violations(package: str) -> list[str]:
    allowed = ALLOWED[package] | {package}
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top in OURS and top not in allowed:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_its_layer_may(package: str) -> None:
    assert _violations(package) == []


def test_nothing_outside_bot_and_the_entry_points_imports_bot() -> None:
    # entry points: the CLI lives in bot/; bench/ and dev.py drive the program from outside
    bad = [
        v
        for package in ALLOWED
        if package != "bot"
        for v in _violations(package)
        if " imports bot" in v
    ]
    assert bad == []


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """The reader really finds imports, including ones inside functions."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\ndef f():\n    from bot.cli import app\n    return app\n")
    assert (4, "bot.cli") in _imports(sample)
