"""Accuracy and slot F1 of a parser on labelled messages (tests and bench)."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from intents.catalog import Catalog
from intents.classifier import TRAIN_CATALOG, corpus_rows
from intents.parser import Parser

DEFAULT_TODAY = datetime.date(2026, 1, 14)


def training_catalog() -> Catalog:
    """The catalog the corpus is written against (demo names plus generated ones)."""
    data = json.loads(TRAIN_CATALOG.read_text(encoding="utf-8"))
    return Catalog(homes=tuple(data["homes"]), staff=tuple(data["staff"]))


def held_out() -> list[dict]:
    return corpus_rows("test")


def read_jsonl(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).open(encoding="utf-8") if line.strip()]


def _pairs(slots: dict) -> set[tuple[str, str]]:
    # The reason is free text: only its presence is compared.
    return {(k, "present" if k == "reason" else json.dumps(v)) for k, v in slots.items()}


@dataclass
class Report:
    n: int = 0
    correct: int = 0
    exact: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    confusions: Counter = field(default_factory=Counter)
    errors: list[dict] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    @property
    def slot_f1(self) -> float:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def exact_rate(self) -> float:
        return self.exact / self.n if self.n else 0.0


def evaluate(
    parser: Parser, rows: Iterable[dict], default_today: datetime.date = DEFAULT_TODAY
) -> Report:
    """Intent accuracy, exact-match rate and slot micro-F1 (over all slots)."""
    rep = Report()
    for row in rows:
        today = datetime.date.fromisoformat(row["today"]) if row.get("today") else default_today
        got = parser.parse(row["text"], today)
        gold_slots = row.get("slots", {})
        rep.n += 1
        if got.intent == row["intent"]:
            rep.correct += 1
        else:
            rep.confusions[(row["intent"], got.intent)] += 1
        # An unknown message's slots are hints for the conversation ("hawthorn" answering
        # "Which home?"); the corpus labels none, so they are not scored.
        got_slots = {} if got.intent == "unknown" else got.slots
        g, p = _pairs(gold_slots), _pairs(got_slots)
        rep.tp += len(g & p)
        rep.fp += len(p - g)
        rep.fn += len(g - p)
        if got.intent == row["intent"] and g == p:
            rep.exact += 1
        else:
            rep.errors.append(
                {
                    "text": row["text"],
                    "gold": row["intent"],
                    "got": got.intent,
                    "gold_slots": gold_slots,
                    "got_slots": got_slots,
                    "confidence": got.confidence,
                }
            )
    return rep
