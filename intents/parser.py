"""Text -> one intent with the slots the text states (the contract: docs/intents.md).

Pipeline for one message:

1. :func:`intents.text.clean` (quotes, dashes, control characters, length);
2. a spaCy pipeline on ``spacy.blank("en")`` whose ``staffbot_entities``
   component finds homes, people, roles, shift types, leave types and day
   kinds from the catalog passed in;
3. UK date rules (:mod:`intents.dates`) and numeric slots (:mod:`intents.slots`);
4. deterministic rules for the traps (:mod:`intents.rules`), otherwise the
   trained textcat (:mod:`intents.classifier`) on the delexicalised text;
   below ``threshold`` the intent is ``unknown``;
5. only the slots the intent takes are kept; nothing is defaulted.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import spacy

import intents.entities  # noqa: F401  (registers the spaCy factory)
from intents import rules
from intents.catalog import Catalog
from intents.classifier import (
    TRAIN_CATALOG,
    IntentModel,
    Progress,
    load_or_train,
    raw_tokens,
)
from intents.dates import DateExpr, date_range, find_dates
from intents.entities import CatalogMatcher, Entity, entities_of
from intents.lexicon import COMMON_WORDS
from intents.slots import find_count, find_days, find_reason, find_ref
from intents.text import clean, looks_like_text, lower_same_length

__all__ = [
    "DEFAULT_THRESHOLD",
    "EXTRA_SLOTS",
    "INTENTS",
    "SCHEMA",
    "UNKNOWN_SLOTS",
    "ParseResult",
    "Parser",
    "get_parser",
    "is_warm",
    "warm",
]

#: Intent -> the slots it may carry (INTENTS.md tables).
SCHEMA: dict[str, tuple[str, ...]] = {
    "ot.accept": ("ref",),
    "ot.decline": ("ref", "reason"),
    "ot.optin": ("home", "shift_type", "day_kind"),
    "ot.optout": (),
    "ot.preferences": ("home", "shift_type", "day_kind"),
    "leave.request": ("start_date", "end_date", "leave_type", "staff", "count"),
    "leave.balance": (),
    "sickness.report": ("start_date", "end_date", "shift_type", "reason"),
    "rota.mine": ("start_date", "end_date"),
    "help": (),
    "staffing.gaps": ("start_date", "end_date", "home", "shift_type", "role"),
    "staffing.on_shift": ("start_date", "end_date", "home", "shift_type", "role"),
    "forecast.show": ("start_date", "end_date", "home"),
    "ot.request": ("start_date", "end_date", "home", "shift_type", "role", "count"),
    "ot.rank": ("start_date", "end_date", "home", "shift_type", "role", "count"),
    "ot.status": ("ref", "start_date", "end_date", "home", "shift_type"),
    "ot.cancel": ("ref",),
    "leave.pending": ("home",),
    "leave.approve": ("ref", "staff"),
    "leave.deny": ("ref", "staff", "reason"),
    "fairness.report": ("days", "home"),
    "staff.profile": ("staff",),
    "rota.generate": ("start_date", "end_date", "home"),
    "training.expiring": ("days", "start_date", "end_date", "home"),
    "ot.withdraw": ("ref", "start_date", "end_date", "shift_type", "reason"),
    "ot.available": ("start_date", "end_date", "home", "shift_type"),
    "leave.mine": ("start_date", "end_date"),
    "leave.cancel": ("ref", "start_date", "end_date"),
    "swap.request": (
        "staff",
        "start_date",
        "end_date",
        "shift_type",
        "other_date",
        "other_shift_type",
    ),
    "dash.link": (),
    "staffing.absent": ("start_date", "end_date", "home", "absence"),
    "rota.person": ("staff", "start_date", "end_date"),
    "swap.approve": ("ref", "staff"),
    "swap.deny": ("ref", "staff", "reason"),
    "rota.publish": ("ref",),
    "agency.book": ("ref", "start_date", "home", "shift_type", "role"),
}
#: Slots the contract table leaves open and this parser adds (see intents/README.md):
#: ``homes`` (every home named, when more than one), ``exclude_shift_type``,
#: ``exclude_day_kind`` and ``exclude_home`` (a preference stated with a negation:
#: "I don't do nights any more", "no weekends", "don't send me shifts at hawthorn").
EXTRA_SLOTS: dict[str, tuple[str, ...]] = {
    "ot.optin": ("homes", "exclude_shift_type", "exclude_day_kind", "exclude_home"),
    "ot.preferences": ("homes", "exclude_shift_type", "exclude_day_kind", "exclude_home"),
}
#: What a message that is no request carries: the slots it states on its own
#: ("victoria gardens", "HCA", "the saturday one"), for the conversation to join to
#: the question it last asked.
UNKNOWN_SLOTS: tuple[str, ...] = (
    "start_date",
    "end_date",
    "home",
    "shift_type",
    "role",
    "staff",
    "day_kind",
    "leave_type",
)
INTENTS: tuple[str, ...] = tuple(SCHEMA)
UNKNOWN = "unknown"

#: Below this classifier probability the answer is ``unknown``.
DEFAULT_THRESHOLD = 0.35
#: Intents below this probability are not offered as alternatives.
ALTERNATIVE_MIN = 0.05
#: The confidence of a hedged message ("yes maybe", "possibly", "not sure"): below every
#: record-changing threshold in intents.catalog, so it is asked about, never applied.
HEDGED_CONFIDENCE = 0.45
_HEDGE = re.compile(
    r"\b(?:maybe|mebbe|idk|dunno|not\s+sure|unsure|possibly|perhaps|might|"
    r"may\s+be\s+able|i\s+think\s+so|probably|prob\s+not|depends|not\s+certain|"
    r"let\s+me\s+(?:check|think|see))\b|\?\s*$(?<=\byes\?)"
)


@dataclass(frozen=True)
class ParseResult:
    """One parsed message."""

    intent: str
    slots: dict[str, object] = field(default_factory=dict)
    confidence: float = 0.0
    #: When the classifier decided (or gave up): its next likeliest intents with their
    #: probabilities, best first, for "did you mean ...?" replies. Not part of to_json().
    alternatives: tuple[tuple[str, float], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """``{"intent": ..., "slots": {...}}``, the ``staffbot parse`` output."""
        return {"intent": self.intent, "slots": dict(self.slots)}


@dataclass
class Analysis:
    """Everything found in a message before deciding the intent."""

    text: str
    low: str
    entities: list[Entity]
    dates: list[DateExpr]
    tokens: list[str]
    known: int
    unknown: int
    scores: dict[str, float] = field(default_factory=dict)  # the classifier's, when asked


# ------------------------------------------------------------------ the model

_MODEL: IntentModel | None = None
_MODEL_LOCK = threading.Lock()


def _log(msg: str) -> None:
    print(f"staffbot.intents: {msg}", file=sys.stderr)


def _training_catalog() -> Catalog:
    data = json.loads(TRAIN_CATALOG.read_text(encoding="utf-8"))
    return Catalog(homes=tuple(data["homes"]), staff=tuple(data["staff"]))


def _corpus_common_words(rows: list[dict], catalog: Catalog) -> set[str]:
    names = {w.lower() for n in catalog.staff + catalog.homes for w in n.split()}
    words = {w for r in rows for w in re.findall(r"[a-z]+", r["text"].lower())}
    return (words - names) | COMMON_WORDS


def _featurize_rows(
    rows: list[dict], progress: Progress | None = None
) -> list[tuple[list[str], str]]:
    """Delexicalised tokens of corpus rows, with the training catalog's names."""
    catalog = _training_catalog()
    nlp = _build_nlp(catalog, _corpus_common_words(rows, catalog))
    out = []
    for i, row in enumerate(rows):
        if progress and i % 250 == 0:
            progress("featurise", i, len(rows))
        text = clean(row["text"])
        if rules.carrier_rule(lower_same_length(text)) or not looks_like_text(text):
            continue  # decided by rules before the model, so not its to learn
        today = datetime.date.fromisoformat(row.get("today", "2026-01-14"))
        doc = nlp(text)
        tokens = raw_tokens(doc, entities_of(doc), find_dates(text, today))
        out.append((tokens, row["intent"]))
    if progress:
        progress("featurise", len(rows), len(rows))
    return out


