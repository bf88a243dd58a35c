"""Numeric slots (ref, count, days) and the free-text reason.

All functions take the cleaned text (see :mod:`intents.text`) and return
values together with character spans, so the parser can tell which words
were used up by slots.
"""

from __future__ import annotations

import re

from intents.text import lower_same_length

_NUM_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a dozen": 12,
    "dozen": 12,
    "a few": 3,
    "few": 3,
}
_N = r"(?P<n>\d{1,4}|" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True)) + r")"
_NOT_AFTER_NUMBER = (
    r"(?![/.:]\d)(?!\s*(?:st|nd|rd|th|am|pm|a\.m|p\.m|days?|weeks?|nights?|hours?|hrs?|mins?|"
    r"minutes?|%|months?|years?|o'?clock|jan|january|feb|february|mar|march|apr|april|may|jun|"
    r"june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december)\b)"
)


def _num(raw: str) -> int | None:
    raw = re.sub(r"\s+", " ", raw.strip().lower())
    if raw.isdigit():
        return int(raw)
    return _NUM_WORDS.get(raw)


# ------------------------------------------------------------------------- ref

_REF_PATTERNS = [
    re.compile(
        r"\bot\s*[-#:.]?\s*(?:no\.?\s*|number\s*|#\s*)?(?P<n>\d{1,7})\b" + _NOT_AFTER_NUMBER
    ),
    re.compile(r"#\s*(?P<n>\d{1,7})\b" + _NOT_AFTER_NUMBER),
    re.compile(
        r"\b(?:request|req|requests|ref|reference|id|leave|holiday|hol|hols|a/l|al|lr|application|"
        r"outreach|no|number|num|item|booking|shift|swap|swaps|rota|draft|schedule)\s*(?:#|no\.?|number|num|id|ref)?\s*[:.]?\s*"
        r"(?P<n>\d{1,7})\b" + _NOT_AFTER_NUMBER
    ),
    re.compile(
        r"\b(?:approve|approved|approving|ok|okay|accept|accepted|grant|granted|authorise|"
        r"authorize|authorised|sign\s+off|signoff|confirm|allow|deny|denied|decline|declined|"
        r"refuse|refused|reject|rejected|cancel|cancelled|canceled|withdraw|withdrawn|scrap|"
        r"turn\s+down|say\s+no\s+to|no\s+to|yes\s+to|"
        r"stop|kill|pull|yes|y|yep|yeah|yh|aye|ya|yas|yup|no|n|nope|nah|naw|status\s+of|"
        r"status|chase|check)\s*[,:]?\s*(?:number\s+|no\.?\s*)?(?P<n>\d{1,7})\b" + _NOT_AFTER_NUMBER
    ),
    re.compile(r"^\W*(?P<n>\d{1,7})\W*$"),
    re.compile(
        r"^\W*(?P<n>\d{1,7})\s*[-:,]?\s*(?:is\s+)?(?:yes|y|no|n|ok|okay|fine|approve|"
        r"approved|deny|denied|refused|rejected|declined|cancel|cancelled|withdrawn|"
        r"accepted|granted)\b"
    ),
    # A command with a typo in its verb: "appprove 77", "refusse 91: busy", "7 reffused".
    re.compile(r"^\W*(?:@\w+\s+)?[a-z']+\s+(?P<n>\d{1,7})\s*(?:[-:,;]|because\b|as\b|bc\b)"),
    re.compile(r"^\W*(?P<n>\d{1,7})\s+[a-z']+\s*(?:[-:,;.!]|$)"),
    re.compile(r"^\W*(?:[a-z']+\s+){1,2}(?:#|no\.?\s*)?(?P<n>\d{1,7})\W*$"),
]


def find_ref(text: str) -> tuple[int, tuple[int, int]] | None:
    """An overtime or leave request number: ``OT42``, ``#42``, "request 42", "approve 42"."""
    low = lower_same_length(text)
    for pat in _REF_PATTERNS:
        m = pat.search(low)
        if m:
            return int(m["n"]), m.span()
    return None


# ----------------------------------------------------------------------- count

