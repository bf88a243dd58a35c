"""Parser benchmark: accuracy, slot F1, confusions and latency.

    python bench/parse_bench.py [--examples FILE] [--template-holdout] [--errors N]

Reports, separately, the held-out split of ``intents/data/corpus.jsonl`` and
the contract's examples (``intents/data/contract_examples.jsonl`` by default; an
evaluation set the corpus never includes): intent accuracy, slot micro-F1
(the reason slot compared for presence), exact-match rate, the most frequent
confusions, then p50/p99 parse latency and messages per second.

``--template-holdout`` also trains a second model without any message from
the held-out messages' templates and evaluates it on them: a harder measure
of how the classifier copes with phrasings it has never seen.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intents.classifier import DATA_DIR
from intents.evaluate import (
    DEFAULT_TODAY,
    Report,
    evaluate,
    held_out,
    read_jsonl,
    training_catalog,
)
from intents.parser import Parser, get_parser


def show(name: str, rep: Report, errors: int) -> None:
    print(f"\n== {name}: {rep.n} messages")
    print(f"intent accuracy   {rep.accuracy:.4f}")
    print(f"slot micro-F1     {rep.slot_f1:.4f}   (tp {rep.tp}, fp {rep.fp}, fn {rep.fn})")
    print(f"exact match       {rep.exact_rate:.4f}")
    if rep.confusions:
        print("most frequent confusions (gold -> got: count):")
        for (gold, got), n in rep.confusions.most_common(10):
            print(f"  {gold:18} -> {got:18} {n}")
    for e in rep.errors[:errors]:
        print(
            f"  ! {e['gold']} -> {e['got']} ({e['confidence']:.2f}): {e['text']!r}"
            f" gold={e['gold_slots']} got={e['got_slots']}"
        )


def latency(parser: Parser, texts: list[str]) -> None:
    for t in texts[:50]:
        parser.parse(t, DEFAULT_TODAY)  # warm-up
    times = []
    start = time.perf_counter()
    for t in texts:
        t0 = time.perf_counter()
        parser.parse(t, DEFAULT_TODAY)
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"\n== latency over {len(times)} parses (after warm-up)")
    print(
        f"p50 {statistics.median(times) * 1000:.2f} ms   p99 {p99 * 1000:.2f} ms   "
        f"{len(times) / total:.0f} messages/s"
    )


def template_holdout(errors: int) -> None:
    """Hold out a fifth of the templates (and hand-written lines) entirely: train a
    second model on the rest and test it on every message of the held-out ones."""
    import hashlib

    from intents.classifier import IntentModel, Vocabulary, corpus_rows, train, with_keywords
    from intents.parser import _featurize_rows

    def unseen(group: str) -> bool:
        return int(hashlib.sha1(group.encode()).hexdigest()[:8], 16) % 5 == 0

    rows = corpus_rows()
    train_rows = [r for r in rows if not unseen(r["group"])]
    test_rows = [r for r in rows if unseen(r["group"])]
    t0 = time.perf_counter()
    featured = _featurize_rows(train_rows)
    counts = Counter(t for tokens, _ in featured for t in tokens if not t.startswith("<"))
    labels = sorted({i for _, i in featured})
    nlp = train([(with_keywords(t), i) for t, i in featured], labels)
    model = IntentModel(nlp, Vocabulary(counts))
    print(
        f"\n(leave-template-out: trained a second model on {len(train_rows)} messages in "
        f"{time.perf_counter() - t0:.1f}s; {len(test_rows)} messages from unseen templates)"
    )
    parser = Parser(training_catalog(), model=model)
    show("unseen templates (harder)", evaluate(parser, test_rows), errors)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--examples",
        default=os.environ.get("STAFFBOT_EXAMPLES", str(DATA_DIR / "contract_examples.jsonl")),
    )
    ap.add_argument("--errors", type=int, default=0, help="print up to N misparsed messages")
    ap.add_argument("--template-holdout", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    parser = get_parser(training_catalog())
    print(f"parser ready in {time.perf_counter() - t0:.1f}s (model trained or loaded from cache)")

    rows = held_out()
    show("held-out split of intents/data/corpus.jsonl", evaluate(parser, rows), args.errors)
    if Path(args.examples).exists():
        examples = read_jsonl(args.examples)
        show(
            f"contract examples ({args.examples})",
            evaluate(parser, examples, datetime.date(2026, 1, 14)),
            args.errors,
        )
    else:
        print(f"\n(no contract examples at {args.examples})")
    if args.template_holdout:
        template_holdout(args.errors)
    latency(parser, [r["text"] for r in rows] * 2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
