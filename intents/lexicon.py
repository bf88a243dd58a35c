"""Fixed vocabularies: roles, shift types, leave types, day kinds.

Each entry maps a surface phrase (matched case-insensitively, token by token)
to the canonical slot value of the parse contract (docs/intents.md).
"""

from __future__ import annotations

ROLE = {
    "RN": [
        "nurse",
        "nurses",
        "rn",
        "rns",
        "r.n.",
        "r.n",
        "staff nurse",
        "staff nurses",
        "registered nurse",
        "registered nurses",
        "nursing staff",
        "trained nurse",
        "nurse's",
        "nurse cover",
        "qualified nurse",
        "qualified nurses",
    ],
    "SSW": [
        "senior",
        "seniors",
        "ssw",
        "ssws",
        "senior support worker",
        "senior support workers",
        "senior carer",
        "senior carers",
        "senior care assistant",
        "senior care assistants",
        "senior hca",
        "senior hcas",
        "senior care worker",
        "senior care workers",
        "snr",
        "snr support worker",
        "senior sw",
    ],
    "HCA": [
        "carer",
        "carers",
        "care assistant",
        "care assistants",
        "hca",
        "hcas",
        "healthcare assistant",
        "healthcare assistants",
        "health care assistant",
        "health care assistants",
        "health-care assistant",
        "care worker",
        "care workers",
        "support worker",
        "support workers",
        "care staff",
        "carer's",
        "hca's",
    ],
}

SHIFT = {
    "early": [
        "early",
        "earlies",
        "earlys",
        "early shift",
        "early shifts",
        "am shift",
        "am shifts",
        "morning shift",
        "morning shifts",
        "mornings",
        "earley",
        "erly",
    ],
    "late": [
        "late",
        "lates",
        "late shift",
        "late shifts",
        "pm shift",
        "pm shifts",
        "back shift",
        "backshift",
        "evening shift",
        "evening shifts",
        "lates shift",
        "lte",
    ],
    "night": [
        "night",
        "nights",
        "nightshift",
        "nightshifts",
        "night shift",
        "night shifts",
        "tonight",
        "tonite",
        "tonights",
        "2nite",
        "2night",
        "overnight",
        "overnights",
        "nite",
        "nites",
        "night duty",
        "nights shift",
        "nyt",
        "nyts",
        "nightduty",
        "nightz",
    ],
    "long_day": [
        "long day",
        "long days",
        "long-day",
        "long-days",
        "ld",
        "lds",
        "long shift",
        "long shifts",
        "longday",
        "longdays",
        "long dayz",
    ],
}

LEAVE_TYPE = {
    "annual": [
        "annual leave",
        "annual",
        "holiday",
        "holidays",
        "hols",
        "hol",
        "hoilday",
        "holliday",
        "holidy",
        "hoilday",
        "a/l",
        "al",
        "vacation",
        "annual lv",
    ],
    "personal": ["personal", "personal leave", "personal day", "personal days"],
    "training": [
        "training leave",
        "study leave",
        "study day",
        "study days",
        "training day",
        "training days",
        "training",
    ],
    "unpaid": ["unpaid", "unpaid leave", "unpaid day", "unpaid days"],
    "compassionate": [
        "compassionate",
        "compassionate leave",
        "bereavement",
        "bereavement leave",
    ],
}

DAY_KIND = {
    "weekday": [
        "weekday",
        "weekdays",
        "week day",
        "week days",
        "week-days",
        "midweek",
        "mid week",
        "mon-fri",
        "monday to friday",
        "mondays to fridays",
        "weekday shifts",
    ],
    "weekend": [
        "weekend",
        "weekends",
        "wkend",
        "wkends",
        "wknd",
        "wknds",
        "week-end",
        "week-ends",
        "saturdays and sundays",
        "sat and sun",
        "sats and suns",
        "weekend shifts",
    ],
}

LEXICONS = {"ROLE": ROLE, "SHIFT": SHIFT, "LEAVE": LEAVE_TYPE, "DAYKIND": DAY_KIND}

