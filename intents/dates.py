"""UK date expressions -> date ranges, relative to an injected ``today``.

Rules (the parse contract's "Date rules", docs/intents.md):

* numeric dates are day first (``15/01`` is 15 January);
* a date without a year is the next such date on or after today;
* a bare or "next" weekday is the first such day strictly after today;
  "Friday week" is seven days after that;
* "this weekend" is the coming Saturday and Sunday, "next week" is Monday to
  Sunday of the following week, "this week" is today to Sunday;
* "tonight" is today, "tomorrow night" is tomorrow;
* "the next N days" runs from today to today + N - 1, "N weeks starting X"
  from X to X + 7N - 1, "this month" from today to the month's last day;
* a month name on its own is the whole month.

The module is pure: :func:`find_dates` returns every expression it found with
its character span, and :func:`date_range` folds them into one range.
dateparser was tried and left out: it is slow (tens of milliseconds), reads
"5th" relative to the current month in the past, and knows nothing of
"Friday week"; a few dozen explicit rules are both faster and exact.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from intents.text import lower_same_length

__all__ = ["DateExpr", "date_range", "find_dates", "parse_date_range"]


@dataclass(frozen=True)
class DateExpr:
    """One date expression found in a text."""

    start: date
    end: date
    begin: int  # character offsets in the text
    stop: int
    kind: str = "date"  # date | weekday | ordinal | daymonth | month | next_n | in_n
    days: int | None = None  # length of a "next N days" window
    explicit_year: bool = False
    core: int = -1  # where the date itself starts, when a prefix ("2 weeks starting") was added

    @property
    def core_begin(self) -> int:
        return self.core if self.core >= 0 else self.begin


# --------------------------------------------------------------------------- lexicon

_WEEKDAY_WORDS: dict[str, int | None] = {
    "monday": 0,
    "mon": 0,
    "mondays": None,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "tuesdy": 1,
    "teusday": 1,
    "wednesday": 2,
    "wed": 2,
    "weds": 2,
    "wednesdy": 2,
    "wensday": 2,
    "wenesday": 2,
    "wedensday": 2,
    "wednsday": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursdy": 3,
    "thurday": 3,
    "thurdsay": 3,
    "friday": 4,
    "fri": 4,
    "fridy": 4,
    "firday": 4,
    "frday": 4,
    "saturday": 5,
    "sat": 5,
    "saturdy": 5,
    "satruday": 5,
    "saterday": 5,
    "sunday": 6,
    "sun": 6,
    "sundy": 6,
    "sundya": 6,
}
_WEEKDAYS: dict[str, int] = {k: v for k, v in _WEEKDAY_WORDS.items() if v is not None}
# Short forms that are also ordinary words need context to count as weekdays.
_RISKY_WEEKDAYS = {"sat", "sun", "wed", "mon"}

_MONTHS = {
    "january": 1,
    "jan": 1,
    "janurary": 1,
    "janaury": 1,
    "february": 2,
    "feb": 2,
    "febuary": 2,
    "feburary": 2,
    "febru": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Month words safe on their own ("may", "mar", "jun" ... are ordinary words).
_STANDALONE_MONTHS = {
    "january",
    "february",
    "febuary",
    "feburary",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
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
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "a couple of": 2,
    "couple of": 2,
    "a couple": 2,
    "couple": 2,
    "a few": 3,
    "few": 3,
}

_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty first": 21,
    "twenty-first": 21,
    "twenty second": 22,
    "twenty-second": 22,
    "twenty third": 23,
    "twenty-third": 23,
    "twenty fourth": 24,
    "twenty-fourth": 24,
    "twenty fifth": 25,
    "twenty-fifth": 25,
    "twenty sixth": 26,
    "twenty-sixth": 26,
    "twenty seventh": 27,
    "twenty-seventh": 27,
    "twenty eighth": 28,
    "twenty-eighth": 28,
    "twenty ninth": 29,
    "twenty-ninth": 29,
    "thirtieth": 30,
    "thirty first": 31,
    "thirty-first": 31,
}


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_WD = _alt(_WEEKDAYS)
_MON = _alt(_MONTHS)
_NUMW = r"\d{1,3}|" + _alt(_NUMBER_WORDS)
_ORDW = _alt(_ORDINAL_WORDS)
_DAYNUM = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_ORD = r"(?:[0-3]?\d)(?:st|nd|rd|th)"
_YEAR = r"(?:,?\s*(?P<y>20\d\d))?"
_TO = r"(?:-|to|till|til|until|through|thru|and|&)"

_TOMORROW = (
    r"tomorrow|tomorow|tommorow|tommorrow|tomorro|tomoro|tomorrw|tmrw|tmrow|tmorrow|tmw|"
    r"tmr|tmoz|tomoz|2moro|2morrow|2mrw|2mro|the\s+morra|the\s+morn(?!ing)"
)
_TODAY = (
    r"today|tday|2day|todays|tonight|tonite|tonght|2nite|2night|this\s+morning|"
    r"this\s+afternoon|this\s+evening|this\s+eve"
)
_WEEKEND = r"(?:weekend|wkend|wknd|week-end|w/e|w/end)"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# ----------------------------------------------------------------- date arithmetic


def _next_weekday(today: date, wd: int, strictly_after: bool = True) -> date:
    delta = (wd - today.weekday()) % 7
    if delta == 0 and strictly_after:
        delta = 7
    return today + timedelta(days=delta)


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _next_day_month(today: date, day: int, month: int) -> date | None:
    """The next ``day``/``month`` on or after today (skipping 29 Feb in other years)."""
    for y in range(today.year, today.year + 9):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if d >= today:
            return d
    return None


def _next_day_of_month(today: date, day: int) -> date | None:
    """The next date with day-of-month ``day`` on or after today."""
    y, m = today.year, today.month
    for _ in range(13):
        try:
            d = date(y, m, day)
        except ValueError:
            d = None
        if d is not None and d >= today:
            return d
        y, m = _add_months(y, m, 1)
    return None


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    y = int(raw)
    return 2000 + y if y < 100 else y


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _count(raw: str) -> int | None:
    raw = re.sub(r"\s+", " ", raw.strip())
    if raw.isdigit():
        return int(raw)
    return _NUMBER_WORDS.get(raw)


def _unit_days(unit: str) -> int:
    unit = unit.rstrip("s")
    return {"day": 1, "night": 1, "shift": 1, "week": 7, "wk": 7, "fortnight": 14}.get(unit, 1)


# --------------------------------------------------------------------------- atoms

_SEP = r"(?<![\w/.])"  # left edge: not inside a word, number or date
_END = r"(?![\w/])"

_P_NUMERIC = _c(_SEP + r"(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:/(?P<y>\d{4}|\d{2}))?" + _END)
_P_NUMERIC_Y = _c(_SEP + r"(?P<d>[0-3]?\d)[.-](?P<m>[01]?\d)[.-](?P<y>\d{4}|\d{2})" + _END)
_P_ISO = _c(_SEP + r"(?P<y>20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)" + _END)

_P_RANGE_DM = _c(
    r"\b(?:the\s+)?(?P<d1>"
    + _DAYNUM
    + r")\s*"
    + _TO
    + r"\s*(?:the\s+)?(?P<d2>"
    + _DAYNUM
    + r")(?:\s+of)?\s+(?P<mon>"
    + _MON
    + r")\.?\b"
    + _YEAR
)
_P_RANGE_MD = _c(
    r"\b(?P<mon>"
    + _MON
    + r")\.?\s+(?:the\s+)?(?P<d1>"
    + _DAYNUM
    + r")\s*"
    + _TO
    + r"\s*(?:the\s+)?(?P<d2>"
    + _DAYNUM
    + r")\b"
    + _YEAR
)
_P_DM = _c(
    r"\b(?:the\s+)?(?P<d>"
    + _DAYNUM
    + r"|"
    + _ORDW
    + r")(?:\s+of)?\s+(?P<mon>"
    + _MON
    + r")\.?\b"
    + _YEAR
)
_P_MD = _c(r"\b(?P<mon>" + _MON + r")\.?\s+(?:the\s+)?(?P<d>" + _DAYNUM + r")\b" + _YEAR)
_P_ORD = _c(
    r"\b(?:the\s+)?(?P<d>" + _ORD + r")\b"
    r"(?!\s*(?:floor|time|person|people|attempt|call|year|birthday|anniversary|place|"
    r"in line|choice|shift in|week of)\b)"
)
_P_ON_THE = _c(
    r"\b(?:on|for|from|until|till|til)\s+the\s+(?P<d>[0-3]?\d)\b"
    r"(?!\s*(?:st|nd|rd|th|people|staff|carers|nurses|%|:|\.\d|am|pm|h|hrs|hours|days|"
    r"weeks|of us|of them)\b)(?![:.]\d)"
)

_P_WD_WEEK = _c(r"\b(?P<wd>" + _WD + r")\s+week\b(?!\s*(?:commencing|beginning|starting))")
_P_A_WEEK_ON = _c(r"\ba\s+week\s+on\s+(?P<wd>" + _WD + r")\b")
_P_WD_NEXT_WEEK = _c(r"\b(?P<wd>" + _WD + r")\s+(?:of\s+)?next\s+(?:week|wk)\b")
_P_WD_THIS_WEEK = _c(r"\b(?P<wd>" + _WD + r")\s+(?:of\s+)?this\s+(?:week|wk)\b")
_P_WD_AFTER_NEXT = _c(r"\b(?:the\s+)?(?P<wd>" + _WD + r")\s+after\s+next\b")
_P_NEXT_WD = _c(r"\b(?:next|nxt|coming|on)\s+(?P<wd>" + _WD + r")\b")
_P_THIS_WD = _c(r"\bthis\s+(?:coming\s+)?(?P<wd>" + _WD + r")\b")
_P_LAST_WD = _c(r"\blast\s+(?P<wd>" + _WD + r")\b")
_P_WD = _c(r"\b(?P<wd>" + _WD + r")\b")

_P_DAY_AFTER_TOMORROW = _c(r"\b(?:the\s+)?day\s+after\s+(?:" + _TOMORROW + r")\b")
_P_TOMORROW = _c(r"\b(?:" + _TOMORROW + r")\b")
_P_TODAY = _c(r"\b(?:" + _TODAY + r")\b")
_P_YESTERDAY = _c(r"\b(?:yesterday|yday|last\s+night)\b")
# Scots "the day" is today ("I cannae come in the day"); only after a verb of
# working, never "the day after/before/off/shift".
_P_SCOTS_TODAY = _c(
    r"\b(?:in|work|working|off|sick|on|it|shift)\s+(?P<d>the\s+day)\b"
    r"(?!\s*(?:after|before|of|off|shift|i|we|you|that|when|'s))"
)

_P_THIS_WEEKEND = _c(
    r"\b(?:this\s+(?:coming\s+)?|the\s+(?:coming\s+)?)" + _WEEKEND + r"(?!s)\b"
    r"(?!\s+after\s+next)"
)
_P_NEXT_WEEKEND = _c(r"\b(?:next|nxt)\s+" + _WEEKEND + r"(?!s)\b")
_P_WEEKEND_AFTER_NEXT = _c(r"\b(?:the\s+)?" + _WEEKEND + r"\s+after\s+next\b")

_P_THIS_WEEK = _c(r"\b(?:this|dis)\s+(?:week|wk)\b")
_P_REST_OF_WEEK = _c(r"\b(?:the\s+)?rest\s+of\s+(?:the|this)\s+(?:week|wk)\b")
_P_NEXT_WEEK = _c(r"\b(?:next|nxt|nex)\s+(?:week|wk)\b(?!\s*(?:commencing|beginning))")
_P_WEEK_AFTER_NEXT = _c(r"\b(?:the\s+)?(?:week|wk)\s+after\s+next\b")
_P_LAST_WEEK = _c(r"\blast\s+(?:week|wk)\b")
_P_COMING_WEEK = _c(r"\b(?:the|over\s+the)\s+(?:coming|next)\s+(?:week|wk)\b(?!'s)")
_P_COMING_MONTH = _c(r"\b(?:in|within|over|during)\s+the\s+(?:coming|next)\s+month\b(?!'s)")
_P_FORTNIGHT = _c(r"\b(?:the\s+)?(?:next|coming)\s+fortnight\b")

_P_THIS_MONTH = _c(r"\b(?:this|the\s+rest\s+of\s+the|rest\s+of\s+the|rest\s+of\s+this)\s+month\b")
_P_NEXT_MONTH = _c(r"\b(?:next|nxt)\s+month(?:'s)?\b")
_P_LAST_MONTH = _c(r"\blast\s+month\b")
_P_MONTH = _c(r"\b(?P<mon>" + _MON + r")\b(?:'s)?(?:\s+(?P<y>20\d\d))?")
_MONTH_CONTEXT = re.compile(
    r"(?:\b(?:in|for|of|during|until|till|til|through|from|to|the|early|late|mid|end|"
    r"start|whole|all)\s+|-\s*)$"
)

_P_NEXT_N = _c(
    r"\b(?:(?:for|in|over|within)\s+)?(?:the\s+)?(?:next|coming|following)\s+(?P<n>"
    + _NUMW
    + r")\s+(?P<unit>days?|weeks?|wks?|fortnights?|months?)\b"
)
_P_IN_N = _c(r"\bin\s+(?P<n>" + _NUMW + r")\s+(?P<unit>days?|weeks?|wks?)(?:'?\s*time)?\b")
_P_HOLIDAY = _c(
    r"\b(?P<h>christmas\s+eve|xmas\s+eve|christmas\s+day|xmas\s+day|christmas|xmas|"
    r"boxing\s+day|new\s+year'?s\s+day|ne'?erday|new\s+year'?s\s+eve|hogmanay)\b"
)

# A duration before a date: "2 weeks starting", "a week of leave starting".
_P_DURATION_BEFORE = _c(
    r"\b(?P<n>" + _NUMW + r")\s+(?P<unit>days?|nights?|weeks?|wks?|fortnights?)\b"
    r"(?:\s+(?:of\s+)?[a-z']+){0,3}?\s+(?:starting|beginning|commencing|from|begining)"
    r"(?:\s+on|\s+from)?\s*$"
)
_P_DURATION_AFTER = _c(
    r"^\s*,?\s*(?:for|4)\s+(?:the\s+)?(?P<n>" + _NUMW + r")\s+"
    r"(?P<unit>days?|nights?|weeks?|wks?|fortnights?)\b"
)
_P_WEEK_OF_BEFORE = _c(
    r"\b(?:w/c|wc|w\.c\.|week\s+(?:commencing|beginning|starting)|the\s+week\s+of|"
    r"week\s+of)\s*(?:on\s+)?$"
)
_P_UNTIL_BEFORE = _c(r"\b(?:until|till|til|untill|up\s+to|up\s+until|through\s+to)\s+$")
# "off sick, back on Monday": away from today until the day before.
_P_BACK_BEFORE = _c(
    r"\b(?:back|returning|return|due\s+back|back\s+in|back\s+at\s+work)"
    r"(?:\s+on|\s+for|\s+from)?\s+$"
)
_P_CONNECT = _c(
    r"^\s*(?:-|to|till|til|until|untill|through|thru|and|&|,|or|,\s*and|and\s+also)?\s*"
    r"(?:the\s+|on\s+)?$"
)


# --------------------------------------------------------------------------- finder


def _weekday_ok(low: str, m: re.Match[str], original: str) -> bool:
    word = m.group("wd")
    if word not in _RISKY_WEEKDAYS:
        return True
    s, e = m.span("wd")
    if original[s:e][:1].isupper():
        return True
    before = low[max(0, s - 12) : s]
    after = low[e : e + 12]
    if re.search(
        r"(?:\bon|\bthis|\bnext|\bfor|\bfrom|\bto|\btill|\buntil|\band|&|-|,)\s*$", before
    ):
        return True
    return bool(re.match(r"\s*(?:-|to\b|&|and\b|night|nite|early|late|\d)", after))


def _lead_int(raw: str) -> int:
    """The leading digits of "22nd" / "3rd" as an int (the patterns guarantee some)."""
    m = re.match(r"\d+", raw)
    return int(m.group(0)) if m else 0


class _Found:
    """The date expressions found so far; an earlier (more specific) pattern keeps its
    characters, so a later, vaguer one cannot claim them."""

    def __init__(self, text: str, today: date) -> None:
        self.text = text
        self.low = lower_same_length(text)
        self.today = today
        self.found: list[DateExpr] = []
        self.taken = [False] * (len(self.low) + 1)

    def add(
        self,
        s: int,
        e: int,
        start: date | None,
        end: date | None,
        kind: str = "date",
        days: int | None = None,
        explicit_year: bool = False,
    ) -> None:
        if start is None or end is None or any(self.taken[s:e]):
            return
        for i in range(s, e):
            self.taken[i] = True
        self.found.append(DateExpr(start, end, s, e, kind, days, explicit_year))

    def block(self, s: int, e: int) -> None:
        for i in range(s, e):
            self.taken[i] = True


def _look_back_windows(f: _Found) -> None:
    """ "last 90 days" is a window for a report, not a date: keep it out."""
    for m in re.finditer(
        r"\b(?:last|past|previous|prev)\s+(?:" + _NUMW + r")\s+(?:days?|weeks?|wks?|months?|"
        r"years?)\b",
        f.low,
    ):
        f.block(*m.span())


def _numeric_dates(f: _Found) -> None:
    """2026-01-15, 15.01.26, 15/01 (day first)."""
    for m in _P_ISO.finditer(f.low):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        f.add(*m.span(), d, d, "daymonth", explicit_year=True)
    for m in _P_NUMERIC_Y.finditer(f.low):
        y = _year(m["y"])
        d = _safe_date(y, int(m["m"]), int(m["d"])) if y else None
        f.add(*m.span(), d, d, "daymonth", explicit_year=True)
    for m in _P_NUMERIC.finditer(f.low):
        y = _year(m["y"])
        day, month = int(m["d"]), int(m["m"])
        if not 1 <= month <= 12:
            continue
        d = _safe_date(y, month, day) if y else _next_day_month(f.today, day, month)
        f.add(*m.span(), d, d, "daymonth", explicit_year=bool(y))


def _day_month_dates(f: _Found) -> None:
    """ "3rd-5th March", "March 3-5", "the 5th of February", "Feb 14th"."""
    low, today = f.low, f.today
    for m in _P_RANGE_DM.finditer(low):
        month, y = _MONTHS[m["mon"]], _year(m["y"])
        d1, d2 = _lead_int(m["d1"]), _lead_int(m["d2"])
        end = _safe_date(y, month, d2) if y else _next_day_month(today, d2, month)
        if end is None:
            continue
        if d1 <= d2:
            start = _safe_date(end.year, month, d1)
        else:  # "28th-3rd March": the start is in the month before
            py, pm = _add_months(end.year, month, -1)
            start = _safe_date(py, pm, d1)
        f.add(*m.span(), start, end, "daymonth", explicit_year=bool(y))
    for m in _P_RANGE_MD.finditer(low):
        month, y = _MONTHS[m["mon"]], _year(m["y"])
        if m["mon"] in ("may", "mar", "jun") and not re.search(r"\D$", m["d1"]):
            continue
        d1, d2 = _lead_int(m["d1"]), _lead_int(m["d2"])
        first = _safe_date(y, month, d1) if y else _next_day_month(today, d1, month)
        if first is None or d2 < d1:
            continue
        f.add(
            *m.span(), first, _safe_date(first.year, month, d2), "daymonth", explicit_year=bool(y)
        )
    for m in _P_DM.finditer(low):
        month, y = _MONTHS[m["mon"]], _year(m["y"])
        raw = m["d"]
        day = _ORDINAL_WORDS.get(raw) or _lead_int(raw)
        d = _safe_date(y, month, day) if y else _next_day_month(today, day, month)
        f.add(*m.span(), d, d, "daymonth", explicit_year=bool(y))
    for m in _P_MD.finditer(low):
        if m["mon"] in ("may", "mar", "jun", "sat", "sun") and not re.search(r"[a-z]$", m["d"]):
            continue
        if re.match(r"\s*(?:people|staff|carers|nurses|hcas|rns|of)\b", low[m.end() :]):
            continue
        month, y = _MONTHS[m["mon"]], _year(m["y"])
        day = _lead_int(m["d"])
        d = _safe_date(y, month, day) if y else _next_day_month(today, day, month)
        f.add(*m.span(), d, d, "daymonth", explicit_year=bool(y))


def _holidays(f: _Found) -> None:
    """Christmas (Eve), Boxing Day, New Year's Day (Eve), Hogmanay."""
    for m in _P_HOLIDAY.finditer(f.low):
        h = m["h"]
        if "eve" in h and ("christmas" in h or "xmas" in h):
            dm = (24, 12)
        elif "boxing" in h:
            dm = (26, 12)
        elif "new" in h and "eve" in h or "hogmanay" in h:
            dm = (31, 12)
        elif "new" in h or "erday" in h:
            dm = (1, 1)
        else:
            dm = (25, 12)
        d = _next_day_month(f.today, *dm)
        f.add(*m.span(), d, d)


