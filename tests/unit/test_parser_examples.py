"""The parse contract's own examples (docs/intents.md), exactly.

They are an evaluation set: ``intents/data/contract_examples.jsonl`` is the project's
copy of them, kept out of the training corpus by ``intents/data/build_corpus.py``.
With ``STAFFBOT_EXAMPLES`` pointing at another copy, that copy must match ours.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from intents.classifier import DATA_DIR
from intents.parser import get_parser
from tests.unit.parser_names import CATALOG

TODAY = date(2026, 1, 14)
COPY = DATA_DIR / "contract_examples.jsonl"


def _read(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


EXAMPLES = _read(COPY)


@pytest.fixture(scope="module")
def parser():
    return get_parser(CATALOG)


def test_our_copy_matches_the_one_given() -> None:
    given = os.environ.get("STAFFBOT_EXAMPLES")
    if not given or not Path(given).exists():
        pytest.skip("STAFFBOT_EXAMPLES not set")
    assert _read(Path(given)) == EXAMPLES


def test_the_examples_are_kept_out_of_the_corpus() -> None:
    from intents.classifier import corpus_rows

    texts = {r["text"].strip().lower() for r in corpus_rows()}
    assert len(EXAMPLES) >= 80
    assert not texts & {e["text"].strip().lower() for e in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"] for e in EXAMPLES])
def test_shared_example_parses_exactly(parser, example: dict) -> None:
    got = parser.parse(example["text"], TODAY).to_json()
    assert got == {"intent": example["intent"], "slots": example["slots"]}
