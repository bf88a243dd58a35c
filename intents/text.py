"""Text clean-up shared by every step of the parser.

Messages arrive from SMS and Slack with curly quotes, odd dashes, zero-width
characters and occasionally garbage. Everything downstream works on the
output of :func:`clean`, so the character offsets of slots (the decline
reason, for one) refer to that text.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest text the pipeline sees. Real requests are a line or two; anything
#: longer is pasted noise, and cutting it keeps a parse in the millisecond range.
MAX_CHARS = 400

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)

_SPACE = re.compile(r"\s+")
# Slack markup: <@U123> mentions, <#C123|name> channels, <http://x|label> links, :emoji: codes.
_SLACK_MENTION = re.compile(r"<[@#!][^>\s]*>")
_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^>|\s]*\|([^>]*)>|<(?:https?|mailto):[^>\s]*>")
_SLACK_EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+\-]{2,40}:(?![\w:])")


def clean(text: object, limit: int = MAX_CHARS) -> str:
    """Return ``text`` normalised for parsing: NFKC, plain quotes and dashes,
    no control or zero-width characters, single spaces, at most ``limit`` chars."""
    if not isinstance(text, str):
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        else:
            return ""
    # Cut before the expensive steps; the second cut below is the exact one.
    if len(text) > limit * 4:
        text = text[: limit * 4]
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = _SLACK_MENTION.sub(" ", text)
    text = _SLACK_LINK.sub(lambda m: m.group(1) or " ", text)
    text = _SLACK_EMOJI.sub(" ", text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cc" or cat == "Zl" or cat == "Zp":
            out.append(" ")
        elif cat == "Cf" or cat == "Cs" or cat == "Co" or cat == "Cn" or ch == "\ufffd":
            continue
        else:
            out.append(ch)
    text = _SPACE.sub(" ", "".join(out)).strip()
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit].rstrip()
    return text


def lower_same_length(text: str) -> str:
    """Lower-case without changing the length (so offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def looks_like_text(text: str) -> bool:
    """True when the text is written (mostly) in the Latin alphabet.

    Digits and symbols do not count against it ("Y 7", "OT250 no"); Chinese,
    Arabic, Cyrillic ... text, emoji-only and binary junk do.
    """
    latin = other = 0
    for c in text:
        if not c.isalpha():
            continue
        if c.isascii() or unicodedata.name(c, "").startswith("LATIN"):
            latin += 1
        else:
            other += 1
    return latin > 0 and latin >= 2 * other
