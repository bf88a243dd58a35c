"""Deterministic intent rules for the cases a statistical model must never
get wrong: carrier keywords, bare yes/no replies, and a manager approving or
refusing leave (which shares words with staff accepting or declining
overtime: "accept leave 88", "decline holiday request 91").

Each rule returns ``(intent, confidence)`` or None, leaving the message to
the classifier.
"""

from __future__ import annotations

import re

#: Twilio's opt-out/opt-in words: the SMS channel acts on them before parsing;
#: the parser only has to stay sane (never ot.optout or ot.cancel).
CARRIER_OPT = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout",
               "start", "unstop"}
CARRIER_HELP = {"help", "info"}

_YES = {
    "yes", "y", "yep", "yeah", "yea", "ya", "yh", "yup", "yes!", "aye", "ok", "okay", "sure",
    "yas", "yess", "yesss", "ye", "yeh", "accept", "accepted", "definitely", "defo",
    "absolutely", "course", "of", "please", "pls", "plz", "go", "on", "then", "fine", "deal",
    "done", "happy", "to", "will", "do", "can", "i", "i'll", "ill", "it", "count", "me", "in",
    "i'm", "im", "up", "for", "certainly", "surely", "yesh", "yis", "yass", "yaas", "alright",
    "aye,", "sound", "grand", "nae", "no", "bother", "problem", "probs", "worries",
}
_YES_HEAD = {"yes", "y", "yep", "yeah", "yea", "ya", "yh", "yup", "aye", "ok", "okay", "sure",
             "yas", "yess", "yesss", "ye", "yeh", "accept", "accepted", "definitely", "defo",
             "absolutely", "yaas", "yass", "certainly"}
_NO = {
    "no", "n", "nope", "nah", "naw", "na", "nay", "sorry", "soz", "sry", "decline", "declined",
    "can't", "cant", "cannae", "canny", "cannot", "not", "this", "time", "thanks", "thank",
    "you", "ta", "afraid", "unfortunately", "sadly", "i'm", "im", "i", "pass", "today",
    "tonight", "able", "to", "mate", "pal", "hun", "hen", "x", "xx", "xxx", "nae", "chance",
    "way", "ca", "n't", "'m", "won't", "wont", "wo",
}
_NO_HEAD = {"no", "n", "nope", "nah", "naw", "na", "nay", "decline", "declined", "cannae",
            "canny"}
_FILLER = {"please", "pls", "plz", "thanks", "thank", "you", "ta", "cheers", "x", "xx", "xxx",
           "mate", "pal", "hun", "hen", "love", "sorry", "soz", "sry"}
_ACCEPT_NOT_NO = re.compile(r"^\W*(?:no|nae|not\s+a)\s+(?:bother|problem|probs|prob)\b")
_THANKS = {"thanks", "thank", "ta", "cheers"}

_LEAVE_WORD = re.compile(
    r"\b(?:leave|holidays?|hols?|annual\s+leave|a/l|time\s+off|days?\s+off|lr|"
    r"leave\s+request)\b|\bAL\b"
)
_APPROVE = re.compile(
    r"\b(?:approve|approved|approving|grant|granted|authorise|authorize|authorised|authorized|"
    r"sign\s+off|signed\s+off|ok|okay|accept|accepted|yes\s+to|go\s+ahead\s+with|allow)\b"
)
_WEAK_APPROVE = {"ok", "okay", "accept", "accepted", "allow"}
_STRONG_APPROVE = re.compile(r"\b(?:approve|approved|grant|authori[sz]e|authori[sz]ed)\b")
_DENY = re.compile(
    r"\b(?:deny|denied|refuse|refused|reject|rejected|decline|declined|turn\s+down|"
    r"turned\s+down|no\s+to|say\s+no\s+to|not\s+approving|can'?t\s+approve|cannot\s+approve|"
    r"won'?t\s+approve)\b"
)
_STRONG_DENY = re.compile(r"\b(?:deny|denied|refuse|refused|turn\s+down|not\s+approving|"
                          r"can'?t\s+approve|cannot\s+approve|won'?t\s+approve)\b")
_OWN = re.compile(r"\b(?:my|i|i'd|i'm|me|can\s+i|could\s+i)\b")
_OT_REF = re.compile(r"\bot\s*[-#]?\s*\d+")
_BARE_NUM = re.compile(r"(?<![\w/#.])\d{1,6}(?![\w/.:])")
_OTHER_TOPIC = re.compile(
    r"\b(?:overtime|opt|optout|unsubscribe|texts?|messages?|offers|remove|approve|deny|"
    r"refuse|gaps?|rota|forecast|list|sick|ill|unwell|come\s+in|in\s+today|shifts?\s+"
    r"(?:any|anymore)|more)\b"
)
_WORD = re.compile(r"[a-z0-9']+|[^\sa-z0-9']")


