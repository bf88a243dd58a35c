"""Per-intent confidence thresholds for record-changing intents, chosen from the corpus.

    python -m intents.calibrate [--json]

For each intent that changes a record, the held-out split's messages the parser
reads as that intent are sorted by confidence; the threshold is the lowest one
above which no held-out message of another intent is read as it (never below
``FLOOR``), so a message under it is asked about, never applied. The table it
prints is copied into :data:`intents.catalog.THRESHOLDS` (with the figures in
intents/README.md); ``tests/unit/test_parser_confidence.py`` checks it still holds.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass

from intents.catalog import FLOOR, RECORD_CHANGING
from intents.evaluate import held_out, training_catalog
from intents.parser import Parser


@dataclass
class Calibration:
    intent: str
    threshold: float
    predicted: int  # held-out messages read as this intent
    wrong: int  # ... of which another intent was meant
    wrong_above: int  # wrong ones at or above the threshold (0 by construction)
    asked: int  # right ones below the threshold: they get a confirming question
    wrong_confidences: list[float]  # how sure the parser was of each wrong one


def calibrate(parser: Parser | None = None) -> list[Calibration]:
    import datetime

    parser = parser or Parser(training_catalog())
    by_intent: dict[str, list[tuple[float, bool]]] = {i: [] for i in sorted(RECORD_CHANGING)}
    for row in held_out():
        got = parser.parse(row["text"], datetime.date.fromisoformat(row["today"]))
        if got.intent in by_intent:
            by_intent[got.intent].append((got.confidence, got.intent == row["intent"]))
    out = []
    for intent, seen in by_intent.items():
        wrong = [c for c, ok in seen if not ok]
        threshold = max([FLOOR] + [round(c + 0.01, 2) for c in wrong])
        out.append(
            Calibration(
                intent,
                threshold,
                len(seen),
                len(wrong),
                sum(1 for c, ok in seen if not ok and c >= threshold),
                sum(1 for c, ok in seen if ok and c < threshold),
                sorted(wrong),
            )
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = calibrate()
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], indent=1))
        return
    print(f"{'intent':18} {'threshold':>9} {'read as':>8} {'wrong':>6} {'asked':>6}")
    for r in rows:
        print(f"{r.intent:18} {r.threshold:9.2f} {r.predicted:8} {r.wrong:6} {r.asked:6}")


if __name__ == "__main__":
    main()
