"""The statistical half of intent recognition: a spaCy ``textcat`` (bag of
words and bigrams) over *delexicalised* text.

Before classification every home, person, role, shift type, date and number
is replaced by a placeholder (``<home>``, ``<staff>``, ``<date>`` ...), so
"find an RN for Friday at Victoria Gardens" and "get a carer for the 22nd at
hawthorn" look alike to the model, and the model does not depend on the names
of any particular organisation. Unknown words are spelling-corrected against
the training vocabulary first.

The model is trained from ``intents/data/corpus.jsonl`` (train split) ahead of
the first message (``staffbot model build``, or the first use) and cached on
disk under ``$STAFFBOT_CACHE_DIR`` (default: ``.cache/staffbot`` in the project
checkout, ``~/.cache/staffbot`` for an installed package), keyed by a hash of
the corpus, the training catalog, the featurising code and the spaCy version,
so every other process loads it instead of retraining.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy
import spacy
from spacy.pipeline import TextCategorizer
from spacy.tokens import Doc
from spacy.training import Example

from intents.dates import DateExpr
from intents.lexicon import KEYWORD_CLASSES

DATA_DIR = Path(__file__).resolve().parent / "data"
#: The checkout this package runs from (its pyproject.toml is the marker).
PROJECT_ROOT = Path(__file__).resolve().parents[1]
#: ``progress(stage, done, total)``: stages "featurise" (corpus rows) and "train" (epochs).
Progress = Callable[[str, int, int], None]
CORPUS = DATA_DIR / "corpus.jsonl"
TRAIN_CATALOG = DATA_DIR / "train_catalog.json"

#: Bump when featurisation or training changes, so caches are not reused.
FEATURE_VERSION = "12"
EPOCHS = 12
NGRAMS = 2
SEED = 7
BATCH = 32
HASH_LENGTH = 2**15

PLACEHOLDER = {"HOME": "<home>", "STAFF": "<staff>", "ROLE": "<role>", "SHIFT": "<shift>"}
_CONTRACTIONS = {
    "nt": "n't",
    "m": "'m",
    "ve": "'ve",
    "ll": "'ll",
    "re": "'re",
    "d": "'d",
    "s": "'s",
}
_SLANG = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "thx": "thanks",
    "thnx": "thanks",
    "tnx": "thanks",
    "ty": "thanks",
    "cos": "because",
    "coz": "because",
    "cause": "because",
    "bc": "because",
    "wanna": "want",
    "tmrw": "tomorrow",
    "2moro": "tomorrow",
    "wk": "week",
    "nxt": "next",
    "abt": "about",
    "hrs": "hours",
    "yeh": "yeah",
    "ye": "yeah",
    "yea": "yeah",
    "yass": "yes",
    "yas": "yes",
    "ya": "yeah",
    "ok": "okay",
    "k": "okay",
    "kk": "okay",
    "okey": "okay",
    "ofc": "of course",
    "dae": "do",
    "nae": "no",
    "naw": "no",
    "canny": "cannae",
    "cant": "can't",
}
_KEEP_PUNCT = {"?", "!"}
MAX_TOKENS = 60


@dataclass
class Featurized:
    tokens: list[str]
    known: int  # alphabetic words found in the vocabulary (after correction)
    unknown: int  # alphabetic words not found


def _squash(word: str) -> str:
    return re.sub(r"(.)\1{2,}", r"\1", word)


class Vocabulary:
    """Training vocabulary with a small spelling corrector (edit distance 1-2)."""

    def __init__(self, counts: Counter[str], min_count: int = 2) -> None:
        # Words seen once are mostly the corpus's own typos: correct towards the rest.
        self.all_words = set(counts)
        counts = Counter({w: c for w, c in counts.items() if c >= min_count})
        self.counts = counts
        self.index: dict[str, set[str]] = {}
        for word in counts:
            if not word.isalpha() or len(word) < 4:
                continue
            for d in self._deletes(word, 2 if len(word) >= 9 else 1):
                self.index.setdefault(d, set()).add(word)

    @staticmethod
    def _deletes(word: str, depth: int) -> set[str]:
        out = {word}
        frontier = {word}
        for _ in range(depth):
            nxt = set()
            for w in frontier:
                for i in range(len(w)):
                    nxt.add(w[:i] + w[i + 1 :])
            out |= nxt
            frontier = nxt
        return out

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def correct(self, word: str) -> str | None:
        if word in self.counts:
            return word
        squashed = _squash(word)
        if squashed in self.counts:
            return squashed
        if not word.isalpha() or len(word) < 5:
            return word if word in self.all_words else None
        depth = 2 if len(word) >= 9 else 1
        cands: set[str] = set()
        for d in self._deletes(word, depth):
            cands |= self.index.get(d, set())
        if not cands and word in self.all_words:
            return word
        best = None
        for cand in cands:
            dist = _distance(word, cand)
            if dist <= depth and (best is None or (dist, -self.counts[cand]) < best[0]):
                best = ((dist, -self.counts[cand]), cand)
        return best[1] if best else None


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


# Politeness around a request says nothing about which request it is, and the
# corpus's small talk (greetings, thanks) would otherwise pull long, polite
# messages towards "unknown". These spans are dropped (or, for hedges, reduced
# to "can i") before classification; a message that is nothing but politeness
# keeps its words.
_POLITE_SPANS = [
    (
        re.compile(
            r"^\W*(?:(?:hi|hiya|hello|hey|heya|morning|afternoon|evening|good\s+(?:morning|"
            r"afternoon|evening)|dear\s+\w+)(?:\s+(?:there|all|team|staffbot|everyone|guys))?"
            r"\b[\s,!.:;-]*)+"
        ),
        (),
    ),
    (
        re.compile(
            r"\b(?:i\s+)?hope\s+(?:you'?re|you\s+are|all\s+is|everything'?s?\s+(?:is\s+)?|"
            r"you\s+had\s+a\s+good\s+\w+|you'?re\s+having\s+a\s+good\s+\w+)\s*"
            r"(?:well|ok|okay|good|fine|alright)?\b[\s,!.:;-]*|\bsorry\s+to\s+(?:bother|trouble|"
            r"be\s+a\s+pain|ask|message)(?:\s+you)?\b[\s,!.:;-]*|\b(?:just\s+a\s+)?quick\s+"
            r"(?:question|one)\b[\s,!.:;-]*"
        ),
        (),
    ),
    (
        re.compile(
            r"(?:[\s,.!-]*\b(?:thanks|thank\s+you|many\s+thanks|cheers|thx|ta)(?:\s+(?:so|very)"
            r"\s+much|\s+a\s+lot|\s+in\s+advance|\s+again|\s+for\s+(?:your\s+help|asking|"
            r"that|this))?)+[\s!.x]*$"
        ),
        (),
    ),
    (
        re.compile(
            r"\b(?:i\s+was|i'?m|just|i\s+am)?\s*wonder(?:ing|ed)\s+(?:if|whether)\s+i\s+"
            r"(?:could|can|might|may)(?:\s+possibly)?\b|\bwould\s+it\s+be\s+(?:possible|ok|"
            r"okay|alright)\s+(?:for\s+me\s+)?to\b|\bis\s+there\s+any\s+(?:chance|way)\s+"
            r"(?:i\s+could|i\s+can|of)\b"
        ),
        ("can", "i"),
    ),
]


def politeness(low: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Spans of ``low`` to drop (or replace) before classification."""
    spans = []
    for pattern, replacement in _POLITE_SPANS:
        for m in pattern.finditer(low):
            if m.end() > m.start():
                spans.append((m.start(), m.end(), replacement))
    return spans