def carrier_rule(low: str) -> tuple[str, float] | None:
    """A carrier keyword on its own ("STOP", "help!", "Cancel please")."""
    if re.search(r"\d", low):
        return None  # "cancel 19" is a command about request 19
    bare = re.sub(r"[^a-z ]", " ", low).split()
    bare = [w for w in bare if w not in {"please", "pls", "now", "me", "hi", "hello", "hey",
                                         "hiya", "staffbot"}]
    if len(bare) == 1:
        if bare[0] in CARRIER_HELP:
            return "help", 0.99
        if bare[0] in CARRIER_OPT:
            return "unknown", 0.99
    return None


# Whole short replies (after removing a ref, punctuation and politeness).
_ACCEPT_PHRASES = {
    "fine", "available", "can do", "will do", "i'm in", "im in", "i am in", "i'm available",
    "im available", "sounds good", "perfect", "grand", "deal", "done", "no bother",
    "nae bother", "no problem", "no probs", "not a problem", "happy to", "happy to help",
    "count me in", "put me down", "go on then", "go on", "why not", "sure thing", "of course",
    "defo", "definitely", "absolutely", "i can", "i will", "i'll do it", "ill do it",
    "i can do it", "i can do that", "i'll take it", "ill take it", "i'll cover", "i'll cover it",
    "i'll be there", "i'm free", "im free", "book me in", "go for it", "that's fine",
    "thats fine", "fine by me", "no worries i'll do it", "can do that", "i'm up for it",
    "up for it", "consider it done", "i'll have it", "i'll work it", "i'll come in",
    "i can come in", "yes i can", "i'll do that", "i can cover", "i can cover it", "on it",
    "k", "kk", "okey", "okie", "okie dokie", "okey dokey", "accepting", "accepted", "accept",
}
_DECLINE_PHRASES = {
    "i'm out", "im out", "i am out", "count me out", "not for me", "i'll pass", "ill pass",
    "pass", "no can do", "not this time", "not today", "not tonight", "sitting this one out",
    "i'll sit this one out", "i can't", "i cant", "can't", "cant", "cannot", "i cannot",
    "unavailable", "not available", "i'm not available", "im not available", "i'm busy",
    "im busy", "busy", "no chance", "nae chance", "afraid not", "unfortunately not",
    "sadly not", "i don't think so", "rather not", "i'd rather not", "maybe next time",
    "next time", "can't do it", "cant do it", "can't make it", "cant make it", "i can't do it",
    "i can't make it", "not able to", "i'm not able to", "unable to", "i'm unable to",
    "won't be able to", "i won't be able to", "i'll give it a miss", "give it a miss",
    "not interested", "i'm not free", "not free", "i'm afraid not", "i'll leave it",
    "cannae", "i cannae", "canny", "no can", "can't do", "cant do", "i won't", "i wont",
    "can't manage", "can't help", "nope not this time", "can't make that", "can't do that",
}


def _reply(low: str) -> str:
    text = _OT_REF.sub(" ", low)
    text = re.sub(r"#\s*\d+|\brequest\s+\d+|\b\d+\b", " ", text)
    text = re.sub(r"[^a-z' ]", " ", text.replace("\u2019", "'"))
    words = [w for w in text.split() if w not in _FILLER and w not in {"hi", "hello", "hey",
                                                                        "hiya", "staffbot"}]
    return " ".join(words)


def phrase_rule(low: str) -> tuple[str, float] | None:
    """Short replies that are a known way of saying yes or no."""
    reply = _reply(low)
    if reply in _ACCEPT_PHRASES:
        return "ot.accept", 0.95
    if reply in _DECLINE_PHRASES:
        return "ot.decline", 0.95
    return None


