"""UK date rules (the parse contract's "Date rules", docs/intents.md), worked out by hand.

Most cases are relative to Wednesday 14 January 2026, the day the shared
examples use:

    January 2026            February 2026           March 2026
    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su
              1  2  3  4                       1                       1
     5  6  7  8  9 10 11     2  3  4  5  6  7  8     2  3  4  5  6  7  8
    12 13 14 15 16 17 18     9 10 11 12 13 14 15     9 10 11 12 13 14 15
    19 20 21 22 23 24 25    16 17 18 19 20 21 22    16 17 18 19 20 21 22
    26 27 28 29 30 31       23 24 25 26 27 28       23 24 25 26 27 28 29
                                                    30 31
"""

from __future__ import annotations

from datetime import date

import pytest

from intents.dates import find_dates, parse_date_range

WED = date(2026, 1, 14)


def rng(text: str, today: date = WED) -> tuple[str, str] | None:
    found = parse_date_range(text, today)
    return None if found is None else (found[0].isoformat(), found[1].isoformat())


def day(iso: str) -> tuple[str, str]:
    return iso, iso


@pytest.mark.parametrize(
    "text, expected",
    [
        # Numeric dates are day first; a date without a year is the next one on or after today.
        ("15/01", day("2026-01-15")),
        ("on 22/01", day("2026-01-22")),
        ("22/01/2026", day("2026-01-22")),
        ("22/01/26", day("2026-01-22")),
        ("05/03", day("2026-03-05")),
        ("3/2", day("2026-02-03")),
        ("14/01", day("2026-01-14")),
        ("13/01", day("2027-01-13")),
        ("22.01.2026", day("2026-01-22")),
        ("2026-02-03", day("2026-02-03")),
        # Ordinals and month names.
        ("the 22nd", day("2026-01-22")),
        ("the 14th", day("2026-01-14")),
        ("the 5th", day("2026-02-05")),
        ("on the 1st", day("2026-02-01")),
        ("22nd January", day("2026-01-22")),
        ("January 22nd", day("2026-01-22")),
        ("22 Jan", day("2026-01-22")),
        ("the 3rd of March", day("2026-03-03")),
        ("Feb 14th", day("2026-02-14")),
        ("5th Jan", day("2027-01-05")),
        ("first of April", day("2026-04-01")),
        ("Friday 16th", day("2026-01-16")),
        ("Fri 23rd Jan", day("2026-01-23")),
        # Ranges.
        ("3rd-5th March", ("2026-03-03", "2026-03-05")),
        ("9th-13th February", ("2026-02-09", "2026-02-13")),
        ("27th and 28th", ("2026-01-27", "2026-01-28")),
        ("the 27th & 28th", ("2026-01-27", "2026-01-28")),
        ("the 2nd, 3rd and 4th March", ("2026-03-02", "2026-03-04")),
        ("from the 9th to the 13th of February", ("2026-02-09", "2026-02-13")),
        ("between the 10th and 12th of Feb", ("2026-02-10", "2026-02-12")),
        ("15/01-19/01", ("2026-01-15", "2026-01-19")),
        ("Monday to Friday", ("2026-01-19", "2026-01-23")),
        ("Mon-Fri", ("2026-01-19", "2026-01-23")),
        ("Friday to Monday", ("2026-01-16", "2026-01-19")),
        ("today and tomorrow", ("2026-01-14", "2026-01-15")),
        ("Saturday and Sunday", ("2026-01-17", "2026-01-18")),
        ("28th Dec - 3rd Jan", ("2026-12-28", "2027-01-03")),
        # Weekdays: the first such day strictly after today; "Friday week" a week later.
        ("Friday", day("2026-01-16")),
        ("next Friday", day("2026-01-16")),
        ("on Thursday", day("2026-01-15")),
        ("Wednesday", day("2026-01-21")),
        ("next wednesday", day("2026-01-21")),
        ("Friday week", day("2026-01-23")),
        ("a week on Friday", day("2026-01-23")),
        ("Friday next week", day("2026-01-23")),
        ("Monday week", day("2026-01-26")),
        ("on Sat", day("2026-01-17")),
        ("sun and mon", ("2026-01-18", "2026-01-19")),
        # Weekends and weeks.
        ("this weekend", ("2026-01-17", "2026-01-18")),
        ("at the weekend", ("2026-01-17", "2026-01-18")),
        ("over the weekend", ("2026-01-17", "2026-01-18")),
        ("next weekend", ("2026-01-24", "2026-01-25")),
        ("next week", ("2026-01-19", "2026-01-25")),
        ("nxt wk", ("2026-01-19", "2026-01-25")),
        ("this week", ("2026-01-14", "2026-01-18")),
        ("the rest of the week", ("2026-01-14", "2026-01-18")),
        ("the week after next", ("2026-01-26", "2026-02-01")),
        ("w/c 19th Jan", ("2026-01-19", "2026-01-25")),
        ("week commencing 26/01", ("2026-01-26", "2026-02-01")),
        # Relative days.
        ("today", day("2026-01-14")),
        ("tonight", day("2026-01-14")),
        ("tonight's night shift", day("2026-01-14")),
        ("this morning", day("2026-01-14")),
        ("tomorrow", day("2026-01-15")),
        ("tomorrow night", day("2026-01-15")),
        ("tmrw", day("2026-01-15")),
        ("the morra", day("2026-01-15")),
        ("the day after tomorrow", day("2026-01-16")),
        ("yesterday", day("2026-01-13")),
        # Spans.
        ("the next 7 days", ("2026-01-14", "2026-01-20")),
        ("for the next 3 days", ("2026-01-14", "2026-01-16")),
        ("next 14 days", ("2026-01-14", "2026-01-27")),
        ("the next two weeks", ("2026-01-14", "2026-01-27")),
        ("the next fortnight", ("2026-01-14", "2026-01-27")),
        ("2 weeks starting 2nd March", ("2026-03-02", "2026-03-15")),
        ("3 weeks starting Monday", ("2026-01-19", "2026-02-08")),
        ("a week of leave starting 2nd March", ("2026-03-02", "2026-03-08")),
        ("two weeks from the 16th of March", ("2026-03-16", "2026-03-29")),
        ("tomorrow for 3 days", ("2026-01-15", "2026-01-17")),
        ("from 2nd March for a week", ("2026-03-02", "2026-03-08")),
        ("until Friday", ("2026-01-14", "2026-01-16")),
        ("off sick, back on Monday", ("2026-01-14", "2026-01-18")),
        ("back at work Friday", ("2026-01-14", "2026-01-15")),
        # Months.
        ("this month", ("2026-01-14", "2026-01-31")),
        ("next month", ("2026-02-01", "2026-02-28")),
        ("the February schedule", ("2026-02-01", "2026-02-28")),
        ("in March", ("2026-03-01", "2026-03-31")),
        ("in may", ("2026-05-01", "2026-05-31")),
        ("the May rota", ("2026-05-01", "2026-05-31")),
        ("January", ("2026-01-01", "2026-01-31")),
        ("February 2027", ("2027-02-01", "2027-02-28")),
        # Named days.
        ("Christmas Day", day("2026-12-25")),
        ("Boxing Day", day("2026-12-26")),
        ("New Year's Day", day("2027-01-01")),
        ("Hogmanay", day("2026-12-31")),
    ],
)
def test_dates_relative_to_wednesday_14_january(text: str, expected: tuple[str, str]) -> None:
    assert rng(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "who's short?",
        "I can do weekends now",
        "weekdays only",
        "10am-2pm",
        "7-3 shift",
        "send it to 4 people",
        "OT spread over the last 90 days",
        "past 6 months",
        "OT12",
        "#42",
        "request 42",
        "approve 77",
        "may I have a word",
        "I sat down",
        "the sun is out",
        "I can do nights",
        "fridays are busy",
        "30/02",
        "31/04",
        "13/13",
        "",
        "2nd floor",
    ],
)
def test_no_date_is_invented(text: str) -> None:
    assert rng(text) is None