def _windows(f: _Found) -> None:
    """ "the next 3 days" (from today), "in 2 weeks" (one day, that far ahead)."""
    today = f.today
    for m in _P_NEXT_N.finditer(f.low):
        n = _count(m["n"])
        if not n or n > 400:
            continue
        unit = m["unit"].rstrip("s")
        if unit == "month":
            y, mo = _add_months(today.year, today.month, n)
            end = (
                _safe_date(y, mo, min(today.day, calendar.monthrange(y, mo)[1])) or today
            ) - timedelta(days=1)
            days = 30 * n
        else:
            days = n * _unit_days(unit)
            end = today + timedelta(days=days - 1)
        f.add(*m.span(), today, end, "next_n", days=days)
    for m in _P_IN_N.finditer(f.low):
        n = _count(m["n"])
        if not n or n > 400:
            continue
        days = n * _unit_days(m["unit"])
        d = today + timedelta(days=days)
        f.add(*m.span(), d, d, "in_n", days=days)


def _relative_days(f: _Found) -> None:
    """today, tomorrow, the day after tomorrow, yesterday, Scots "the day"."""
    today = f.today
    for pat, delta in (
        (_P_DAY_AFTER_TOMORROW, 2),
        (_P_TOMORROW, 1),
        (_P_YESTERDAY, -1),
        (_P_TODAY, 0),
    ):
        for m in pat.finditer(f.low):
            d = today + timedelta(days=delta)
            f.add(*m.span(), d, d)
    for m in _P_SCOTS_TODAY.finditer(f.low):
        f.add(*m.span("d"), today, today)


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def _weekends(f: _Found) -> None:
    """this weekend (Saturday and Sunday; Sunday alone on a Sunday), next weekend, the
    weekend after next."""
    today = f.today
    sat = _next_weekday(today, 5, strictly_after=False)
    this_weekend = (today, today) if today.weekday() == 6 else (sat, sat + timedelta(days=1))
    next_monday = _next_monday(today)
    for m in _P_WEEKEND_AFTER_NEXT.finditer(f.low):
        s = next_monday + timedelta(days=12)
        f.add(*m.span(), s, s + timedelta(days=1))
    for m in _P_NEXT_WEEKEND.finditer(f.low):
        s = next_monday + timedelta(days=5)
        f.add(*m.span(), s, s + timedelta(days=1))
    for m in _P_THIS_WEEKEND.finditer(f.low):
        f.add(*m.span(), *this_weekend)


