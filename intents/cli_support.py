"""Pure helpers behind ``staffbot parse --jsonl`` (the command lives in bot/cli.py)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator

from intents.parser import Parser

__all__ = ["parse_lines"]


def parse_lines(parser: Parser, lines: Iterable[str], today: datetime.date) -> Iterator[dict]:
    """One result per JSONL line with a ``text`` field, in order.

    Blank lines are skipped. A line that is not a JSON object with a string
    ``text`` yields ``{"intent": "unknown", "slots": {}, "error": "..."}``
    instead of stopping the run.
    """
    for number, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            line = line.decode("utf-8", errors="replace")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _error(f"line {number}: not JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield _error(f"line {number}: expected a JSON object")
            continue
        text = record.get("text")
        if not isinstance(text, str):
            yield _error(f'line {number}: no string "text" field')
            continue
        yield parser.parse(text, today).to_json()


def _error(message: str) -> dict:
    return {"intent": "unknown", "slots": {}, "error": message}
