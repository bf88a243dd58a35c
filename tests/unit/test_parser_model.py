"""The intent model is ready before the first message: a project-local cache every
command finds, `staffbot model build` (idempotent), `intents.parser.warm`, and a test
suite that never touches the home directory's cache."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli_model import model_app
from intents import classifier, parser


def test_the_suite_uses_its_own_temporary_cache() -> None:
    root = Path(os.environ["STAFFBOT_CACHE_DIR"])
    assert classifier.cache_dir() == root
    home_cache = Path.home() / ".cache" / "staffbot"
    assert home_cache not in (root, *root.parents)


def test_the_default_cache_is_in_the_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STAFFBOT_CACHE_DIR")
    assert classifier.cache_dir() == classifier.PROJECT_ROOT / ".cache" / "staffbot"
    monkeypatch.setenv("STAFFBOT_CACHE_DIR", "/somewhere/else")
    assert classifier.cache_dir() == Path("/somewhere/else")


def test_warm_loads_the_model_before_any_message() -> None:
    from tests.unit.parser_names import CATALOG

    seconds = parser.warm(catalog=CATALOG)
    assert parser.is_warm()
    assert seconds >= 0.0
    assert classifier.is_built()  # warming left a complete cache for other processes
    assert parser.get_parser(CATALOG) is parser.get_parser(CATALOG)  # built once, kept


def test_model_build_reuses_a_valid_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parser.warm()  # the session's model exists; copy it as if built before
    built = classifier.model_path()
    shutil.copytree(built, tmp_path / built.name)

    def must_not_train(*_a: object, **_k: object) -> None:
        raise AssertionError("a valid cache must be reused, not retrained")

    monkeypatch.setattr(classifier, "build_model", must_not_train)
    result = CliRunner().invoke(model_app, ["build", "--cache-dir", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout.strip().splitlines()[-1])
    assert info["built"] is True and info["reused"] is True
    assert info["model"] == str(tmp_path / built.name)

    status = CliRunner().invoke(model_app, ["status", "--cache-dir", str(tmp_path), "--json"])
    assert json.loads(status.stdout)["built"] is True
    empty = tmp_path / "empty"
    status = CliRunner().invoke(model_app, ["status", "--cache-dir", str(empty), "--json"])
    assert json.loads(status.stdout)["built"] is False