def _spans_from_today(f: _Found) -> None:
    """the rest of the week, the week after next, the coming week / month / fortnight."""
    today = f.today
    sunday = today + timedelta(days=6 - today.weekday())
    next_monday = _next_monday(today)
    for m in _P_REST_OF_WEEK.finditer(f.low):
        f.add(*m.span(), today, sunday)
    for m in _P_WEEK_AFTER_NEXT.finditer(f.low):
        f.add(*m.span(), next_monday + timedelta(days=7), next_monday + timedelta(days=13))
    for m in _P_COMING_WEEK.finditer(f.low):
        f.add(*m.span(), today, today + timedelta(days=6), "next_n", days=7)
    for m in _P_COMING_MONTH.finditer(f.low):
        f.add(*m.span(), today, today + timedelta(days=29), "next_n", days=30)
    for m in _P_FORTNIGHT.finditer(f.low):
        f.add(*m.span(), today, today + timedelta(days=13), "next_n", days=14)


def _weekdays(f: _Found) -> None:
    """ "Friday week", "Tuesday next week", "this Friday", "last Monday", "next Friday",
    a bare "Friday" (the first strictly after today)."""
    today = f.today
    next_monday = _next_monday(today)
    week_on = timedelta(days=7)
    rules: tuple[tuple[re.Pattern[str], Callable[[int], date], str], ...] = (
        (_P_WD_WEEK, lambda wd: _next_weekday(today, wd) + week_on, "date"),
        (_P_A_WEEK_ON, lambda wd: _next_weekday(today, wd) + week_on, "date"),
        (_P_WD_AFTER_NEXT, lambda wd: _next_weekday(today, wd) + week_on, "date"),
        (_P_WD_NEXT_WEEK, lambda wd: next_monday + timedelta(days=wd), "date"),
        (_P_WD_THIS_WEEK, lambda wd: _next_weekday(today, wd, strictly_after=False), "date"),
        (_P_THIS_WD, lambda wd: _next_weekday(today, wd, strictly_after=False), "weekday"),
        (_P_LAST_WD, lambda wd: _next_weekday(today, wd) - week_on, "date"),
        (_P_NEXT_WD, lambda wd: _next_weekday(today, wd), "weekday"),
    )
    for pat, fn, kind in rules:
        for m in pat.finditer(f.low):
            d = fn(_WEEKDAYS[m["wd"]])
            f.add(*m.span(), d, d, kind)
    for m in _P_WD.finditer(f.low):
        if not _weekday_ok(f.low, m, f.text):
            continue
        d = _next_weekday(today, _WEEKDAYS[m["wd"]])
        f.add(*m.span(), d, d, "weekday")