_PEOPLE = (
    r"(?:more\s+|extra\s+|other\s+|x\s+|different\s+|separate\s+|available\s+|of\s+the\s+"
    r"best\s+)?(?:people|persons|peeps|ppl|staff|members\s+of\s+staff|staff\s+members|folk|"
    r"folks|carers|nurses|rns|hcas|seniors|ssws|care\s+assistants|healthcare\s+assistants|"
    r"health\s+care\s+assistants|support\s+workers|senior\s+support\s+workers|bodies|workers|"
    r"candidates|names|options|colleagues|nurse|carer|hca|rn|senior|ssw|person|members|"
    r"contacts|of\s+them|at\s+a\s+time|at\s+once)\b"
)
_COUNT_PATTERNS = [
    re.compile(r"\b" + _N + r"\s+" + _PEOPLE),
    re.compile(
        r"\b(?:contact|contacting|text|texting|txt|message|messaging|msg|ask|asking|ping|email|"
        r"call|ring|offer\s+(?:it\s+)?to|send\s+(?:it\s+|them\s+|offers\s+|this\s+)?to|"
        r"max(?:imum)?(?:\s+of)?|up\s+to|at\s+most|limit\s+(?:it\s+)?(?:to|of)|cap\s+(?:it\s+)?at|"
        r"only)\s+(?:the\s+)?(?:top|first|best)?\s*"
        + _N
        + r"\b"
        + _NOT_AFTER_NUMBER
        + r"(?!\s*(?:-|to)\s*\d)"
    ),
    re.compile(r"\b(?:top|first|best)\s+" + _N + r"\b" + _NOT_AFTER_NUMBER),
    re.compile(
        r"\b(?:need|needs|needing|want|get|find|require|requires)\s+"
        + _N
        + r"\s+(?:more\s+|extra\s+)?(?:on|for|to)\b"
    ),
]


def find_count(text: str) -> tuple[int, tuple[int, int]] | None:
    """How many people to contact or are needed: "to 4 people", "contact 3", "2 HCAs"."""
    low = lower_same_length(text)
    for pat in _COUNT_PATTERNS:
        for m in pat.finditer(low):
            n = _num(m["n"])
            if n is not None and 0 < n <= 500:
                return n, m.span()
    return None


# ------------------------------------------------------------------------ days

_UNIT_DAYS = {
    "day": 1,
    "week": 7,
    "wk": 7,
    "fortnight": 14,
    "month": 30,
    "mth": 30,
    "mnth": 30,
    "year": 365,
    "yr": 365,
    "quarter": 90,
}
_UNIT = r"(?P<unit>days?|weeks?|wks?|fortnights?|months?|mths?|mnths?|years?|yrs?|quarters?)"
_DAYS_WINDOW = [
    re.compile(
        r"\b(?:last|past|previous|prev|preceding|over\s+the|in\s+the|within|within\s+the|"
        r"next|coming|in|over)\s+" + _N + r"\s+" + _UNIT + r"\b"
    ),
    re.compile(
        r"\b(?:last|past|previous|prev|over\s+the\s+last|over\s+the\s+past|the\s+last|"
        r"the\s+past|this|next|within\s+a|in\s+a)\s+(?P<unit>week|fortnight|month|quarter|year)"
        r"\b"
    ),
    re.compile(r"\b" + _N + r"[-\s]?" + _UNIT + r"\b"),
]


def find_days(text: str) -> tuple[int, tuple[int, int]] | None:
    """A look-back or look-ahead window in days: "last 90 days", "past 3 months" (90)."""
    low = lower_same_length(text)
    for pat in _DAYS_WINDOW:
        m = pat.search(low)
        if not m:
            continue
        unit = m["unit"].rstrip("s")
        per = _UNIT_DAYS.get(unit, 1)
        n = _num(m["n"]) if "n" in m.groupdict() and m.groupdict().get("n") else 1
        if n is None or n <= 0:
            continue
        return n * per, m.span()
    return None


# ---------------------------------------------------------------------- reason

