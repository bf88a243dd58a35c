"""spaCy component that finds homes, people, roles, shift types, leave types
and day kinds, with patterns built from the catalog passed in.

Homes match case-insensitively, by full name, by a distinctive word
("victoria", "hawthorn") and with small typos ("hawthorne", "meadowburm",
via spaCy's FUZZY operators). People match by full name, or by a first name
or surname that only one person in the catalog has; a name shared by two
people is still recognised (so the classifier sees a name) but yields no
staff value.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span

from intents.catalog import Catalog
from intents.lexicon import GENERIC_HOME_WORDS, HOME_WORD_VARIANTS, LEXICONS

SPAN_KEY = "staffbot"

# Lower number wins when two candidates cover the same tokens.
_PRIORITY = {
    "STAFF": 0,
    "HOME": 1,
    "HOMEF": 2,
    "LEX": 3,
    "HOMESHORT": 4,
    "STAFF1": 5,
    "AMBIG": 6,
    "HOMESHORTF": 7,
    "STAFF1S": 8,
    "AMBIGS": 9,
}
# STAFF1S/AMBIGS: a name written with a possessive s and no apostrophe ("Jennifers"),
# weaker than a real name ("Stevens" is Mark Stevens, not Steven's).


@dataclass(frozen=True)
class Entity:
    """A recognised name or vocabulary item."""

    label: str  # HOME, STAFF, ROLE, SHIFT, LEAVE, DAYKIND
    value: str  # canonical value; "" for a name shared by several people
    start: int  # token offsets
    end: int
    begin: int  # character offsets
    stop: int
    alt_staff: str | None = None  # a home word that is also someone's name


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (small strings, called at load time only)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _fuzzy(word: str) -> dict:
    if len(word) >= 9:
        return {"LOWER": {"FUZZY2": word}}
    if len(word) >= 6:
        return {"LOWER": {"FUZZY1": word}}
    return {"LOWER": word}


class CatalogMatcher:
    """The ``staffbot_entities`` pipeline component."""

    def __init__(self, nlp: Language, name: str = "staffbot_entities") -> None:
        self.nlp = nlp
        self._tokenizer = cast(Tokenizer, nlp.tokenizer)
        self.name = name
        self.phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.fuzzy = Matcher(nlp.vocab)
        self.common: set[str] = set()
        self.values: dict[int, tuple[str, str]] = {}
        self.catalog_words: set[str] = set()
        self._loaded = False

    # ------------------------------------------------------------------ setup
    def _key(self, kind: str, value: str) -> str:
        key = f"{kind}|{value}"
        self.values[self.nlp.vocab.strings.add(key)] = (kind, value)
        return key

    def load(self, catalog: Catalog, common_words: set[str]) -> None:
        """Build every pattern from the catalog (once, before the first parse)."""
        make = self.nlp.make_doc
        self.common = {w.lower() for w in common_words}

        for label, table in LEXICONS.items():
            for value, phrases in table.items():
                self.phrase.add(
                    self._key("LEX", f"{label}={value}"), list(self._tokenizer.pipe(phrases))
                )

        # Homes.
        homes = [h for h in dict.fromkeys(catalog.homes) if h.strip()]
        words_of = {h: [w for w in make(h.lower())] for h in homes}
        distinct: dict[str, list[str]] = defaultdict(list)
        for h in homes:
            for tok in words_of[h]:
                w = tok.text
                if w.isalpha() and len(w) >= 4 and w not in GENERIC_HOME_WORDS:
                    distinct[w].append(h)
        for h in homes:
            toks = [t.text for t in words_of[h]]
            self.catalog_words.update(toks)
            variants = [HOME_WORD_VARIANTS.get(t, [t]) for t in toks]
            phrases = [" ".join(v) for v in itertools.islice(itertools.product(*variants), 64)]
            self.phrase.add(self._key("HOME", h), list(self._tokenizer.pipe(phrases)))
            # A short one-word name ("Oaks") is matched exactly above, never fuzzily.
            if toks and not (len(toks) == 1 and len(toks[0]) < 6):
                pattern: list[dict[str, Any]] = []
                for t in toks:
                    if t in HOME_WORD_VARIANTS:
                        pattern.append({"LOWER": {"IN": HOME_WORD_VARIANTS[t]}})
                    elif t.isalpha() and t not in GENERIC_HOME_WORDS:
                        # Anchored by the other words of the name, two typos are safe.
                        anchored = len(toks) > 1 and len(t) >= 6
                        pattern.append({"LOWER": {"FUZZY2": t}} if anchored else _fuzzy(t))
                    else:
                        pattern.append({"LOWER": t})
                self.fuzzy.add(self._key("HOMEF", h), [pattern])
        # Words one or two typos away from a home's distinctive word are typos of
        # it ("riverisde"), not ordinary words, whatever a vocabulary says.
        for word in list(self.common):
            for home_word in distinct:
                if (
                    abs(len(word) - len(home_word)) <= 2
                    and len(home_word) >= 6
                    and _edits(word, home_word) <= (2 if len(home_word) >= 9 else 1)
                ):
                    self.common.discard(word)
                    break
        for word, owners in distinct.items():
            if len(set(owners)) != 1:
                continue
            h = owners[0]
            if len(words_of[h]) == 1:
                continue  # the full name already covers it
            self.phrase.add(self._key("HOMESHORT", h), [make(word), make(word + "s")])
            if len(word) >= 6:
                self.fuzzy.add(self._key("HOMESHORTF", h), [[_fuzzy(word)]])

        # People.
        staff = [s for s in dict.fromkeys(catalog.staff) if s.strip()]
        owners_of: dict[str, set[str]] = defaultdict(set)
        for person in staff:
            parts = [t.text for t in make(person) if t.text.isalpha() or "'" in t.text]
            self.catalog_words.update(p.lower() for p in parts)
            full = person.lower()
            self.phrase.add(self._key("STAFF", person), [make(full), make(full + "s")])
            if len(parts) >= 2:
                for part in {parts[0].lower(), parts[-1].lower()}:
                    owners_of[part].add(person)
        for part, people in owners_of.items():
            if len(part) < 2:
                continue
            if len(people) == 1:
                (person,) = people
                self.phrase.add(self._key("STAFF1", person), [make(part)])
                self.phrase.add(self._key("STAFF1S", person), [make(part + "s")])
            else:
                self.phrase.add(self._key("AMBIG", part), [make(part)])
                self.phrase.add(self._key("AMBIGS", part), [make(part + "s")])
        self._loaded = True

    # ------------------------------------------------------------------ matching
    def _name_ok(self, doc: Doc, start: int, end: int) -> bool:
        """A single name that is also an English word needs a capital, mid-sentence."""
        tok = doc[start]
        word = tok.lower_
        if word.endswith("s") and word not in self.common:
            word_base = word[:-1]
            if word_base in self.common:
                word = word_base
        if word not in self.common:
            return True
        if not tok.text[:1].isupper() or tok.text.isupper():
            return False
        return start > 0 and doc[start - 1].text not in {".", "!", "?", ":", ";", "-"}

    def _lex_ok(self, doc: Doc, start: int, end: int, value: str) -> bool:
        word = doc[start].lower_
        prev = doc[start - 1].lower_ if start > 0 else ""
        nxt = doc[end].lower_ if end < len(doc) else ""
        if value == "SHIFT=late" and end - start == 1 and word == "late":
            if prev in {
                "be",
                "running",
                "bit",
                "too",
                "so",
                "very",
                "is",
                "was",
                "am",
                "im",
                "i'm",
                "abit",
                "being",
                "arrive",
                "arriving",
                "come",
                "coming",
                "in",
                "sorry",
                "slightly",
                "little",
                "mins",
                "min",
                "minutes",
                "hour",
                "hours",
                "wee",
                "run",
                "ran",
                "gonna",
                "'ll",
            }:
                return False
            return nxt not in {
                "notice",
                "reply",
                "response",
                "message",
                "text",
                "payment",
                "pay",
                "replying",
            }
        if value == "SHIFT=early" and end - start == 1 and word == "early":
            nxt2 = doc[end + 1].lower_ if end + 1 < len(doc) else ""
            if prev in {
                "the",
                "an",
                "a",
                "my",
                "their",
                "his",
                "her",
                "that",
                "this",
                "'s",
                "s",
                "one",
                "another",
                "extra",
            }:
                return True  # "the early next week" is a shift
            if prev in {
                "too",
                "so",
                "very",
                "bit",
                "leave",
                "leaving",
                "left",
                "finish",
                "finished",
                "finishing",
                "home",
                "go",
                "went",
                "going",
                "start",
                "started",
                "starting",
                "get",
                "got",
                "come",
                "came",
                "quite",
            }:
                return False
            if nxt in {
                "as",
                "days",
                "doors",
                "hours",
                "to",
                "start",
                "finish",
                "morning",
                "night",
                "bird",
                "riser",
                "evening",
                "afternoon",
                "enough",
                "next",
                "in",
                "than",
                "warning",
                "retirement",
                "stages",
                "signs",
            }:
                return False
            return not (nxt == "this" and nxt2 in {"week", "month", "morning", "afternoon", "year"})
        if value == "SHIFT=night" and end - start == 1:
            if word in ("night", "nite") and prev in {
                "all",
                "last",
                "every",
                "good",
                "nite",
                "night",
                "nighty",
                "other",
            }:
                return False  # "up all night", "last night", "good night"
            return nxt not in {"night", "nite"}
        if value == "LEAVE=annual" and word == "al":
            return doc[start].text == "AL"
        if value == "ROLE=SSW" and word in {"senior", "snr"}:
            return nxt not in {"management", "manager", "managers", "team", "staff"}
        if value == "LEAVE=training" and word == "training":
            return nxt not in {
                "expiring",
                "expires",
                "expiry",
                "due",
                "records",
                "record",
                "lapsing",
                "matrix",
                "courses",
                "course",
            }
        return True

    def __call__(self, doc: Doc) -> Doc:
        cands: list[tuple[int, int, int, str, str]] = []  # (start, end, prio, kind, value)
        matches: Iterable[tuple[int, int, int]] = self.phrase(doc) if len(self.phrase) else []
        if len(self.fuzzy):
            matches = itertools.chain(matches, self.fuzzy(doc))
        for match_id, start, end in matches:
            kind, value = self.values[match_id]
            if kind in ("STAFF1", "AMBIG", "STAFF1S", "AMBIGS") and not self._name_ok(
                doc, start, end
            ):
                continue
            if kind == "LEX" and not self._lex_ok(doc, start, end, value):
                continue
            if kind in ("HOMESHORTF", "HOMEF"):
                # A fuzzy hit on an ordinary word ("court" for "count") is not a home.
                text = doc[start:end].text.lower()
                if end - start == 1 and text in self.common:
                    continue
            cands.append((start, end, _PRIORITY[kind], kind, value))
        cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
        taken = [False] * len(doc)
        chosen: list[tuple[int, int, str, str]] = []
        for start, end, _prio, kind, value in cands:
            if any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            chosen.append((start, end, kind, value))
        spans = []
        alts: dict[tuple[int, int], str] = {}
        for start, end, kind, value in sorted(chosen):
            if kind.startswith("HOME"):
                label = "HOME"
                for s2, e2, _p, k2, v2 in cands:
                    if (s2, e2) == (start, end) and k2 in ("STAFF1", "AMBIG", "STAFF1S", "AMBIGS"):
                        alts[(start, end)] = v2 if k2 in ("STAFF1", "STAFF1S") else ""
            elif kind == "LEX":
                label, value = value.split("=", 1)
            elif kind in ("AMBIG", "AMBIGS"):
                label, value = "STAFF", ""
            else:
                label = "STAFF"
            spans.append(Span(doc, start, end, label=label, kb_id=value))
        doc.spans[SPAN_KEY] = spans
        doc.user_data["staffbot_alts"] = alts
        return doc


@Language.factory("staffbot_entities")
def make_catalog_matcher(nlp: Language, name: str) -> CatalogMatcher:
    return CatalogMatcher(nlp, name)


def entities_of(doc: Doc) -> list[Entity]:
    """The component's findings as plain records."""
    alts = doc.user_data.get("staffbot_alts", {})
    out = []
    for span in doc.spans.get(SPAN_KEY, []):
        out.append(
            Entity(
                span.label_,
                span.kb_id_,
                span.start,
                span.end,
                span.start_char,
                span.end_char,
                alts.get((span.start, span.end)),
            )
        )
    return out