def _weeks(f: _Found) -> None:
    """this week (today to Sunday), next week and last week (Monday to Sunday)."""
    today = f.today
    sunday = today + timedelta(days=6 - today.weekday())
    next_monday = _next_monday(today)
    for m in _P_THIS_WEEK.finditer(f.low):
        f.add(*m.span(), today, sunday)
    for m in _P_NEXT_WEEK.finditer(f.low):
        f.add(*m.span(), next_monday, next_monday + timedelta(days=6))
    for m in _P_LAST_WEEK.finditer(f.low):
        f.add(*m.span(), next_monday - timedelta(days=14), next_monday - timedelta(days=8))


def _months(f: _Found) -> None:
    """this month (today to its end), next / last month, a named month (the whole month,
    this year's if not past)."""
    low, today = f.low, f.today
    for m in _P_THIS_MONTH.finditer(low):
        f.add(*m.span(), today, _month_end(today.year, today.month))
    for m in _P_NEXT_MONTH.finditer(low):
        y, mo = _add_months(today.year, today.month, 1)
        f.add(*m.span(), date(y, mo, 1), _month_end(y, mo), "month")
    for m in _P_LAST_MONTH.finditer(low):
        y, mo = _add_months(today.year, today.month, -1)
        f.add(*m.span(), date(y, mo, 1), _month_end(y, mo), "month")
    for m in _P_MONTH.finditer(low):
        word = m["mon"]
        if word not in _STANDALONE_MONTHS and not m["y"]:
            if not _MONTH_CONTEXT.search(low[max(0, m.start() - 12) : m.start()]) and not (
                re.match(
                    r"(?:'s)?\s+(?:rota|rotas|schedule|schedules|roster|shifts|forecast|"
                    r"leave|holidays?)\b",
                    low[m.end("mon") :],
                )
            ):
                continue
            if word == "may" and re.match(r"\s+(?:i|we|you|he|she|they|be|have)\b", low[m.end() :]):
                continue
        month = _MONTHS[word]
        if m["y"]:
            y = int(m["y"])
        elif month >= today.month:
            y = today.year
        else:
            y = today.year + 1
        f.add(
            *m.span(), date(y, month, 1), _month_end(y, month), "month", explicit_year=bool(m["y"])
        )


