"""Carrier keywords (STOP, START, HELP and their synonyms), recognised before any parsing.

They count only as the whole message: "stop" and "Stop!" opt out, "please stop texting me
about Friday" is an ordinary message. None of them is ever a command word of ours.
"""

from __future__ import annotations

import enum
import unicodedata

# Twilio's default keyword lists for long codes.
OPT_OUT = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN = frozenset({"START", "UNSTOP"})
HELP = frozenset({"HELP", "INFO"})
# Twilio also treats a bare YES from an opted-out number as opting back in.
YES = "YES"

# What the assistant answers to them (the receive path, bot.conversation.receive, decides).
STOP_REPLY = "You won't get any more texts from Staffbot. Text START to turn them back on."
START_REPLY = "Texts from Staffbot are back on. Text HELP for help or STOP to stop them."
YES_OPT_IN_REPLY = (
    "Texts from Staffbot are back on. If you were accepting an overtime offer, "
    "please reply YES to it again."
)
HELP_REPLY = (
    "Staffbot, your care home's staffing assistant. Reply YES or NO to offers, or "
    "text 'my shifts' or 'leave balance'. Text STOP to stop texts."
)
UNKNOWN_REPLY = (
    "This is Staffbot, a care home staffing service. We don't recognise this "
    "number, so we can't help by text. Please speak to your manager."
)
EMPTY_REPLY = "That text was empty. Text HELP for what I can do."

_TRAILING = ".!?,;:-~'\"()[]* \u00a1\u00bf\u2026\u2019\u201d"


class Keyword(enum.StrEnum):
    STOP = "STOP"
    START = "START"
    HELP = "HELP"


def normalise(body: str) -> str:
    """The message as a keyword candidate: NFKC, trimmed, trailing punctuation off, upper."""
    text = unicodedata.normalize("NFKC", body or "").strip()
    return text.rstrip(_TRAILING).strip().upper()


def carrier_keyword(body: str, opt_out_type: str | None = None) -> Keyword | None:
    """Which keyword a message is, if any.

    ``opt_out_type`` is Twilio's ``OptOutType`` form field (Advanced Opt-Out, which may have
    custom keywords configured); when present it is authoritative."""
    if opt_out_type:
        try:
            return Keyword(opt_out_type.strip().upper())
        except ValueError:
            pass  # a type we do not know: fall back to the words themselves
    word = normalise(body)
    if word in OPT_OUT:
        return Keyword.STOP
    if word in OPT_IN:
        return Keyword.START
    if word in HELP:
        return Keyword.HELP
    return None


def is_bare_yes(body: str) -> bool:
    return normalise(body) == YES
