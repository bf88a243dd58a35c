"""The parse contract and the traps with the demo organisation's own names (about 146
people, as `staffbot parse` sees them after `staffbot init --demo`), not only with the unit
tests' catalog: a demo person sharing a word with a home or another person must not
change a reading."""

from __future__ import annotations

from datetime import date

import pytest

from bot.conversation.names import load_catalog
from core.app import Core
from intents.parser import get_parser
from tests.unit.test_parser_examples import EXAMPLES
from tests.unit.test_parser_traps import CASES

TODAY = date(2026, 1, 14)


@pytest.fixture(scope="module")
def demo_parser(sqlite_templates, tmp_path_factory):  # type: ignore[no-untyped-def]
    import shutil

    from tests.conftest import _template, make_core

    path = tmp_path_factory.mktemp("demo-names") / "demo.db"
    shutil.copy(_template(sqlite_templates, "demo"), path)
    core: Core = make_core(f"sqlite:///{path}")
    with core.uow() as uow:
        catalog = load_catalog(uow.session)
    core.engine.dispose()
    assert "Sarah MacKenzie" in catalog.staff and "Victoria Gardens" in catalog.homes
    return get_parser(catalog)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"] for e in EXAMPLES])
def test_contract_example_with_demo_names(demo_parser, example: dict) -> None:
    got = demo_parser.parse(example["text"], TODAY).to_json()
    assert got == {"intent": example["intent"], "slots": example["slots"]}


@pytest.mark.parametrize("text, intent, slots", CASES, ids=[c[0] for c in CASES])
def test_trap_with_demo_names(demo_parser, text: str, intent: str, slots: dict) -> None:
    assert demo_parser.parse(text, TODAY).to_json() == {"intent": intent, "slots": slots}