#: Words in home names too generic to stand for a home on their own.
GENERIC_HOME_WORDS = {
    "the",
    "of",
    "and",
    "st",
    "st.",
    "saint",
    "house",
    "court",
    "grove",
    "gardens",
    "garden",
    "lodge",
    "park",
    "view",
    "manor",
    "hall",
    "place",
    "home",
    "care",
    "centre",
    "center",
    "road",
    "street",
    "nursing",
    "residential",
    "villa",
    "villas",
    "cottage",
    "mews",
    "green",
    "close",
    "heights",
    "rise",
    "way",
    "farm",
    "mill",
    "towers",
    "hill",
    "fields",
}

#: Abbreviations of generic home words ("Riverside Ct").
HOME_WORD_VARIANTS = {
    "court": ["court", "ct", "crt"],
    "gardens": ["gardens", "gdns", "gardns", "garden", "gdn", "gardes"],
    "house": ["house", "hse", "hous", "huose"],
    "grove": ["grove", "grv", "grov"],
    "road": ["road", "rd"],
    "street": ["street", "st"],
    "lodge": ["lodge", "ldg"],
}

#: Common English words that may also be people's names; such a name only
#: counts when written with a capital inside a sentence ("grant leave 12" is
#: a verb, "approve Grant's leave" a name). Extended at run time with the
#: vocabulary of the training corpus.
COMMON_WORDS = {
    "will",
    "mark",
    "grant",
    "may",
    "june",
    "april",
    "rose",
    "grace",
    "hope",
    "faith",
    "joy",
    "bill",
    "art",
    "sue",
    "pat",
    "bob",
    "jack",
    "frank",
    "dawn",
    "summer",
    "autumn",
    "ray",
    "young",
    "brown",
    "white",
    "black",
    "green",
    "wood",
    "hall",
    "bell",
    "hill",
    "king",
    "long",
    "short",
    "day",
    "early",
    "late",
    "knight",
    "nurse",
    "carer",
    "page",
    "cook",
    "baker",
    "hunter",
    "rich",
    "free",
    "love",
    "honey",
    "sunny",
    "holly",
    "ivy",
    "iris",
    "rob",
    "don",
    "ken",
    "sky",
    "star",
    "fox",
    "lane",
    "field",
    "fields",
    "stone",
    "marsh",
    "moss",
    "wells",
    "banks",
    "law",
    "best",
    "sharp",
    "sweet",
    "strong",
    "gold",
    "price",
    "cross",
    "park",
    "ward",
    "shepherd",
    "mason",
    "miller",
    "major",
    "lord",
    "rota",
    "home",
    "help",
    "info",
    "stop",
    "start",
    "cover",
    "shift",
    "leave",
    "burn",
    "glen",
    "dean",
    "bishop",
    "chance",
    "chase",
    "case",
    "penny",
    "sterling",
    "august",
    "carol",
    "pearl",
    "ruby",
    "amber",
    "crystal",
    "grove",
    "orchard",
    "house",
    "court",
    "gardens",
    "meadow",
    "river",
    "cannon",
    "brook",
    "brooks",
    "booth",
    "walker",
    "fisher",
    "archer",
    "gardener",
}