@pytest.mark.parametrize(
    "today, text, expected",
    [
        # Year rollover: today 30 December 2026.
        (date(2026, 12, 30), "5th Jan", day("2027-01-05")),
        (date(2026, 12, 30), "05/01", day("2027-01-05")),
        (date(2026, 12, 30), "the 2nd", day("2027-01-02")),
        (date(2026, 12, 30), "31/12", day("2026-12-31")),
        (date(2026, 12, 30), "30/12", day("2026-12-30")),
        (date(2026, 12, 30), "29/12", day("2027-12-29")),
        (date(2026, 12, 30), "January", ("2027-01-01", "2027-01-31")),
        (date(2026, 12, 30), "next week", ("2027-01-04", "2027-01-10")),
        (date(2026, 12, 30), "this weekend", ("2027-01-02", "2027-01-03")),
        (date(2026, 12, 30), "the next 7 days", ("2026-12-30", "2027-01-05")),
        (date(2026, 12, 30), "the 28th and 29th", ("2027-01-28", "2027-01-29")),
        (date(2026, 12, 30), "2nd-4th January", ("2027-01-02", "2027-01-04")),
        (date(2026, 12, 30), "this month", ("2026-12-30", "2026-12-31")),
        (date(2026, 12, 30), "next month", ("2027-01-01", "2027-01-31")),
        (date(2026, 12, 30), "New Year's Day", day("2027-01-01")),
        # Saturday and Sunday as today.
        (date(2026, 1, 17), "this weekend", ("2026-01-17", "2026-01-18")),
        (date(2026, 1, 17), "Saturday", day("2026-01-24")),
        (date(2026, 1, 17), "this week", ("2026-01-17", "2026-01-18")),
        (date(2026, 1, 17), "next week", ("2026-01-19", "2026-01-25")),
        (date(2026, 1, 17), "next weekend", ("2026-01-24", "2026-01-25")),
        (date(2026, 1, 18), "this weekend", day("2026-01-18")),
        (date(2026, 1, 18), "this week", day("2026-01-18")),
        (date(2026, 1, 18), "next week", ("2026-01-19", "2026-01-25")),
        (date(2026, 1, 18), "Sunday", day("2026-01-25")),
        # A Monday: "Friday" is this week's, "Friday week" the one after.
        (date(2026, 1, 12), "Friday", day("2026-01-16")),
        (date(2026, 1, 12), "Friday week", day("2026-01-23")),
        (date(2026, 1, 12), "Monday", day("2026-01-19")),
        # Month ends and leap years.
        (date(2026, 2, 10), "the 31st", day("2026-03-31")),
        (date(2026, 2, 10), "the 30th", day("2026-03-30")),
        (date(2027, 3, 1), "29/02", day("2028-02-29")),
        (date(2028, 2, 1), "29/02", day("2028-02-29")),
        (date(2026, 2, 10), "this month", ("2026-02-10", "2026-02-28")),
        # Sunday to Sunday and ranges across a month end.
        (date(2026, 1, 28), "30th-2nd Feb", ("2026-01-30", "2026-02-02")),
        (date(2026, 1, 28), "the 30th to the 2nd", ("2026-01-30", "2026-02-02")),
        (date(2026, 1, 14), "Thursday to Tuesday", ("2026-01-15", "2026-01-20")),
    ],
)
def test_dates_other_days(today: date, text: str, expected: tuple[str, str]) -> None:
    assert rng(text, today) == expected


def test_spans_point_at_the_text() -> None:
    text = "can I have the 27th and 28th off"
    (expr,) = find_dates(text, WED)
    assert text[expr.begin : expr.stop] == "the 27th and 28th"


def test_dates_inside_a_sentence() -> None:
    assert rng("Can I book annual leave 9th-13th February?") == ("2026-02-09", "2026-02-13")
    assert rng("send overtime offers for Friday's early HCA") == day("2026-01-16")
    assert rng("need cover: senior support worker, late, Riverside Court, 22/01") == day(
        "2026-01-22"
    )
    assert rng("optimise the February schedule for Orchard Grove") == ("2026-02-01", "2026-02-28")
    assert rng("training expiring in the next 60 days") == ("2026-01-14", "2026-03-14")
    assert rng("I'm off sick till Monday") == ("2026-01-14", "2026-01-19")


def test_garbage_never_raises() -> None:
    for text in [
        "\x00\x01",
        "9" * 5000,
        "//////",
        "the 99th",
        "32/01",
        "0/0",
        "🙂" * 50,
        "next next next week",
        "-" * 1000,
        "the " * 500,
    ]:
        find_dates(text, WED)