def raw_tokens(doc: Doc, entities: Sequence, dates: Sequence[DateExpr]) -> list[str]:
    """Delexicalised, normalised tokens (before spelling correction)."""
    tokens = _raw_tokens(doc, entities, dates, politeness(doc.text.lower()))
    return tokens or _raw_tokens(doc, entities, dates, [])


def _raw_tokens(
    doc: Doc,
    entities: Sequence,
    dates: Sequence[DateExpr],
    rewrites: list[tuple[int, int, tuple[str, ...]]],
) -> list[str]:
    label: list[str | None] = [None] * len(doc)
    for begin, end, replacement in rewrites:
        first = True
        for tok in doc:
            if tok.idx >= begin and tok.idx + len(tok.text) <= end:
                label[tok.i] = " ".join(replacement) if first and replacement else ""
                first = False
    for ent in entities:
        ph = PLACEHOLDER.get(ent.label)
        if ph is None:
            continue
        label[ent.start] = ph
        for i in range(ent.start + 1, ent.end):
            label[i] = ""
    for expr in dates:
        first = True
        for tok in doc:
            # Only the date itself: "a week of leave starting <date>" keeps "leave".
            if tok.idx >= expr.core_begin and tok.idx + len(tok.text) <= expr.stop + 2:
                if label[tok.i] is None:
                    label[tok.i] = "<date>" if first else ""
                    first = False
                elif label[tok.i]:
                    first = False
    out: list[str] = []
    for tok in doc:
        lab = label[tok.i]
        if lab is not None:
            if lab:
                out.extend(lab.split())
            continue
        word = tok.lower_
        if tok.is_space:
            continue
        if tok.is_punct or (not any(c.isalnum() for c in word) and len(word) == 1):
            if word in _KEEP_PUNCT:
                out.append(word)
            continue
        if re.fullmatch(r"ot-?#?\d+", word):
            out.append("<ref>")  # "OT12" names a request; a bare "OT" means overtime
            continue
        if re.fullmatch(r"\d+", word):
            out.append("<num>")
            continue
        if re.fullmatch(r"[\d/.:-]+(am|pm)?", word):
            out.append("<time>" if re.search(r"[:ap]", word) else "<num>")
            continue
        if tok.i > 0 and word in _CONTRACTIONS and doc[tok.i - 1].whitespace_ == "":
            word = _CONTRACTIONS[word]
        word = _SLANG.get(word, word)
        out.extend(word.split())
    # "please please please ..." must not outweigh the rest: collapse repeats and keep
    # the first MAX_TOKENS (real requests are short).
    collapsed = [t for i, t in enumerate(out) if i == 0 or t != out[i - 1]]
    return collapsed[:MAX_TOKENS]