# Politeness and the answer itself: never a reason on their own.
_POLITE = {
    "sorry",
    "soz",
    "sry",
    "srry",
    "apologies",
    "unfortunately",
    "afraid",
    "sadly",
    "thanks",
    "thank",
    "you",
    "ta",
    "cheers",
    "mate",
    "pal",
    "hun",
    "hen",
    "love",
    "x",
    "xx",
    "xxx",
    "please",
    "pls",
    "plz",
    "hi",
    "hello",
    "hiya",
    "hey",
    "morning",
    "evening",
    "afternoon",
    "oh",
    "ah",
    "um",
    "erm",
    "hmm",
    "well",
    "ok",
    "okay",
    "just",
    "really",
    ",",
    ".",
    "!",
    "?",
    "-",
    ":",
    ";",
    "...",
    "(",
    ")",
    "&",
    "and",
    "but",
    "though",
    "anyway",
    "'s",
    "'m",
    "'ve",
    "'ll",
    "'d",
    "i",
    "i'm",
    "im",
    "am",
    "me",
    "my",
    "the",
    "a",
    "an",
    "it",
    "its",
    "it's",
    "this",
    "that",
    "is",
    "be",
}
_DECLINE_FILLERS = _POLITE | {
    "no",
    "nope",
    "nah",
    "naw",
    "na",
    "n",
    "nae",
    "cannae",
    "canny",
    "cant",
    "can't",
    "cannot",
    "can",
    "not",
    "couldn't",
    "could",
    "wont",
    "won't",
    "will",
    "able",
    "unable",
    "to",
    "do",
    "make",
    "cover",
    "work",
    "help",
    "manage",
    "take",
    "pick",
    "up",
    "it",
    "that",
    "one",
    "shift",
    "shifts",
    "then",
    "on",
    "for",
    "this",
    "time",
    "again",
    "today",
    "tonight",
    "tomorrow",
    "day",
    "night",
    "nights",
    "pass",
    "i'll",
    "ill",
    "i'd",
    "id",
    "rather",
    "dont",
    "don't",
    "go",
    "would",
    "like",
    "all",
    "same",
    "very",
    "much",
    "offering",
    "offer",
    "asking",
    "ask",
    "available",
    "unavailable",
    "free",
    "around",
    "busy",
    "out",
    "good",
    "alright",
    "fine",
    "give",
    "miss",
    "chance",
    "interested",
    "maybe",
    "next",
    "possible",
    "possibly",
    "gonna",
    "going",
    "fit",
    "in",
    "decline",
    "declining",
    "say",
    "tell",
    "them",
    "definitely",
    "honestly",
    "way",
    "sorry",
    "elsewhere",
    "i'm",
    "afraid",
    "anymore",
    "any",
    "more",
    "after",
    "actually",
    "now",
    "need",
    "pull",
    "drop",
    "withdraw",
    "changed",
    "mind",
    "extra",
    "overtime",
    "ot",
    "accepted",
    "took",
    "said",
    "yes",
    "longer",
    "have",
    "has",
    "hand",
}
_DENY_FILLERS = _POLITE | {
    "deny",
    "denied",
    "decline",
    "declined",
    "refuse",
    "refused",
    "refusing",
    "reject",
    "rejected",
    "rejecting",
    "turn",
    "down",
    "no",
    "not",
    "approve",
    "approving",
    "approved",
    "can't",
    "cannot",
    "unable",
    "to",
    "give",
    "leave",
    "holiday",
    "holidays",
    "hols",
    "request",
    "requests",
    "req",
    "application",
    "annual",
    "personal",
    "unpaid",
    "compassionate",
    "time",
    "off",
    "al",
    "lr",
    "a/l",
    "for",
    "of",
    "is",
    "ref",
    "number",
    "no.",
    "id",
    "say",
    "tell",
    "let",
    "them",
    "him",
    "her",
    "their",
    "have",
    "has",
    "can",
    "could",
    "you",
    "we",
    "please",
}
_SICK_FILLERS = _POLITE | {
    "off",
    "sick",
    "ill",
    "unwell",
    "poorly",
    "not",
    "well",
    "feeling",
    "feel",
    "come",
    "coming",
    "in",
    "be",
    "able",
    "make",
    "work",
    "working",
    "shift",
    "shifts",
    "today",
    "tomorrow",
    "tonight",
    "i'm",
    "im",
    "i",
    "am",
    "i've",
    "ive",
    "got",
    "have",
    "has",
    "calling",
    "call",
    "ringing",
    "phoning",
    "texting",
    "reporting",
    "myself",
    "going",
    "won't",
    "wont",
    "can't",
    "cant",
    "cannot",
    "cannae",
    "canny",
    "so",
    "i'll",
    "will",
    "to",
    "stay",
    "staying",
    "home",
    "bed",
    "just",
    "wanted",
    "let",
    "you",
    "know",
    "letting",
    "my",
    "sickness",
    "absence",
    "absent",
    "report",
    "reported",
    "called",
    "shift's",
    "manager",
    "till",
    "until",
    "til",
    "still",
    "again",
    "agin",
    "need",
    "go",
    "had",
    "leave",
    "early",
    "do",
    "the",
    "for",
    "on",
    "too",
    "enough",
    "gonna",
    "mark",
    "put",
    "record",
    "down",
    "as",
    "can",
    "could",
    "please",
    "pls",
    "this",
    "that",
    "no",
    "weel",
    "rough",
    "terrible",
    "awful",
    "fit",
    "back",
    "return",
    "returning",
    "due",
    "hopefully",
    "should",
}
_GENERIC_SICK = re.compile(
    r"^\W*(?:(?:sorry|soz|but|and|just|so)\W+)?(?:i'?m|i\s+am|im|am|feeling|i\s+feel|i'?ve\s+been|been|and|just|still|really)?\s*"
    r"(?:really|very|so|too|quite|a\s+bit|a\s+little|bit|properly|pure|dead|feeling|"
    r"not\s+feeling|still|off|proper)?\s*(?:ill|sick|unwell|not\s+well|no\s+well|no\s+weel|"
    r"not\s+feeling\s+(?:well|great|good|100%?)|poorly|porly|poorrly|rough|rotten|terrible|"
    r"awful|crap|rubbish|dreadful|under\s+the\s+weather|not\s+great|not\s+good|bad|"
    r"off\s+sick|not\s+100%?|sick\s+and\s+tired)\W*(?:sorry|x+|today|tonight|again|still)?\W*$",
    re.IGNORECASE,
)
_CAUSE = re.compile(
    r"\b(?:covid|covid-19|flu|migraine|d\s*&\s*v|vomit\w*|bug|temperature|fever|infection|"
    r"tonsillitis|diarrh\w*|food\s+poisoning|asthma|back|ankle|wrist|knee|leg|arm|foot|hand|"
    r"broken|broke|injur\w*|hurt|fall|fell|cold|cough\w*|chest|throat|ear|tooth|teeth|dental|"
    r"dentist|hospital|a&e|doctor|gp|appointment|operation|surgery|kids?|son|daughter|"
    r"child\w*|wee\s+one|little\s+one|boy|girl|baby|mum|dad|husband|wife|partner|gran\w*|"
    r"car|bus|buses|train|snow|funeral|bereave\w*|positive|isolat\w*|norovirus|gastro|"
    r"chickenpox|all\s+night|thr[eo]w\w*\s+up|pregnan\w*|cramps|headache|panic|anxiety|"
    r"stress|mental|rash|shingles|conjunctivitis|eye|sprain\w*|strain\w*|pain|sore|virus|"
    r"sciatica|bronchitis|pneumonia|uti|kidney|period|flare\w*|dizzy|faint\w*|bleed\w*|"
    r"blood|sick\s+bug|stomach|tummy|nausea\w*|sickness\s+bug|food)\b",
    re.IGNORECASE,
)
_GREETING = {
    "hi",
    "hello",
    "hiya",
    "hey",
    "morning",
    "evening",
    "afternoon",
    "staffbot",
    "@staffbot",
    "there",
    "all",
    "team",
    "good",
}
_CLAUSE = re.compile(r"(?:(?!\s+(?:so|and|but|until|till|til|since|from|for)\s).)+")
_CAUSE_LEAD = re.compile(
    r"\b(?:with|got|have|having|has|had|because\s+of|due\s+to)\s+(\w.*)$", re.IGNORECASE
)
_SEPARATOR = re.compile(
    r"\s+-+\s*|\s*[,;:.!]+\s*|\s+-+|\s*\(|\b(?:because|cos|coz|cause|'cause|bc|as|since|due\s+to|"
    r"reason|reason\s+being)\b"
)
_TOKEN = re.compile(r"[\w'&%/]+|[^\w\s]")
_DECLINE_LEAD = re.compile(
    r"^\W*(?:(?:no|nope|nah|naw|na|sorry|soz|sry|can'?t|cannae|canny|cannot|unfortunately|"
    r"i\s+can'?t|i\s+cannot|i'?m\s+afraid|afraid|not|thanks|thank\s+you|ta|but)\b\W*)*"
    r"(?P<rest>(?:i'?m|im|i\s+am|i'?ve|ive|i\s+have|got|gotta|have|working|on\s+holiday|"
    r"away|at|already|my|we|we'?re|kids|family|doing|booked|going|stuck|no\s+childcare|"
    r"no\s+car|car|been)\b.*)$",
    re.IGNORECASE,
)


