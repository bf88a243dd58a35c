"""Deterministic intent rules for the cases a statistical model must never
get wrong: carrier keywords, bare yes/no replies, and a manager approving or
refusing leave (which shares words with staff accepting or declining
overtime: "accept leave 88", "decline holiday request 91").

Each rule returns ``(intent, confidence)`` or None, leaving the message to
the classifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Twilio's opt-out/opt-in words: the SMS channel acts on them before parsing;
#: the parser only has to stay sane (never ot.optout or ot.cancel).
CARRIER_OPT = {
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "revoke",
    "optout",
    "start",
    "unstop",
}
CARRIER_HELP = {"help", "info"}

_YES = {
    "yes",
    "y",
    "yep",
    "yeah",
    "yea",
    "ya",
    "yh",
    "yup",
    "yes!",
    "aye",
    "ok",
    "okay",
    "sure",
    "yas",
    "yess",
    "yesss",
    "ye",
    "yeh",
    "accept",
    "accepted",
    "definitely",
    "defo",
    "absolutely",
    "course",
    "of",
    "please",
    "pls",
    "plz",
    "go",
    "on",
    "then",
    "fine",
    "deal",
    "done",
    "happy",
    "to",
    "will",
    "do",
    "can",
    "i",
    "i'll",
    "ill",
    "it",
    "count",
    "me",
    "in",
    "i'm",
    "im",
    "up",
    "for",
    "certainly",
    "surely",
    "yesh",
    "yis",
    "yass",
    "yaas",
    "alright",
    "aye,",
    "sound",
    "grand",
    "nae",
    "no",
    "bother",
    "problem",
    "probs",
    "worries",
}
_YES_HEAD = {
    "yes",
    "y",
    "yep",
    "yeah",
    "yea",
    "ya",
    "yh",
    "yup",
    "aye",
    "ok",
    "okay",
    "sure",
    "yas",
    "yess",
    "yesss",
    "ye",
    "yeh",
    "accept",
    "accepted",
    "definitely",
    "defo",
    "absolutely",
    "yaas",
    "yass",
    "certainly",
}
_NO = {
    "no",
    "n",
    "nope",
    "nah",
    "naw",
    "na",
    "nay",
    "sorry",
    "soz",
    "sry",
    "decline",
    "declined",
    "can't",
    "cant",
    "cannae",
    "canny",
    "cannot",
    "not",
    "this",
    "time",
    "thanks",
    "thank",
    "you",
    "ta",
    "afraid",
    "unfortunately",
    "sadly",
    "i'm",
    "im",
    "i",
    "pass",
    "today",
    "tonight",
    "able",
    "to",
    "mate",
    "pal",
    "hun",
    "hen",
    "x",
    "xx",
    "xxx",
    "nae",
    "chance",
    "way",
    "ca",
    "n't",
    "'m",
    "won't",
    "wont",
    "wo",
}
_NO_HEAD = {"no", "n", "nope", "nah", "naw", "na", "nay", "decline", "declined", "cannae", "canny"}
_FILLER = {
    "please",
    "pls",
    "plz",
    "thanks",
    "thank",
    "you",
    "ta",
    "cheers",
    "x",
    "xx",
    "xxx",
    "mate",
    "pal",
    "hun",
    "hen",
    "love",
    "sorry",
    "soz",
    "sry",
}
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
_STRONG_DENY = re.compile(
    r"\b(?:deny|denied|refuse|refused|turn\s+down|not\s+approving|"
    r"can'?t\s+approve|cannot\s+approve|won'?t\s+approve)\b"
)
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
    bare = [
        w
        for w in bare
        if w not in {"please", "pls", "now", "me", "hi", "hello", "hey", "hiya", "staffbot"}
    ]
    if len(bare) == 1:
        if bare[0] in CARRIER_HELP:
            return "help", 0.99
        if bare[0] in CARRIER_OPT:
            return "unknown", 0.99
    return None


# Whole short replies (after removing a ref, punctuation and politeness).
_ACCEPT_PHRASES = {
    "fine",
    "available",
    "can do",
    "will do",
    "i'm in",
    "im in",
    "i am in",
    "i'm available",
    "im available",
    "sounds good",
    "perfect",
    "grand",
    "deal",
    "done",
    "no bother",
    "nae bother",
    "no problem",
    "no probs",
    "not a problem",
    "happy to",
    "happy to help",
    "count me in",
    "put me down",
    "go on then",
    "go on",
    "why not",
    "sure thing",
    "of course",
    "defo",
    "definitely",
    "absolutely",
    "i can",
    "i will",
    "i'll do it",
    "ill do it",
    "i can do it",
    "i can do that",
    "i'll take it",
    "ill take it",
    "i'll cover",
    "i'll cover it",
    "i'll be there",
    "i'm free",
    "im free",
    "book me in",
    "go for it",
    "that's fine",
    "thats fine",
    "fine by me",
    "no worries i'll do it",
    "can do that",
    "i'm up for it",
    "up for it",
    "consider it done",
    "i'll have it",
    "i'll work it",
    "i'll come in",
    "i can come in",
    "yes i can",
    "i'll do that",
    "i can cover",
    "i can cover it",
    "on it",
    "k",
    "kk",
    "okey",
    "okie",
    "okie dokie",
    "okey dokey",
    "accepting",
    "accepted",
    "accept",
}
_DECLINE_PHRASES = {
    "i'm out",
    "im out",
    "i am out",
    "count me out",
    "not for me",
    "i'll pass",
    "ill pass",
    "pass",
    "no can do",
    "not this time",
    "not today",
    "not tonight",
    "sitting this one out",
    "i'll sit this one out",
    "i can't",
    "i cant",
    "can't",
    "cant",
    "cannot",
    "i cannot",
    "unavailable",
    "not available",
    "i'm not available",
    "im not available",
    "i'm busy",
    "im busy",
    "busy",
    "no chance",
    "nae chance",
    "afraid not",
    "unfortunately not",
    "sadly not",
    "i don't think so",
    "rather not",
    "i'd rather not",
    "maybe next time",
    "next time",
    "can't do it",
    "cant do it",
    "can't make it",
    "cant make it",
    "i can't do it",
    "i can't make it",
    "not able to",
    "i'm not able to",
    "unable to",
    "i'm unable to",
    "won't be able to",
    "i won't be able to",
    "i'll give it a miss",
    "give it a miss",
    "not interested",
    "i'm not free",
    "not free",
    "i'm afraid not",
    "i'll leave it",
    "cannae",
    "i cannae",
    "canny",
    "no can",
    "can't do",
    "cant do",
    "i won't",
    "i wont",
    "can't manage",
    "can't help",
    "nope not this time",
    "can't make that",
    "can't do that",
}


def _reply(low: str) -> str:
    text = _OT_REF.sub(" ", low)
    text = re.sub(r"#\s*\d+|\brequest\s+\d+|\b\d+\b", " ", text)
    text = re.sub(r"[^a-z' ]", " ", text.replace("\u2019", "'"))
    words = [
        w
        for w in text.split()
        if w not in _FILLER and w not in {"hi", "hello", "hey", "hiya", "staffbot"}
    ]
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
    if (
        content[0] in ("ok", "okay", "alright", "right")
        and len(content) == 1
        and any(w in _THANKS for w in words)
    ):
        return None  # "ok thanks" acknowledges, it does not accept
    if content[0] in _YES_HEAD and all(w in _YES for w in content):
        return "ot.accept", 0.97
    if (
        any(w in _NO_HEAD for w in content)
        and all(w in _NO for w in content)
        and (
            content[0] in _NO_HEAD
            or words[0] in _FILLER
            or content[0] in {"can't", "cant", "ca", "cannot"}
        )
    ):
        return "ot.decline", 0.97
    return None


_REASON_START = re.compile(
    r"\s+(?:my|i'?m|im|i\s+am|i'?ve|ive|i\s+have|got|working|on\s+holiday|away|we'?re|"
    r"the\s+kids|kids|at\s+a|already|busy|stuck|no\s+(?:car|childcare|babysitter|transport))\b"
)


def decline_with_reason_rule(low: str) -> tuple[str, float] | None:
    """ "no - I'm on holiday", "sorry no, got the kids", "nah my car's in the garage":
    a no, then a reason."""
    m = re.match(r"^\W*(?:(?:sorry|soz|sry)[\s,!.]+)?(?:no|nope|nah|naw|cannae|can'?t)(?=\s)", low)
    if (
        m
        and _REASON_START.match(low[m.end() :])
        and not _OTHER_TOPIC.search(low[m.end() :])
        and not _ACCEPT_NOT_NO.match(low)
    ):
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
    rest = low[m.end() :]
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
    if re.search(
        r"\b(?:to|for|needs?|needing|awaiting|waiting|pending|any|anything|what|which)"
        r"\s+(?:\w+\s+)?(?:approv\w*|sign(?:ing)?\s+off|review|decid\w+)",
        low,
    ) and not _BARE_NUM.search(low):
        return None  # "any AL to approve?" asks for the list (leave.pending)
    deny = _DENY.search(low)
    approve = _APPROVE.search(low)
    if deny and (has_leave or has_staff or (has_num and _STRONG_DENY.search(low))):
        return "leave.deny", 0.95
    if (
        approve
        and not deny
        and (has_leave or has_staff or (has_num and _STRONG_APPROVE.search(low)))
    ):
        verb = approve.group(0)
        if (verb in _WEAK_APPROVE or verb.startswith("yes")) and not has_leave:
            return None  # "will Isla accept extra shifts?" is not a leave decision
        return "leave.approve", 0.95
    return None


def cancel_rule(low: str, has_ref: bool) -> tuple[str, float] | None:
    """ "cancel request 12", "withdraw OT7"."""
    if not has_ref or _LEAVE_WORD.search(low) or _OWN.search(low):
        return None
    if re.match(
        r"^\W*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:cancel|withdraw|call\s+off|"
        r"scrap|kill|pull)\b",
        low,
    ):
        return "ot.cancel", 0.95
    return None


# ------------------------------------------------------------------ this round's traps
# Each of these guards a message that would otherwise change the wrong record:
# an acknowledgement taken as a YES, a question taken as a sickness report, a
# preference taken as accepting an offer. They take the lower-cased text (with
# names blanked where it matters) and what the entity matcher found.

_ACK_WORDS = {
    "ok",
    "okay",
    "k",
    "kk",
    "okie",
    "okey",
    "okies",
    "alright",
    "aright",
    "right",
    "thanks",
    "thank",
    "you",
    "ta",
    "cheers",
    "thx",
    "ty",
    "tx",
    "noted",
    "got",
    "it",
    "nice",
    "one",
    "lovely",
    "great",
    "cool",
    "brill",
    "brilliant",
    "champion",
    "magic",
    "fab",
    "ace",
    "understood",
    "received",
    "mate",
    "hun",
    "hen",
    "pal",
    "x",
    "xx",
    "xxx",
    "very",
    "much",
    "so",
    "a",
    "lot",
    "many",
    "again",
    "for",
    "that",
    "letting",
    "me",
    "know",
    "the",
    "info",
    "update",
    "oh",
    "ah",
    "gotcha",
    "sweet",
    "nice1",
    "perfect",
    "thanku",
    "thankyou",
    "ok.",
    "okay.",
}
_ACK_HEAD = {
    "ok",
    "okay",
    "k",
    "kk",
    "okie",
    "okey",
    "okies",
    "alright",
    "aright",
    "thanks",
    "thank",
    "ta",
    "cheers",
    "thx",
    "ty",
    "tx",
    "noted",
    "got",
    "nice",
    "lovely",
    "great",
    "cool",
    "brill",
    "brilliant",
    "champion",
    "magic",
    "fab",
    "ace",
    "understood",
    "received",
    "gotcha",
    "sweet",
    "nice1",
    "perfect",
    "thanku",
    "thankyou",
    "oh",
    "ah",
}


def ack_rule(low: str, has_ref: bool) -> tuple[str, float] | None:
    """ "ok", "thanks", "ta", "cheers", a thumbs-up: an acknowledgement, which only the
    conversation can give a meaning to (it is never a YES on its own)."""
    if has_ref or re.search(r"\d", low):
        return None
    if re.match(
        r"^\W*(?:(?:ok|okay|oh|ah|great|brilliant|lovely)[\s,!]+)?(?:thanks|thank\s+you|"
        r"thankyou|cheers|ta|many\s+thanks)\s+(?:so\s+much\s+|very\s+much\s+)?for\b",
        low,
    ) and not re.search(
        r"\b(?:but|no|not|can'?t|cannot|cant|sorry|however|"
        r"unfortunately|can\s+i|could\s+i|please|pls)\b",
        low,
    ):
        return "unknown", 0.9  # "thanks for approving my leave" thanks; it asks nothing
    words = re.findall(r"[a-z0-9']+", low)
    symbols = re.sub(r"[\w\s'.,!?\-]", "", low)
    if not words:
        # emoji only: a thumbs-up, an OK hand, a smile
        return ("unknown", 0.9) if symbols else None
    if words[0] not in _ACK_HEAD or not all(w in _ACK_WORDS for w in words):
        return None
    if words[0] == "perfect" and len(words) == 1:
        return None  # "perfect" answering an offer is a yes (kept as the corpus has it)
    return "unknown", 0.9


_SHIFT_WORDS = (
    r"(?:nights?|earl(?:y|ies|ys)|lates?|long\s+days?|lds?|weekends?|weekdays?|"
    r"days|mornings|evenings|backshifts?)"
)
_PREF_LEAD = re.compile(
    r"^\W*(?:(?:actually|ok|okay|and|also|oh|but|yes|yeah|aye|fyi|just\s+so\s+you\s+know|"
    r"so)[\s,]+)*(?:i\s+(?:can|could|will|'ll|do)|i'?ll|can)\s+(?:also\s+|now\s+|still\s+)?"
    r"(?:do|work|cover|take|manage|pick\s+up)?\s*(?:the\s+)?(?:odd\s+|some\s+|any\s+)?"
)


_HELP_WORDS = {
    "help",
    "confused",
    "lost",
    "stuck",
    "i'm",
    "im",
    "i",
    "am",
    "so",
    "bit",
    "a",
    "please",
    "pls",
    "me",
    "need",
    "some",
    "what",
    "do",
    "how",
    "does",
    "this",
    "work",
    "works",
    "totally",
    "really",
    "hi",
    "hello",
    "hey",
    "sorry",
    "can",
    "you",
    "um",
    "erm",
    "ok",
    "okay",
}


def help_rule(low: str) -> tuple[str, float] | None:
    """ "I'm confused, help", "lost, help please": asking what the assistant does."""
    words = re.findall(r"[a-z']+", low)
    if (
        0 < len(words) <= 7
        and all(w in _HELP_WORDS for w in words)
        and any(w in ("help", "confused", "lost", "stuck") for w in words)
        and ("help" in words or len(words) <= 3)
    ):
        return "help", 0.9
    return None


def missed_rule(low: str) -> tuple[str, float] | None:
    """ "sorry I missed your message", "soz for the late reply": an apology, not a NO."""
    if re.match(
        r"^\W*(?:sorry|soz|sry|apologies)\W+(?:i\s+|for\s+(?:the\s+)?)?(?:missed|"
        r"late\s+reply|late\s+response|not\s+(?:replying|getting\s+back)|"
        r"slow\s+reply|delay)\b",
        low,
    ) and not re.search(r"\b(?:no|can'?t|cannot|cant|yes|yeah|ok|will|i'?ll)\b", low):
        return "unknown", 0.85
    return None


def preference_rule(
    low: str, shift_plural: bool, has_date: bool, has_ref: bool
) -> tuple[str, float] | None:
    """ "I can do weekends", "I can do nights (again)", "take me off nights": which shifts
    someone will do, never a YES to the offer they hold. Only for kinds of shift (plural or
    weekend/weekday), not a dated shift ("I can do Friday's night" answers an offer)."""
    if has_date or has_ref or not shift_plural:
        return None
    if re.match(
        r"^\W*(?:please\s+|pls\s+|can\s+you\s+)?(?:take\s+me\s+off|remove\s+me\s+from|"
        r"no\s+more)\s+(?:the\s+)?" + _SHIFT_WORDS + r"\b",
        low,
    ):
        return "ot.preferences", 0.9
    if re.search(
        r"\b(?:can'?t|cant|cannot|won'?t|don'?t)\s+(?:do\s+|work\s+|manage\s+)?"
        + _SHIFT_WORDS
        + r"\b",
        low,
    ) and re.search(
        r"\b(?:any\s*more|no\s+more|no\s+longer|these\s+days|from\s+now\s+on|"
        r"going\s+forward)\b",
        low,
    ):
        return "ot.preferences", 0.9  # "a cannae dae nights nae mair"
    m = _PREF_LEAD.match(low)
    if not m:
        return None
    rest = low[m.end() :]
    if not re.match(_SHIFT_WORDS + r"\b", rest):
        return None
    if re.search(r"\b(?:again|back|once\s+more)\b", low):
        return "ot.optin", 0.92
    return "ot.preferences", 0.92


_ABSENT_Q = re.compile(
    r"^\W*(?:(?:so|and|ok|right|quick\s+one|hi|hiya|morning)[\s,]+)*(?:who(?:'?s|\s+is|\s+are|"
    r"\s+has|\s+have|'ve|se)?|whos|anyone|anybody|is\s+anyone|are\s+any|how\s+many(?:\s+\w+)?|"
    r"list|show(?:\s+me)?|which\s+(?:staff|people|carers|nurses)|give\s+me|what\s+staff)\b"
)
_ABSENT_SICK = re.compile(
    r"\b(?:off\s+sick|sick|sickness|ill|unwell|poorly|"
    r"signed\s+off|called\s+in\s+sick|on\s+the\s+sick)\b"
)
_ABSENT_LEAVE = re.compile(
    r"\b(?:on\s+(?:annual\s+)?leave|on\s+(?:a\s+)?holiday|on\s+hols|"
    r"on\s+a/l|on\s+al|off\s+on\s+holiday|away\s+on\s+holiday|"
    r"booked\s+off|on\s+their\s+holidays)\b"
)


def absence_rule(low: str) -> tuple[str, float, str | None] | None:
    """ "who's off sick this week?", "who is on leave?": a manager's question about
    other people (staffing.absent), never a sickness report or leave request."""
    if not _ABSENT_Q.match(low) or re.search(r"\b(?:i|i'm|im|me|my)\b", low):
        return None
    if re.search(
        r"\b(?:short|gaps?|cover(?:ed|ing)?|working|on\s+shift|on\s+duty|rostered|"
        r"eligible|overtime|training|requests?|requested|pending|approv\w*|unapproved|"
        r"balance|left|remain\w*|put\s+in|open|days\s+(?:of\s+)?(?:leave|holiday)|"
        r"starters?|entitle\w*|get)\b",
        low,
    ):
        return None
    sick = bool(_ABSENT_SICK.search(low))
    leave = bool(_ABSENT_LEAVE.search(low))
    if not (sick or leave or re.search(r"\b(?:off|absent|absence|away|not\s+in)\b", low)):
        return None
    absence = "sick" if sick and not leave else "leave" if leave and not sick else None
    return "staffing.absent", 0.93, absence


_DASH = re.compile(r"\b(?:dash\s*boards?|dashbord|dashbaord|dash)\b")


def dash_rule(low: str) -> tuple[str, float] | None:
    """ "dashboard", "send me the dashboard link"."""
    if _DASH.search(low):
        return "dash.link", 0.95
    return None


_PUBLISH = re.compile(
    r"\b(?:publish|publsih|pubish|publishing|go\s+live\s+with|make\s+(?:\w+\s+)?"
    r"live|put\s+(?:\w+\s+){0,2}live|release)\b"
)
_ROTA_WORD = re.compile(r"\b(?:rotas?|drafts?|schedules?|rosters?)\b")


def publish_rule(low: str, has_ref: bool) -> tuple[str, float] | None:
    """ "publish rota 3", "publish the draft"."""
    if _PUBLISH.search(low) and (_ROTA_WORD.search(low) or has_ref):
        return "rota.publish", 0.95
    return None


_AGENCY_VERB = re.compile(
    r"\b(?:book(?:ed|ing)?|got|get(?:ting)?|arranged?|sorted|organised|organized|confirmed|"
    r"bringing\s+in|brought\s+in|using|used|use|have|we'?ve|'ve|coming|called|rang|phoned|"
    r"requested|ordered|secured)\b"
)


def agency_rule(low: str) -> tuple[str, float] | None:
    """ "we've booked agency for OT42", "booked an agency nurse for friday night"."""
    if not re.search(r"\bagency\b", low):
        return None
    if re.search(
        r"\b(?:was|were|had|last\s+(?:night|week)|yesterday|how\s+much|cost|spend|spent|"
        r"report|summary)\b",
        low,
    ) and not re.search(r"\bbook", low):
        return None
    if _AGENCY_VERB.search(low):
        return "agency.book", 0.93
    return None


_SWAP = re.compile(
    r"\b(?:swap\w*|swop\w*|swp|switch\s+(?:shifts?|with)|trade\s+(?:shifts?|my)|"
    r"exchange\s+(?:shifts?|my))\b"
)
_SOMEONE = r"(?:any\s*one|any\s*body|any1|some\s*one|some\s*body|some1|anybody)"
_GIVE_AWAY = re.compile(
    r"\b(?:can|could|would|will|need|needing|want|looking\s+for)\s+" + _SOMEONE + r"\s+"
    r"(?:else\s+)?(?:to\s+)?(?:take|cover|do|have|pick\s+up|work)\s+my\b|"
    r"\bgive\s+(?:away\s+)?my\s+"
    r"(?:\w+\s+){0,3}(?:shift|early|late|night|long\s+day)\b|\bgive\s+away\b|"
    r"\b" + _SOMEONE + r"\s+(?:want|wants|fancy|fancies)\s+my\b"
)
_MY_FOR_THEIR = re.compile(
    r"^\W*(?:(?:can\s+i\s+(?:do|have|swap)\s+)|(?:i'?ll\s+do\s+))?my\s+.+?"
    r"\bfor\s+(?:her|his|their|your|[a-z]+'s)\b"
)
_SWAP_DECIDE_YES = re.compile(
    r"\b(?:approv\w*|accept|ok|okay|grant|authori[sz]e|"
    r"sign\s+off|allow|yes\s+to|go\s+ahead\s+with|fine)\b"
)
_SWAP_DECIDE_NO = re.compile(
    r"\b(?:deny|denied|refuse|refused|reject|rejected|decline|declined|"
    r"turn\s+down|no\s+to|say\s+no\s+to|not\s+approving|can'?t\s+approve)\b"
)


def swap_rule(low: str) -> tuple[str, float] | None:
    """A swap: asked for ("can i swap my tuesday early with Sarah", "my Tue early for her
    Thu late", "can anyone take my Saturday late?") or decided by a manager."""
    swap = _SWAP.search(low)
    numbered = re.search(r"\bswap\s*(?:request\s*)?(?:#|no\.?\s*)?\d+", low)
    if numbered and not re.search(r"\b(?:my|i)\b", low):
        if _SWAP_DECIDE_NO.search(low) or re.search(r"\b(?:is\s+a\s+no|no)\b", low):
            return "swap.deny", 0.95
        return "swap.approve", 0.93
    if swap and not re.search(r"\b(?:can|could|may)\s+i\b|\bmy\b|\bi\s+(?:want|need|'d)", low):
        if _SWAP_DECIDE_NO.search(low):
            return "swap.deny", 0.95
        if _SWAP_DECIDE_YES.search(low):
            return "swap.approve", 0.95
    if swap:
        if re.search(r"\b(?:for|to)\s+(?:a\s+)?(?:holiday|leave|day\s+off)\b", low):
            return None  # "can I swap to a holiday on Sunday" asks for leave
        return "swap.request", 0.94
    if _GIVE_AWAY.search(low) or _MY_FOR_THEIR.search(low):
        return "swap.request", 0.92
    return None


_LEAVE_ANY = re.compile(
    r"\b(?:leave|holidays?|hols?|annual\s+leave|a/l|time\s+off|days?\s+off|"
    r"(?:the\s+)?\w+\s+off|leave\s+requests?|holiday\s+requests?)\b|\bAL\b"
)
_CANCEL_OWN = re.compile(
    r"\b(?:cancel\w*|withdraw\w*|scrap|revoke|take\s+back|pull|delete|remove)\b.*\b(?:my|i)\b"
    r"|\b(?:my|i)\b.*\b(?:cancel\w*|withdraw\w*|scrap|take\s+back|delete|remove)\b"
    r"|\b(?:don'?t|do\s+not|dont|no\s+longer)\s+need\b.*\boff\b"
    r"|\b(?:don'?t|do\s+not|dont|no\s+longer)\s+need\s+(?:my|the)\s+(?:leave|holiday|"
    r"time\s+off|days?\s+off)\b"
)


def leave_cancel_rule(low: str) -> tuple[str, float] | None:
    """ "cancel my leave on the 22nd please", "I don't need the 22nd off any more"."""
    if not _LEAVE_ANY.search(low) or re.search(r"\b(?:overtime|ot|shift|swap)\b", low):
        return None
    if _CANCEL_OWN.search(low) and not re.search(r"\b(?:sick|ill)\b", low):
        return "leave.cancel", 0.93
    return None


_LEAVE_STATUS = re.compile(
    r"\b(?:approved|accepted|granted|refused|denied|rejected|declined|authori[sz]ed|"
    r"signed\s+off|gone\s+through|been\s+(?:looked|seen|dealt)|status|heard\s+(?:back|anything)|"
    r"any\s+news|any\s+word|any\s+update|update\s+on|decision|decided|pending|waiting|"
    r"still\s+(?:waiting|pending)|outstanding|come\s+back|ok(?:'d|ed)|requests?\s+(?:have\s+i|"
    r"i'?ve)|what\s+(?:leave|holidays?)\s+(?:have\s+i|do\s+i\s+have|i'?ve)\s+(?:got\s+)?"
    r"(?:booked|requested|asked\s+for|put\s+in)|booked|when\s+(?:is|are)\s+my\s+(?:leave|"
    r"holidays?))\b|\bwhen(?:'?s|\s+is)\s+my\s+(?:next\s+)?(?:leave|holiday|hols|"
    r"time\s+off|day\s+off|annual\s+leave)\b"
)


def leave_mine_rule(low: str) -> tuple[str, float] | None:
    """ "has my leave been approved?", "what holidays have I booked": the sender's own
    leave requests (never the manager's pending list)."""
    if not re.search(r"\b(?:my|i|i'?ve|i\s+have)\b", low):
        return None
    if not re.search(
        r"\b(?:leave|holidays?|hols?|annual\s+leave|a/l|time\s+off|days?\s+off|"
        r"requests?)\b|\bAL\b",
        low,
    ):
        return None
    if re.search(
        r"\b(?:left|remaining|balance|entitle\w*|allowance|owed|how\s+(?:much|many))\b", low
    ):
        return None
    if re.search(
        r"\b(?:can|could|may)\s+i\s+(?:have|book|take|get|request)\b|\bi'?d\s+like\b|"
        r"\bi\s+(?:need|want)\b",
        low,
    ):
        return None
    if _LEAVE_STATUS.search(low):
        return "leave.mine", 0.92
    return None


_WITHDRAW_MARK = re.compile(
    r"\b(?:now|after\s+all|any\s*more|no\s+longer|anymore|not\s+now|changed\s+my\s+mind|"
    r"something'?s\s+come\s+up|something\s+has\s+come\s+up|actually)\b"
)
_WITHDRAW_VERB = re.compile(
    r"\b(?:pull(?:ing)?\s+out|drop(?:ping)?\s+out|back(?:ing)?\s+out|withdraw(?:ing)?\s+from|"
    r"un-?book\s+me|take\s+me\s+off\s+(?:the|that|my)\s+(?:shift|overtime|ot)(?!\s+list)|"
    r"cancel\s+my\s+"
    r"(?:overtime|ot|extra)\s*(?:shift)?|give\s+(?:the|that)\s+(?:shift|overtime)\s+back|"
    r"can'?t\s+do\s+(?:the|that)\s+(?:shift|overtime|ot)\s+i\s+(?:took|accepted|said))\b"
)
_CANT = re.compile(
    r"\b(?:can'?t|cant|cannot|can\s+not|cannae|canny|won'?t\s+(?:be\s+able\s+to|"
    r"make)|not\s+able\s+to|unable\s+to|no\s+longer\s+(?:able|do|make))\b"
)


def withdraw_rule(low: str, has_date_or_ref: bool, shift_plural: bool) -> tuple[str, float] | None:
    """ "actually sorry I cant do friday now", "need to pull out of OT12": pulling out of a
    shift already accepted (never a plain decline, never a preference)."""
    if re.search(r"\b(?:sick|ill|unwell|poorly|leave|holiday|hols)\b", low):
        return None
    if _WITHDRAW_VERB.search(low):
        return "ot.withdraw", 0.93
    if shift_plural and not has_date_or_ref:
        return None  # "I can't do nights any more" is a preference
    if has_date_or_ref and _CANT.search(low) and _WITHDRAW_MARK.search(low):
        return "ot.withdraw", 0.9
    return None


_AVAILABLE = re.compile(
    r"\b(?:any|is\s+there\s+any|are\s+there\s+any|got\s+any|what)\s+(?:\w+\s+)?(?:overtime|ot|"
    r"extra\s+(?:shifts?|hours|work)|open\s+shifts?|shifts?)\s+(?:going|available|about|"
    r"on\s+offer|up\s+for\s+grabs|out\s+there|free|needing\s+cover|that\s+need)\b"
    r"|\bany\s+(?:overtime|ot|extra\s+shifts?|open\s+shifts?)\s*(?:\?|$|this|next|at|for|on|"
    r"tonight|tomorrow)"
    r"|\bwhat\s+(?:overtime|ot|extra\s+shifts?|shifts?)\s+(?:is|are|can\s+i)\b"
    r"|\bcan\s+i\s+(?:pick\s+up|grab|claim|take|have)\s+(?:a|an|the|any|some)?\s*"
    r"(?:extra|open|spare)?\s*(?:shift|overtime|ot)\b"
    r"|\bshifts?\s+i\s+(?:can|could)\s+(?:pick\s+up|do|take|claim)\b"
)
_CLAIM = re.compile(
    r"^\W*(?:(?:ok|okay|right|oh|ooh|actually|hi|hiya|hey|hello|morning)[\s,-]+)*"
    r"(?:(?:put|pop|stick|book|sign)\s+me\s+(?:down|in|up)\s+for\b|"
    r"(?:i'?ll|i\s+will|i\s+can|i\s+could|"
    r"can\s+i|could\s+i|i'?d\s+like\s+to|i\s+want\s+to|let\s+me)\s+(?:take|do|have|grab|pick\s+up|"
    r"claim|cover|work)\b)"
)


def available_rule(
    low: str, has_date: bool, has_shift: bool, has_yes: bool
) -> tuple[str, float] | None:
    """ "any overtime going this week?" (what is open) and "I'll take the Saturday night"
    (claiming a dated open shift)."""
    if re.search(r"\b(?:my|swap|sick|leave|holiday)\b", low):
        return None
    if _AVAILABLE.search(low):
        return "ot.available", 0.92
    if not has_yes and has_date and has_shift and _CLAIM.match(low):
        return "ot.available", 0.9
    if re.search(r"\bcan\s+i\s+pick\s+up\b", low) and (has_date or has_shift):
        return "ot.available", 0.9
    return None


_ROTA_PERSON = re.compile(
    r"^\W*(?:(?:so|and|hi|hiya|morning|quick\s+one)[\s,]+)*(?:is|was|will|does|do|when(?:'?s|\s+is|"
    r"\s+does|\s+will|\s+'s)?|what(?:'?s|\s+is|\s+are|\s+days|\s+shifts)?|which\s+(?:days|"
    r"shifts)|has|have|show(?:\s+me)?|what\s+time\s+(?:is|does))\b"
)
_ROTA_PERSON_WORK = re.compile(
    r"\b(?:working|work|works|on|in|off|next\s+in|next\s+on|shifts?|rota|rostered|start|"
    r"starts|finish|finishes|due\s+in|on\s+shift|back|doing)\b"
)


def rota_person_rule(low_unnamed: str, has_staff: bool) -> tuple[str, float] | None:
    """ "is Sarah working tomorrow?", "when is Jennifer Ross next in?": a named colleague's
    shifts (names are blanked in ``low_unnamed``)."""
    if not has_staff or not _ROTA_PERSON.match(low_unnamed):
        return None
    if re.search(r"\b(?:i|i'm|me|my)\b", low_unnamed):
        return None
    if re.search(
        r"\b(?:overtime|ot|extra|profile|record|stats|history|reliab\w*|accept\w*|"
        r"often|"
        r"leave|holiday|approve\w*|deny|sick|rate|good\s+at|how\s+many|fair\w*|"
        r"training|eligible|rank\w*)\b",
        low_unnamed,
    ):
        return None
    if _ROTA_PERSON_WORK.search(low_unnamed):
        return "rota.person", 0.92
    return None


# Scots (and SMS) words the rules read as their English, replaced in place with the same
# length so that every character offset of the message stays valid.
_SAME_LENGTH = [
    (
        re.compile(
            r"\bma\b(?=\s+(?:holiday|holidays|hols|leave|shift|shifts|rota|sat|sun|mon|tue|"
            r"wed|thu|fri|late|early|night|day|days|request|time|a/l|al)\b)"
        ),
        "my",
    ),
    (re.compile(r"\bnoo\b"), "now"),
    (re.compile(r"\baff\b"), "off"),
    (re.compile(r"\bdae\b"), "do "),
    (re.compile(r"\bdinnae\b"), "don't "),
    (re.compile(r"\bcannae\b"), "can't "),
    (re.compile(r"\bcanny\b"), "can't"),
    (re.compile(r"\bnae\s+mair\b"), "no more "),
    (re.compile(r"\bnae\s+mare\b"), "no more "),
    (re.compile(r"(?<![\w/])o/t\b"), "ot "),
]


def plain_english(low: str) -> str:
    """``low`` with Scots and SMS forms the rules know spelled out, at the same length:
    "cannae dae friday noo" -> "can't  do  friday now"."""
    for pattern, replacement in _SAME_LENGTH:
        low = pattern.sub(_padded(replacement), low)
    return low


def _padded(replacement: str) -> Callable[[re.Match[str]], str]:
    def sub(m: re.Match[str]) -> str:
        found = m.group(0)
        return replacement.ljust(len(found)) if len(replacement) <= len(found) else found

    return sub