def _ordinals(f: _Found) -> None:
    """ "the 22nd", "on the 9": the next such day of a month, on or after today."""
    for pat in (_P_ORD, _P_ON_THE):
        for m in pat.finditer(f.low):
            day = _lead_int(m["d"])
            d = _next_day_of_month(f.today, day) if 1 <= day <= 31 else None
            f.add(*m.span(), d, d, "ordinal")


#: Finders by kind of expression, most specific first: an expression found earlier
#: keeps its characters (the order is part of the date rules).
_FINDERS: tuple[Callable[[_Found], None], ...] = (
    _look_back_windows,
    _numeric_dates,
    _day_month_dates,
    _holidays,
    _windows,
    _relative_days,
    _weekends,
    _spans_from_today,
    _weekdays,
    _weeks,
    _months,
    _ordinals,
)


def find_dates(text: str, today: date) -> list[DateExpr]:
    """Every date expression in ``text``, non-overlapping, in text order."""
    f = _Found(text, today)
    for finder in _FINDERS:
        finder(f)
    f.found.sort(key=lambda x: x.begin)
    return _combine(f.found, f.low, today)


def _roll_forward(first: DateExpr, second: DateExpr) -> DateExpr:
    """Move the end of a range past its start ("Mon-Fri" when Friday comes first)."""
    if second.end >= first.start:
        return second
    if second.kind == "weekday":
        d = second.start
        while d < first.start:
            d += timedelta(days=7)
        return replace(second, start=d, end=d)
    if second.kind == "ordinal":
        d = second.start
        for _ in range(12):
            if d >= first.start:
                break
            y, m = _add_months(d.year, d.month, 1)
            d = _safe_date(y, m, d.day) or d
        return replace(second, start=d, end=d)
    if second.kind == "daymonth" and not second.explicit_year:
        later = _safe_date(second.start.year + 1, second.start.month, second.start.day)
        if later:
            return replace(second, start=later, end=later)
    return second