def shared_model(root: Path | None = None, progress: Progress | None = None) -> IntentModel:
    """The process-wide intent model (trained once, cached on disk under ``root``,
    default :func:`intents.classifier.cache_dir`)."""
    global _MODEL
    with _MODEL_LOCK:
        if _MODEL is None:
            _MODEL = load_or_train(_featurize_rows, log=_log, root=root, progress=progress)
        return _MODEL


def warm(
    cache_dir: Path | str | None = None,
    progress: Progress | None = None,
    catalog: Catalog | None = None,
) -> float:
    """Load (or, with no cache, train) the intent model now, so the first message does
    not wait for it; with ``catalog``, also build that organisation's parser (its name
    matcher). For a web worker or the console at start; returns the seconds it took
    (well under a second from a built cache). Idempotent within a process."""
    start = time.perf_counter()
    shared_model(Path(cache_dir) if cache_dir is not None else None, progress)
    if catalog is not None:
        get_parser(catalog)
    return time.perf_counter() - start


def is_warm() -> bool:
    """Whether this process has its intent model loaded (for a readiness check)."""
    return _MODEL is not None


def _build_nlp(catalog: Catalog, common_words: set[str]) -> spacy.Language:
    nlp = spacy.blank("en")
    matcher = cast(CatalogMatcher, nlp.add_pipe("staffbot_entities"))
    matcher.load(catalog, common_words)
    return nlp


