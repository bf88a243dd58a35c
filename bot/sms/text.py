"""SMS text that fits: GSM-7 where possible (160 characters a segment, not 70), and short.

Replies are written for a phone screen already (``Reply.sms``); this only swaps typographic
characters that would force the whole text into UCS-2 and caps the length at a few segments.
"""

from __future__ import annotations

import re
import unicodedata

GSM7_BASIC = frozenset(
    "@\u00a3$\u00a5\u00e8\u00e9\u00f9\u00ec\u00f2\u00c7\n\u00d8\u00f8\r\u00c5\u00e5"
    "\u0394_\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e\u00c6\u00e6\u00df\u00c9"
    " !\"#\u00a4%&'()*+,-./0123456789:;<=>?"
    "\u00a1ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00c4\u00d6\u00d1\u00dc\u00a7"
    "\u00bfabcdefghijklmnopqrstuvwxyz\u00e4\u00f6\u00f1\u00fc\u00e0"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|\u20ac\f")  # two septets each
GSM7 = GSM7_BASIC | GSM7_EXTENDED

# One scan of the whole string in C instead of a set look-up per character in Python: every
# reply is checked (most are plain GSM-7 already), some two or three times.
_GSM7_ONLY = re.compile("[" + re.escape("".join(sorted(GSM7))) + "]*")
_GSM7_EXTENDED_ANY = re.compile("[" + re.escape("".join(sorted(GSM7_EXTENDED))) + "]")

_SWAPS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\t": " ",
    "\u2022": "-",
    "\u00b7": "-",
    "\u2192": "->",
    "\u00d7": "x",
}

SEGMENT_GSM, SEGMENT_GSM_MULTI = 160, 153
SEGMENT_UCS2, SEGMENT_UCS2_MULTI = 70, 67


def is_gsm7(text: str) -> bool:
    return _GSM7_ONLY.fullmatch(text) is not None


def to_gsm7(text: str) -> str:
    """Swap characters that have a GSM-7 look-alike (quotes, dashes, accents GSM lacks).
    Anything without one (emoji, other scripts) is kept: that text goes as UCS-2."""
    if is_gsm7(text):
        return text
    out = []
    for ch in text:
        if ch in GSM7_BASIC or ch in GSM7_EXTENDED:
            out.append(ch)
        elif ch in _SWAPS:
            out.append(_SWAPS[ch])
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            out.append(base if base and is_gsm7(base) else ch)
    return "".join(out)


def _units(text: str) -> int:
    """Length in the units its encoding counts: septets, or UTF-16 code units."""
    if is_gsm7(text):
        return len(text) + len(_GSM7_EXTENDED_ANY.findall(text))
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    units, gsm = _units(text), is_gsm7(text)
    single, multi = (SEGMENT_GSM, SEGMENT_GSM_MULTI) if gsm else (SEGMENT_UCS2, SEGMENT_UCS2_MULTI)
    if units <= single:
        return 1
    return -(-units // multi)


def fit_sms(text: str, max_segments: int = 3) -> str:
    """GSM-7 where possible, cut (at a word, with "...") to at most ``max_segments``."""
    text = to_gsm7(" ".join(text.split()) if "\n" not in text else text.strip())
    if segments(text) <= max_segments:
        return text
    gsm = is_gsm7(text)
    budget = (SEGMENT_GSM_MULTI if gsm else SEGMENT_UCS2_MULTI) * max_segments - 3
    cut = text
    while _units(cut) > budget:
        cut = cut[: max(0, len(cut) - max(1, (_units(cut) - budget) // 2))]
    if " " in cut[len(cut) // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "..."