def _combine(found: list[DateExpr], low: str, today: date) -> list[DateExpr]:
    # Ranges: "Monday to Friday", "15/01-19/01", "today and tomorrow".
    merged: list[DateExpr] = []
    for cur in found:
        if merged:
            prev = merged[-1]
            gap = low[prev.stop : cur.begin]
            if (
                _P_CONNECT.match(gap)
                and prev.kind not in ("next_n", "in_n")
                and cur.kind not in ("next_n", "in_n")
            ):
                # "Friday 16th" / "Fri 16/01": a weekday naming an explicit date.
                if (
                    prev.kind == "weekday"
                    and cur.kind in ("ordinal", "daymonth")
                    and (gap.strip() in ("", ",", "the"))
                ):
                    merged[-1] = replace(cur, begin=prev.begin)
                    continue
                if prev.kind == "ordinal" and cur.kind == "daymonth":
                    # "2nd, 3rd and 4th March": the bare ordinal takes the month after it.
                    y, mo = cur.start.year, cur.start.month
                    if prev.start.day > cur.start.day:
                        y, mo = _add_months(y, mo, -1)
                    d = _safe_date(y, mo, prev.start.day)
                    if d is not None:
                        prev = replace(prev, start=d, end=d, kind="daymonth")
                cur = _roll_forward(prev, cur)
                merged[-1] = DateExpr(
                    min(prev.start, cur.start),
                    max(prev.end, cur.end),
                    prev.begin,
                    cur.stop,
                    "range",
                    explicit_year=prev.explicit_year or cur.explicit_year,
                )
                continue
        merged.append(cur)

    out: list[DateExpr] = []
    for i, cur in enumerate(merged):
        before = low[max(0, cur.begin - 60) : cur.begin]
        after = low[cur.stop : cur.stop + 40]
        if cur.kind not in ("next_n", "in_n"):
            m = _P_DURATION_BEFORE.search(before) if cur.start == cur.end else None
            n = (_count(m["n"]) or 0) if m else 0
            if m and n > 0:
                span = n * _unit_days(m["unit"])
                cur = replace(
                    cur,
                    end=cur.start + timedelta(days=span - 1),
                    begin=cur.begin - (len(before) - m.start()),
                    core=cur.begin,
                )
            else:
                m2 = _P_WEEK_OF_BEFORE.search(before)
                if m2:
                    cur = replace(
                        cur,
                        end=cur.start + timedelta(days=6),
                        begin=cur.begin - (len(before) - m2.start()),
                        core=cur.begin,
                    )
                else:
                    m3 = _P_DURATION_AFTER.match(after)
                    n3 = (_count(m3["n"]) or 0) if m3 else 0
                    if m3 and n3 > 0:
                        span = n3 * _unit_days(m3["unit"])
                        cur = replace(
                            cur, end=cur.start + timedelta(days=span - 1), stop=cur.stop + m3.end()
                        )
                    elif _P_UNTIL_BEFORE.search(before) and i == 0 and cur.start >= today:
                        cur = replace(cur, start=today, kind="range")
                    elif _P_BACK_BEFORE.search(before) and i == 0 and cur.start > today:
                        cur = replace(
                            cur, start=today, end=cur.start - timedelta(days=1), kind="range"
                        )
        out.append(cur)
    return out


def date_range(exprs: list[DateExpr]) -> tuple[date, date] | None:
    """One range covering every date expression (most messages have one)."""
    if not exprs:
        return None
    return min(e.start for e in exprs), max(e.end for e in exprs)


def parse_date_range(text: str, today: date) -> tuple[date, date] | None:
    """Convenience: the range a text states, or None."""
    return date_range(find_dates(text, today))