#: Synonym classes for the classifier. Each is a regular expression over the
#: normalised token string (spaCy splits "who's" into "who 's", "can't" into
#: "ca n't"); a hit adds a ``<kw:class>`` token, so a synonym the corpus never
#: used ("anticipate", "halt") still lands on a feature the model has learned.
KEYWORD_CLASSES = {
    "optout": r"\bopt(?:ing|ed)? (?:me )?out\b|\boptout\b|\bunsub(?:scribe)?\b|\bremove me\b|"
    r"\btake me off\b|\bleave me off\b|\bcount me out\b|\bno more (?:overtime|ot|"
    r"extra|shift|offers|texts|messages)\b|\bstop (?:sending|texting|messaging|offering|"
    r"contacting|asking)\b|\bdo n't (?:send|text|message|contact|ask)\b|\bno longer "
    r"(?:want|interested|available)\b|\bturn (?:off|it off)\b|\bswitch off\b|"
    r"\bnot wanting\b|\bleav\w* the (?:overtime|ot|bank|extra shifts?) list\b|"
    r"\bcom(?:e|ing) off the (?:overtime|ot|bank) list\b",
    "optin": r"\bopt(?:ing|ed)? (?:me )?(?:back )?in\b|\boptin\b|\bsign me up\b|\badd me\b|"
    r"\bput me (?:back )?on\b|\b(?:more|extra) (?:hours|shifts|work)\b|\bback on\b|"
    r"\bturn (?:it |them )?back on\b|\bresume\b|\bstart (?:sending|texting)\b|"
    r"\bkeen\b|\binterested in\b|\bre-?subscribe\b",
    "cancel": r"\bcancel(?:led|ling)?\b|\bwithdraw(?:n)?\b|\bcall (?:it )?off\b|\bscrap\b|"
    r"\babort\b|\bhalt\b|\brevoke\b|\bpull (?:the|it)\b|\bno longer need(?:ed)?\b|"
    r"\bdo n't need (?:cover|it|anyone)\b|\bnot needed\b|\bstop (?:the )?outreach\b",
    "status": r"\bstatus\b|\bfilled\b|\btakers?\b|\bpicked up\b|\btaken\b|\baccepted\b|"
    r"\bresponses?\b|\brepl(?:y|ies|ied)\b|\bprogress\b|\bany (?:joy|luck)\b|"
    r"\bany news (?:on|with|for) (?:ot|the (?:overtime|outreach|shift|<shift>))\b|"
    r"\b(?:ot|overtime|outreach|cover) (?:request )?(?:update|progress|news)\b|"
    r"\bupdate on\b|\bhow 's the (?:outreach|overtime|ot)\b|\bhow is the "
    r"(?:outreach|overtime|ot)\b|\bcovered yet\b|\bsorted\b",
    "forecast": r"\bforecast\w*\b|\bpredict\w*\b|\bproject(?:ed|ion|ions)\b|\bexpect(?:ed)?\b|"
    r"\banticipat\w+\b|\bdemand\b|\boutlook\b|\bmodel\b|\bestimat\w+\b|"
    r"\bhow busy\b|\bworkload\b",
    "gaps": r"\bgaps?\b|\bshort\b|\bshortages?\b|\bshortfalls?\b|\buncovered\b|\bunfilled\b|"
    r"\bnot covered\b|\bmissing\b|\bholes?\b|\bunderstaffed\b|\bunder-?staffed\b|"
    r"\bvacan\w+\b|\bopen shifts?\b|\bneed(?:s)? cover(?:ing)?\b|\bempty\b|"
    r"\bbelow (?:minimum|safe)\b|\benough staff\b",
    "onshift": r"\bwho (?:'s|is|are) (?:on|in|working)\b|\bon duty\b|\bon shift\b|"
    r"\brostered\b|\bin charge\b|\bwho have we got\b|\bworking (?:at|today|now)\b",
    "training": r"\btraining\b|\bcert(?:ificate)?s?\b|\bcourses?\b|\bqualifications?\b|"
    r"\brefresher\w*\b|\bmandatory\b|\bexpir\w+\b|\blaps\w+\b|\brenew\w*\b|"
    r"\bout of date\b|\boverdue\b|\bmoving and handling\b|\bmanual handling\b|"
    r"\bfirst aid\b|\bsafeguarding\b|\bfire (?:safety|training)\b|"
    r"\binfection control\b|\bcompliance\b|\bretake\b|\bredo\b",
    "fair": r"\bfair\w*\b|\bbalance (?:report|breakdown|summary)\b|\btoo much (?:overtime|ot)\b|"
    r"\ball the (?:overtime|ot|extra)\b|\bmore than (?:their|his|her) share\b|"
    r"\bunfair\w*\b|"
    r"\bspread\b|\bdistribut\w+\b|\bevenly\b|\bequally\b|\bshared\b|"
    r"\ballocat\w+\b|\bthe most (?:overtime|ot|extra)\b|\bthe least\b|\bleague\b|"
    r"\bequit\w+\b|\bhogging\b|\bbalance across\b",
    "profile": r"\bgood at (?:covering|overtime|picking)\b|\bhow good is\b|\bprofile\b|"
    r"\brecord\b|\bhistory\b|\bstats\b|\bacceptance rate\b|"
    r"\breliab\w+\b|\bhow often\b|\bresponse rate\b|\btrack record\b",
    "generate": r"\bgenerat\w+\b|\bcreate\b|\bbuild\b|\bdraft\b|\boptimi[sz]\w+\b|\bplan\b|"
    r"\bproduce\b|\bauto\w*\b|\bsolver\b|\bput together\b|\bwork out\b|"
    r"\bsort (?:out )?the rota\b",
    "rota": r"\brotas?\b|\bschedules?\b|\brosters?\b|\bshift pattern\b",
    "pending": r"\brequests\b|\bapplications\b|\bpending\b|\bopen (?:leave|holiday|hol)\w*\b|"
    r"\boutstanding\b|\bawaiting\b|\bwaiting\b|\bto (?:approve|sign "
    r"off|review|look at)\b|\bqueue\b|\binbox\b|\bneed(?:s|ing)? (?:approv\w+|"
    r"sign(?:ing)? off|a decision)\b|\bunapproved\b|\bfor approval\b",
    "balance": r"\bbalance\b|\bleft\b|\bremaining\b|\bentitle\w*\b|\ballowance\b|\bowed\b|"
    r"\bunused\b|\bhow (?:much|many) (?:leave|holiday|days|hours|al)\b",
    "sick": r"\bsick\w*\b|\b(?:'m|im|am|feel|feeling|very|so|too|been|really|was|is|are|quite|"
    r"bit|still|off|and) ill\b|\bunwell\b|\bpoorly\b|\bcovid\b|\bflu\b|\bvomit\w*\b|"
    r"\bd&v\b|\bmigraine\b|\bnot well\b|\bno (?:well|weel)\b|\bcalling in\b|\bfever\b|"
    r"\binfection\b|\bbug\b|\btemperature\b|\bsigned off\b|\bhospital\b|\brough\b|"
    r"\bunder the weather\b|\bthrown up\b|\babsent\b|^ill\b",
    "absent": r"\b(?:ca n't|cannot|can not|cannae|wo n't|will not|not|unable to|not able to|"
    r"not gon na|not going to) (?:come in|be in|make it in|make (?:my|the|it to) "
    r"(?:shift|<shift>)|work|do my (?:shift|<shift>)|be at work|coming in)\b",
    "help": r"\bhelp\b|\bcommands?\b|\boptions\b|\bmenu\b|\binstructions?\b|\bhow (?:does|do "
    r"i use) (?:this|it|the bot|staffbot)\b|\bwhat can (?:you|u|i)\b|\bguide\b|"
    r"\btutorial\b|\busage\b",
    "leave": r"\bleave\b|\bholidays?\b|\bhols?\b|\bdays? off\b|\btime off\b|\bal\b|"
    r"\bannual\b|\bvacation\b",
    "mine": r"\bmy (?:shifts?|rota|schedule|hours|next)\b|\bam i (?:on|in|working|off|"
    r"rota)\b|\bdo i (?:work|start|finish)\b|\bwhen am i\b",
    "request": r"\bfind\b|\bget (?:cover|someone|me)\b|\bsend (?:out|it|the)\b|\bput out\b|"
    r"\boutreach\b|\bneed (?:a|an|cover|someone|<num>)\b|\bcover needed\b|"
    r"\barrange\b|\bsource\b|\badvertise\b|\boffer (?:it|the)\b",
    "rank": r"\brank\w*\b|\bshortlist\b|\bcandidates\b|\beligible\b|\btop of the list\b|"
    r"\bwho would (?:you|get|be)\b|\bwho 'd\b|\bdry run\b|\bpreview\b|"
    r"\bwithout (?:contacting|sending|texting)\b|\bfirst in line\b|\bbest placed\b|"
    r"\bwho (?:should|will|do|can|could|would|shall) (?:i|we|you) (?:ask|contact|"
    r"approach|text|message|try|offer)\b|\bmost suitable\b|\bbest (?:person|people|"
    r"candidate|option)s?\b|\bwho (?:is|'s) (?:top|best|next)\b|\bwho 's up first\b",
    "approve": r"\bapprov\w+\b|\bgrant\w*\b|\bauthori[sz]\w+\b|\bsign off\b|\bgo ahead\b",
    "deny": r"\bden(?:y|ied)\b|\brefus\w+\b|\breject\w*\b|\bturn down\b",
    "yes": r"^(?:<\w+> )?(?:yes|yeah|yep|yup|aye|yh|y|sure|okay|ok)\b|\bcount me in\b|"
    r"\bi 'll (?:do|take|cover)\b|\bi can (?:do|cover)\b|\bput me down\b",
    "no": r"^(?:no|nah|nope|n|naw)\b|\bca n't\b|\bcannot\b|\bcannae\b|\bnot this time\b|"
    r"\bpass\b|\bdecline\w*\b|\bunavailable\b|\bnot available\b",
}