def _near(word: str, fillers: set[str]) -> bool:
    """A typo of a filler word ("unavaiable", "sory") is still a filler."""
    if len(word) < 4:
        return False
    for f in fillers:
        if abs(len(f) - len(word)) <= 1 and len(f) >= 4 and f[0] == word[0]:
            # one insertion, deletion, substitution or swap
            if len(f) == len(word):
                diff = [i for i in range(len(f)) if f[i] != word[i]]
                if len(diff) == 1 or (
                    len(diff) == 2
                    and diff[1] == diff[0] + 1
                    and f[diff[0]] == word[diff[1]]
                    and f[diff[1]] == word[diff[0]]
                ):
                    return True
            else:
                short, long_ = (f, word) if len(f) < len(word) else (word, f)
                for i in range(len(long_)):
                    if long_[:i] + long_[i + 1 :] == short:
                        return True
    return False


def _content_words(fragment: str, fillers: set[str]) -> list[str]:
    words = [
        w[:-2] if w.endswith("'s") and len(w) > 2 else w for w in _TOKEN.findall(fragment.lower())
    ]
    return [
        w
        for w in words
        if w not in fillers and (w[0].isalnum() or w[0] == "'") and not _near(w, fillers)
    ]


def _trim(fragment: str) -> str:
    fragment = re.sub(r"\s+", " ", fragment).strip(" ,.;:!-?(")
    # Drop trailing sign-offs: "x", "xx", "sorry", "thanks", emoji.
    fragment = re.sub(
        r"(?:[\s,.!]+(?:x+|sorry|soz|thanks|thank\s+you|ta|cheers|mate|hun|pls|please)\b)+\W*$",
        "",
        fragment,
        flags=re.IGNORECASE,
    )
    fragment = re.sub(r"[^\w)'%]+$", "", fragment)
    return fragment.strip(" ,.;:!-?")


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = " "
    return "".join(chars)