_KEYWORDS = [(f"<kw:{name}>", re.compile(pattern)) for name, pattern in KEYWORD_CLASSES.items()]
# Classes that already carry their polarity ("no more texts" is optout, not "not optout").
NEGATION_BLIND = {
    "<kw:optout>",
    "<kw:no>",
    "<kw:absent>",
    "<kw:deny>",
    "<kw:cancel>",
    "<kw:gaps>",
    "<kw:sick>",
}


_NEGATION = re.compile(r"(?:\bnot|n't|\bno longer|\bnever|\bno more|\bnae)\s+(?:\S+\s+){0,2}$")


def with_keywords(tokens: list[str]) -> list[str]:
    """``tokens`` plus one ``<kw:...>`` token per synonym class that occurs.

    A class whose words follow a negation ("not interested in overtime",
    "don't send me offers") gives ``<kw:not-...>`` instead.
    """
    joined = " ".join(tokens)
    tags = []
    for tag, pattern in _KEYWORDS:
        for m in pattern.finditer(joined):
            if _NEGATION.search(joined[: m.start()]) and tag not in NEGATION_BLIND:
                tags.append(tag.replace("<kw:", "<kw:not-"))
            else:
                tags.append(tag)
    return tokens + sorted(set(tags))


class IntentModel:
    """A trained textcat with its vocabulary."""

    def __init__(self, nlp: spacy.Language, vocab: Vocabulary) -> None:
        self.nlp = nlp
        self.textcat = cast(TextCategorizer, nlp.get_pipe("textcat"))
        self.labels: tuple[str, ...] = tuple(self.textcat.labels)
        self.vocab = vocab

    def featurize(self, tokens: list[str]) -> Featurized:
        out, known, unknown = [], 0, 0
        for tok in tokens:
            if tok.startswith("<") or not tok[:1].isalpha():
                out.append(tok)
                continue
            fixed = self.vocab.correct(tok)
            if fixed is None:
                unknown += 1
                out.append(tok)
            else:
                known += 1
                out.append(fixed)
        return Featurized(with_keywords(out), known, unknown)

    def scores(self, tokens: list[str]) -> dict[str, float]:
        if not tokens:
            return {}
        doc = Doc(self.nlp.vocab, words=tokens)
        probs = self.textcat.predict([doc])[0]
        return {label: float(p) for label, p in zip(self.labels, probs, strict=False)}


# --------------------------------------------------------------------- training


def corpus_rows(split: str | None = None, path: Path | None = None) -> list[dict]:
    """Lines of the labelled corpus, all or one split ("train" / "test")."""
    path = path or CORPUS
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def cache_key() -> str:
    """A hash of everything the trained model depends on: the corpus, the training
    catalog, the featurising modules and, of the parser and its rules, only the code that
    featurises corpus rows (so a change to a rule the model never sees does not force
    every checkout to retrain)."""
    import inspect

    from intents import parser, rules

    h = hashlib.sha256()
    h.update(CORPUS.read_bytes())
    h.update(TRAIN_CATALOG.read_bytes())
    for name in ("classifier.py", "entities.py", "lexicon.py", "dates.py", "text.py"):
        h.update((Path(__file__).resolve().parent / name).read_bytes())
    for fn in (
        parser._featurize_rows,
        parser._build_nlp,
        parser._corpus_common_words,
        parser._training_catalog,
        rules.carrier_rule,
    ):
        h.update(inspect.getsource(fn).encode())
    h.update(repr(sorted(rules.CARRIER_OPT | rules.CARRIER_HELP)).encode())
    h.update(
        f"{FEATURE_VERSION}|{EPOCHS}|{NGRAMS}|{SEED}|{BATCH}|{HASH_LENGTH}|"
        f"{spacy.__version__}".encode()
    )
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    """Where trained models live: ``$STAFFBOT_CACHE_DIR``, else the project's own
    ``.cache/staffbot`` (every command of a checkout finds it, nothing in the home
    directory), else ``~/.cache/staffbot`` when running from an installed package."""
    root = os.environ.get("STAFFBOT_CACHE_DIR")
    if root:
        return Path(root).expanduser()
    if (PROJECT_ROOT / "pyproject.toml").exists() and os.access(PROJECT_ROOT, os.W_OK):
        return PROJECT_ROOT / ".cache" / "staffbot"
    return Path.home() / ".cache" / "staffbot"


