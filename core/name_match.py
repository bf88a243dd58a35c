"""Finding a home or a person from what someone typed, as chat does.

Homes: the full name, a unique start of it ("victoria"), a distinctive word of it
("hawthorn", "meadowburn"), or any of those one typo away (two for words of nine letters or
more: "hawthorne", "meadowburm"). People: the full name, a first name or surname only one
person has ("Sarah"), or the full name one or two typos away. When nothing fits, the error
says what was closest ("did you mean ...?") or, for a shared first name, who shares it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from core.errors import NotFound

# words in home names that do not tell one home from another
GENERIC_WORDS = frozenset(
    {
        "house",
        "court",
        "gardens",
        "garden",
        "grove",
        "lodge",
        "park",
        "view",
        "the",
        "care",
        "home",
        "hall",
        "manor",
    }
)


def edits(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _typo_ok(typed: str, word: str) -> bool:
    allowed = 2 if len(word) >= 9 else 1 if len(word) >= 4 else 0
    return edits(typed, word) <= allowed


def _unique(found: Sequence[str]) -> str | None:
    distinct = list(dict.fromkeys(found))
    return distinct[0] if len(distinct) == 1 else None


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("'", "").split())


def match_home(typed: str, homes: Sequence[str]) -> str:
    """The one home ``typed`` means, or NotFound saying what was closest."""
    wanted = _norm(typed)
    by_norm = {_norm(h): h for h in homes}
    if wanted in by_norm:
        return by_norm[wanted]
    steps = [
        [h for n, h in by_norm.items() if wanted and n.startswith(wanted)],
        [
            h
            for n, h in by_norm.items()
            if any(w == wanted for w in n.split() if w not in GENERIC_WORDS)
        ],
        [
            h
            for n, h in by_norm.items()
            if len(wanted) >= 3
            and any(w.startswith(wanted) for w in n.split() if w not in GENERIC_WORDS)
        ],
        [h for n, h in by_norm.items() if _typo_ok(wanted, n)],
        [
            h
            for n, h in by_norm.items()
            if any(_typo_ok(wanted, w) for w in n.split() if w not in GENERIC_WORDS)
        ],
    ]
    for found in steps:
        one = _unique(found)
        if one is not None:
            return one
    listed = ", ".join(homes) or "(none yet: run ./dev.py demo, or staffbot init --demo)"
    close = difflib.get_close_matches(wanted, list(by_norm), n=1, cutoff=0.5)
    hint = f" Did you mean {by_norm[close[0]]}?" if close else ""
    raise NotFound(f"Unknown home {typed!r}.{hint} Homes: {listed}.")


def match_person(typed: str, names: Sequence[str]) -> str:
    """The one person ``typed`` means (a full name), or NotFound saying what was closest."""
    wanted = _norm(typed)
    by_norm: dict[str, str] = {}
    for name in names:
        by_norm.setdefault(_norm(name), name)
    if wanted in by_norm:
        return by_norm[wanted]
    parts = {n: n.split() for n in by_norm}
    by_part = [
        by_norm[n]
        for n, words in parts.items()
        if words and (words[0] == wanted or words[-1] == wanted)
    ]
    if len(by_part) == 1:
        return by_part[0]
    if len(by_part) > 1:
        shown = ", ".join(sorted(by_part)[:6]) + (" ..." if len(by_part) > 6 else "")
        raise NotFound(f"{len(by_part)} people are called {typed!r}: {shown}. Give the full name.")
    typos = [by_norm[n] for n in by_norm if " " in wanted and edits(wanted, n) <= 2]
    one = _unique(typos)
    if one is not None:
        return one
    close = difflib.get_close_matches(wanted, list(by_norm), n=1, cutoff=0.75)
    hint = f" Did you mean {by_norm[close[0]]}?" if close else ""
    raise NotFound(f"Nobody called {typed!r} in the organisation.{hint}")