# ------------------------------------------------------------------ the parser


class Parser:
    """Parses messages for one organisation (its homes and people)."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        model: IntentModel | None = None,
    ) -> None:
        self.catalog = catalog
        self.threshold = threshold
        self.model = model or shared_model()
        common = {w for w in self.model.vocab.counts if w.isalpha()} | COMMON_WORDS
        self.nlp = _build_nlp(catalog, common)

    # -------------------------------------------------------------- analysis
    def analyse(self, text: str, today: datetime.date) -> Analysis:
        doc = self.nlp(text)
        ents = entities_of(doc)
        dates = find_dates(text, today)
        feat = self.model.featurize(raw_tokens(doc, ents, dates))
        return Analysis(
            text,
            rules.plain_english(lower_same_length(text)),
            ents,
            dates,
            feat.tokens,
            feat.known,
            feat.unknown,
        )

    def classify(self, a: Analysis, has_ref: bool) -> tuple[str, float]:
        low = a.low
        has_staff = any(e.label == "STAFF" for e in a.entities)
        # Names are not verbs: "details for Grant" must not read as "grant".
        unnamed = list(low)
        for e in a.entities:
            if e.label in ("STAFF", "HOME"):
                unnamed[e.begin : e.stop] = " " * (e.stop - e.begin)
        low_unnamed = "".join(unnamed)
        has_date = bool(a.dates)
        shifts = [e for e in a.entities if e.label == "SHIFT"]
        shift_plural = any(e.label == "DAYKIND" for e in a.entities) or any(
            re.search(r"(?:s|ies)$", a.low[e.begin : e.stop]) for e in shifts
        )
        has_yes = bool(re.match(r"^\W*(?:yes|yeah|yep|yup|aye|yh|ya|yea|sure|ok|okay)\b", low))
        for rule in (
            lambda: rules.ack_rule(low, has_ref),
            lambda: rules.help_rule(low),
            lambda: rules.missed_rule(low),
            lambda: rules.yes_no_rule(low, has_ref),
            lambda: rules.swap_rule(low_unnamed),
            lambda: rules.publish_rule(low, has_ref),
            lambda: rules.dash_rule(low),
            lambda: rules.agency_rule(low),
            lambda: rules.phrase_rule(low),
            lambda: rules.preference_rule(low, shift_plural, has_date, has_ref),
            lambda: rules.withdraw_rule(low, has_date or has_ref, shift_plural),
            lambda: rules.leave_cancel_rule(low),
            lambda: rules.leave_mine_rule(low),
            lambda: rules.rota_person_rule(low_unnamed, has_staff),
            lambda: rules.available_rule(low, has_date, bool(shifts), has_yes),
            lambda: rules.leave_decision_rule(low_unnamed, a.text, has_staff),
            lambda: rules.cancel_rule(low, has_ref),
            lambda: rules.decline_with_reason_rule(low),
        ):
            hit = rule()
            if hit:
                return hit
        absent = rules.absence_rule(low)
        if absent:
            return absent[0], absent[1]
        if a.known == 0 and not a.entities and not a.dates:
            return UNKNOWN, 0.9
        if a.unknown >= 2 and a.unknown > 1.5 * a.known:
            return UNKNOWN, 0.8  # mostly words we have never seen: another language, noise
        scores = a.scores = self.model.scores(a.tokens)
        if not scores:
            return UNKNOWN, 0.9
        intent, p = max(scores.items(), key=lambda kv: kv[1])
        if intent == UNKNOWN or p < self.threshold:
            return UNKNOWN, round(max(scores.get(UNKNOWN, 0.0), 1.0 - p), 4)
        return intent, round(p, 4)

    def parse(self, text: str, today: datetime.date) -> ParseResult:
        """Parse one message; never raises on odd text (that is ``unknown``)."""
        if isinstance(today, datetime.datetime):
            today = today.date()
        if not isinstance(today, datetime.date):
            raise TypeError(f"today must be a datetime.date, not {type(today).__name__}")
        try:
            return self._parse(text, today)
        except Exception as exc:  # noqa: BLE001 - a message must never crash its channel
            _log(f"parse failed ({type(exc).__name__}: {exc}); answering unknown")
            return ParseResult(UNKNOWN, {}, 0.0)

    def _parse(self, text: str, today: datetime.date) -> ParseResult:
        text = clean(text)
        if not text:
            return ParseResult(UNKNOWN, {}, 1.0)
        low = lower_same_length(text)
        hit = rules.carrier_rule(low)
        if hit:
            return ParseResult(hit[0], {}, hit[1])
        if not looks_like_text(text):
            return ParseResult(UNKNOWN, {}, 0.95)
        a = self.analyse(text, today)
        ref = find_ref(text)
        intent, confidence = self.classify(a, ref is not None)
        if intent != UNKNOWN and _HEDGE.search(low):
            # "yes maybe", "I might do Friday": the sender is not sure, so neither are we.
            confidence = min(confidence, HEDGED_CONFIDENCE)
        ranked = sorted(
            (
                (i, p)
                for i, p in a.scores.items()
                if i not in (UNKNOWN, intent) and p >= ALTERNATIVE_MIN
            ),
            key=lambda kv: -kv[1],
        )
        alternatives = tuple((i, round(p, 4)) for i, p in ranked[:3])
        return ParseResult(intent, self.slots(intent, a, ref), confidence, alternatives)

    # ----------------------------------------------------------------- slots
    def slots(
        self, intent: str, a: Analysis, ref: tuple[int, tuple[int, int]] | None
    ) -> dict[str, object]:
        allowed = (
            UNKNOWN_SLOTS
            if intent == UNKNOWN
            else (SCHEMA.get(intent, ()) + EXTRA_SLOTS.get(intent, ()))
        )
        out: dict[str, object] = {}
        if not allowed:
            return out
        ents = a.entities
        if intent == "swap.request":
            return self._swap_slots(a)

        def first(label: str, prefer_after: re.Pattern[str] | None = None) -> Entity | None:
            found = [e for e in ents if e.label == label and e.value]
            if prefer_after is not None:
                for e in found:
                    if prefer_after.search(a.low[max(0, e.begin - 12) : e.begin]) or re.match(
                        r"\s*(?:only|please only|now)\b", a.low[e.stop :]
                    ):
                        return e
            return found[0] if found else None

        prefer = (
            re.compile(r"\b(?:only|just|prefer|rather|to)\s+(?:do\s+|the\s+)?$")
            if intent == "ot.preferences"
            else None
        )
        negated = _negated_spans(a.low, ents) if "exclude_shift_type" in allowed else set()
        if "home" in allowed:
            homes = [e for e in ents if e.label == "HOME" and e.value]
            kept = [e for e in homes if (e.begin, e.stop) not in negated]
            named = list(dict.fromkeys(e.value for e in kept))
            if "homes" in allowed and len(named) > 1:
                out["home"] = named[0]
                out["homes"] = named
            else:
                e = first("HOME", prefer) if not negated else (kept[0] if kept else None)
                if e:
                    out["home"] = e.value
        if "staff" in allowed:
            staff = [e for e in ents if e.label == "STAFF"]
            named = [e.value for e in staff if e.value]
            if "home" not in allowed:
                named += [e.alt_staff for e in ents if e.label == "HOME" and e.alt_staff]
            if named:
                out["staff"] = named[0]
        if "shift_type" in allowed:
            e = first("SHIFT", prefer)
            if e and negated:
                kept_shift = [
                    x
                    for x in ents
                    if x.label == "SHIFT" and x.value and (x.begin, x.stop) not in negated
                ]
                e = kept_shift[0] if kept_shift else None
            if e:
                out["shift_type"] = e.value
        for label, slot in (
            ("SHIFT", "exclude_shift_type"),
            ("DAYKIND", "exclude_day_kind"),
            ("HOME", "exclude_home"),
        ):
            gone = [
                x for x in ents if x.label == label and x.value and (x.begin, x.stop) in negated
            ]
            if gone:
                out[slot] = gone[0].value
        if intent == "leave.request":
            count = find_day_count(a.text, a.dates)
        else:
            count = find_count(a.text) if "count" in allowed else None
        if "role" in allowed:
            # "offer it to 5 carers": the carers are who to ask, not the role needed.
            roles = [
                e
                for e in ents
                if e.label == "ROLE"
                and e.value
                and not (
                    count
                    and count[1][0] <= e.begin
                    and e.stop <= count[1][1]
                    and re.search(
                        r"\b(?:to|contact|text|message|ask|ping)\s+(?:the\s+)?(?:top\s+)?"
                        r"(?:\w+\s+)?$",
                        a.low[: e.begin],
                    )
                )
            ]
            if roles:
                out["role"] = roles[0].value
        if "leave_type" in allowed:
            e = first("LEAVE")
            if e:
                out["leave_type"] = e.value
        if "day_kind" in allowed:
            ents = [
                x
                for x in ents
                if x.label != "DAYKIND"
                or not any(d.begin <= x.begin and x.stop <= d.stop for d in a.dates)
            ]
            e = first("DAYKIND", prefer)
            if e and negated:
                kept_kind = [
                    x
                    for x in ents
                    if x.label == "DAYKIND" and x.value and (x.begin, x.stop) not in negated
                ]
                e = kept_kind[0] if kept_kind else None
            if e:
                out["day_kind"] = e.value
        if "absence" in allowed:
            hit = rules.absence_rule(a.low)
            if hit and hit[2]:
                out["absence"] = hit[2]
            elif re.search(r"\b(?:sick|ill|unwell|poorly|sickness)\b", a.low):
                out["absence"] = "sick"
            elif re.search(r"\b(?:leave|holidays?|hols|a/l|al)\b", a.low):
                out["absence"] = "leave"

        dates = list(a.dates)
        if intent == "ot.withdraw":
            # "can't do Monday's late after all - not back till Friday": the dates of the
            # reason are not the shift's.
            cut = re.search(r"\s(?:-+|because|cos|coz|as)\s|[,;(]", a.low)
            if cut and any(d.begin < cut.start() for d in dates):
                dates = [d for d in dates if d.begin < cut.start()]
        if intent == "training.expiring":
            window = [d for d in dates if d.kind in ("next_n", "in_n") and d.days]
            if window:
                out["days"] = window[0].days
                dates = [d for d in dates if d not in window]
        if "days" in allowed and "days" not in out:
            found = find_days(a.text)
            if found:
                lo, hi = found[1]
                if intent == "fairness.report" or not any(
                    d.begin < hi and lo < d.stop for d in dates
                ):
                    out["days"] = found[0]
        if "start_date" in allowed and dates:
            rng = date_range(dates)
            if rng:
                out["start_date"] = rng[0].isoformat()
                if "end_date" in allowed:
                    out["end_date"] = rng[1].isoformat()
        if "ref" in allowed and ref:
            out["ref"] = ref[0]
        if count:
            out["count"] = count[0]
        if "reason" in allowed:
            spans = [
                (e.begin, e.stop) for e in ents if e.label in ("HOME", "STAFF", "ROLE", "SHIFT")
            ]
            spans += [(d.begin, d.stop) for d in a.dates]
            if ref:
                spans.append(ref[1])
            reason = find_reason(a.text, intent, spans)
            if reason:
                out["reason"] = reason
        return out

    def _swap_slots(self, a: Analysis) -> dict[str, object]:
        """A swap names the sender's shift first and the colleague's after "for" or
        "with her/his/their": "my Tue early for her Thu late"."""
        out: dict[str, object] = {}
        staff = [e.value for e in a.entities if e.label == "STAFF" and e.value]
        if staff:
            out["staff"] = staff[0]
        pivot = re.search(
            r"\bfor\s+(?:her|his|their|your|a|an|the|[a-z]+(?:\s+[a-z]+)?'s)\b|"
            r"\bwith\s+(?:her|his|their|your|[a-z]+(?:\s+[a-z]+)?'s)\b",
            a.low,
        )
        cut = pivot.start() if pivot else len(a.low)
        mine = [d for d in a.dates if d.begin < cut]
        theirs = [d for d in a.dates if d.begin >= cut]
        rng = date_range(mine)
        if rng:
            out["start_date"] = rng[0].isoformat()
            out["end_date"] = rng[1].isoformat()
        if theirs:
            out["other_date"] = theirs[0].start.isoformat()
        shifts = [e for e in a.entities if e.label == "SHIFT" and e.value]
        own = [e for e in shifts if e.begin < cut]
        other = [e for e in shifts if e.begin >= cut]
        if own:
            out["shift_type"] = own[0].value
        if other:
            out["other_shift_type"] = other[0].value
        return out


_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:don'?t|dont|do\s+not|doesn'?t|no\s+more|not|never|no\s+longer|can'?t|cant|"
    r"cannot|can\s+no\s+longer|won'?t|wont|stop|stopping|nae|remove|drop|take\s+off|"
    r"take\s+me\s+off|"
    r"exclude|without)\b|^\W*no\b|,\s*no\b)[^,;.!?]*$"
)
_NEGATION_RESET = re.compile(r"\b(?:only|just|but|instead|rather|prefer|except)\b|[,;.!?]")
_NEGATION_AFTER = re.compile(r"^\s*(?:please\s+)?(?:no\s+more|any\s*more\s+please)?\s*$")


def _negated_spans(low: str, ents: list[Entity]) -> set[tuple[int, int]]:
    """Homes, shift types and day kinds named after a negation in the same clause:
    "I don't do nights any more", "no weekends please", "remove hawthorn from my list"."""
    out: set[tuple[int, int]] = set()
    for e in ents:
        if e.label not in ("HOME", "SHIFT", "DAYKIND"):
            continue
        before = low[max(0, e.begin - 50) : e.begin]
        resets = list(_NEGATION_RESET.finditer(before))
        clause = before[resets[-1].end() :] if resets else before
        if _NEGATION_BEFORE.search(clause) or (
            e.label == "HOME" and re.match(r"\s+(?:off|from)\s+(?:my|the)\b", low[e.stop :])
        ):
            out.add((e.begin, e.stop))
    return out


_DAY_COUNT = re.compile(
    r"\b(?P<n>\d{1,2}|a\s+couple\s+of|couple\s+of|two|three|four|five|six|"
    r"a\s+few|few)\s+(?:days?|shifts?)\b(?!\s*(?:ago|later|before|after))"
)
_DAY_COUNT_N = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "a couple of": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
}


def find_day_count(text: str, dates: list[DateExpr]) -> tuple[int, tuple[int, int]] | None:
    """ "2 days off next week": a number of days inside a longer range (not its length)."""
    low = lower_same_length(text)
    for m in _DAY_COUNT.finditer(low):
        if any(d.begin <= m.start() < d.stop for d in dates):
            continue  # "2 days off from Monday" is the range itself
        raw = re.sub(r"\s+", " ", m["n"])
        n = int(raw) if raw.isdigit() else _DAY_COUNT_N.get(raw)
        rng = date_range(dates)
        if n and rng and (rng[1] - rng[0]).days + 1 > n:
            return n, m.span()
    return None


_PARSERS: OrderedDict[tuple[Catalog, float], Parser] = OrderedDict()
_PARSERS_LOCK = threading.Lock()
_PARSERS_KEPT = 4  # catalogs change when people join; keep the last few only


def get_parser(catalog: Catalog, threshold: float = DEFAULT_THRESHOLD) -> Parser:
    """The parser for ``catalog``, built once per process (the model is shared)."""
    key = (catalog, threshold)
    with _PARSERS_LOCK:
        parser = _PARSERS.get(key)
        if parser is None:
            parser = _PARSERS[key] = Parser(catalog, threshold=threshold)
            while len(_PARSERS) > _PARSERS_KEPT:
                _PARSERS.popitem(last=False)
        else:
            _PARSERS.move_to_end(key)
        return parser