def _pieces(masked: str) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    pos = 0
    for m in _SEPARATOR.finditer(masked):
        if m.start() > pos or not pieces:
            pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(masked)))
    return pieces


def find_reason(text: str, intent: str, slot_spans: list[tuple[int, int]]) -> str | None:
    """The free-text reason of a decline, a denial or a sickness report.

    Generic words ("no, sorry", "can't make it", "I'm ill") are not reasons;
    a clause after a dash/comma/"because" is ("no - I'm on holiday"), and so
    is a stated cause ("got covid", "the kids are ill").
    """
    masked = _mask(text, slot_spans)
    pieces = _pieces(text)
    if intent == "sickness.report":
        fillers = _SICK_FILLERS
    elif intent == "leave.deny":
        fillers = _DENY_FILLERS
    else:
        fillers = _DECLINE_FILLERS
    seen = False  # the first clause (after any greeting) is the answer or command itself
    for s, e in pieces:
        piece = masked[s:e]
        words = [w for w in _TOKEN.findall(text[s:e].lower()) if w[0].isalnum()]
        if not words or all(w in _GREETING for w in words):
            continue
        first, seen = not seen, True
        if not _content_words(piece, _POLITE):
            continue
        # The reason runs from ``start`` to ``stop`` (offsets valid in text and masked).
        stop = len(text)
        if intent == "sickness.report":
            if _GENERIC_SICK.match(piece):
                continue
            if first:
                if not _CAUSE.search(piece):
                    continue
                # The clause holding the cause: "won't be in until Friday, had a fall".
                start, stop = s, e
                for part in _CLAUSE.finditer(masked[s:e]):
                    if _CAUSE.search(part.group(0)):
                        start, stop = s + part.start(), s + part.end()
                        break
                m = _CAUSE_LEAD.search(masked[start:stop])
                if m and _CAUSE.search(m.group(1)):
                    start += m.start(1)
            else:
                if not _content_words(piece, fillers):
                    continue
                start = s
        elif intent == "leave.deny":
            if first:
                continue
            start = s
        else:
            if not _content_words(piece, fillers):
                continue
            start = s
            if first:
                m = _DECLINE_LEAD.match(masked[s:])
                if not m:
                    continue
                start = s + m.start("rest")
        if not _content_words(masked[start:stop], fillers):
            continue
        reason = _trim(text[start:stop])
        if reason:
            return reason
    return None