def model_path(root: Path | None = None) -> Path:
    """The directory the current corpus's model is (or would be) cached in."""
    return (root or cache_dir()) / f"intent-model-{cache_key()}"


def is_built(root: Path | None = None) -> bool:
    """Whether a complete model for the current corpus and code is cached."""
    return (model_path(root) / "ok").exists()


def train(
    examples: Iterable[tuple[list[str], str]],
    labels: Sequence[str],
    progress: Progress | None = None,
) -> spacy.Language:
    """Train a bag-of-ngrams textcat on (tokens, intent) pairs.

    The loop drives the textcat's thinc model directly with the same
    gradient spaCy's ``textcat`` uses (scores - truths): identical results to
    ``nlp.update`` without its per-batch Example bookkeeping.
    """
    spacy.util.fix_random_seed(SEED)
    nlp = spacy.blank("en")
    textcat = cast(
        TextCategorizer,
        nlp.add_pipe(
            "textcat",
            config={
                "model": {
                    "@architectures": "spacy.TextCatBOW.v3",
                    "exclusive_classes": True,
                    "ngram_size": NGRAMS,
                    "no_output_layer": False,
                    "length": HASH_LENGTH,
                }
            },
        ),
    )
    for label in labels:
        textcat.add_label(label)
    docs, truth = [], []
    for tokens, intent in examples:
        if tokens:
            docs.append(Doc(nlp.vocab, words=tokens))
            truth.append(labels.index(intent))
    sample = [
        Example.from_dict(
            doc, {"cats": {lab: float(i == truth[k]) for i, lab in enumerate(labels)}}
        )
        for k, doc in enumerate(docs[:100])
    ]
    optimizer = nlp.initialize(lambda: sample)
    model = textcat.model
    y = numpy.zeros((len(docs), len(labels)), dtype="float32")
    y[numpy.arange(len(docs)), truth] = 1.0
    rng = random.Random(SEED)
    order = list(range(len(docs)))
    for _epoch in range(EPOCHS):
        rng.shuffle(order)
        for b in range(0, len(order), BATCH):
            batch = order[b : b + BATCH]
            scores, backprop = model.begin_update([docs[i] for i in batch])
            backprop(model.ops.asarray(scores - y[batch]))
            model.finish_update(optimizer)
        if progress:
            progress("train", _epoch + 1, EPOCHS)
    return nlp


def build_model(
    featurize_rows, progress: Progress | None = None
) -> tuple[spacy.Language, Counter[str]]:
    """Featurise the training split with ``featurize_rows`` and train."""
    rows = corpus_rows("train")
    featured = featurize_rows(rows, progress) if progress else featurize_rows(rows)
    counts: Counter[str] = Counter()
    for tokens, _intent in featured:
        counts.update(t for t in tokens if not t.startswith("<"))
    labels = sorted({intent for _t, intent in featured})
    featured = [(with_keywords(tokens), intent) for tokens, intent in featured]
    return train(featured, labels, progress), counts


def _load(target: Path) -> IntentModel:
    nlp = spacy.load(target / "nlp")
    counts = Counter(json.loads((target / "vocab.json").read_text(encoding="utf-8")))
    return IntentModel(nlp, Vocabulary(counts))


def load_or_train(
    featurize_rows, log=None, *, root: Path | None = None, progress: Progress | None = None
) -> IntentModel:
    """The cached model, training and caching it first if needed.

    Training writes to a temporary directory renamed into place, so two
    processes starting together never see half a model (the loser of the race
    uses the winner's). A cache that cannot be read is retrained; a cache
    directory that cannot be written only costs the next process a retraining.
    """
    target = model_path(root)
    if (target / "ok").exists():
        try:
            return _load(target)
        except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt, not fatal
            if log:
                log(f"cached intent model unreadable ({exc}); retraining")
            shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    nlp, counts = build_model(featurize_rows, progress)
    model = IntentModel(nlp, Vocabulary(counts))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
        try:
            nlp.to_disk(tmp / "nlp")
            (tmp / "vocab.json").write_text(json.dumps(counts), encoding="utf-8")
            (tmp / "ok").write_text(f"{time.perf_counter() - start:.1f}s\n", encoding="utf-8")
            # another process got there first (OSError); theirs is the same model
            with contextlib.suppress(OSError):
                tmp.rename(target)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    except OSError as exc:
        if log:
            log(f"could not cache the intent model under {target.parent}: {exc}")
    if log:
        log(f"trained intent model in {time.perf_counter() - start:.1f}s -> {target}")
    return model