def yes_no_rule(low: str, has_ref: bool) -> tuple[str, float] | None:
    """Short replies made only of yes-words or no-words (plus a ref and fillers)."""
    text = _OT_REF.sub(" ", low)
    text = re.sub(r"#\s*\d+|\brequest\s+\d+|\b\d+\b", " ", text)
    words = [w for w in _WORD.findall(text) if re.search(r"[a-z]", w)]
    if not words or len(words) > 8:
        return None
    if _ACCEPT_NOT_NO.match(low):
        if all(w in _YES or w in _FILLER for w in words):
            return "ot.accept", 0.95
        return None
    content = [w for w in words if w not in _FILLER]
    if not content:
        return None
    if content[0] in ("ok", "okay", "alright", "right") and len(content) == 1 and any(
            w in _THANKS for w in words):
        return None  # "ok thanks" acknowledges, it does not accept
    if content[0] in _YES_HEAD and all(w in _YES for w in content):
        return "ot.accept", 0.97
    if any(w in _NO_HEAD for w in content) and all(w in _NO for w in content) and (
            content[0] in _NO_HEAD or words[0] in _FILLER
            or content[0] in {"can't", "cant", "ca", "cannot"}):
        return "ot.decline", 0.97
    return None


_REASON_START = re.compile(
    r"\s+(?:my|i'?m|im|i\s+am|i'?ve|ive|i\s+have|got|working|on\s+holiday|away|we'?re|"
    r"the\s+kids|kids|at\s+a|already|busy|stuck|no\s+(?:car|childcare|babysitter|transport))\b"
)


def decline_with_reason_rule(low: str) -> tuple[str, float] | None:
    """"no - I'm on holiday", "sorry no, got the kids", "nah my car's in the garage":
    a no, then a reason."""
    m = re.match(
        r"^\W*(?:(?:sorry|soz|sry)[\s,!.]+)?(?:no|nope|nah|naw|cannae|can'?t)(?=\s)", low)
    if m and _REASON_START.match(low[m.end():]) and not _OTHER_TOPIC.search(low[m.end():]) \
            and not _ACCEPT_NOT_NO.match(low):
        return "ot.decline", 0.9
    m = re.match(
        r"^\W*(?:(?:sorry|soz|sry|apologies|afraid|unfortunately|thanks|thank\s+you|ta)"
        r"[\s,!.]+)?(?:no|nope|nah|naw|na|n|cannae|can'?t|cannot|can\s+not)"
        r"(?:[\s,!.]+(?:sorry|soz|thanks|thank\s+you|ta|mate|hun|i\s+can'?t|can'?t|"
        r"i'?m\s+afraid))?\s*(?:-+|,|:|;|\.|!|\(|\bas\b|\bbecause\b|\bcos\b|\bcoz\b)",
        low,
    )
    if not m or _ACCEPT_NOT_NO.match(low):
        return None
    rest = low[m.end():]
    if _OTHER_TOPIC.search(rest) or _LEAVE_WORD.search(low[: m.end()]):
        return None
    if re.search(r"\b(?:to|for)\s+(?:leave|holiday|request)\b", low[: m.end() + 20]):
        return None
    return "ot.decline", 0.93


def leave_decision_rule(low: str, text: str, has_staff: bool) -> tuple[str, float] | None:
    """A manager approving or refusing a leave request."""
    has_leave = bool(_LEAVE_WORD.search(low) or re.search(r"\bAL\b", text))
    has_num = bool(_BARE_NUM.search(low))
    if _OT_REF.search(low) or _OWN.search(low):
        return None
    if re.search(r"\b(?:overtime|shift|offer|cover)\b", low):
        return None
    if re.search(r"\b(?:to|for|needs?|needing|awaiting|waiting|pending|any|anything|what|which)"
                 r"\s+(?:\w+\s+)?(?:approv\w*|sign(?:ing)?\s+off|review|decid\w+)", low) \
            and not _BARE_NUM.search(low):
        return None  # "any AL to approve?" asks for the list (leave.pending)
    deny = _DENY.search(low)
    approve = _APPROVE.search(low)
    if deny and (has_leave or has_staff or (has_num and _STRONG_DENY.search(low))):
        return "leave.deny", 0.95
    if approve and not deny and (has_leave or has_staff or (
            has_num and _STRONG_APPROVE.search(low))):
        verb = approve.group(0)
        if (verb in _WEAK_APPROVE or verb.startswith("yes")) and not has_leave:
            return None  # "will Isla accept extra shifts?" is not a leave decision
        return "leave.approve", 0.95
    return None


def cancel_rule(low: str, has_ref: bool) -> tuple[str, float] | None:
    """"cancel request 12", "withdraw OT7"."""
    if not has_ref or _LEAVE_WORD.search(low) or _OWN.search(low):
        return None
    if re.match(r"^\W*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:cancel|withdraw|call\s+off|"
                r"scrap|kill|pull)\b", low):
        return "ot.cancel", 0.95
    return None
