"""Fixed vocabularies: roles, shift types, leave types, day kinds.

Each entry maps a surface phrase (matched case-insensitively, token by token)
to the canonical slot value of ``shared/spec/INTENTS.md``.
"""

from __future__ import annotations

ROLE = {
    "RN": [
        "nurse", "nurses", "rn", "rns", "r.n.", "r.n", "staff nurse", "staff nurses",
        "registered nurse", "registered nurses", "nursing staff", "trained nurse", "nurse's",
        "nurse cover", "qualified nurse", "qualified nurses",
    ],
    "SSW": [
        "senior", "seniors", "ssw", "ssws", "senior support worker", "senior support workers",
        "senior carer", "senior carers", "senior care assistant", "senior care assistants",
        "senior hca", "senior hcas", "senior care worker", "senior care workers",
        "snr", "snr support worker", "senior sw",
    ],
    "HCA": [
        "carer", "carers", "care assistant", "care assistants", "hca", "hcas",
        "healthcare assistant", "healthcare assistants", "health care assistant",
        "health care assistants", "health-care assistant", "care worker", "care workers",
        "support worker", "support workers", "care staff", "carer's", "hca's",
    ],
}

SHIFT = {
    "early": [
        "early", "earlies", "earlys", "early shift", "early shifts", "am shift", "am shifts",
        "morning shift", "morning shifts", "mornings", "earley", "erly",
    ],
    "late": [
        "late", "lates", "late shift", "late shifts", "pm shift", "pm shifts", "back shift",
        "backshift", "evening shift", "evening shifts", "lates shift", "lte",
    ],
    "night": [
        "night", "nights", "nightshift", "nightshifts", "night shift", "night shifts",
        "tonight", "tonite", "tonights", "2nite", "2night", "overnight", "overnights", "nite",
        "nites", "night duty", "nights shift", "nyt", "nyts", "nightduty", "nightz",
    ],
    "long_day": [
        "long day", "long days", "long-day", "long-days", "ld", "lds", "long shift",
        "long shifts", "longday", "longdays", "long dayz",
    ],
}

LEAVE_TYPE = {
    "annual": [
        "annual leave", "annual", "holiday", "holidays", "hols", "hol", "hoilday", "holliday",
        "holidy", "hoilday", "a/l", "al", "vacation", "annual lv",
    ],
    "personal": ["personal", "personal leave", "personal day", "personal days"],
    "training": [
        "training leave", "study leave", "study day", "study days", "training day",
        "training days", "training",
    ],
    "unpaid": ["unpaid", "unpaid leave", "unpaid day", "unpaid days"],
    "compassionate": [
        "compassionate", "compassionate leave", "bereavement", "bereavement leave",
    ],
}

DAY_KIND = {
    "weekday": [
        "weekday", "weekdays", "week day", "week days", "week-days", "midweek", "mid week",
        "mon-fri", "monday to friday", "mondays to fridays", "weekday shifts",
    ],
    "weekend": [
        "weekend", "weekends", "wkend", "wkends", "wknd", "wknds", "week-end", "week-ends",
        "saturdays and sundays", "sat and sun", "sats and suns", "weekend shifts",
    ],
}

LEXICONS = {"ROLE": ROLE, "SHIFT": SHIFT, "LEAVE": LEAVE_TYPE, "DAYKIND": DAY_KIND}

#: Words in home names too generic to stand for a home on their own.
GENERIC_HOME_WORDS = {
    "the", "of", "and", "st", "st.", "saint", "house", "court", "grove", "gardens", "garden",
    "lodge", "park", "view", "manor", "hall", "place", "home", "care", "centre", "center",
    "road", "street", "nursing", "residential", "villa", "villas", "cottage", "mews", "green",
    "close", "heights", "rise", "way", "farm", "mill", "towers", "hill", "fields",
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
    "will", "mark", "grant", "may", "june", "april", "rose", "grace", "hope", "faith", "joy",
    "bill", "art", "sue", "pat", "bob", "jack", "frank", "dawn", "summer", "autumn", "ray",
    "young", "brown", "white", "black", "green", "wood", "hall", "bell", "hill", "king",
    "long", "short", "day", "early", "late", "knight", "nurse", "carer", "page", "cook",
    "baker", "hunter", "rich", "free", "love", "honey", "sunny", "holly", "ivy", "iris",
    "rob", "don", "ken", "sky", "star", "fox", "may", "lane", "field", "fields", "stone",
    "marsh", "moss", "wells", "banks", "law", "best", "sharp", "sweet", "strong", "gold",
    "price", "cross", "park", "ward", "shepherd", "mason", "miller", "major", "lord",
    "rota", "home", "help", "info", "stop", "start", "cover", "shift", "leave",
    "burn", "glen", "dean", "bishop", "chance", "chase", "case", "penny",
    "sterling", "august", "carol", "pearl", "ruby", "amber", "crystal",
    "grove", "orchard", "house", "court", "gardens", "meadow", "river", "cannon", "brook", "brooks", "booth", "walker", "fisher", "archer", "gardener",
}
