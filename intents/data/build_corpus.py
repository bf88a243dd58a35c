"""Build ``intents/data/corpus.jsonl``: the labelled messages the intent
classifier is trained and evaluated on.

Run ``python intents/data/build_corpus.py`` after editing; the output is
deterministic (fixed seed) and committed, so training never depends on this
script at run time.

Two sources:

* hand-written messages (``LITERALS``), labelled one by one;
* templates with a small grammar, ``<a|b|c>`` one of, ``[x]`` optional and
  ``{slot}`` a filler from the tables below, each filler carrying the slot
  values it states. Slot values of dates were worked out by hand for
  ``TODAY`` (Wednesday 14 January 2026), independently of the parser.

Each line: ``{"text", "intent", "slots", "today", "group", "split"}``. The
split is by a hash of the text (20% held out). ``group`` names the template
(or the hand-written line) a message came from, for the harder
leave-template-out evaluation in ``bench/parse_bench.py --template-holdout``.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "corpus.jsonl"
CATALOG_OUT = HERE / "train_catalog.json"
TODAY = "2026-01-14"
SEED = 20260114
TEST_SHARE = 0.2

# ----------------------------------------------------------------- the catalog

HOMES = ["Victoria Gardens", "Hawthorn House", "Orchard Grove", "Meadowburn", "Riverside Court"]
DEMO_STAFF = [
    "Sarah MacKenzie",
    "David Wilson",
    "Fiona Grant",
    "Jennifer Ross",
    "Mark Stevens",
    "Aisha Rahman",
    "Tom Baxter",
    "Priya Nair",
    "Claire Docherty",
    "Graham Kerr",
]
GENERATED_STAFF = [
    "Eilidh Campbell",
    "Eilidh Robertson",
    "Callum Robertson",
    "Callum Fraser",
    "Iona Stewart",
    "Ruaridh MacDonald",
    "Morag Murray",
    "Kirsty Reid",
    "Hamish Paterson",
    "Isla Cameron",
    "Isla Sinclair",
    "Lachlan Munro",
    "Mhairi McLeod",
    "Euan Henderson",
    "Catriona Ferguson",
    "Alasdair Crawford",
    "Ailsa Gillespie",
    "Shona Urquhart",
    "Struan Drummond",
    "Rhona MacLean",
    "Finlay Sutherland",
    "Innes Galbraith",
    "Morven Lindsay",
    "Murdo McIntyre",
    "Seonaid Buchanan",
    "Gregor Forsyth",
    "Heather Kennedy",
    "Lorna Dunbar",
    "Niamh Baird",
    "Rory Cunningham",
    "Skye Ogilvie",
    "Kenneth Campbell",
    "Ewan Fraser",
    "Fraser Menzies",
    "Ishbel Lamont",
    "Duncan Matheson",
    "Kenna Wallace",
    "Torquil Hay",
    "Marsali Docharty",
    "Angus Brodie",
    "Elspeth Rennie",
    "Ciaran Boyle",
    "Greer Gordon",
    "Lewis Anderson",
    "Ross Lachlan",
]
# "Ross Lachlan" shares a first name with nobody but "Ross" is also Jennifer's
# surname and "Lachlan" another first name: both single names are ambiguous.
EXTRA_HOMES = ["Strathmore Lodge", "Glenview House"]
STAFF = DEMO_STAFF + GENERATED_STAFF


def _owners() -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for person in STAFF:
        first, last = person.split()[0], person.split()[-1]
        for part in {first.lower(), last.lower()}:
            owners.setdefault(part, set()).add(person)
    return owners


OWNERS = _owners()


def _staff_fillers() -> list[tuple[str, dict]]:
    """Names as people write them, with the staff value each one states."""
    out: list[tuple[str, dict]] = []
    for person in STAFF:
        first, last = person.split()[0], person.split()[-1]
        out.append((person, {"staff": person}))
        out.append((person.lower(), {"staff": person}))
        for part in (first, last):
            who = OWNERS[part.lower()]
            out.append((part, {"staff": person} if len(who) == 1 else {}))
    return out


STAFF_FILLERS = _staff_fillers()


# --------------------------------------------------------------------- fillers


def D(surface: str, start: str, end: str | None = None, **extra) -> tuple[str, dict]:
    slots = {"start_date": start, "end_date": end or start}
    slots.update(extra)
    return surface, slots


def S(surface: str, **slots) -> tuple[str, dict]:
    return surface, slots


F: dict[str, list[tuple[str, dict]]] = {}

F["home"] = [
    S("Victoria Gardens", home="Victoria Gardens"),
    S("victoria gardens", home="Victoria Gardens"),
    S("Victoria", home="Victoria Gardens"),
    S("victoria", home="Victoria Gardens"),
    S("Victoria Gdns", home="Victoria Gardens"),
    S("VICTORIA GARDENS", home="Victoria Gardens"),
    S("Hawthorn House", home="Hawthorn House"),
    S("hawthorn", home="Hawthorn House"),
    S("Hawthorn", home="Hawthorn House"),
    S("Hawthorne", home="Hawthorn House"),
    S("hawthorn house", home="Hawthorn House"),
    S("hawthorne house", home="Hawthorn House"),
    S("Orchard Grove", home="Orchard Grove"),
    S("orchard grove", home="Orchard Grove"),
    S("Orchard", home="Orchard Grove"),
    S("orchard", home="Orchard Grove"),
    S("Orchid Grove", home="Orchard Grove"),
    S("Meadowburn", home="Meadowburn"),
    S("meadowburn", home="Meadowburn"),
    S("Meadowburm", home="Meadowburn"),
    S("meadowbrun", home="Meadowburn"),
    S("Riverside Court", home="Riverside Court"),
    S("riverside", home="Riverside Court"),
    S("Riverside", home="Riverside Court"),
    S("Riverside Ct", home="Riverside Court"),
    S("riverside court", home="Riverside Court"),
    S("Riverisde", home="Riverside Court"),
    S("Strathmore Lodge", home="Strathmore Lodge"),
    S("strathmore", home="Strathmore Lodge"),
    S("Glenview House", home="Glenview House"),
    S("glenview", home="Glenview House"),
]

F["date_pp"] = [
    D("today", "2026-01-14"),
    D("tomorrow", "2026-01-15"),
    D("tmrw", "2026-01-15"),
    D("tomoz", "2026-01-15"),
    D("the morra", "2026-01-15"),
    D("on Friday", "2026-01-16"),
    D("Friday", "2026-01-16"),
    D("this Friday", "2026-01-16"),
    D("next Friday", "2026-01-16"),
    D("on Saturday", "2026-01-17"),
    D("on Sat", "2026-01-17"),
    D("on Sunday", "2026-01-18"),
    D("Sunday", "2026-01-18"),
    D("on Monday", "2026-01-19"),
    D("Monday", "2026-01-19"),
    D("next Tuesday", "2026-01-20"),
    D("on Wednesday", "2026-01-21"),
    D("on Thursday", "2026-01-15"),
    D("thursday", "2026-01-15"),
    D("on the 22nd", "2026-01-22"),
    D("on 22/01", "2026-01-22"),
    D("on 20/1", "2026-01-20"),
    D("on the 30th", "2026-01-30"),
    D("on the 3rd", "2026-02-03"),
    D("this weekend", "2026-01-17", "2026-01-18"),
    D("at the weekend", "2026-01-17", "2026-01-18"),
    D("over the weekend", "2026-01-17", "2026-01-18"),
    D("next weekend", "2026-01-24", "2026-01-25"),
    D("next week", "2026-01-19", "2026-01-25"),
    D("this week", "2026-01-14", "2026-01-18"),
    D("Friday week", "2026-01-23"),
    D("on Friday next week", "2026-01-23"),
    D("the day after tomorrow", "2026-01-16"),
    D("on 2nd Feb", "2026-02-02"),
    D("on the 5th of February", "2026-02-05"),
    D("on 28/01/2026", "2026-01-28"),
    D("the week after next", "2026-01-26", "2026-02-01"),
    D("for the next 3 days", "2026-01-14", "2026-01-16"),
    D("over the next 7 days", "2026-01-14", "2026-01-20"),
    D("this coming Saturday", "2026-01-17"),
    D("Sunday 18th", "2026-01-18"),
    D("on Tuesday the 20th", "2026-01-20"),
    D("on Sat 24th", "2026-01-24"),
    D("from Monday to Wednesday", "2026-01-19", "2026-01-21"),
    D("Mon-Fri next week", "2026-01-19", "2026-01-23"),
    D("on 14/02", "2026-02-14"),
    D("next wk", "2026-01-19", "2026-01-25"),
    D("on weds", "2026-01-21"),
    D("on the 1st", "2026-02-01"),
    D("on 31st Jan", "2026-01-31"),
    D("this wknd", "2026-01-17", "2026-01-18"),
    D("on fri", "2026-01-16"),
]
F["date_np"] = [
    D("tomorrow", "2026-01-15"),
    D("Friday", "2026-01-16"),
    D("Saturday", "2026-01-17"),
    D("Sunday", "2026-01-18"),
    D("Monday", "2026-01-19"),
    D("the 22nd", "2026-01-22"),
    D("22/01", "2026-01-22"),
    D("today", "2026-01-14"),
    D("Thursday", "2026-01-15"),
    D("next Wednesday", "2026-01-21"),
    D("the 19th", "2026-01-19"),
    D("Friday 23rd", "2026-01-23"),
    D("26/1", "2026-01-26"),
    D("the 2nd of Feb", "2026-02-02"),
    D("Tuesday", "2026-01-20"),
    D("sat", "2026-01-17"),
    D("24/01/2026", "2026-01-24"),
    D("the 29th", "2026-01-29"),
    D("Sunday week", "2026-01-25"),
    D("3rd Feb", "2026-02-03"),
    D("Jan 27th", "2026-01-27"),
]
F["date_poss"] = [
    D("tomorrow's", "2026-01-15"),
    D("Friday's", "2026-01-16"),
    D("Saturday's", "2026-01-17"),
    D("Sunday's", "2026-01-18"),
    D("today's", "2026-01-14"),
    D("Monday's", "2026-01-19"),
    D("Thursday's", "2026-01-15"),
    D("next Tuesday's", "2026-01-20"),
    D("tmrw's", "2026-01-15"),
    D("Wednesday's", "2026-01-21"),
    D("the 22nd's", "2026-01-22"),
]
F["tonight"] = [
    D("tonight", "2026-01-14", shift_type="night"),
    D("tonite", "2026-01-14", shift_type="night"),
    D("tomorrow night", "2026-01-15", shift_type="night"),
    D("Friday night", "2026-01-16", shift_type="night"),
    D("on Saturday night", "2026-01-17", shift_type="night"),
    D("Sunday night", "2026-01-18", shift_type="night"),
    D("tmrw night", "2026-01-15", shift_type="night"),
    D("on Monday night", "2026-01-19", shift_type="night"),
    D("tonight's", "2026-01-14", shift_type="night"),
]
F["leave_dates"] = [
    D("Friday", "2026-01-16"),
    D("the 27th and 28th", "2026-01-27", "2026-01-28"),
    D("9th-13th February", "2026-02-09", "2026-02-13"),
    D("the 22nd", "2026-01-22"),
    D("22/01", "2026-01-22"),
    D("Monday", "2026-01-19"),
    D("next Friday", "2026-01-16"),
    D("Friday week", "2026-01-23"),
    D("the 2nd to the 6th of March", "2026-03-02", "2026-03-06"),
    D("3rd-5th March", "2026-03-03", "2026-03-05"),
    D("05/03", "2026-03-05"),
    D("Christmas Day", "2026-12-25"),
    D("Boxing Day", "2026-12-26"),
    D("New Year's Day", "2027-01-01"),
    D("the 30th", "2026-01-30"),
    D("the 1st", "2026-02-01"),
    D("next week", "2026-01-19", "2026-01-25"),
    D("the week after next", "2026-01-26", "2026-02-01"),
    D("Monday to Wednesday next week", "2026-01-19", "2026-01-21"),
    D("Mon-Fri next week", "2026-01-19", "2026-01-23"),
    D("16th-20th Feb", "2026-02-16", "2026-02-20"),
    D("14 Feb", "2026-02-14"),
    D("14th February", "2026-02-14"),
    D("Feb 14th", "2026-02-14"),
    D("the 10th and 11th of March", "2026-03-10", "2026-03-11"),
    D("20/02-27/02", "2026-02-20", "2026-02-27"),
    D("tomorrow", "2026-01-15"),
    D("Saturday and Sunday", "2026-01-17", "2026-01-18"),
    D("this weekend", "2026-01-17", "2026-01-18"),
    D("next weekend", "2026-01-24", "2026-01-25"),
    D("Thursday and Friday", "2026-01-15", "2026-01-16"),
    D("2nd March", "2026-03-02"),
    D("the 5th", "2026-02-05"),
    D("5th Jan", "2027-01-05"),
    D("13/01", "2027-01-13"),
    D("the 3rd of April", "2026-04-03"),
    D("1st-3rd May", "2026-05-01", "2026-05-03"),
    D("June 12th", "2026-06-12"),
    D("12/6", "2026-06-12"),
    D("the 14th", "2026-01-14"),
    D("Tuesday 27th Jan", "2026-01-27"),
    D("Fri 30/01", "2026-01-30"),
    D("the 23rd, 24th and 25th", "2026-01-23", "2026-01-25"),
    D("Wednesday", "2026-01-21"),
    D("weds 28th", "2026-01-28"),
]
F["leave_range"] = [
    D("from the 9th to the 13th of February", "2026-02-09", "2026-02-13"),
    D("from 2nd March for a week", "2026-03-02", "2026-03-08"),
    D("for 2 weeks starting 2nd March", "2026-03-02", "2026-03-15"),
    D("for a week from Monday", "2026-01-19", "2026-01-25"),
    D("from 16/02 to 20/02", "2026-02-16", "2026-02-20"),
    D("between the 10th and 12th of Feb", "2026-02-10", "2026-02-12"),
    D("for three days from Friday", "2026-01-16", "2026-01-18"),
    D("w/c 26th Jan", "2026-01-26", "2026-02-01"),
    D("the week commencing 9th Feb", "2026-02-09", "2026-02-15"),
    D("for a fortnight from 1st April", "2026-04-01", "2026-04-14"),
    D("from Monday 19th until Friday 23rd", "2026-01-19", "2026-01-23"),
    D("from the 2nd until the 4th", "2026-02-02", "2026-02-04"),
    D("on the 27th and 28th", "2026-01-27", "2026-01-28"),
    D("for two weeks from the 16th of March", "2026-03-16", "2026-03-29"),
    D("week beginning 2/3", "2026-03-02", "2026-03-08"),
    D("on 05/03", "2026-03-05"),
    D("on Friday", "2026-01-16"),
    D("next week", "2026-01-19", "2026-01-25"),
    D("on the 22nd", "2026-01-22"),
    D("tomorrow", "2026-01-15"),
    D("over Christmas", "2026-12-25"),
    D("on Boxing Day", "2026-12-26"),
    D("from 28th Dec to 3rd Jan", "2026-12-28", "2027-01-03"),
]
F["sick_dates"] = [
    D("today", "2026-01-14"),
    D("tomorrow", "2026-01-15"),
    D("this morning", "2026-01-14"),
    D("tonight", "2026-01-14", shift_type="night"),
    D("tomorrow night", "2026-01-15", shift_type="night"),
    D("for the next 3 days", "2026-01-14", "2026-01-16"),
    D("today and tomorrow", "2026-01-14", "2026-01-15"),
    D("until Friday", "2026-01-14", "2026-01-16"),
    D("on Friday", "2026-01-16"),
    D("this weekend", "2026-01-17", "2026-01-18"),
    D("on Saturday", "2026-01-17"),
    D("tmrw", "2026-01-15"),
    D("2day", "2026-01-14"),
    D("the morra", "2026-01-15"),
    D("this afternoon", "2026-01-14"),
    D("till Sunday", "2026-01-14", "2026-01-18"),
]
F["sick_day"] = [x for x in F["sick_dates"] if "shift_type" not in x[1]]
F["sick_story2"] = [
    S("been sick"),
    S("thrown up", reason=1),
    S("got a temperature", reason=1),
    S("come down with something"),
    S("got a migraine", reason=1),
    S("hurt my back", reason=1),
]
F["week_start"] = [
    D("2nd March", "2026-03-02", "2026-03-08"),
    D("Monday", "2026-01-19", "2026-01-25"),
    D("the 16th of Feb", "2026-02-16", "2026-02-22"),
    D("9/2", "2026-02-09", "2026-02-15"),
    D("next Monday", "2026-01-19", "2026-01-25"),
    D("26/01", "2026-01-26", "2026-02-01"),
]
F["leave_word"] = [
    S("leave"),
    S("holiday", leave_type="annual"),
    S("AL", leave_type="annual"),
    S("Holiday", leave_type="annual"),
    S("annual leave", leave_type="annual"),
    S("time off"),
]
F["on_word"] = [
    S("working"),
    S("on"),
    S("in"),
    S("on shift"),
    S("rostered on"),
    S("down to work"),
    S("on the rota"),
]
F["decline_state"] = [
    S("working", reason=1),
    S("away", reason=1),
    S("on holiday", reason=1),
    S("at a wedding", reason=1),
    S("on leave", reason=1),
    S("working elsewhere", reason=1),
    S("at my other job", reason=1),
    S("busy"),
    S("not free"),
    S("not available"),
]
F["period"] = [
    D("next week", "2026-01-19", "2026-01-25"),
    D("the next 7 days", "2026-01-14", "2026-01-20"),
    D("the next 14 days", "2026-01-14", "2026-01-27"),
    D("this week", "2026-01-14", "2026-01-18"),
    D("this month", "2026-01-14", "2026-01-31"),
    D("next month", "2026-02-01", "2026-02-28"),
    D("February", "2026-02-01", "2026-02-28"),
    D("March", "2026-03-01", "2026-03-31"),
    D("the week after next", "2026-01-26", "2026-02-01"),
    D("w/c 19th Jan", "2026-01-19", "2026-01-25"),
    D("week commencing 26/01", "2026-01-26", "2026-02-01"),
    D("the weekend", "2026-01-17", "2026-01-18"),
    D("the next fortnight", "2026-01-14", "2026-01-27"),
    D("the next two weeks", "2026-01-14", "2026-01-27"),
    D("9th-15th Feb", "2026-02-09", "2026-02-15"),
    D("Monday to Sunday next week", "2026-01-19", "2026-01-25"),
    D("next wk", "2026-01-19", "2026-01-25"),
    D("April", "2026-04-01", "2026-04-30"),
    D("the 2nd to the 8th of March", "2026-03-02", "2026-03-08"),
    D("2 weeks starting 2nd Feb", "2026-02-02", "2026-02-15"),
    D("4 weeks starting Monday", "2026-01-19", "2026-02-15"),
]
F["month_adj"] = [
    D("February", "2026-02-01", "2026-02-28"),
    D("March", "2026-03-01", "2026-03-31"),
    D("next month's", "2026-02-01", "2026-02-28"),
    D("April", "2026-04-01", "2026-04-30"),
    D("January", "2026-01-01", "2026-01-31"),
    D("Feb", "2026-02-01", "2026-02-28"),
    D("next week's", "2026-01-19", "2026-01-25"),
    D("this month's", "2026-01-14", "2026-01-31"),
    D("May", "2026-05-01", "2026-05-31"),
    D("december", "2026-12-01", "2026-12-31"),
]
F["shift_adj"] = [
    S("night", shift_type="night"),
    S("early", shift_type="early"),
    S("late", shift_type="late"),
    S("long day", shift_type="long_day"),
    S("LD", shift_type="long_day"),
    S("nightshift", shift_type="night"),
    S("early shift", shift_type="early"),
    S("late shift", shift_type="late"),
    S("night shift", shift_type="night"),
    S("long-day", shift_type="long_day"),
    S("am shift", shift_type="early"),
    S("back shift", shift_type="late"),
]
F["shift_pl"] = [
    S("nights", shift_type="night"),
    S("earlies", shift_type="early"),
    S("lates", shift_type="late"),
    S("long days", shift_type="long_day"),
    S("night shifts", shift_type="night"),
    S("early shifts", shift_type="early"),
    S("late shifts", shift_type="late"),
    S("LDs", shift_type="long_day"),
    S("nightshifts", shift_type="night"),
    S("mornings", shift_type="early"),
]
F["a_role"] = [
    S("an RN", role="RN"),
    S("a nurse", role="RN"),
    S("a staff nurse", role="RN"),
    S("a carer", role="HCA"),
    S("an HCA", role="HCA"),
    S("a care assistant", role="HCA"),
    S("a healthcare assistant", role="HCA"),
    S("a senior", role="SSW"),
    S("an SSW", role="SSW"),
    S("a senior support worker", role="SSW"),
    S("a senior carer", role="SSW"),
    S("a registered nurse", role="RN"),
    S("a hca", role="HCA"),
    S("a support worker", role="HCA"),
]
F["role"] = [
    S("RN", role="RN"),
    S("nurse", role="RN"),
    S("HCA", role="HCA"),
    S("carer", role="HCA"),
    S("senior", role="SSW"),
    S("SSW", role="SSW"),
    S("care assistant", role="HCA"),
    S("senior support worker", role="SSW"),
    S("staff nurse", role="RN"),
    S("healthcare assistant", role="HCA"),
]
F["role_pl"] = [
    S("nurses", role="RN"),
    S("RNs", role="RN"),
    S("carers", role="HCA"),
    S("HCAs", role="HCA"),
    S("seniors", role="SSW"),
    S("SSWs", role="SSW"),
    S("care assistants", role="HCA"),
    S("senior support workers", role="SSW"),
    S("healthcare assistants", role="HCA"),
]
F["count"] = [S(str(n), count=n) for n in (2, 3, 4, 5, 6, 8, 10)] + [
    S("three", count=3),
    S("five", count=5),
    S("two", count=2),
    S("four", count=4),
]
F["ot_ref"] = [
    S("OT12", ref=12),
    S("OT 7", ref=7),
    S("#42", ref=42),
    S("OT-33", ref=33),
    S("ot19", ref=19),
    S("OT5", ref=5),
    S("OT104", ref=104),
    S("#8", ref=8),
    S("ot 61", ref=61),
    S("OT#27", ref=27),
    S("request 15", ref=15),
    S("request #23", ref=23),
    S("OT3", ref=3),
    S("OT250", ref=250),
]
F["leave_ref"] = [
    S("leave 88", ref=88),
    S("request 88", ref=88),
    S("#88", ref=88),
    S("leave request 91", ref=91),
    S("holiday request 91", ref=91),
    S("request #91", ref=91),
    S("leave #64", ref=64),
    S("request 102", ref=102),
    S("leave request no. 45", ref=45),
    S("LR 12", ref=12),
    S("leave ref 56", ref=56),
    S("AL request 73", ref=73),
]
F["num"] = [S(str(n), ref=n) for n in (3, 7, 12, 19, 45, 77, 78, 88, 91, 102, 150, 231)]
F["staff"] = STAFF_FILLERS
F["leave"] = [
    S("annual leave", leave_type="annual"),
    S("holiday", leave_type="annual"),
    S("hols", leave_type="annual"),
    S("AL", leave_type="annual"),
    S("a holiday", leave_type="annual"),
    S("personal leave", leave_type="personal"),
    S("a personal day", leave_type="personal"),
    S("study leave", leave_type="training"),
    S("training leave", leave_type="training"),
    S("unpaid leave", leave_type="unpaid"),
    S("compassionate leave", leave_type="compassionate"),
    S("bereavement leave", leave_type="compassionate"),
    S("leave"),
    S("time off"),
    S("a day off"),
    S("days off"),
    S("some time off"),
    S("annual lv", leave_type="annual"),
    S("a holiday day", leave_type="annual"),
    S("holidays", leave_type="annual"),
    S("an unpaid day", leave_type="unpaid"),
]
F["daykind"] = [
    S("weekends", day_kind="weekend"),
    S("weekdays", day_kind="weekday"),
    S("weekend shifts", day_kind="weekend"),
    S("weekday shifts", day_kind="weekday"),
    S("week days", day_kind="weekday"),
    S("midweek", day_kind="weekday"),
    S("Saturdays and Sundays", day_kind="weekend"),
    S("wkends", day_kind="weekend"),
]
F["days"] = [
    S("over the last 90 days", days=90),
    S("for the past 3 months", days=90),
    S("over the last 6 months", days=180),
    S("for the last 30 days", days=30),
    S("over the past year", days=365),
    S("in the last 4 weeks", days=28),
    S("over the past fortnight", days=14),
    S("for last month", days=30),
    S("over the last 60 days", days=60),
    S("for the past 2 months", days=60),
    S("last 90 days", days=90),
    S("past 6 months", days=180),
    S("last 12 months", days=360),
    S("this past month", days=30),
    S("in the past 45 days", days=45),
]
F["train_window"] = [
    S("in the next 60 days", days=60),
    S("within 30 days", days=30),
    S("in the next 2 weeks", days=14),
    S("in the next 90 days", days=90),
    S("within the next 3 months", days=90),
    S("in the next month", days=30),
    S("over the next 6 weeks", days=42),
    S("in the next 30 days", days=30),
    D("this month", "2026-01-14", "2026-01-31"),
    D("next month", "2026-02-01", "2026-02-28"),
    D("in February", "2026-02-01", "2026-02-28"),
    D("in March", "2026-03-01", "2026-03-31"),
    D("next week", "2026-01-19", "2026-01-25"),
    S("soon"),
    S("in the coming weeks"),
]
F["decline_reason"] = [
    S("I'm on holiday", reason=1),
    S("got the kids that night", reason=1),
    S("working my other job", reason=1),
    S("I've got a wedding", reason=1),
    S("I'm away that weekend", reason=1),
    S("already on a long day", reason=1),
    S("nae childcare", reason=1),
    S("knackered after this week", reason=1),
    S("dentist", reason=1),
    S("I'm at a funeral that day", reason=1),
    S("no car", reason=1),
    S("doing my course", reason=1),
    S("on a late at my other work", reason=1),
    S("kids", reason=1),
    S("my mum's not well", reason=1),
    S("I've done 50 hours this week", reason=1),
    S("got plans", reason=1),
    S("it's my daughter's birthday", reason=1),
    S("I'm not back till Monday", reason=1),
    S("can't get childcare", reason=1),
    S("I'm already working", reason=1),
    S("hospital appointment", reason=1),
    S("I'm in Glasgow", reason=1),
    S("no babysitter", reason=1),
    S("too tired", reason=1),
    S("the buses are off", reason=1),
    S("I've got uni", reason=1),
    S("at my exam", reason=1),
    S("school run", reason=1),
    S("I'm flying out that morning", reason=1),
]
F["sick_reason"] = [
    S("I've got covid", reason=1),
    S("I've got D&V", reason=1),
    S("I have a migraine", reason=1),
    S("my back's gone", reason=1),
    S("chest infection", reason=1),
    S("I've got the flu", reason=1),
    S("sickness bug", reason=1),
    S("my son is unwell", reason=1),
    S("been vomiting all night", reason=1),
    S("tonsillitis", reason=1),
    S("I've got a temperature", reason=1),
    S("tested positive for covid", reason=1),
    S("I've hurt my ankle", reason=1),
    S("bad cold", reason=1),
    S("stomach bug", reason=1),
    S("my daughter's poorly and I've no childcare", reason=1),
    S("had a fall", reason=1),
    S("dental emergency", reason=1),
    S("I've got norovirus", reason=1),
    S("kidney infection", reason=1),
    S("my car broke down", reason=1),
    S("flu", reason=1),
    S("I've put my back out", reason=1),
    S("ear infection", reason=1),
    S("been up all night with diarrhoea", reason=1),
]
F["sick_generic"] = [
    S("I'm ill"),
    S("I'm sick"),
    S("I'm unwell"),
    S("feeling rough"),
    S("I'm not well"),
    S("I'm poorly"),
    S("not feeling great"),
    S("I feel terrible"),
    S("I'm no well"),
    S("under the weather"),
    S("I'm really not well"),
    S("feeling awful"),
]
F["child_ill"] = [
    S("my son is ill", reason=1),
    S("my daughter's poorly", reason=1),
    S("the wee one is sick", reason=1),
    S("my little boy has a fever", reason=1),
    S("my mum's been taken into hospital", reason=1),
    S("the kids have chickenpox", reason=1),
]
F["sick_story"] = [
    S("I've been up all night being sick", reason=1),
    S("been vomiting all night", reason=1),
    S("I've got a raging temperature", reason=1),
    S("I've done my back in", reason=1),
    S("I think I've got food poisoning", reason=1),
    S("my asthma's flared up", reason=1),
]
F["sick_with"] = [
    S("covid", reason=1),
    S("the flu", reason=1),
    S("a migraine", reason=1),
    S("D&V", reason=1),
    S("a chest infection", reason=1),
    S("a bad back", reason=1),
    S("gastro", reason=1),
    S("a sore throat", reason=1),
    S("tonsillitis", reason=1),
]
F["deny_reason"] = [
    S("too many off that week", reason=1),
    S("we're short", reason=1),
    S("not enough cover", reason=1),
    S("already 3 off", reason=1),
    S("clashes with the Christmas rota", reason=1),
    S("no cover available", reason=1),
    S("needs more notice", reason=1),
    S("we're short staffed that week", reason=1),
    S("two nurses already off", reason=1),
    S("busy period", reason=1),
    S("inspection that week", reason=1),
    S("not enough notice given", reason=1),
    S("embargo on leave in December", reason=1),
    S("no RN cover", reason=1),
    S("she's used all her leave", reason=1),
    S("he has no leave left", reason=1),
    S("training week", reason=1),
    S("can't spare anyone", reason=1),
]
F["thanks"] = [
    S("thanks"),
    S("ta"),
    S("cheers"),
    S("x"),
    S("xx"),
    S("thank you"),
    S("pls"),
    S("please"),
    S("😊"),
    S("👍"),
    S("mate"),
    S("hun"),
]

# ------------------------------------------------------------------- templates
# (template, how many samples). Keep every template a genuinely different
# phrasing: the held-out split is by template.

T: dict[str, list[tuple[str, int]]] = {}

T["ot.accept"] = [
    (
        "<yes|yeah|yep|aye|yh|ok|sure>[,] <I'll|I will|I can|i can> <do|cover|take|work> "
        "<it|that|that one|the shift|the {shift_adj}>[ {thanks}]",
        14,
    ),
    ("<yes|y|yep|aye|yeah|ok|yh|Yes|YES|Y> {ot_ref}", 14),
    ("{ot_ref} <yes|yep|aye|ok|is fine|- yes please|yes please>", 8),
    ("<count me in|I'm in|put me down|sign me up|book me in|stick me down> for {ot_ref}", 6),
    ("<yes|yeah|aye> <I can do|I'll do|happy to do|I'll cover> {date_poss} {shift_adj}", 8),
    ("<happy to|glad to|more than happy to> <help|help out|cover|do it|take it>[ {thanks}]", 6),
    (
        "I<'ll| will| can> <be there|come in|come in for it|work it|pick it up|take it>[ {thanks}]",
        8,
    ),
    (
        "<aye|yes|yeah>[,] <no bother|nae bother|no problem|not a problem|no probs>[,] "
        "<I'll do it|I'll take it|put me down>",
        8,
    ),
    (
        "<go on then|go on|why not|sure why not|go on, why not>[,] "
        "<I'll do it|put me down|count me in>",
        6,
    ),
    (
        "I'm <free|available|off> <that day|then|that night|{date_pp}> so <yes|aye|yeah> I'll "
        "<do|cover|take> it",
        6,
    ),
    ("<accept|accepted|I accept|accepting> <{ot_ref}|the offer|the shift|it>", 8),
    ("<yes|yep|yeah|aye> to {ot_ref}[ {thanks}]", 6),
    ("<I'll|I can|I will> <take|do|cover|grab> {ot_ref}", 8),
    (
        "<sounds good|that's fine|that works|fine by me|perfect>[,] "
        "<I'll do it|I'm in|count me in|yes>",
        6,
    ),
    ("<yes|yeah|aye>[,] I can <do|cover|manage> <it|that> <no problem|nae bother|fine|easily>", 6),
    ("<ok|okay|alright|aye ok> <I'll do it|I'll come in|I'll cover it|I can do that>", 6),
    ("<yes please|yes pls|yes plz> <I'd like that shift|I'll take it|I want it>", 4),
    ("<can do|will do|def|defo|definitely|absolutely|of course|course>[ {thanks}]", 8),
    ("<yes|aye|yeah> I'm <up for it|happy to|keen|game>", 6),
    ("<yes|yeah|yep> - <I'll cover|I'll do|I'll take> <the|that> {shift_adj}", 6),
]
T["ot.decline"] = [
    (
        "<no|nah|sorry no|no sorry|can't|cannae|sorry can't|sorry|no thanks|not this "
        "time|nope|No|NO>< -|,|.| because|:| as> {decline_reason}",
        30,
    ),
    ("<no|NO|nope|nah|n|N|No> {ot_ref}", 14),
    ("{ot_ref} <no|- no thanks|no sorry|nope|is a no>", 6),
    ("<no|nah|sorry> <to|for> {ot_ref}", 6),
    ("<decline|declining|I decline|I'll decline|reject> {ot_ref}", 8),
    ("<can't|cant|cannot|can't do|unable to do> {ot_ref}[ sorry]", 8),
    (
        "<sorry|soz|unfortunately|afraid>[,] I <can't|cannot|won't be able to|cant> "
        "<do|make|cover|manage> <it|that|that one|the shift|{date_poss} {shift_adj}>",
        14,
    ),
    (
        "<not this time|not for me|I'll pass|pass|I'll give it a miss|not today|no can do>[ "
        "{thanks}]",
        10,
    ),
    ("<thanks|thank you|ta|cheers> but <no|I can't|I'll pass|not this time|I'm busy>", 8),
    (
        "I'm <busy|not available|not free|unavailable> <then|that day|that night|{date_pp}>[ "
        "sorry]",
        8,
    ),
    (
        "I <can't|cant|won't|cannae> <make|do> <it|that one|the {shift_adj}> "
        "<sorry|soz|I'm afraid|unfortunately>< -|,> {decline_reason}",
        10,
    ),
    ("<no|nah|naw> I <can't|cannae|won't>[ {thanks}]", 6),
    ("<I'm afraid not|unfortunately not|sadly not|afraid I can't|I don't think so>[ {thanks}]", 8),
    ("<nah|no|nope> <not for me|I'm good|I'll leave it|I'm alright>[ {thanks}]", 6),
    (
        "<I'll have to say no|gonna have to say no|going to say no|I'll say no> "
        "<this time|to that one|to {ot_ref}>",
        6,
    ),
    ("<no|sorry>, {decline_reason}[ {thanks}]", 10),
    ("<rather not|I'd rather not|I won't|I'll not> <thanks|this time|if that's ok>", 4),
    ("<can't|can't make it|can't do it> <sorry|x|- sorry|, sorry>[ {thanks}]", 6),
]
T["ot.optin"] = [
    (
        "<put|add|sign|pop> me <back on|on|onto|up for> the "
        "<overtime|OT|extra shifts|bank> list[ {thanks}]",
        10,
    ),
    (
        "<opt me in|opt me back in|I want to opt in|opt in to overtime|I'd like to opt in>[ "
        "{thanks}]",
        8,
    ),
    (
        "<start|please start|can you start> <sending|texting|messaging> me <overtime|OT|extra shift> "
        "<offers|texts|messages> again",
        8,
    ),
    ("I'd like to <do|pick up|get|start doing> <overtime|extra shifts|more shifts|OT> again", 8),
    ("<happy|keen|glad|up for it> to <pick up|do|take|cover> {shift_pl}[ at {home}]", 12),
    (
        "<I'm|I am> <available|free|keen> for <overtime|extra shifts|OT|bank shifts>[ at {home}][ "
        "{thanks}]",
        8,
    ),
    (
        "<I want|I need|I'd like> <more hours|extra hours|more shifts|extra shifts>[, send me "
        "offers]",
        8,
    ),
    ("<turn|switch|put> <overtime|OT> <texts|messages|offers|alerts> back on", 6),
    ("<include me|count me in|keep me in mind> for <overtime|extra shifts|any OT>[ at {home}]", 8),
    ("let me know if any {shift_pl} come up[ at {home}]", 6),
    ("I can <pick up|do> extra {shift_pl} at {home} if you need", 6),
    (
        "<I'm|I am> back <from maternity|from sick leave|from holiday|now> and want "
        "<overtime|extra shifts|OT offers> again",
        6,
    ),
    ("<resume|restart|reactivate|turn on> <my overtime|overtime offers|OT texts>", 6),
    ("<I'm happy|happy> to do extra {daykind}[ at {home}]", 6),
    (
        "<can I|could I|can you> <get|go back on> <overtime|the OT list|extra shift texts> "
        "<again|please>",
        6,
    ),
    (
        "<interested in|looking for> <overtime|extra shifts|more work>[ at {home}][, {shift_pl} "
        "ideally]",
        6,
    ),
    ("I've changed my mind, <I do want|send me|I'd like> overtime <offers|texts> again", 4),
]
T["ot.optout"] = [
    (
        "<remove|take> me <off|from> the <overtime|OT|extra shifts> "
        "<list|texts|messages>[ {thanks}]",
        10,
    ),
    (
        "<no more|stop|stop sending|don't send me any more|please stop the> <overtime|OT|extra shift> "
        "<texts|messages|offers|requests>[ {thanks}]",
        12,
    ),
    (
        "<opt me out|I want to opt out|opt out of overtime|please opt me out|I'd like to opt out> "
        "[of <overtime|OT|extra shifts>]",
        8,
    ),
    (
        "I <don't|do not|dont> want <overtime|OT|extra shifts|any more overtime> "
        "<any more|anymore|offers|texts>",
        8,
    ),
    ("<unsubscribe|unsub> me from <overtime|OT|extra shift> <texts|messages|offers|alerts>", 6),
    (
        "I'm <not doing|done with|finished with|stopping> "
        "overtime[ for now][, <take me off|remove me>]",
        6,
    ),
    (
        "<can you|please|could you> stop <messaging|texting|contacting> me about "
        "<overtime|extra shifts|OT>",
        8,
    ),
    (
        "<pause|turn off|switch off|mute|disable> <overtime|OT> "
        "<offers|texts|messages|alerts>[ for a while]",
        6,
    ),
    ("I <need|want> a break from <overtime|extra shifts>[, no more offers please]", 4),
    (
        "<leave me off|don't include me in|exclude me from> "
        "<the overtime list|overtime|OT offers>[ for now]",
        6,
    ),
    ("<no longer|not> <interested in|available for|wanting> <overtime|extra shifts|OT>", 6),
    (
        "<don't|dont> <text|message|contact> me <about|for> <overtime|extra shifts|OT> "
        "<again|anymore>",
        6,
    ),
]
T["ot.preferences"] = [
    ("<only|just> <send|offer|text> me {shift_pl}[ {thanks}]", 10),
    ("I can do {daykind} now", 6),
    ("I can <only|just> do {daykind}<| now| from now on| these days>", 6),
    ("<change|update|switch|set> my <overtime|OT> <homes|home> to {home}< only|| please>", 8),
    ("I <only|just> want {shift_pl}<| please| from now on>", 8),
    ("<no more|stop sending me|don't send me|I don't want> {shift_pl}<| please| thanks>", 8),
    ("I <can't|cannot|can no longer|won't> do {shift_pl} <any more|anymore|now>", 8),
    ("<only|just> {home} <please|for me|from now on>", 6),
    ("<only offer|only send|just offer> me shifts at {home}", 6),
    ("I can <do|cover|work> {home} <as well now|too now|now>", 6),
    ("<I'd prefer|I prefer|I'd rather do|preference is> {shift_pl}< please|| if possible>", 8),
    ("{daykind} only <from now on|please|going forward>", 6),
    ("<change|update|set> my <preferences|prefs|overtime preferences> to {shift_pl}", 8),
    ("<update|change> my <preferences|prefs>: {shift_pl} at {home}", 6),
    ("I'm <not doing|no longer doing|stopping> {daykind} <any more|anymore|now>", 6),
    (
        "<don't|dont> send me <shifts|offers|overtime> <at|for> {home}< any more| please| anymore>",
        6,
    ),
    ("<switch|move> me to {shift_pl}<| only| please>", 6),
    ("I'm happy to do {shift_pl} and {daykind} now", 4),
    ("<can you|please> <change|update> my <overtime|OT> <days|availability> to {daykind}", 6),
    ("<add|include> {home} <to|in> my <overtime homes|homes|preferences>", 6),
]
T["leave.request"] = [
    ("<can|could|may> I <have|take|get> {leave_dates} off<| please| pls|?>", 20),
    ("<I need|I'd like|I want|need> {leave_dates} off<| please| pls|>", 14),
    ("<can|could> I <book|request|put in for|have> {leave} {leave_range}<|?| please>", 18),
    (
        "<I'd like to|I want to|I need to|id like to> <book|request|take> {leave} <on|for> "
        "{leave_dates}",
        14,
    ),
    ("{leave} <please|pls|request|requested> <on|for> {leave_dates}", 10),
    ("<requesting|request|putting in for> {leave} {leave_range}", 10),
    (
        "<is it possible|any chance|would it be ok|is it ok> <to have|I could have|I can get|to get> "
        "{leave_dates} off<|?>",
        12,
    ),
    ("<book|put> me <off|down for {leave}> {leave_range}< please|| x>", 8),
    ("<can I|could I|I'd like to> <book|take|use> some {leave}<| please|?>", 8),
    (
        "<I'm needing|I need|need> a day off {leave_range}< for a wedding|, it's my daughter's "
        "graduation| for an appointment|>",
        10,
    ),
    ("<can I|could I> take {leave} {leave_range}<, my gran passed|, family emergency|>", 8),
    ("<mind if I|would you mind if I|ok if I> take {leave_dates} off<|?>", 6),
    ("<request|book|apply for> a week of {leave} starting {week_start}", 6),
    ("<I would like|I'd like|Id like> to request {leave} <from|for> {leave_dates}", 8),
    ("<can I|could I> be off {leave_dates}<|?| please>", 8),
    ("{leave_word} request - {leave_dates}", 6),
    ("<hi|hiya|morning>[,] <can I|could I> <book|have> {leave} {leave_range}?", 8),
    ("<looking|hoping|wanting> to <take|book> {leave} {leave_range}", 6),
    ("I'd like to <apply|ask> for {leave} <for|on> {leave_dates}", 6),
    ("<please|pls> <book|put> {leave} in for {leave_dates}", 6),
]
T["leave.balance"] = [
    (
        "how <many|much> <days|hours|holiday|holidays|annual leave|leave|AL|time off> "
        "<have I got|do I have|have i|I got> <left|remaining|to use|still>[?]",
        14,
    ),
    (
        "<what's|whats|what is> my <leave|holiday|annual leave|AL|hol> "
        "<balance|allowance|entitlement|left>[?]",
        10,
    ),
    (
        "<my|check my|show my|see my> <leave|holiday|annual leave|AL> "
        "<balance|allowance|remaining|entitlement>[ please][?]",
        10,
    ),
    ("<have I|do I> <got|have> any <leave|holidays|holiday|annual leave|days off> left[?]", 8),
    (
        "<how much|how many days of> <leave|holiday|annual leave> "
        "<is left|remains|am I owed|do I still have>[?]",
        8,
    ),
    ("<remaining|outstanding|unused> <leave|holiday|annual leave|AL>[?]", 6),
    (
        "<can you tell me|could you let me know|can I check> how much <leave|holiday|AL> I have "
        "<left|remaining>",
        8,
    ),
    (
        "<have I used|did I use> <all|up all|most> <of my|my> "
        "<leave|holidays|annual leave>[ this year][?]",
        6,
    ),
    ("<days|hours> <left|remaining> <to book|to take|for holidays|of leave>[?]", 6),
    ("how much <holiday|leave> <have I taken|have I used|is booked> <so far|this year>[?]", 6),
    ("<leave|holiday|hols> <left|balance|remaining>[?]", 6),
]
T["sickness.report"] = [
    ("<I'm|im|I am> off sick {sick_dates}", 10),
    ("<can't|cant|cannot|I can't|I cannot> come in {sick_dates}[,| -| as] {sick_reason}", 14),
    (
        "I <won't|wont|will not|can't> <make|be in for|do> my {shift_adj}< shift|> {sick_day}[,| -] "
        "{sick_generic}",
        10,
    ),
    (
        "<calling in sick|calling in|phoning in sick|ringing in sick>[ {sick_dates}][ - "
        "{sick_reason}]",
        10,
    ),
    (
        "<I'm|I am|im> <too ill|too sick|not well enough|too unwell> to <work|come in|do my shift> "
        "{sick_dates}",
        10,
    ),
    ("<won't|wont|will not> be in {sick_dates}[,| -] {sick_reason}", 12),
    (
        "<not coming in|I'm not coming in|not gonna make it in|I won't make it in> "
        "{sick_dates}[, {sick_generic}]",
        10,
    ),
    ("<I can't|can't|I cannot> make my shift {sick_dates}<, sorry|| -> {sick_generic}", 8),
    ("<sick|ill|poorly|unwell> {sick_dates}<, sorry|| x| - won't be in>", 8),
    ("I <need|have> to call in sick <for|on> {date_np}", 6),
    ("{sick_reason}< -|,|.> <won't be in|can't come in|not coming in|I'm off> {sick_dates}", 12),
    ("<off sick|sick|off> {sick_dates} with {sick_with}", 8),
    ("{sick_story}[,] <not coming in|can't come in|won't be in> {sick_dates}", 8),
    (
        "<please|pls|can you> <mark|put|record> me <as|down as> <sick|off sick|absent> "
        "{sick_dates}",
        8,
    ),
    (
        "<reporting sick|reporting in sick|I'm reporting sick> <for|on> "
        "{date_np}[ - {sick_reason}]",
        6,
    ),
    (
        "<I cannae|I canny|cannae> come in {sick_dates}, "
        "<I'm no well|I'm pure rough|no well|I'm ill|feeling rotten>",
        6,
    ),
    (
        "<I'm|im> <sick|ill|unwell|poorly> and <won't|can't|will not> "
        "<be in|make it|come in>[ {sick_dates}]",
        8,
    ),
    (
        "<sorry|so sorry|really sorry>[,] I'm <not going to|not gonna|going to be unable to> make "
        "<it in|my shift|the {shift_adj}> {sick_day}[,| -] {sick_reason}",
        10,
    ),
    (
        "<I have to|I need to|got to> <go off sick|stay off|go home sick>[ {sick_dates}][, "
        "{sick_reason}]",
        6,
    ),
    ("I <won't|can't> <make|do> {tonight}< shift| night shift|>[,| -] {sick_generic}", 8),
    ("{child_ill} so I <can't|cannae|won't> come in {sick_dates}", 6),
    ("<had to|going to have to> <leave early|go home> sick[ {sick_dates}]", 4),
]
T["rota.mine"] = [
    (
        "<what's|whats|what is|when's|when is> my next <shift|{shift_adj}|day on|shift at work>[?]",
        10,
    ),
    ("<my|show my|send me my|what are my> <shifts|rota|hours> {date_pp}[?]", 14),
    ("<am I|am i|Am I> <working|on|in|rota'd on|down to work|on shift> {date_pp}[?]", 14),
    ("<when|what days> am I <working|on|in> <next|{date_pp}>[?]", 10),
    ("<what|which> shifts <have I got|do I have|am I on|am I doing> {date_pp}[?]", 10),
    ("<do I|did I|have I> <work|have a shift|got a shift|got work> {date_pp}[?]", 10),
    ("<what am I|what am i> <doing|working|on> {date_pp}[?]", 8),
    (
        "<can you send me|can I see|can I get|send> my <rota|shifts|schedule>[ for {date_np}][ "
        "please]",
        10,
    ),
    ("<what time|when> do I <start|finish|start work|need to be in> {date_pp}[?]", 8),
    ("<am I|am i> <off|not working|free> {date_pp}[?]", 8),
    ("<where|which home> am I <working|on|based> {date_pp}[?]", 6),
    ("<my|what's my> <schedule|rota|shift pattern> for {date_np}[?]", 8),
    ("<have I got|do I have|am I on> any {shift_pl} {date_pp}[?]", 6),
    (
        "<how many|how many hours|how many shifts> <am I doing|have I got|am I working> "
        "{date_pp}[?]",
        6,
    ),
]
T["help"] = [
    ("<what can you|what do you|what can u|how can you> <do|help with|help me with>[?]", 8),
    (
        "<how does this|how do I use this|how do i use this|how does this thing|how does staffbot> "
        "<work|work then>[?]",
        8,
    ),
    (
        "<what|which> <commands|options|things> <can I use|are there|can I ask|do you "
        "understand>[?]",
        8,
    ),
    ("<help|Help|HELP> <me|please|pls|!|?>", 6),
    (
        "<I need|need|can I get|can i have> <help|some help|a hand> "
        "<using this|with this bot|with the bot|with staffbot>",
        6,
    ),
    ("<show|list|give> me <the commands|your commands|what you can do|the options|the menu>", 8),
    ("<what are you for|what is this|what's this bot|who are you and what do you do>[?]", 6),
    (
        "<how do I|how can I|how would I> <ask for|check|see|book> <my rota|leave|overtime|shifts> "
        "<here|through you|with this|via text>[?]",
        8,
    ),
    ("<staffbot|@staffbot|bot> <help|commands|menu|what can you do|options>", 6),
    ("</help|help?|menu|commands|instructions|usage|guide>", 8),
]
T["staffing.gaps"] = [
    (
        "<any|are there any|show me the|what are the|list the> "
        "<gaps|staffing gaps|holes in the rota|shortfalls|shortages> {date_pp}[ at {home}][?]",
        16,
    ),
    (
        "<where|which homes|which units|where abouts> are we "
        "<short|short staffed|understaffed|short of staff> {date_pp}[?]",
        10,
    ),
    (
        "<are there any|any|what> <unfilled|uncovered|open|empty|vacant> <shifts|slots> "
        "{date_pp}[ at {home}][?]",
        12,
    ),
    (
        "<what|which> shifts <need covering|still need cover|are uncovered|are unfilled|are short> "
        "{date_pp}[ at {home}][?]",
        10,
    ),
    ("<are we|is {home}> short <of|on> {role_pl} {date_pp}[?]", 10),
    ("<do we have|have we got> enough {role_pl} <on|for> {date_np}[ at {home}][?]", 8),
    ("<staffing|staff> gaps[ at {home}] {date_pp}", 8),
    ("<uncovered|unfilled|open> {shift_pl}[ at {home}] {date_pp}[?]", 10),
    ("<any|are there any> {role} <gaps|shortages|vacancies> <on|for> {shift_pl} {date_pp}[?]", 10),
    ("<who's|who is|whos> short {date_pp}[?]", 6),
    ("<is|are> {home} <short|short staffed|understaffed|down> {date_pp}[?]", 8),
    ("<where do we need|where is|do we need> cover {date_pp}[?]", 8),
    ("<what's|whats|what is> <not covered|uncovered|missing> <at|in> {home} {date_pp}[?]", 8),
    ("<gaps|shortages|holes> <on|for> the {shift_adj} {date_pp}[?]", 8),
    (
        "<how many|how many shifts|how many gaps> are <unfilled|uncovered|still open> {date_pp}[?]",
        6,
    ),
    ("<show me|list|give me> <gaps|shortfalls|the shortages> by home {date_pp}", 4),
    ("<any|are there> <holes|gaps> <in the rota|in cover> <at|for> {home}[?]", 6),
    (
        "<are we|will we be> <below|under> <minimum|safe staffing|numbers> "
        "{date_pp}[ at {home}][?]",
        6,
    ),
    ("<any|are there any> {role} shortages {date_pp}[ at {home}]", 6),
]
T["staffing.on_shift"] = [
    ("<who's|who is|whos|who are> <working|on shift|on duty|in|on> {date_pp} at {home}[?]", 14),
    ("<who's|who is|whos> on the {shift_adj} {date_pp}[?]", 12),
    ("<which|what> {role_pl} are <on|working|in> {date_pp}[ at {home}][?]", 10),
    ("<who's|who is|whos> <working|doing|covering> {date_poss} {shift_adj}[ at {home}][?]", 10),
    (
        "<list|show me|show> <staff|everyone|the team|people> <on duty|on shift|working|rostered> "
        "{date_pp}[ at {home}]",
        10,
    ),
    ("<who's|who is> the {role} on {tonight}[ at {home}][?]", 8),
    ("<who have we got|who've we got|who do we have> <on|in> {date_pp}[ at {home}][?]", 8),
    ("<who's|who is> <in|on|working> at {home} <right now|now|at the moment>[?]", 8),
    ("<show me|what's|what is|can I see> the rota for {home} {date_pp}", 8),
    ("<which|what> {role_pl} are on {shift_pl} {date_pp} at {home}[?]", 8),
    ("<who's|who is> <on|doing> {shift_pl} at {home} {date_pp}[?]", 6),
    ("<staff|who's> on <duty|shift> <now|{date_pp}>", 6),
    (
        "<is|has> <anyone|somebody> <booked|rostered|down> <on|for> the {shift_adj} "
        "{date_pp}[ at {home}][?]",
        4,
    ),
    ("<who's|who is> the <{role}|{role} in charge> <on|in> {date_pp}[ at {home}][?]", 6),
]
T["forecast.show"] = [
    ("<forecast|demand forecast|staffing forecast|the forecast> <for|at> {home} {period}", 12),
    (
        "<what|how much> demand <do we expect|are we expecting|is forecast|is predicted> "
        "{date_pp}[ at {home}][?]",
        10,
    ),
    (
        "<staffing|demand|workload> <prediction|predictions|projection|projections> for "
        "{period}[ at {home}]",
        10,
    ),
    ("<how many|how many staff|how many people> will we need {date_pp}[ at {home}][?]", 10),
    (
        "<show|show me|give me|pull up> the <forecast|demand forecast|predicted demand>[ for {home}][ "
        "{period}]",
        8,
    ),
    (
        "<what's|what is|whats> the <projected|predicted|expected|forecast> "
        "<demand|staffing need|workload> <for|at> {home}[ {period}][?]",
        8,
    ),
    ("how busy <will|is> {home} <going to be|likely to be|be> {date_pp}[?]", 8),
    ("<predict|forecast|project> <staffing|demand|staff needs> <for|at> {home} {period}", 8),
    (
        "<what are we|what's the model> <predicting|forecasting|expecting> "
        "{date_pp}[ for {home}][?]",
        6,
    ),
    ("<will we|are we going to> need <extra|more|additional> staff {date_pp}[ at {home}][?]", 8),
    (
        "<expected|predicted|forecast> <staffing|demand|hours> <needs|requirement|requirements> "
        "{period}",
        6,
    ),
    ("<demand|staffing> <outlook|forecast> <for|over> {period}", 6),
]
T["ot.request"] = [
    ("<find|get|can you find|please find> {a_role} for {tonight}[ at {home}]", 12),
    (
        "<send|send out|put out> <overtime|OT> <offers|requests|texts> for {date_poss} {shift_adj} "
        "{role} at {home}[ to {count} people]",
        12,
    ),
    ("<need cover|cover needed|need cover for>: {role}, {shift_adj}, {home}, {date_np}", 8),
    (
        "<start|begin|kick off|launch> <outreach|an overtime request|an OT request> for "
        "{a_role} on the {shift_adj} {date_pp}[ at {home}]",
        12,
    ),
    ("<get|find|organise|arrange> cover for {date_poss} {shift_adj}[ at {home}]", 12),
    (
        "<we need|need|we're needing> {a_role} for the {shift_adj} "
        "{date_pp}[ at {home}][, can you find someone]",
        12,
    ),
    ("<offer|send> the {shift_adj} {date_pp} at {home} to {count} <people|staff|carers>", 8),
    ("<need|find me|get me|we need> {count} {role_pl} for {date_np}[ at {home}]", 10),
    ("<look for|find|source> {a_role} to cover {date_poss} {shift_adj}[ at {home}]", 8),
    ("<overtime|OT> request: {role}, {shift_adj}, {home}, {date_np}", 6),
    (
        "<text|message|contact|ask> {count} <staff|people|folk> <about|for> the {shift_adj} "
        "{date_pp}[ at {home}]",
        8,
    ),
    ("<get|find> someone <in|to cover|to do> the {shift_adj} {date_pp}[ at {home}]", 8),
    (
        "{home} <needs|is short|is looking for> {a_role} {date_pp}, "
        "<start outreach|send it out|find cover|put it out>",
        8,
    ),
    (
        "<fill|cover|staff> the {shift_adj} {date_pp} at "
        "{home}[, <send|offer> it to {count} people]",
        8,
    ),
    (
        "<can you|could you|please> <send out|put out|advertise> {date_poss} "
        "{shift_adj}[ {role}][ at {home}]",
        8,
    ),
    (
        "<cover needed|need cover|urgent cover needed> {date_pp} - "
        "{shift_adj}[ {role}][ at {home}]",
        8,
    ),
    ("<ask|contact|text> <around|round|folk|staff> for {a_role} {tonight}[ at {home}]", 6),
    ("<request|raise|create> <overtime|OT|cover> for {home} {date_pp}[, {shift_adj}][, {role}]", 6),
    ("<find|get> {count} people for {date_poss} {shift_adj} at {home}", 6),
    (
        "<send the shift out|send it out|offer it out> <to|for> {count} <people|staff> for the "
        "{shift_adj} {date_pp}",
        4,
    ),
]
T["ot.rank"] = [
    (
        "<who would you|who'd you|who will you|who would u> <contact|ask|text|message> for <a|an> "
        "{shift_adj} {role} at {home} {date_pp}[?]",
        12,
    ),
    (
        "<show|show me|give me> the <ranking|rankings|ranked list|shortlist> for {date_poss} "
        "{shift_adj} {role}[ at {home}]",
        12,
    ),
    (
        "<who's|who is|whos> <top of the list|first in line|at the top> for {date_poss} "
        "{shift_adj}[ at {home}][?]",
        10,
    ),
    (
        "<rank|ranking of|rank the> <staff|people|candidates> for the {shift_adj} "
        "{date_pp}[ at {home}]",
        10,
    ),
    (
        "<who would|who'd|who will> <get asked|be asked|be contacted|get the offer> for {a_role} "
        "{date_pp}[ at {home}][?]",
        10,
    ),
    ("<dry run|do a dry run|preview> for {date_poss} {shift_adj}[ at {home}]", 8),
    (
        "<who are|who're> the <best|top|most suitable> <candidates|people|options> for {date_poss} "
        "{shift_adj}[ at {home}][?]",
        8,
    ),
    (
        "<without contacting anyone|don't send anything|no texts yet>, "
        "<who would you ask|show me who you'd contact|who's eligible> for the {shift_adj} "
        "{date_pp}[ at {home}]",
        8,
    ),
    ("<show me|list> the top {count} for {date_poss} {shift_adj}[ at {home}]", 8),
    ("<who's|who is> eligible for {date_poss} {shift_adj}[ at {home}][?]", 8),
    (
        "<who should I|who should we|who do I> <ask|contact|approach> to cover the {shift_adj} "
        "{date_pp}[ at {home}][?]",
        8,
    ),
    ("<candidates|shortlist|ranked candidates> for {home} {shift_adj} {date_pp}", 6),
    ("<who'd|who would> be <first|top|next> to get the <offer|text> for {a_role} {tonight}[?]", 6),
    ("<rank|score> eligible {role_pl} for {date_np}[ at {home}]", 6),
]
T["ot.status"] = [
    (
        "<is|has> {ot_ref} <been filled|filled yet|been covered|covered|been picked up|sorted>[?]",
        12,
    ),
    ("<any|are there any> <takers|responses|replies|bites> <for|on> {ot_ref}[?]", 10),
    ("<status|update|progress> <of|on|for> {ot_ref}", 10),
    ("{ot_ref} <status|update|progress>[?]", 8),
    (
        "<did|has> <anyone|anybody|someone> <accept|accepted|take|taken|pick up|picked up> "
        "{ot_ref}[?]",
        8,
    ),
    (
        "<how's|how is> the <outreach|overtime request|OT request> for {date_poss} {shift_adj} "
        "<going|doing|looking>[?]",
        8,
    ),
    ("<any|any news on the|any response to the> {shift_adj} {date_pp}[ at {home}][?]", 6),
    (
        "<has|have> <anyone|we got anyone|somebody> <picked up|taken|accepted|filled> {date_poss} "
        "{shift_adj}[ at {home}][?]",
        10,
    ),
    ("<who's|who has|who> accepted {ot_ref}[?]", 6),
    (
        "<is|has> {date_poss} {shift_adj}[ at {home}] <been filled|filled yet|covered yet|been picked "
        "up>[?]",
        8,
    ),
    ("<where are we with|what's happening with|what's the latest on> {ot_ref}[?]", 8),
    ("<overtime|OT|outreach> <status|requests status|update>[ please]", 6),
    ("<how are|how're> the <overtime|OT|cover> requests <going|getting on|looking>[?]", 6),
    ("<still waiting on|still no one for|nobody for> {ot_ref}[?]", 4),
    (
        "<did we get|have we got|did we find> <anyone|someone|cover> for the {shift_adj} at {home} "
        "{date_pp}[?]",
        8,
    ),
]
T["ot.cancel"] = [
    ("<cancel|withdraw|stop|call off|scrap|kill|pull> {ot_ref}[ please]", 16),
    ("{ot_ref} <is no longer needed|isn't needed any more|can be cancelled|- cancel|cancel>", 8),
    (
        "<cancel|stop|withdraw|call off> the <outreach|overtime request|OT request|offer> <for|on> "
        "{ot_ref}",
        10,
    ),
    (
        "<we've got|we have|we found|got> cover for {ot_ref}<, cancel it|, stop the texts| so cancel "
        "it| - withdraw it>",
        8,
    ),
    ("<stop|halt|end> <outreach|texting|messaging> <on|for> {ot_ref}", 6),
    ("<cancel|withdraw> overtime request <{num}|number {num}|no. {num}>", 8),
    ("<no longer need|don't need|dont need> cover for {ot_ref}[, cancel it]", 6),
    ("<please|can you|could you> cancel {ot_ref}[ {thanks}]", 6),
    ("<cancel|withdraw|stop> <that|the> <overtime|OT> request", 4),
    ("<cancel|withdraw> request {num}", 4),
]
T["leave.pending"] = [
    (
        "<leave|holiday|annual leave|AL> requests <to review|waiting|pending|outstanding|to approve>[ "
        "at {home}]",
        12,
    ),
    (
        "<any|are there any> <leave|holiday|time off> requests "
        "<waiting|pending|to approve|for me to look at>[ at {home}][?]",
        10,
    ),
    (
        "<what|which> <leave|holidays|holiday requests> <needs|need|are waiting for|are awaiting> "
        "<approving|approval|sign off|a decision>[ at {home}][?]",
        10,
    ),
    (
        "<show|list|show me> <pending|outstanding|unapproved|open> "
        "<leave|holidays|holiday requests|leave requests>[ <at|for> {home}]",
        12,
    ),
    ("<pending|outstanding|unapproved> <leave|holidays|AL> <at|for|in> {home}", 8),
    (
        "<who's|who has|who's put in|who has asked> <asked for|requested|put in for> "
        "<time off|leave|holidays>[ at {home}][?]",
        8,
    ),
    ("<what's|what is> in the <leave|holiday> <queue|inbox|tray>[?]", 6),
    ("<leave|holiday> requests <I need to|to> <deal with|action|sign off>", 6),
    ("<any|got any> <AL|leave|hols> to <approve|sign off|look at>[?]", 6),
    ("<anything|any leave> <awaiting|needing> <my approval|approval|a decision>[ at {home}][?]", 6),
]
T["leave.approve"] = [
    ("<approve|approved|ok|okay|accept|grant|authorise|sign off> {leave_ref}", 14),
    (
        "<approve|ok|okay|accept|sign off|authorise> {staff}'s "
        "<leave|holiday|AL|leave request|time off>",
        14,
    ),
    ("<approve|approved|grant|yes approve|authorise> {num}", 12),
    ("<yes|yep|ok|fine> to {leave_ref}", 8),
    (
        "<that's fine|that's ok|happy with that|all good>, <approve|approve it|go ahead with> "
        "{leave_ref}",
        6,
    ),
    ("{leave_ref} <approved|is approved|ok|- approve|can go ahead>", 8),
    ("{num} <approved|- approve|is fine, approve it>", 6),
    (
        "<go ahead with|approve the leave for|give the time off to|approve the holiday for> "
        "{staff}",
        10,
    ),
    ("<happy to approve|I'll approve|I approve> {leave_ref}", 6),
    ("<approve|accept> {staff}'s request[ for {date_np}]", 6),
    ("<approve|ok|accept> all of {staff}'s <leave|holidays|requests>", 4),
    ("<let|allow> {staff} <have|take> <the time off|the leave|the holiday|the day off>", 6),
]
T["leave.deny"] = [
    ("<deny|refuse|reject|decline|turn down> {num}< -|,| because|:| as> {deny_reason}", 14),
    (
        "<deny|refuse|reject|decline|turn down> {staff}'s "
        "<leave|holiday|AL|leave request|time off>[< -|,| because> {deny_reason}]",
        14,
    ),
    ("<decline|deny|reject|refuse> {leave_ref}[< -|,| because| as> {deny_reason}]", 14),
    (
        "<no to|say no to|not approving|can't approve|cannot approve> "
        "{leave_ref}[< -|,| as> {deny_reason}]",
        10,
    ),
    ("{leave_ref} <denied|refused|rejected|declined>[< -|,> {deny_reason}]", 8),
    ("{num} <denied|refused|- deny|rejected>[< -|,> {deny_reason}]", 6),
    (
        "<can't|cannot|unable to> <approve|give> {staff}'s "
        "<leave|holiday|time off>[< -|,| as> {deny_reason}]",
        8,
    ),
    ("<deny|refuse|reject> the <leave|holiday> for {staff}[, {deny_reason}]", 6),
    ("<reject|deny|refuse> {num}", 8),
    ("<tell|let> {staff} <no|their leave is refused|the holiday's a no>[ - {deny_reason}]", 4),
]
T["fairness.report"] = [
    (
        "<overtime|OT> <fairness|equity|spread|distribution|balance> "
        "<report|summary|breakdown>[ {days}]",
        12,
    ),
    (
        "<is|has> <overtime|OT|extra work> <being|been> <shared|spread|split|distributed> "
        "<fairly|evenly|equally>[ at {home}][ {days}][?]",
        10,
    ),
    (
        "<who's|who is|who has been> <doing|getting|taking> the most "
        "<overtime|OT|extra shifts>[ at {home}][ {days}][?]",
        10,
    ),
    ("<fairness|OT fairness|overtime fairness> <at|for> {home}[ {days}]", 10),
    (
        "<how|how evenly|how fairly> is <overtime|OT> <spread|shared|distributed|split>[ at {home}][ "
        "{days}][?]",
        8,
    ),
    (
        "<overtime|OT> <hours|shifts> <per person|by person|per staff member|by staff member>[ "
        "{days}]",
        8,
    ),
    (
        "<are|is> the same <people|staff|few> <always|getting all the> "
        "<doing overtime|overtime|extra shifts>[ at {home}][?]",
        6,
    ),
    (
        "<who's had|who has had|who got> the <least|fewest|most> "
        "<overtime|OT|extra shifts>[ {days}][?]",
        8,
    ),
    (
        "<show|give me|pull> the <fairness|OT fairness|overtime spread> "
        "<report|data|figures>[ for {home}][ {days}]",
        8,
    ),
    (
        "<breakdown|split|spread> of <overtime|OT> <across|among|between> "
        "staff[ at {home}][ {days}]",
        6,
    ),
    ("<how's|how is> <overtime|OT> <allocation|distribution> looking[ {days}][?]", 4),
]
T["staff.profile"] = [
    ("{staff} <profile|overtime profile|record|OT record|stats|history>", 14),
    (
        "how <often|many times> <does|has> {staff} <accept|accepted|say yes to|taken|done> "
        "<overtime|OT|extra shifts>[?]",
        12,
    ),
    ("{staff}'s <overtime|OT> <record|history|stats|profile|acceptance rate>", 12),
    ("<show me|tell me about|look up|pull up|get me> {staff}[<'s profile|'s record| please|>]", 12),
    (
        "<how many|how much> <extra shifts|overtime|OT|hours> has {staff} "
        "<done|worked|picked up|taken>[ <lately|this month|recently>][?]",
        10,
    ),
    ("<what's|what is> {staff}'s <acceptance rate|response rate|overtime total|OT count>[?]", 8),
    (
        "<how reliable is|is|how responsive is> {staff}< for overtime| with overtime|| "
        "reliable>[?]",
        6,
    ),
    (
        "<when did|when was the last time> {staff} <last do|last pick up|do> "
        "<overtime|an extra shift|OT>[?]",
        6,
    ),
    (
        "<does|will> {staff} <ever|usually> <say yes to|accept|take> <overtime|extra shifts|OT>[?]",
        6,
    ),
    ("<profile for|record for|stats for|info on|details for> {staff}", 8),
    (
        "<has|did> {staff} <done|do|worked> <much|any> <overtime|OT|extra> "
        "<lately|recently|this year>[?]",
        6,
    ),
]
T["rota.generate"] = [
    (
        "<create|generate|build|make|draft|produce> <the|a|a new> <rota|schedule|roster> for {home} "
        "{period}",
        14,
    ),
    ("<optimise|optimize|generate|draft> the {month_adj} <schedule|rota|roster> for {home}", 12),
    ("<draft|build|generate|plan|create> {month_adj} rota[ for {home}]", 10),
    (
        "<can you|could you|please> <do|sort|sort out|put together|work out> the rota for "
        "{period}[ at {home}]",
        10,
    ),
    (
        "<run|kick off|start> the <rota|schedule|roster> <optimiser|optimizer|solver|generator> for "
        "{home}[ {period}]",
        8,
    ),
    (
        "<auto-generate|auto generate|automatically generate|auto-roster> "
        "<the rota|shifts|the schedule>[ for {home}][ {period}]",
        8,
    ),
    ("<roster|schedule|rota> {home} for {period}", 6),
    ("<plan|build|make> <shifts|the shifts|staffing> for {period} at {home}", 6),
    ("<I need|we need|need> a <draft|new|fresh> <rota|schedule> for {home}[ {period}]", 8),
    ("<optimise|optimize|rebalance> <the shifts|the rota|staffing> at {home}[ {period}]", 6),
]
T["training.expiring"] = [
    (
        "<training|certificates|certs|mandatory training|qualifications> "
        "<expiring|due to expire|running out|lapsing|due> {train_window}[ at {home}]",
        14,
    ),
    (
        "<who needs|who's due|whos due|who is due> <refresher|mandatory|their|a refresher> "
        "training[ at {home}][ {train_window}][?]",
        12,
    ),
    (
        "<whose|who's> <training|moving and handling|fire training|first aid|safeguarding|medication "
        "training|infection control> <is due|expires|runs out|is expiring|lapses> "
        "{train_window}[?]",
        12,
    ),
    (
        "<which|what> <certificates|training|courses|qualifications> <expire|run out|lapse|are due> "
        "{train_window}[ at {home}][?]",
        10,
    ),
    ("<any|list|show> <expired|expiring|lapsed|out of date|overdue> training[ at {home}][?]", 10),
    (
        "<list|show me|who has> <staff|people> with training <expiring|due|running out> "
        "{train_window}[ at {home}]",
        8,
    ),
    (
        "<who's|who is|whos> <out of date|overdue|behind> <on|with> "
        "<moving and handling|training|fire safety|first aid|safeguarding|their mandatory training>[ "
        "at {home}][?]",
        10,
    ),
    (
        "<training|mandatory training> <compliance|renewals|refreshers|expiries>[ <for|at> {home}][ "
        "{train_window}]",
        8,
    ),
    (
        "<who needs to|who has to|who must> <redo|renew|refresh|retake> "
        "<safeguarding|first aid|fire training|manual handling|their training>[ "
        "{train_window}][?]",
        8,
    ),
    ("<which|what> {role_pl} have training <running out|expiring|lapsing> {train_window}[?]", 6),
    (
        "<upcoming|due|pending> <training renewals|refresher training|training expiries>[ at "
        "{home}]",
        6,
    ),
]

# More phrasing families, so that no intent hangs on one template's words.
MORE: dict[str, list[tuple[str, int]]] = {
    "ot.accept": [
        (
            "<that's|thats> <fine|grand|ok|no bother>[,] <I'll|I can|I will> "
            "<come in|do it|be there>",
            6,
        ),
        (
            "<yes|aye|yeah> <I'm|i'm|im> <free|available|off that day>[,] "
            "<put me down|book me in|I'll do it>",
            6,
        ),
        (
            "<I'll|I will|I can> <do|take|cover|work> <the|that> "
            "{shift_adj}[ {date_pp}]<| no problem| no bother| happy to>",
            8,
        ),
        ("<happy|glad|more than happy> to <take|do|cover|pick up> {ot_ref}", 6),
        ("<yes|aye|yeah|ok> <please|pls>[,] <I'll take it|book me in|put me down>", 4),
        ("<yes|yep|aye> <I can come in|I'll come in|I can be there> <for|on> {date_np}", 6),
        (
            "<sure|of course|absolutely|definitely> <I'll|I can|I will> "
            "<help out|do it|cover it|come in>",
            6,
        ),
        ("<accept|accepting|I accept|yes accept> <the|that> <shift|offer|overtime>[ {thanks}]", 6),
        ("<put|pop|stick|book> me <down|in> <for it|for that|for the {shift_adj}>[ {thanks}]", 6),
    ],
    "ot.decline": [
        ("<I'm|im|I am> <afraid|sorry> <I can't|I cannot|I won't be able to|not>[ {thanks}]", 6),
        ("<no|nah|sorry>[,] <I'm|im> {decline_state} <that day|that night|then>", 6),
        (
            "<can't|cannot|cant|unable to> <do|make|cover|work> "
            "<it|that|that one|{date_poss} {shift_adj}|the {shift_adj}><| sorry| I'm afraid| "
            "unfortunately>",
            10,
        ),
        ("<not|no> <this time|today|tonight|for me>[,] <sorry|thanks|ta|mate>", 6),
        ("<I|i> <won't|will not|wont> be <able to|taking it|doing it|available>[ {thanks}]", 6),
        (
            "<decline|declining|I'll decline|I have to decline> <the|that> "
            "<shift|offer|overtime>[ {thanks}]",
            6,
        ),
        (
            "<sorry|apologies|soz> <but|,> <no|I can't|I cannae|I won't manage>< -|,| as| because> "
            "{decline_reason}",
            8,
        ),
        ("<nah|no|sorry> <I'm|i'm|im> {decline_state} <that day|then|that weekend>", 8),
    ],
    "ot.optin": [
        (
            "<I'd like|I want|I'm keen|I'm looking> to <be on|join|get on> the "
            "<overtime|OT|bank|extra shifts> list",
            6,
        ),
        (
            "<yes|please|ok> <send|text|message> me <overtime|extra shift|OT> "
            "<offers|texts|messages>",
            6,
        ),
        ("<opt|sign|put> me <in|back in|up> <for|to> <overtime|OT|extra shifts>[ at {home}]", 8),
        (
            "<I'd love|I'd like|happy to get> <more|extra> "
            "<shifts|hours|overtime>[ at {home}][, {shift_pl} if possible]",
            6,
        ),
        (
            "<count me in|include me|keep me on the list> for <overtime|extra shifts|OT> "
            "<again|from now on|going forward>",
            6,
        ),
        ("<can|could> I <do|get|pick up> <some|more|extra> <overtime|OT|shifts>[ at {home}][?]", 6),
        (
            "I'm <back|available again|free again> <for|to do> "
            "<overtime|extra shifts|OT>[ {thanks}]",
            6,
        ),
        ("<switch|turn> <on|back on> <my overtime|overtime offers|OT texts|shift offers>", 4),
    ],
    "ot.optout": [
        ("<opt|take|remove> me out of <overtime|OT|extra shifts|the overtime list>[ please]", 8),
        (
            "I'd like to <opt out|stop getting overtime offers|come off the overtime list|unsubscribe "
            "from overtime>",
            8,
        ),
        (
            "<please|pls|can you> <remove me from|take me off> "
            "<overtime|the OT list|extra shift texts>",
            6,
        ),
        (
            "<stop|quit|end> <overtime|OT|extra shift> <offers|texts|messages> <for me|please|now>",
            6,
        ),
        ("<I'm|i'm> <opting out|coming off|leaving> <of overtime|the overtime list|OT>", 6),
        ("<no|no more> <overtime|OT|extra shifts> for me<| thanks| please| for now>", 6),
        (
            "<I don't|dont|I do not> want to <do|be offered|get> <overtime|extra shifts|OT> "
            "<any more|anymore|now>",
            6,
        ),
        ("<turn off|switch off|stop> <my overtime|overtime offers|OT offers|my OT texts>", 6),
    ],
    "ot.preferences": [
        ("<can you|please|could you> <only|just> <send|offer> me {shift_pl}[ at {home}]", 6),
        ("<I'll|I will|I can> <only|just> do {shift_pl} <now|from now on|going forward>", 6),
        ("<change|set|make> my <shifts|availability|preferences|overtime> to {daykind} only", 6),
        ("<only|just> {shift_pl} at {home} <please|from now on|for me>", 6),
        ("<I'd rather|I prefer to|I'd prefer to> <work|do> {shift_pl}[ at {home}]", 6),
        ("<can|could> I <switch|change> to {shift_pl}[ only][?]", 6),
        ("<I'm|im> <happy|fine|ok> to do {home} <as well|too|now>", 4),
        ("<remove|take off|drop> {home} from my <homes|overtime homes|preferences|list>", 6),
        ("<no|don't want> {shift_pl} <anymore|any more|please>, <only|just> {daykind}", 4),
    ],
    "leave.request": [
        ("<can|could> I <request|book|take|have> <the|a> day off <on|for> {leave_dates}<|?>", 8),
        ("<I'm|im|I am> <hoping|wanting|looking> to <have|get|take> {leave_dates} off", 6),
        ("<please|pls|can you> book me <off|out> <on|for> {leave_dates}", 6),
        ("{leave} <on|for> {leave_dates}<?| please| pls| possible?>", 8),
        (
            "<is|would> {leave_dates} <be ok|be possible|ok|free> "
            "<to have off|for {leave}|off><|?>",
            6,
        ),
        ("<I'd like|I need|I want|can I get> {leave} {leave_range}", 8),
        (
            "<I've|I have> got <a wedding|an appointment|a hospital appointment|my graduation|a "
            "funeral> <on|the day of> {leave_dates}, can I have it off",
            6,
        ),
    ],
    "leave.balance": [
        (
            "<how much|how many days of|how many hours of> <leave|holiday|annual leave|AL> "
            "<do I have|have I got|is there|remains><| left| remaining| to take>[?]",
            8,
        ),
        (
            "<could you|can you|pls> <check|tell me|let me know> my <leave|holiday|annual leave> "
            "<balance|allowance|entitlement>",
            6,
        ),
        ("<what|how much> <leave|holiday|AL> <am I owed|do I have left|have I left|is left>[?]", 6),
        (
            "<am I|have I> <out of|run out of|used up> <leave|holidays|annual leave|all my "
            "holidays>[?]",
            4,
        ),
    ],
    "sickness.report": [
        (
            "<I'm|im|I am> <not well|sick|ill|unwell|poorly> <so|and> <won't|can't|will not> "
            "<be in|make it in|come in|make my shift> {sick_dates}",
            8,
        ),
        (
            "<just to let you know|just letting you know|fyi>[,] <I'm|im> off sick {sick_dates}[,| -] "
            "{sick_reason}",
            6,
        ),
        (
            "<I've|I have|I've just> {sick_story2} <so|and> "
            "<won't be in|can't come in|I'm staying off> {sick_dates}",
            6,
        ),
        (
            "<I|i> <can't|cannot|won't> <make|do|work> <my shift|my {shift_adj}|the {shift_adj}> "
            "{sick_day}[,| -] <I'm|i'm> <ill|unwell|sick|poorly>",
            8,
        ),
        ("<sick|off sick|ill> <again|still> {sick_dates}[, sorry]", 4),
        (
            "<not|won't be|I won't be> <able|fit> to <work|come in> {sick_dates}[,| -] "
            "{sick_reason}",
            6,
        ),
        (
            "<sorry|apologies>[,] <I'm|i'm> <too ill|too sick|not fit> <for|to do> <my|the> "
            "{shift_adj} {sick_day}",
            6,
        ),
    ],
    "rota.mine": [
        ("<can|could> I <see|get|have> my <rota|shifts|schedule>[ for {date_np}][ please]", 8),
        ("<show|send|text|tell> me my <shifts|rota|schedule|hours>[ {date_pp}][ please]", 8),
        ("<when|what time> <is|'s> my <next shift|next {shift_adj}|shift {date_pp}>[?]", 6),
        ("<am I|am i> <down|rota'd|scheduled|booked> <for|to work> {date_pp}[?]", 6),
        ("<what|which> <days|shifts> am I <doing|working|on> {date_pp}[?]", 6),
        ("<what's|what is|whats> my rota <looking like|like> {date_pp}[?]", 4),
    ],
    "help": [
        ("<show|give|tell> me <the menu|the commands|what you do|how this works|the options>", 6),
        ("<what|which> <things|commands|messages> can I <send|text|ask|type>[?]", 6),
        (
            "<how|what> do I <text|message|type> to <get my rota|book leave|accept a shift|opt "
            "out>[?]",
            6,
        ),
        (
            "<can you|could you|please> <explain|tell me> <how this works|what you do|what I can "
            "ask>",
            6,
        ),
        ("<I'm|im> <lost|confused|stuck>[,] <what can I do|how does this work|help>[?]", 4),
    ],
    "staffing.gaps": [
        (
            "<what's|what is|whats> <not covered|uncovered|missing|short> <at|in> {home} "
            "{date_pp}[?]",
            6,
        ),
        (
            "<which|what> <shifts|slots> <are|still> <empty|open|short|need filling> "
            "{date_pp}[ at {home}][?]",
            6,
        ),
        (
            "<do we have|have we got|are there> <any|enough> <gaps|holes|shortfalls|staff> "
            "{date_pp}[ at {home}][?]",
            6,
        ),
        (
            "<how many|how many more> {role_pl} <do we need|are we short|are we missing> "
            "{date_pp}[ at {home}][?]",
            6,
        ),
        (
            "<show|list|give me> <the gaps|the shortages|unfilled shifts|uncovered shifts> <for|at> "
            "{home}[ {date_pp}]",
            6,
        ),
        (
            "<any|are there any> <shortfalls|gaps|holes> <on|in> the {shift_adj} <rota|cover> "
            "{date_pp}[?]",
            6,
        ),
        (
            "<are we|is {home}> <short|short staffed|covered|ok for staff> <on|for> {shift_pl} "
            "{date_pp}[?]",
            6,
        ),
    ],
    "staffing.on_shift": [
        ("<who's|who is|whos> <working|on|in> <now|{date_pp}|{tonight}>[ at {home}][?]", 8),
        (
            "<show|give|list> me <who's on|who is on|the staff on|everyone on> "
            "{date_pp}[ at {home}]",
            6,
        ),
        ("<which|what> staff are <on|in|working|rostered> <at|in> {home} {date_pp}[?]", 6),
        (
            "<who|which {role_pl}> <do we have|have we got> on the {shift_adj} "
            "{date_pp}[ at {home}][?]",
            6,
        ),
        (
            "<who's|who is> <covering|doing|working> the {shift_adj} <at|in> {home}[ {date_pp}][?]",
            6,
        ),
    ],
    "forecast.show": [
        (
            "<staffing|demand|workload|dependency> <forecast|projection|prediction|outlook|estimate> "
            "<for|at> {home}[ {period}]",
            8,
        ),
        (
            "<what|how much> <staffing|cover|demand> <will we need|do we anticipate|are we expecting> "
            "{date_pp}[ at {home}][?]",
            6,
        ),
        (
            "<give|show|send> me the <forecast|projections|predictions|demand estimate> <for|at> "
            "{home}[ {period}]",
            6,
        ),
        (
            "<how busy|how much demand|what demand> <is|will|'s> "
            "<predicted|forecast|expected|there be> {date_pp}[ at {home}][?]",
            6,
        ),
        (
            "<forecast|predict|estimate|project> <demand|staffing|staff numbers|the workload> "
            "{period}[ at {home}]",
            6,
        ),
        (
            "<what|how many> <staff|carers|hours> <does the model|does the forecast|do you> "
            "<predict|expect|think we need> {date_pp}[?]",
            6,
        ),
    ],
    "ot.request": [
        (
            "<please|can you|could you> <find|get|arrange|organise> <cover|someone|a body|staff> for "
            "{date_poss} {shift_adj}[ at {home}][ - {count} people max]",
            8,
        ),
        (
            "<send out|put out|start> <an|the> <overtime|OT|cover> <request|offer|outreach> for "
            "<a|the> {shift_adj}[ at {home}] {date_pp}",
            8,
        ),
        (
            "<we're|we are|{home} is> <short|down|one down> <a|an|one> {role} <on|for> the "
            "{shift_adj} {date_pp}, <find|get|source> <cover|someone>",
            8,
        ),
        ("<find|get|source|arrange> <a|an|one> {role} <for|to cover> {tonight}[ at {home}]", 8),
        (
            "<ask|text|message|contact> <staff|people|the team|folk> <to|if they can> "
            "<cover|pick up|do> the {shift_adj} {date_pp}[ at {home}]",
            8,
        ),
        (
            "<need|we need|urgent|urgently need> <cover|someone|{a_role}> <for|on> {date_poss} "
            "{shift_adj}[ at {home}]",
            8,
        ),
        ("<send|offer> <it|the shift|this> to <{count} people|the top {count}|{count} staff>", 4),
    ],
    "ot.rank": [
        (
            "<who|which staff|which people> would <you|the system|staffbot> <offer|send|give> "
            "{date_poss} {shift_adj} to[ at {home}][?]",
            6,
        ),
        (
            "<list|show|rank> <the best|the top|suitable|available> <people|staff|candidates> for the "
            "{shift_adj} {date_pp}[ at {home}]",
            8,
        ),
        (
            "<who's|who is> <best placed|most suitable|next in line|top> <to cover|for> {date_poss} "
            "{shift_adj}[ at {home}][?]",
            6,
        ),
        (
            "<just|only> <show|rank|list> <me |>who <you'd|you would> <ask|contact> for {a_role} "
            "{date_pp}, <don't send|no messages|don't text anyone>",
            6,
        ),
        (
            "<preview|rank|show> the <overtime|OT|cover> <list|candidates|ranking> for {date_poss} "
            "{shift_adj}[ at {home}]",
            6,
        ),
    ],
    "ot.status": [
        (
            "<any|got any> <joy|luck|news|takers|replies> <with|on|for> {date_poss} "
            "{shift_adj}[ at {home}][?]",
            8,
        ),
        (
            "<has|did> <anyone|anybody|someone> <replied|responded|answered|said yes> <to|about> "
            "{ot_ref}[?]",
            6,
        ),
        (
            "<what's|what is|whats> the <status|latest|update|position> <on|with|of> "
            "<{ot_ref}|the overtime request|the outreach>[?]",
            8,
        ),
        (
            "<is|was> <the|that> {shift_adj} {date_pp}[ at {home}] "
            "<filled|covered|picked up|taken> yet[?]",
            6,
        ),
        ("<how's|how is|hows> <the |>{ot_ref} <going|getting on|looking>[?]", 6),
        (
            "<who|has anyone> <took|taken|accepted|picked up> the {shift_adj} "
            "{date_pp}[ at {home}][?]",
            6,
        ),
    ],
    "ot.cancel": [
        (
            "<please|pls|can you> <cancel|withdraw|stop|call off> the "
            "<outreach|overtime|OT request|offers> <for|on> {ot_ref}",
            6,
        ),
        (
            "{ot_ref} <no longer needed|not needed|is covered now, cancel|- cancel please|is filled "
            "elsewhere, withdraw it>",
            6,
        ),
        (
            "<we've|we have|I've|I have> <found|got|sorted> cover<,| so| -> "
            "<cancel|withdraw|call off|stop> {ot_ref}",
            6,
        ),
        ("<cancel|withdraw|halt|abort> <outreach|overtime|the request|the offer> {ot_ref}", 6),
        (
            "<don't|do not|dont> need <cover|anyone|the shift covered> for {ot_ref} "
            "<anymore|any more|now>",
            6,
        ),
    ],
    "leave.pending": [
        (
            "<what|which|any> <leave|holiday|time off|AL> <is|are|requests are> "
            "<pending|waiting|outstanding|awaiting approval>[ at {home}][?]",
            8,
        ),
        (
            "<show|list|give> me <the|all> <leave|holiday|time off> "
            "<requests|applications>[ <at|for> {home}]",
            6,
        ),
        (
            "<what|anything> <needs|is waiting for|is awaiting> my "
            "<approval|sign off|decision>[ at {home}][?]",
            6,
        ),
        (
            "<how many|any> <leave|holiday> requests <are|still> "
            "<pending|waiting|open|in>[ for {home}][?]",
            6,
        ),
        (
            "<who|which staff> <wants|want|have asked for|have requested> "
            "<time off|leave|holidays>[ at {home}][?]",
            6,
        ),
    ],
    "leave.approve": [
        ("<that's|thats|it's> <fine|ok|approved>[,] <approve|sign off|ok> {leave_ref}", 6),
        ("<please|pls|can you> <approve|sign off|authorise|grant> {leave_ref}", 6),
        ("<approve|grant|authorise|sign off> <the|that> <leave|holiday|time off> for {staff}", 6),
        ("<{staff} can have|give {staff}> <the time off|the day off|their holiday|the leave>", 6),
        ("<yes|yep|fine>, {staff} can <have it|go|take it>", 4),
    ],
    "leave.deny": [
        (
            "<please|pls|can you> <deny|refuse|reject|decline> "
            "{leave_ref}[< -|,| because> {deny_reason}]",
            6,
        ),
        (
            "<I'm|I am|im> <refusing|rejecting|denying|not approving> {staff}'s "
            "<leave|holiday|request>[< -|,> {deny_reason}]",
            6,
        ),
        (
            "<sorry|unfortunately>[,] <no to|can't approve|have to refuse> {leave_ref}<,| -| as> "
            "{deny_reason}",
            6,
        ),
        (
            "{staff} <can't|cannot> <have|take> <the time off|that leave|the holiday><,| -| as> "
            "{deny_reason}",
            6,
        ),
    ],
    "fairness.report": [
        (
            "<who|which staff> <has|have> <done|had|worked|picked up> the <most|least> "
            "<overtime|OT|extra shifts>[ at {home}][ {days}][?]",
            8,
        ),
        (
            "<how|is> <fair|fairly|even|evenly|equal> <is|are> <our|the> <overtime|OT> "
            "<split|allocation|spread>[ {days}][?]",
            6,
        ),
        (
            "<show|give> me <overtime|OT> <by person|per person|per head|fairness|distribution>[ for "
            "{home}][ {days}]",
            6,
        ),
        (
            "<is|are> <anyone|some people|staff> <getting|doing|hogging> "
            "<too much|all the|more than their share of> <overtime|OT>[ {days}][?]",
            6,
        ),
        (
            "<fairness|equity|distribution> <of|in> <overtime|OT|extra shifts>[ at {home}][ "
            "{days}]",
            6,
        ),
    ],
    "staff.profile": [
        ("<what|how much> <overtime|OT> has {staff} <done|had|taken>[ {days}][?]", 6),
        ("<give me|show me|pull up> {staff}'s <profile|stats|record|overtime|history>", 6),
        (
            "<how|how often> <does|did> {staff} <respond|reply|say yes|accept> <to|when offered> "
            "<overtime|extra shifts|offers>[?]",
            6,
        ),
        ("<tell me|what do you know> about {staff}['s overtime]", 6),
        ("<is|has> {staff} <reliable|been reliable|good at covering|picking up shifts>[?]", 4),
    ],
    "rota.generate": [
        (
            "<please|can you|could you> <create|generate|build|draft|make> <a|the> "
            "<rota|schedule|roster> <for|at> {home}[ {period}]",
            8,
        ),
        (
            "<I need|we need|need> <the|a> <rota|schedule|roster> <doing|done|made|generated> for "
            "{period}[ at {home}]",
            6,
        ),
        (
            "<optimise|optimize|generate|create> <shifts|staffing|the rota|a schedule> <for|over> "
            "{period}[ at {home}]",
            6,
        ),
        ("<draft|build|do|make> me a <rota|schedule|roster> for {home}[ {period}]", 6),
        (
            "<put together|sort out|work out|plan> {month_adj} <rota|schedule|roster>[ for {home}]",
            6,
        ),
    ],
    "training.expiring": [
        (
            "<who|which staff|which carers|which nurses> <need|needs|are due|is due> "
            "<a refresher|refresher training|their training renewed|to renew training>[ at {home}][ "
            "{train_window}][?]",
            8,
        ),
        (
            "<show|list|give> me <expiring|lapsing|out of date|overdue> "
            "<training|certificates|qualifications|courses>[ at {home}][ {train_window}]",
            8,
        ),
        (
            "<is|are> <anyone's|any staff|anyone> <training|certificates|mandatory training> "
            "<expiring|running out|lapsing|due> {train_window}[ at {home}][?]",
            6,
        ),
        (
            "<what|which> <training|mandatory training|courses> <is|are> "
            "<due|expiring|coming up for renewal> {train_window}[?]",
            6,
        ),
        (
            "<moving and handling|first aid|fire safety|safeguarding|infection control|medication> "
            "<renewals|refreshers|expiring|due> {train_window}[ at {home}]",
            6,
        ),
    ],
}
MORE2: dict[str, list[tuple[str, int]]] = {
    "ot.optout": [
        (
            "<no|no more> <overtime|OT|extra shifts|cover requests|shift offers> for "
            "me<| thanks| ta| please| just now>",
            6,
        ),
        (
            "<pause|suspend|hold|stop> my <overtime|OT|extra shift offers|overtime texts>[ for <a "
            "while|now|a bit|a month>]",
            6,
        ),
        (
            "<stop|quit> <asking|texting|messaging|bugging> me "
            "<to cover|about cover|to do extra|for overtime>",
            6,
        ),
        (
            "<no more|enough> <cover|overtime|extra shift> "
            "<requests|texts|messages>[ please][, I'm done]",
            6,
        ),
        (
            "I'm <not interested in|not wanting|not available for> <overtime|extra shifts|OT> "
            "<any more|anymore|from now on>",
            6,
        ),
    ],
    "ot.optin": [
        ("<I'm|im|I am> happy to do <overtime|OT|extra shifts|bank shifts>[ at {home}][ again]", 6),
        (
            "<I'd|I would> like to <do|be offered|get offered> "
            "<overtime|OT|extra shifts>[ at {home}]",
            6,
        ),
        ("<I'm|im> <up for|keen on|after> <overtime|OT|extra shifts|more hours>[ <again|now>]", 6),
    ],
    "ot.status": [
        (
            "<is|has> the <shift|overtime shift|cover|OT shift> "
            "<filled|been filled|covered|been taken>[ yet][?]",
            6,
        ),
        ("<OT|overtime|outreach|cover> <update|progress|news>[ please][?]", 6),
        (
            "<any|got any> <update|news|progress> on the <overtime|OT|cover> "
            "<request|requests|offer>[?]",
            6,
        ),
        (
            "<has|did> <anyone|anybody> <take|taken|grab|grabbed|pick up|picked up> the "
            "<shift|overtime|OT shift> yet[?]",
            6,
        ),
    ],
    "leave.pending": [
        ("<list|show> <me |>all <leave|holiday|AL> <applications|requests>[ at {home}]", 6),
        (
            "<how many|any> <leave|holiday> <requests|applications> <are |>still "
            "<open|pending|waiting>[ at {home}][?]",
            6,
        ),
    ],
    "staffing.gaps": [
        (
            "<where|which shifts|what> <do we|still> need <cover|covering|filling> "
            "{date_pp}[ at {home}][?]",
            6,
        ),
        ("<any|are there any> <shortages|gaps> for {role_pl}[ at {home}] {date_pp}[?]", 6),
    ],
    "staff.profile": [
        (
            "<is|how good is> {staff} <good at|any good at|reliable at> "
            "<covering|picking up shifts|overtime>[?]",
            6,
        ),
    ],
    "help": [
        ("<hi|hello|hey>[,] <help|help please|help me|what can you do>[?]", 6),
    ],
}
MORE3: dict[str, list[tuple[str, int]]] = {
    "ot.optout": [
        (
            "<I'm|im|I am> not <interested in|wanting|keen on|bothered about|looking for> "
            "<overtime|OT|extra shifts|extra hours> <any more|anymore|now|from now on|thanks>",
            8,
        ),
        (
            "<don't|dont|do not|never> <text|message|contact|ask|bother> me <about|for|with> "
            "<overtime|extra shifts|OT|cover> <again|any more|anymore|please>",
            8,
        ),
        (
            "<I|i> <no longer|don't|dont> want <overtime|OT|extra shifts|shift offers|to be asked>",
            6,
        ),
    ],
    "ot.preferences": [
        ("<just|only> {home} <for me|please|thanks|from now>", 6),
        ("<I'm|im|I am> <happy|fine|ok|okay> to do {home} <too|as well|now>", 6),
        ("<I'll|I can|I will> <also|now> <do|cover|work> <shifts at|> {home}", 6),
    ],
    "leave.balance": [
        (
            "<have I|did I|have i> <used|taken|booked> <all|most|up all|up most> <of |>my "
            "<leave|holidays|annual leave|AL>[ yet][?]",
            6,
        ),
        (
            "how much <leave|holiday|AL|annual leave> <remains|is remaining|have I remaining|is there "
            "left>[?]",
            6,
        ),
    ],
    "help": [
        ("<please|can you|could you> <explain|tell me> what I can <ask|say|text|do>", 6),
        ("<usage|instructions|how to use|user guide|help guide>< please| cheers| thanks|>", 6),
    ],
    "staffing.on_shift": [
        ("<show|list|give me> <people|everyone|staff|those> working {date_pp}[ at {home}]", 6),
        ("<who's|who is|who are> <covering|working|doing> {tonight}[ at {home}][?]", 6),
    ],
    "ot.request": [
        ("<fill|staff|cover|crew> the {shift_adj} {date_pp}[ at {home}][ please]", 8),
        (
            "<we need|need|get> <someone|a body|cover|a person> <in|on> for the {shift_adj} "
            "{date_pp}[ at {home}]",
            6,
        ),
    ],
    "ot.rank": [
        (
            "<who should|who will|who do|who can> <I|we|you> <ask|contact|approach|text|try> "
            "<to cover|for> the {shift_adj} {date_pp}[ at {home}][?]",
            10,
        ),
        (
            "<who's|who is> <top|best|most suitable|first in line|next up> <to cover|for> {date_poss} "
            "{shift_adj}[ at {home}][?]",
            8,
        ),
    ],
    "ot.status": [
        (
            "<OT|overtime|outreach|cover request> <update|progress|news|status>< please| pls| "
            "ta|?>",
            6,
        ),
    ],
    "ot.cancel": [
        ("<end|stop|halt|pause> <texting|messaging|contacting|outreach> <on|for> {ot_ref}", 6),
        (
            "<stop|end> <texting|messaging> <people|staff|everyone>, <it's|the shift is|we're> "
            "<covered|sorted|filled>",
            6,
        ),
    ],
    "leave.pending": [
        ("<what's|what is|whats> in the <leave|holiday|AL|time off> <inbox|queue|tray|pile>[?]", 6),
        (
            "<show|list|any> <open|outstanding|unanswered> "
            "<holidays|leave|leave requests|holiday requests>[ at {home}][?]",
            6,
        ),
    ],
    "leave.approve": [
        ("<give|grant> {staff} <their|the> <holiday|leave|time off|day off>", 6),
    ],
    "fairness.report": [
        (
            "<overtime|OT|extra shift> <equity|balance|fairness|distribution> "
            "<summary|report|breakdown|overview>",
            8,
        ),
        (
            "<is|are> <anyone|some staff|a few people|the same people> <getting|doing|taking> "
            "<all the|too much|most of the> <OT|overtime|extra shifts>[ at {home}][?]",
            8,
        ),
        ("<equity|fairness|evenness> of <overtime|OT|extra shifts>[ at {home}][ {days}]", 6),
    ],
    "staff.profile": [
        (
            "<is|how good is> {staff} <good|any good|reliable> <at|with> "
            "<overtime|covering|picking up shifts|extra shifts>[?]",
            8,
        ),
    ],
}
MORE4: dict[str, list[tuple[str, int]]] = {
    "staffing.on_shift": [
        ("<is|will> {staff} <be |>{on_word} {date_pp}[ at {home}][?]", 10),
        ("<is|are> <anyone|anybody|someone> <on|working|in> <at|in> {home} {date_pp}[?]", 6),
    ],
    "ot.request": [
        (
            "<offer|send|give> {date_poss} {shift_adj}[ at {home}] to the <top|best|first> {count}",
            8,
        ),
        ("<send|offer> <it|the shift|this one> to the <top|first> {count}[ please]", 4),
    ],
}
for _intent, _items in MORE4.items():
    T[_intent].extend(_items)
for _intent, _items in MORE3.items():
    T[_intent].extend(_items)
for _intent, _items in MORE2.items():
    T[_intent].extend(_items)
for _intent, _items in MORE.items():
    T[_intent].extend(_items)

# ------------------------------------------------------------------ literals
# Hand-written messages with their slots (dates relative to TODAY).

L: dict[str, list[Any]] = {}

L["ot.accept"] = """
yes | yeah | yep | yup | yea | ya | yas | yess | yesss | YES! | Yes. | aye | Aye | aye aye
aye go on | aye nae bother | nae bother | no bother | no problem | no probs | not a problem
sure | sure thing | of course | ofc | defo | definitely | absolutely | go on then
yh go on then | go on | ok | okay | OK | Ok | OK I'll do it | I'll do it | I'll take it
I'll take that shift | I can do that | I can cover | I can cover it | can do | I'm in
put me down | put me down for it | sign me up for that one | happy to | happy to do it
happy to help | happy to cover | yes pls | yes I can | yes i can do that | yeah I'll do it
yeah go on | yeah no bother | yeah sure | yes 👍 | 👍 yes | Yes definitely | Accept | accept
I accept | I'll be there | I'll come in | I can come in | I can work it
that's fine I'll do it | fine | fine by me | sounds good | sounds good, I'll do it
grand | brilliant yes | why not | go for it | yes x | yes xx | yep no probs
I'm free, I'll do it | I'm available | available | I'm up for it | up for it | I'll grab it
grab it for me | book me in | pop me down | stick me down | yaas | aye no bother | aye fine
aye I can | I can do the shift | yes I'm free | I'm free that night yes | aye I'll take it
course I will | yes happy to | yes of course | I'll do the night | I'll cover the late
yes I can do the early | will do | I will | yes I will | Aye that's fine | ok will do
yes mate | yes hun | yes ta | sure no problem | aye cool | cool I'll do it
absolutely happy to | yes I'm happy to do that shift | ok sure | sure why not
yep I'll be in | yes that's fine | yes no problem | yeah that's grand | I'll do it no bother
yes can do | aye can do | I'm in 👍 | yes!! | YES PLEASE | yes plz | ye | yeh | yeah go on then
yes I'll do it x | I can do it yes | i can do it | i can | I can | I can yes | can do x
yes I'll be there | no worries I'll do it | ok I'll come in | alright I'll do it | Yep!
aye put me down | put my name down | yes put me down for it | I'll have it
yes please I'll take it | im in | I am in | yes count me in | ok count me in | I'll work it
yes I'm available | available yes | I'm free | free yes | yes im free | yas queen I'll do it
deal | it's a deal | done | ok done | consider it done | I'll sort it | leave it with me I'll do it
accept shift | accept the shift | I accept the shift | yes accept | accepting | accepted
""".replace("\n", " | ").split(" | ")

L["ot.decline"] = """
no | nope | nah | naw | na | n | no thanks | no ta | no, sorry | NO, SORRY | sorry no | sorry can't
sorry, can't | can't | cannae | canny | can't make it | can't do it | cant do it sorry
not this time | not this time thanks | not for me | I'll pass | pass | I'll give it a miss
no chance | not today | not tonight sorry | decline | I decline | no can do | afraid not
I'm afraid I can't | unfortunately not | sadly not | can't sorry | no sorry | nah sorry
nah not this time | no i cant | I can't do it sorry | I cannot | I'm not able to
not able to sorry | won't be able to | wont manage | I can't manage it | not available
I'm not available | unavailable | busy sorry | not free | nope sorry | thanks but no
thanks but no thanks | thanks, but I can't | I'll leave it | I'll have to say no
gonna have to say no | I don't think so | not really | rather not | I'd rather not
no sorry hun | nae chance | I cannae | nah cannae | no 👎 | 👎 sorry | maybe next time
no x | no sorry x | Nope. | NO | No! | no!! | nah mate | no mate | no pal | nah no thanks
I can't sorry | sorry I can't | sorry I cant | soz can't | soz no | sry no | no sry | naw sorry
not this time sorry | I'll sit this one out | sitting this one out | I'm out | count me out
not for me thanks | no I'm good | I'm good thanks | I'm alright thanks | I'll leave it thanks
no thank you x | not possible | not possible sorry | can't do that one | cannot do that one
can't make that | I can't make that one | can't manage | sorry can't manage it | no I won't
I won't | I'll not | I'll no manage | I cannae manage | canny dae it | cannae dae it
can't help sorry | can't help this time | sorry can't help | no sorry can't help out
decline shift | decline the shift | declined | declining | reject | not interested
not interested thanks | no not interested | no can't | no cant | I can't | I cant | can't do
""".replace("\n", " | ").split(" | ")

L["ot.optin"] = [
    "opt in",
    "OPT IN",
    "opt in please",
    "I'd like overtime again",
    "overtime again please",
    "I want overtime",
    "I want to do overtime",
    "put me on the overtime list",
    "sign me up for overtime",
    "I'd like to do extra shifts",
    "keen for overtime",
    "send me overtime offers",
    "I'm looking for more shifts",
    "I need more hours",
    "please include me in overtime",
    "I'm available for overtime again",
    "resume overtime texts",
    "turn overtime messages back on",
    "add me back to overtime",
    "I'm back, send me OT again",
    "can I do overtime again",
    "I want on the bank list",
    "happy to do extra",
    "happy to pick up extra",
    "happy to help with any gaps",
    "I'll take any extra shifts going",
    "I want overtime texts again please",
    "start texting me about overtime",
    "I'd love more overtime",
    "more overtime please",
    "yes I want overtime offers",
    "I want to be on the overtime list",
    "could I start getting overtime offers",
    "put me down for extra shifts",
    "I can pick up extra shifts now",
    "I'm free for overtime now",
    "let me know about overtime",
    "message me when there's overtime",
    "text me if you need cover",
    "I'd like to be contacted about overtime",
    "re-subscribe me to overtime",
    "switch my overtime back on",
    "overtime back on please",
    "I'm happy to do OT",
    "I'm after more hours",
    "I'd like to start doing OT",
    "OT please, I need the money",
    ("happy to do nights at Victoria", {"shift_type": "night", "home": "Victoria Gardens"}),
    ("I'm keen for lates at Hawthorn House", {"shift_type": "late", "home": "Hawthorn House"}),
    ("add me to overtime for weekends", {"day_kind": "weekend"}),
    (
        "I can do extra long days at Riverside",
        {"shift_type": "long_day", "home": "Riverside Court"},
    ),
    (
        "let me know if any earlies come up at orchard",
        {"shift_type": "early", "home": "Orchard Grove"},
    ),
]
L["ot.optout"] = [
    "opt out",
    "OPT OUT please",
    "opt me out",
    "no more overtime",
    "no more OT please",
    "stop the overtime texts",
    "stop sending me overtime",
    "stop sending overtime",
    "take me off overtime",
    "take me off the list",
    "remove me from the OT list",
    "I don't want any more overtime",
    "I don't want overtime",
    "no overtime for me thanks",
    "I'm not doing overtime anymore",
    "don't text me about overtime",
    "don't send me OT",
    "please stop the extra shift messages",
    "no more extra shift texts",
    "can you stop asking me to do overtime",
    "stop asking me to cover",
    "enough overtime texts",
    "I've had enough of the overtime texts",
    "no more shift offers please",
    "unsubscribe me from overtime",
    "unsubscribe from overtime texts",
    "overtime off please",
    "turn off overtime",
    "turn overtime off",
    "switch off overtime offers",
    "I'm taking a break from overtime",
    "pause my overtime",
    "no OT texts for a while",
    "I don't want to do overtime any more",
    "leave me off overtime",
    "count me out of overtime",
    "don't ask me for overtime",
    "I'm done with overtime",
    "overtime opt out",
    "please remove me from overtime",
    "remove me from extra shifts",
    "stop contacting me for overtime",
    "no more cover requests please",
    "don't want any more extra shift requests",
    "I'd like to stop getting overtime offers",
    "no overtime",
    "stop OT",
    "OT off",
]
L["ot.preferences"] = [
    ("nights only", {"shift_type": "night"}),
    ("earlies only please", {"shift_type": "early"}),
    ("just lates", {"shift_type": "late"}),
    ("only long days", {"shift_type": "long_day"}),
    ("weekends only", {"day_kind": "weekend"}),
    ("weekdays only", {"day_kind": "weekday"}),
    ("I can only do weekdays now", {"day_kind": "weekday"}),
    ("no weekends please", {"day_kind": "weekend"}),
    ("I'm not doing weekends any more", {"day_kind": "weekend"}),
    ("only Meadowburn please", {"home": "Meadowburn"}),
    ("just Victoria Gardens from now on", {"home": "Victoria Gardens"}),
    ("I can do Hawthorn as well now", {"home": "Hawthorn House"}),
    ("I'd prefer earlies", {"shift_type": "early"}),
    ("change my preferences", {}),
    ("update my overtime preferences", {}),
    ("can I change my overtime settings", {}),
    ("change which shifts I get offered", {}),
    ("change my homes", {}),
    ("I want to change my availability", {}),
    ("my availability has changed", {}),
    ("different shifts please", {}),
    ("I can do any home now", {}),
    ("I can work at all the homes now", {}),
    ("I can't do nights any more", {"shift_type": "night"}),
    ("no more nights please", {"shift_type": "night"}),
    ("don't send me lates", {"shift_type": "late"}),
    ("stop sending me long days", {"shift_type": "long_day"}),
    ("only offer me shifts at Riverside Court", {"home": "Riverside Court"}),
    ("I only want overtime at orchard grove", {"home": "Orchard Grove"}),
    ("I can do days and nights now", {"shift_type": "night"}),
    ("weekend shifts only from now", {"day_kind": "weekend"}),
    ("midweek only please", {"day_kind": "weekday"}),
    ("set my preferences to earlies and lates", {"shift_type": "early"}),
    ("I can only work Hawthorn House now", {"home": "Hawthorn House"}),
    ("I don't drive anymore so just Victoria please", {"home": "Victoria Gardens"}),
    ("happy to do weekends now as well", {"day_kind": "weekend"}),
    ("I can't do weekends anymore, weekdays only", {"day_kind": "weekday"}),
    ("I moved house, only Riverside from now on", {"home": "Riverside Court"}),
    ("only text me about nights", {"shift_type": "night"}),
]
L["leave.request"] = [
    ("I need a day off next Friday", {"start_date": "2026-01-16", "end_date": "2026-01-16"}),
    ("can I book holiday", {"leave_type": "annual"}),
    ("I want to book some leave", {}),
    ("I'd like to request annual leave", {"leave_type": "annual"}),
    ("leave request please", {}),
    ("can I request time off", {}),
    ("I need time off", {}),
    ("how do I get a day off on the 30th", {"start_date": "2026-01-30", "end_date": "2026-01-30"}),
    ("can I have Friday and Saturday off", {"start_date": "2026-01-16", "end_date": "2026-01-17"}),
    ("day off tomorrow please", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    (
        "I'd like to book a holiday in March",
        {"start_date": "2026-03-01", "end_date": "2026-03-31", "leave_type": "annual"},
    ),
    (
        "holiday 12/02 please",
        {"start_date": "2026-02-12", "end_date": "2026-02-12", "leave_type": "annual"},
    ),
    ("can i get the 31st off pls", {"start_date": "2026-01-31", "end_date": "2026-01-31"}),
    (
        "can I have a personal day on Monday",
        {"start_date": "2026-01-19", "end_date": "2026-01-19", "leave_type": "personal"},
    ),
    (
        "I need compassionate leave from tomorrow, my dad has died",
        {"start_date": "2026-01-15", "end_date": "2026-01-15", "leave_type": "compassionate"},
    ),
    (
        "study leave on the 4th for my SVQ",
        {"start_date": "2026-02-04", "end_date": "2026-02-04", "leave_type": "training"},
    ),
    (
        "can I take unpaid leave next week",
        {"start_date": "2026-01-19", "end_date": "2026-01-25", "leave_type": "unpaid"},
    ),
    (
        "hols 2nd-6th march?",
        {"start_date": "2026-03-02", "end_date": "2026-03-06", "leave_type": "annual"},
    ),
    (
        "AL 23/01 pls",
        {"start_date": "2026-01-23", "end_date": "2026-01-23", "leave_type": "annual"},
    ),
    ("wanting the weekend off", {"start_date": "2026-01-17", "end_date": "2026-01-18"}),
    ("can I be off on valentines day", {}),
    (
        "I've booked flights for 9th-16th Feb, can I have that as annual leave",
        {"start_date": "2026-02-09", "end_date": "2026-02-16", "leave_type": "annual"},
    ),
    (
        "I need the morning off on Thursday for an appointment",
        {"start_date": "2026-01-15", "end_date": "2026-01-15"},
    ),
    (
        "can I swap to a holiday on Sunday",
        {"start_date": "2026-01-18", "end_date": "2026-01-18", "leave_type": "annual"},
    ),
    (
        "is the 20th free for a holiday",
        {"start_date": "2026-01-20", "end_date": "2026-01-20", "leave_type": "annual"},
    ),
    (
        "I'd like a week off at the end of Feb",
        {"start_date": "2026-02-01", "end_date": "2026-02-28"},
    ),
    (
        "requesting leave for my wedding on 5th June",
        {"start_date": "2026-06-05", "end_date": "2026-06-05"},
    ),
    ("can I have leave over Christmas", {"start_date": "2026-12-25", "end_date": "2026-12-25"}),
    ("I want Boxing Day off", {"start_date": "2026-12-26", "end_date": "2026-12-26"}),
]
L["leave.balance"] = [
    "how much holiday have I got",
    "leave balance",
    "holiday balance",
    "AL balance?",
    "how many days annual leave left",
    "what's my entitlement",
    "how much leave do i have",
    "how much leave have I got left this year",
    "hols left?",
    "how many hols have I got",
    "days of leave remaining?",
    "what leave do I have",
    "my leave",
    "my annual leave?",
    "have I any holidays left",
    "do I have any days left",
    "how many days can I still take",
    "how much time off am I owed",
    "what's left of my holidays",
    "check leave balance",
    "how many hours of annual leave do I have",
    "annual leave remaining",
    "how much leave have I used",
    "how many holidays have I taken",
    "remaining holiday?",
    "can you tell me my holiday allowance",
    "leave allowance",
    "holiday entitlement left",
    "how much AL have I got",
    "how many days leave do i have left to book",
    "how much of my holiday is left",
    "am I out of holidays",
    "have I used up my leave",
    "whats my hol balance",
    "how many leave days left",
    "leave left?",
    "any leave left?",
]
L["sickness.report"] = [
    ("sick", {}),
    ("off sick", {}),
    ("calling in sick", {}),
    ("I'm sick", {}),
    ("I'm ill", {}),
    ("I'm not well, won't be in", {}),
    ("not coming in, I'm unwell", {}),
    ("I can't come in", {}),
    ("can't come in today sorry", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
    ("I won't be in tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    ("I'm too poorly to work", {}),
    ("won't make my shift", {}),
    (
        "I won't make my shift tonight",
        {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    (
        "sorry I can't do my early tomorrow, I've got a stomach bug",
        {"start_date": "2026-01-15", "end_date": "2026-01-15", "shift_type": "early", "reason": 1},
    ),
    (
        "I've got covid so I'll be off until Monday",
        {"start_date": "2026-01-14", "end_date": "2026-01-19", "reason": 1},
    ),
    ("still off sick", {}),
    ("still not well, not in today", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
    ("my doctor has signed me off for 2 weeks", {"reason": 1}),
    ("I've been signed off sick", {}),
    ("sick line for this week", {"start_date": "2026-01-14", "end_date": "2026-01-18"}),
    ("off sick today and tomorrow", {"start_date": "2026-01-14", "end_date": "2026-01-15"}),
    ("I've got D&V, won't be in for 48 hours", {"reason": 1}),
    ("not well enough to come in for my late", {"shift_type": "late"}),
    ("I'm going to have to go off sick", {}),
    ("I'm ill, can't do my long day", {"shift_type": "long_day"}),
    (
        "cannae make it in the morra, I'm no weel",
        {"start_date": "2026-01-15", "end_date": "2026-01-15"},
    ),
    ("sick today x", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
    ("I won't be at work today", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
    ("I'll not be in the night, I'm poorly", {"shift_type": "night"}),
    ("I'm not going to make my night shift", {"shift_type": "night"}),
    ("I need to go home sick", {}),
    ("can't work today", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
    ("I've broken my wrist, can't work for a while", {"reason": 1}),
    ("I'm absent today", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
]
L["rota.mine"] = [
    ("my rota", {}),
    ("my shifts", {}),
    ("rota please", {}),
    ("send me my rota", {}),
    ("when am I next on", {}),
    ("when do I work next", {}),
    ("next shift?", {}),
    ("when am I in", {}),
    ("what shifts have I got", {}),
    ("what are my shifts", {}),
    ("am I on tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    ("am I in today", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
    ("am i working tmrw", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    ("what am I on at the weekend", {"start_date": "2026-01-17", "end_date": "2026-01-18"}),
    ("my rota for next week", {"start_date": "2026-01-19", "end_date": "2026-01-25"}),
    ("what shifts do I have in February", {"start_date": "2026-02-01", "end_date": "2026-02-28"}),
    ("do I work Saturday", {"start_date": "2026-01-17", "end_date": "2026-01-17"}),
    ("when's my next night", {}),
    ("when's my next long day", {}),
    ("what time am I on tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    ("what's my shift pattern", {}),
    ("which days am I on this week", {"start_date": "2026-01-14", "end_date": "2026-01-18"}),
    ("am I off on the 22nd", {"start_date": "2026-01-22", "end_date": "2026-01-22"}),
    ("have I got work on Monday", {"start_date": "2026-01-19", "end_date": "2026-01-19"}),
    ("my schedule", {}),
    ("my hours this week", {"start_date": "2026-01-14", "end_date": "2026-01-18"}),
    ("where am I working tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    ("am I on the rota for Christmas", {"start_date": "2026-12-25", "end_date": "2026-12-25"}),
    (
        "how many shifts am I doing this month",
        {"start_date": "2026-01-14", "end_date": "2026-01-31"},
    ),
]
L["help"] = [
    "help",
    "Help",
    "help!",
    "HELP!",
    "info",
    "Info",
    "INFO please",
    "help please",
    "?? help",
    "what can I do here",
    "what do I text",
    "how does this work",
    "instructions please",
    "what can you do",
    "what do you do",
    "what are my options",
    "options",
    "menu",
    "commands",
    "list commands",
    "how do I use this",
    "what can I ask you",
    "what can staffbot do",
    "how do I book leave through this",
    "how do I say yes to a shift",
    "how do I stop getting overtime texts",
    "how does overtime work on here",
    "what can i say to you",
    "who are you, what can you do",
    "i don't know how this works",
    "explain how to use this",
    "tutorial",
    "user guide",
    "how does the bot work",
    "what messages do you understand",
    "can you help me",
    "I'm confused, help",
]
L["staffing.gaps"] = [
    ("who's short?", {}),
    ("whos short", {}),
    ("gaps?", {}),
    ("any gaps", {}),
    ("shortages", {}),
    ("staffing gaps", {}),
    ("where are we short", {}),
    ("any gaps at hawthorn?", {"home": "Hawthorn House"}),
    (
        "any gaps this weekend at hawthorn?",
        {"start_date": "2026-01-17", "end_date": "2026-01-18", "home": "Hawthorn House"},
    ),
    (
        "are we short anywhere tonight",
        {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    ("unfilled shifts", {}),
    ("open shifts", {}),
    ("what needs covering", {}),
    ("what's uncovered tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    ("any holes in the rota", {}),
    ("short staffed anywhere?", {}),
    ("where do we need bodies tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    (
        "RN gaps tonight",
        {"role": "RN", "start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    ("any night gaps at victoria", {"shift_type": "night", "home": "Victoria Gardens"}),
    (
        "carer shortages at Meadowburn this week",
        {"role": "HCA", "home": "Meadowburn", "start_date": "2026-01-14", "end_date": "2026-01-18"},
    ),
    (
        "are we covered tonight?",
        {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    ("is everything covered this weekend", {"start_date": "2026-01-17", "end_date": "2026-01-18"}),
    ("do we have enough staff tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    (
        "how are we looking for staff tomorrow",
        {"start_date": "2026-01-15", "end_date": "2026-01-15"},
    ),
    ("staffing levels ok for the weekend?", {"start_date": "2026-01-17", "end_date": "2026-01-18"}),
    ("where are the gaps", {}),
    ("list gaps", {}),
    ("show gaps", {}),
]
L["staffing.on_shift"] = [
    ("who's on", {}),
    ("who's on today", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
    ("who is working", {}),
    ("who's in", {}),
    ("who's working now", {}),
    (
        "who's on tonight",
        {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    (
        "who's in charge tonight at Riverside",
        {
            "start_date": "2026-01-14",
            "end_date": "2026-01-14",
            "shift_type": "night",
            "home": "Riverside Court",
        },
    ),
    ("staff on duty", {}),
    ("who's on the floor", {}),
    ("who's rostered today", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
    ("who's working at victoria", {"home": "Victoria Gardens"}),
    ("which nurses are on", {"role": "RN"}),
    ("who's the nurse on", {"role": "RN"}),
    ("who is on the early", {"shift_type": "early"}),
    (
        "list who's on nights this week",
        {"shift_type": "night", "start_date": "2026-01-14", "end_date": "2026-01-18"},
    ),
    (
        "who's working the weekend at orchard",
        {"start_date": "2026-01-17", "end_date": "2026-01-18", "home": "Orchard Grove"},
    ),
    ("who have we got in tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
    (
        "who's covering tonight",
        {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    ("whos on shift", {}),
    ("on shift now?", {}),
    ("who's about today", {"start_date": "2026-01-14", "end_date": "2026-01-14"}),
]
L["forecast.show"] = [
    ("forecast", {}),
    ("show forecast", {}),
    ("demand forecast", {}),
    ("staffing forecast please", {}),
    ("what's the forecast", {}),
    ("forecast next week", {"start_date": "2026-01-19", "end_date": "2026-01-25"}),
    ("predicted demand", {}),
    ("how many staff do we need next week", {"start_date": "2026-01-19", "end_date": "2026-01-25"}),
    ("how busy will we be at the weekend", {"start_date": "2026-01-17", "end_date": "2026-01-18"}),
    ("projected staffing for February", {"start_date": "2026-02-01", "end_date": "2026-02-28"}),
    ("what does the model say for meadowburn", {"home": "Meadowburn"}),
    (
        "expected demand at riverside tomorrow",
        {"home": "Riverside Court", "start_date": "2026-01-15", "end_date": "2026-01-15"},
    ),
    ("demand outlook", {}),
    ("predictions for the next 2 weeks", {"start_date": "2026-01-14", "end_date": "2026-01-27"}),
    (
        "how many carers will we need at Hawthorn on Saturday",
        {"home": "Hawthorn House", "start_date": "2026-01-17", "end_date": "2026-01-17"},
    ),
    (
        "forecast staffing need for victoria gardens over the next 10 days",
        {"home": "Victoria Gardens", "start_date": "2026-01-14", "end_date": "2026-01-23"},
    ),
]
L["ot.request"] = [
    ("find cover", {}),
    (
        "find cover for tonight",
        {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    (
        "we need a nurse tonight",
        {"role": "RN", "start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    (
        "send out the night shift at victoria for tomorrow",
        {
            "shift_type": "night",
            "home": "Victoria Gardens",
            "start_date": "2026-01-15",
            "end_date": "2026-01-15",
        },
    ),
    ("get me a carer for the late", {"role": "HCA", "shift_type": "late"}),
    (
        "need an extra HCA on the early at meadowburn tomorrow, ask 6 people",
        {
            "role": "HCA",
            "shift_type": "early",
            "home": "Meadowburn",
            "start_date": "2026-01-15",
            "end_date": "2026-01-15",
            "count": 6,
        },
    ),
    ("start outreach", {}),
    ("start an overtime request", {}),
    ("request overtime cover", {}),
    (
        "put out a shift for Saturday night at riverside",
        {
            "start_date": "2026-01-17",
            "end_date": "2026-01-17",
            "shift_type": "night",
            "home": "Riverside Court",
        },
    ),
    (
        "RN needed for LD 22/01 Orchard Grove",
        {
            "role": "RN",
            "shift_type": "long_day",
            "start_date": "2026-01-22",
            "end_date": "2026-01-22",
            "home": "Orchard Grove",
        },
    ),
    ("someone's gone sick, find a senior for the late", {"role": "SSW", "shift_type": "late"}),
    ("can you find cover for Jennifer's night", {"shift_type": "night"}),
    (
        "need 2 carers for tomorrow's early",
        {
            "count": 2,
            "role": "HCA",
            "shift_type": "early",
            "start_date": "2026-01-15",
            "end_date": "2026-01-15",
        },
    ),
    ("offer it to 3 people", {"count": 3}),
    ("text round for a nurse", {"role": "RN"}),
    (
        "ask the bank staff for a long day on Sunday",
        {"shift_type": "long_day", "start_date": "2026-01-18", "end_date": "2026-01-18"},
    ),
    ("get overtime out for the night shift", {"shift_type": "night"}),
]
L["ot.rank"] = [
    ("who would you ask", {}),
    ("show ranking", {}),
    ("ranking please", {}),
    ("who's top of the overtime list", {}),
    ("show me candidates", {}),
    (
        "who's eligible for tonight",
        {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    (
        "dry run for tomorrow's late at victoria",
        {
            "start_date": "2026-01-15",
            "end_date": "2026-01-15",
            "shift_type": "late",
            "home": "Victoria Gardens",
        },
    ),
    ("who would get the offer first", {}),
    ("just rank them, don't send", {}),
    ("preview the list for a nurse on nights", {"role": "RN", "shift_type": "night"}),
    (
        "who's best placed to cover the early on Sunday",
        {"shift_type": "early", "start_date": "2026-01-18", "end_date": "2026-01-18"},
    ),
    (
        "list eligible carers for saturday at meadowburn",
        {"role": "HCA", "start_date": "2026-01-17", "end_date": "2026-01-17", "home": "Meadowburn"},
    ),
    (
        "top 5 for the long day tomorrow",
        {
            "count": 5,
            "shift_type": "long_day",
            "start_date": "2026-01-15",
            "end_date": "2026-01-15",
        },
    ),
    ("who's next in line for overtime", {}),
]
L["ot.status"] = [
    ("any takers?", {}),
    ("any takers yet", {}),
    ("has anyone replied", {}),
    ("has anyone said yes", {}),
    ("any response to the overtime", {}),
    ("status of the overtime request", {}),
    ("is the shift filled", {}),
    ("did anyone take the night shift", {"shift_type": "night"}),
    (
        "has tonight been covered",
        {"start_date": "2026-01-14", "end_date": "2026-01-14", "shift_type": "night"},
    ),
    ("outreach update", {}),
    ("OT update", {}),
    ("any joy with the late?", {"shift_type": "late"}),
    (
        "any luck filling tomorrow's early at hawthorn",
        {
            "start_date": "2026-01-15",
            "end_date": "2026-01-15",
            "shift_type": "early",
            "home": "Hawthorn House",
        },
    ),
    ("who accepted", {}),
    ("has anyone accepted yet", {}),
    ("how's the overtime going", {}),
    ("is OT 44 sorted", {"ref": 44}),
    ("what's happening with #19", {"ref": 19}),
    (
        "did we get cover for tonight at victoria",
        {
            "start_date": "2026-01-14",
            "end_date": "2026-01-14",
            "shift_type": "night",
            "home": "Victoria Gardens",
        },
    ),
]
L["ot.cancel"] = [
    ("cancel OT12", {"ref": 12}),
    ("cancel #4", {"ref": 4}),
    ("cancel 19", {"ref": 19}),
    ("cancel that", {}),
    ("cancel the outreach", {}),
    ("cancel the overtime request", {}),
    ("stop the outreach", {}),
    ("stop texting people, it's covered", {}),
    ("shift's covered, cancel the request", {}),
    ("call it off", {}),
    ("withdraw the overtime offer", {}),
    ("no longer need cover, cancel", {}),
    ("scrap that request", {}),
    ("stop outreach OT3", {"ref": 3}),
    ("we found cover so cancel OT 15", {"ref": 15}),
    ("kill request 8", {"ref": 8}),
    ("pull the offer #71", {"ref": 71}),
    ("cancel request number 9", {"ref": 9}),
]
L["leave.pending"] = [
    "pending leave",
    "leave to approve",
    "any leave requests?",
    "holiday requests",
    "leave requests",
    "what leave is pending",
    "who's asked for holidays",
    "leave queue",
    "show leave requests",
    "any holidays to sign off",
    "outstanding leave",
    "what needs approving",
    "anything to approve?",
    "time off requests",
    ("pending leave at Meadowburn", {"home": "Meadowburn"}),
    ("any holiday requests for victoria", {"home": "Victoria Gardens"}),
    ("leave requests riverside", {"home": "Riverside Court"}),
    ("leave awaiting approval at hawthorn house", {"home": "Hawthorn House"}),
]
L["leave.approve"] = [
    ("approve", {}),
    ("approve it", {}),
    ("approve that", {}),
    ("approve the leave", {}),
    ("approve leave", {}),
    ("approved", {}),
    ("yes approve", {}),
    ("approve 12", {"ref": 12}),
    ("approve #40", {"ref": 40}),
    ("approve leave 88", {"ref": 88}),
    ("grant leave 5", {"ref": 5}),
    ("grant 33", {"ref": 33}),
    ("Approve Priya's holiday", {"staff": "Priya Nair"}),
    ("approve david's leave", {"staff": "David Wilson"}),
    ("approve Eilidh's leave", {}),
    ("ok Callum's holiday", {}),
    ("approve Tom's annual leave", {"staff": "Tom Baxter"}),
    ("approve Mhairi McLeod's request", {"staff": "Mhairi McLeod"}),
    ("yes to Aisha's leave", {"staff": "Aisha Rahman"}),
    ("approve the leave for Sutherland", {"staff": "Finlay Sutherland"}),
    ("ok leave request 17 approved", {"ref": 17}),
    ("77 approved", {"ref": 77}),
    ("sign off leave #23", {"ref": 23}),
    ("approve request 64", {"ref": 64}),
]
L["leave.deny"] = [
    ("deny", {}),
    ("deny it", {}),
    ("refuse the leave", {}),
    ("reject that request", {}),
    ("deny 12", {"ref": 12}),
    ("refuse #41", {"ref": 41}),
    ("reject leave 9", {"ref": 9}),
    ("decline holiday request 15", {"ref": 15}),
    ("decline leave 22", {"ref": 22}),
    ("deny Mark's holiday", {"staff": "Mark Stevens"}),
    ("refuse Sarah's leave, we're short that week", {"staff": "Sarah MacKenzie", "reason": 1}),
    ("no to Priya's leave request", {"staff": "Priya Nair"}),
    ("decline Eilidh's leave", {}),
    ("reject Callum's holiday", {}),
    ("deny leave 44 - not enough notice", {"ref": 44, "reason": 1}),
    ("can't approve 31 as we have an inspection", {"ref": 31, "reason": 1}),
    ("deny Kirsty Reid's request", {"staff": "Kirsty Reid"}),
    ("turn down Gillespie's leave", {"staff": "Ailsa Gillespie"}),
    ("leave 58 refused", {"ref": 58}),
]
L["fairness.report"] = [
    ("fairness", {}),
    ("fairness report", {}),
    ("OT fairness", {}),
    ("overtime spread", {}),
    ("who does the most overtime", {}),
    ("is overtime fair", {}),
    ("overtime distribution", {}),
    ("who's hogging the overtime", {}),
    ("OT league table", {}),
    ("overtime by staff member", {}),
    ("fairness last quarter", {"days": 90}),
    ("overtime spread this year", {"days": 365}),
    ("OT fairness at victoria over 3 months", {"home": "Victoria Gardens", "days": 90}),
    ("who's done the least overtime in 30 days", {"days": 30}),
    ("fairness report meadowburn", {"home": "Meadowburn"}),
    ("are we spreading overtime evenly", {}),
    ("show me how overtime's been shared out", {}),
]
L["staff.profile"] = [
    ("Tom Baxter", {"staff": "Tom Baxter"}),
    ("profile Priya", {"staff": "Priya Nair"}),
    ("Mark Stevens overtime", {"staff": "Mark Stevens"}),
    ("what about Aisha", {"staff": "Aisha Rahman"}),
    ("tell me about David Wilson", {"staff": "David Wilson"}),
    ("how's Sarah doing with overtime", {"staff": "Sarah MacKenzie"}),
    ("show me Eilidh's profile", {}),
    ("Callum's record", {}),
    ("Iona Stewart stats", {"staff": "Iona Stewart"}),
    ("how many shifts has Hamish picked up", {"staff": "Hamish Paterson"}),
    ("Ferguson profile", {"staff": "Catriona Ferguson"}),
    ("acceptance rate for Rory Cunningham", {"staff": "Rory Cunningham"}),
    ("does jennifer ever take overtime", {"staff": "Jennifer Ross"}),
    ("has Mark done any OT yet", {"staff": "Mark Stevens"}),
    ("overtime record for Shona", {"staff": "Shona Urquhart"}),
    ("how much extra has Lindsay worked", {"staff": "Morven Lindsay"}),
]
L["rota.generate"] = [
    ("make the rota", {}),
    ("generate rota", {}),
    ("draft a rota", {}),
    ("create a new schedule", {}),
    ("run the optimiser", {}),
    ("optimise the rota", {}),
    (
        "build next week's rota for meadowburn",
        {"start_date": "2026-01-19", "end_date": "2026-01-25", "home": "Meadowburn"},
    ),
    (
        "rota for March please, Hawthorn House",
        {"start_date": "2026-03-01", "end_date": "2026-03-31", "home": "Hawthorn House"},
    ),
    (
        "generate the schedule for the next 4 weeks",
        {"start_date": "2026-01-14", "end_date": "2026-02-10"},
    ),
    ("draft the February rota", {"start_date": "2026-02-01", "end_date": "2026-02-28"}),
    (
        "auto-roster riverside for next month",
        {"home": "Riverside Court", "start_date": "2026-02-01", "end_date": "2026-02-28"},
    ),
    (
        "can you plan the shifts for w/c 2nd Feb",
        {"start_date": "2026-02-02", "end_date": "2026-02-08"},
    ),
    (
        "work out a rota for victoria for the next fortnight",
        {"home": "Victoria Gardens", "start_date": "2026-01-14", "end_date": "2026-01-27"},
    ),
    ("do me a rota", {}),
    ("sort the rota out", {}),
]
L["training.expiring"] = [
    ("training expiring", {}),
    ("expiring training", {}),
    ("who needs training", {}),
    ("training due", {}),
    ("training renewals", {}),
    ("overdue training", {}),
    ("who's out of date", {}),
    ("who needs a refresher", {}),
    ("mandatory training due this month", {"start_date": "2026-01-14", "end_date": "2026-01-31"}),
    (
        "who's first aid runs out in february",
        {"start_date": "2026-02-01", "end_date": "2026-02-28"},
    ),
    ("fire training expiring at riverside", {"home": "Riverside Court"}),
    (
        "who needs manual handling at Hawthorn in the next 90 days",
        {"home": "Hawthorn House", "days": 90},
    ),
    ("certs expiring within 60 days", {"days": 60}),
    ("whose training expires soon", {}),
    ("training matrix expiries", {}),
    ("who needs to do safeguarding again", {}),
    ("list expiring qualifications at Orchard Grove", {"home": "Orchard Grove"}),
    ("any training lapsing next week", {"start_date": "2026-01-19", "end_date": "2026-01-25"}),
]

UNKNOWN = """
hello | hi | hiya | hey | hey there | hi there | hello there | good morning | morning
good afternoon | afternoon | good evening | evening all | hi staffbot | hello bot | yo
thanks | thank you | thanks! | thank you so much | thanks a lot | many thanks | ta | ta very much
cheers | cheers mate | nice one | brilliant thanks | great | great thanks | perfect thanks
ok thanks | okay cheers | ok cheers | ok ta | ok got it | noted | understood | got it thanks
good | cool | lovely | amazing | awesome | fab | brill | magic | champion | sweet
lol | haha | hahaha | 😂 | lmao | omg | wow | ffs | ugh | meh | hmm | hmmm | umm
what time is it | who are you voting for | where's the nearest pharmacy | blah blah
what's the weather like | is it raining | is it going to snow | did you see the football
who won the match | what's for lunch | what's for tea | I'm starving | I'm knackered
are you a robot | are you a bot | are you real | who are you | what's your name
who made you | do you have feelings | I love you | you're useless | rubbish bot
stupid bot | this is pointless | tell me a joke | sing me a song | what's 2+2
what's the capital of France | how old are you | where do you live | are you human
good night | night night | nite nite | sleep well | see you tomorrow | see you later
bye | goodbye | bye bye | ttyl | speak soon | have a good weekend | have a nice day
merry christmas | happy new year | happy birthday | happy friday | happy easter
sorry wrong number | wrong person sorry | who is this? | is this the office?
call me back | ring me please | can you call me | can I speak to a human
can I talk to the manager | can I speak to Claire | put me through to the office
what's the wifi password | where do I park | the car park is full | my badge doesn't work
I lost my lanyard | the lift is broken | the door code isn't working | fire alarm test today
we need more gloves on unit 2 | we're out of pads | the hoist is broken
Mrs Smith's family are visiting at 2 | the GP is coming at 11 | resident in room 4 had a fall
the pharmacy delivery is late | the kitchen's flooded | the heating is off in the lounge
when is payday | my pay is wrong | where's my payslip | I haven't been paid
how do I change my bank details | my address has changed | I need a P60 | pension question
what's the overtime rate | how much is overtime paid | do we get paid for breaks
can I swap shifts with someone | can I swap my shift with Tom | shift swap?
I'll be 10 mins late | running late sorry | stuck in traffic | bus is late, be there soon
I'm outside | I'm here | on my way | just arrived | leaving now | can someone let me in
I've finished my training | I passed my course! | got my SVQ | when is my appraisal
can I have a reference | I want to resign | I'm handing in my notice | how do I apply for a job
is there a staff meeting today | when's the next team meeting | is the christmas party on
what's the dress code | where are the spare uniforms | can I get a new tunic
I've left my phone charger in the staff room | whose car is blocking the gate
test | testing | testing 123 | test message | asdf | asdfgh | qwerty | ... | ??? | ! | ?
mhm | hm | oh | ah | oh ok | ah right | right | fair enough | no worries
maybe | not sure | let me check | I'll get back to you | let me think about it | dunno
I'll ask my husband | depends | possibly | might do | what time does it start
how long is the shift | what's the pay | which unit is it | is it at my home
who else is on | is it paid at time and a half | is parking free there
I'm going on holiday tomorrow! | just back from holiday | had a lovely weekend
the residents loved the singer | it's been a busy day | long day today | what a night
anyone seen my glasses | did anyone find a purse | who's got the keys
please call the office | tell Claire I called | can you pass on a message to Graham
the printer isn't working | my password doesn't work | I can't log in to the app
how do I reset my password | the app keeps crashing | is the system down
¿puedo trabajar mañana? | hola | gracias | bonjour | merci | czy mogę jutro pracować?
dziękuję | dzień dobry | 你好 | 明天我可以工作吗 | مرحبا | こんにちは | привет | buna ziua
multumesc | obrigado | danke | ciao | grazie | namaste | salam
🙂 | 😀😀 | ❤️ | 🙏 | 👋 | 🎉 | 😢 | 🤷 | 🔥🔥 | 👍👍👍
STOP | stop | Stop | STOPALL | stopall | UNSUBSCRIBE | unsubscribe | CANCEL | cancel
END | end | QUIT | quit | REVOKE | revoke | OPTOUT | optout | START | start | UNSTOP | unstop
STOP! | stop. | Stop please | cancel. | END please
the new manager starts on Monday | we have an inspection next week | CQC are in tomorrow
the care inspectorate are visiting on Friday | family meeting on Thursday at 3
Jennifer says hello | tell Tom thanks for today | Sarah's leaving do is on Friday
the minibus needs fuel | the garden needs tidying | bins go out tomorrow
is the cafe open | what's the postcode for Meadowburn | how do I get to Hawthorn House
who's the manager at Orchard Grove | what's the phone number for Riverside Court
is Victoria Gardens near the station | where is the Meadowburn staff room
do nurses get paid more for nights | how many nurses work here | what does an SSW do
how do I become a senior | is there any training for carers | I want to be a nurse
what's the uniform policy for nights | do I need a DBS | how long is the induction
can I bring my dog | can I smoke outside | is there a canteen
what's the leave policy | how much notice do I need to give for holidays
how does the overtime list work | who decides who gets overtime | why didn't I get the shift
why am I always on nights | this rota is a joke | I'm not happy with my shifts
I'd like a pay rise | can I go part time | can I change my contract hours
I'm pregnant | I'm getting married! | we had a baby | my granny died last week
my car's in the garage | I need a lift tomorrow | anyone going to Perth
what's on telly tonight | fancy a pint | see you at the pub | good luck today
""".replace("\n", " | ").split(" | ")

UNKNOWN += """
ok no problem, thanks for letting me know | no problem, thanks for the update
ok thanks for telling me | right, thanks for the heads up | noted, thanks for letting us know
cool, thanks for the info | brilliant, thanks for the update | ah ok, thanks for explaining
any news about the new rota system | any news on my pay query | any news from HR
any update on the staff room fridge | any word on the christmas bonus
sorry I missed your message | sorry, missed your call earlier | sorry for the late reply
how much holiday do carers get a year | how many days leave do new starters get
do bank staff get holiday pay | is annual leave pro rata for part timers
how does sick pay work | what's the sickness policy | who do I tell if I'm sick
what's the overtime policy | how is overtime allocated | who decides the rota
I love working nights | nights are so quiet | lates are the best shift
the long days are killing me | earlies are hard in winter
the agency nurse was great | we had three agency staff on last night
is the senior meeting still on | the nurses' meeting is cancelled
""".replace("\n", " | ").split(" | ")

UNKNOWN += """
who's the manager at Orchard Grove | who is the manager at Meadowburn | who runs Hawthorn House
how do I get to Hawthorn House | where is Riverside Court | what's the address for Victoria Gardens
is there parking at Meadowburn | what bus goes to Orchard Grove | Riverside Court is lovely
who else is on | who else is coming | who's driving | who's got the car keys
we're out of pads | we're out of milk | out of gloves again | the nurses' station phone is broken
the night staff left the kitchen a mess | the early staff are lovely | the late bus is cancelled
can I change my contract hours | I want to change my contract | can I do fewer hours
can I swap my night for a late | can I swap with Priya | Tom wants to swap with me
tell Sarah I said thanks | is David in today? | has Fiona left yet | is Jennifer on holiday
where's Mark | Graham wants to see you | Claire is looking for you | ask Aisha to call me
do nurses do long days here | what time does the night shift start | when does the early finish
what are the shift times | how long is a long day | is the late 2 till 10
is overtime paid double | how much do seniors get paid | what's a senior carer's salary
I'd like to become an RN | do you need more carers | are you hiring | any jobs going
what's holiday pay | when does the holiday year start | can I carry over leave
the leave policy is unfair | why was my holiday refused | I'm annoyed about my leave
thanks for approving my leave | cheers for the holiday | thanks for sorting the rota
I've booked my flights | going to Spain next week | can't wait for my holidays
""".replace("\n", " | ").split(" | ")

UNKNOWN += """
what's the time | what's up | how are you | how's it going | you ok? | all good?
can you hear me | is anyone there | hello? | can someone help with the tv remote
is it cold out | it's freezing | lovely day | what a day | I'm tired | long week
what's the date today | what day is it | is it a bank holiday on monday
who's bringing cake | has anyone seen the post | did the delivery come | where's the van
we need milk | can you order more tea | the coffee machine is broken | the shower's leaking
the tv in the lounge isn't working | the call bell in room 6 is faulty | buzzer's broken
can you fix my phone | my phone's dying | text me later | sorry, meant to send that to my husband
ignore that | ignore last message | oops | sorry wrong chat | my mistake | never mind | nvm
forget it | doesn't matter | all sorted now | sorted thanks | done, thanks | got it thanks
please remember to sign the visitors book | meeting moved to 3pm | staff photos on Friday
payroll question | tax code | my holiday pay looks wrong | pension opt out form
how do I join the union | can I get a parking permit | locker key | lost property
i need a new name badge | my DBS needs renewing | I got a speeding ticket lol
""".replace("\n", " | ").split(" | ")

# ------------------------------------------------------- this round's intents and traps
# ot.withdraw, ot.available, leave.mine, leave.cancel, swap.*, dash.link,
# staffing.absent, rota.person, rota.publish, agency.book; a colleague named in a
# leave request; a day count inside a range; negated preferences; acknowledgements.

F["absence"] = [
    S("off sick", absence="sick"),
    S("sick", absence="sick"),
    S("off ill", absence="sick"),
    S("off sick", absence="sick"),
    S("signed off", absence="sick"),
    S("ill", absence="sick"),
    S("unwell", absence="sick"),
    S("on the sick", absence="sick"),
    S("on leave", absence="leave"),
    S("on holiday", absence="leave"),
    S("on annual leave", absence="leave"),
    S("on hols", absence="leave"),
    S("away on holiday", absence="leave"),
    S("on AL", absence="leave"),
    S(
        "off",
    ),
    S("not in"),
    S("away"),
]
F["swap_mine"] = [
    (f"{d[0]} {s[0]}", {**d[1], **s[1]})
    for d in [x for x in F["date_np"] if x[0] not in ("today", "the 2nd of Feb")][:14]
    for s in F["shift_adj"][:6]
]
F["swap_other"] = [
    (
        text,
        {
            (
                "other_date"
                if k == "start_date"
                else "other_shift_type"
                if k == "shift_type"
                else k
            ): v
            for k, v in slots.items()
            if k != "end_date"
        },
    )
    for text, slots in F["swap_mine"]
]
F["day_count"] = [
    S("2 days", count=2),
    S("two days", count=2),
    S("3 days", count=3),
    S("a couple of days", count=2),
    S("three days", count=3),
    S("4 days", count=4),
]
F["count_range"] = [
    D("next week", "2026-01-19", "2026-01-25"),
    D("the week after next", "2026-01-26", "2026-02-01"),
    D("in February", "2026-02-01", "2026-02-28"),
    D("next month", "2026-02-01", "2026-02-28"),
    D("w/c 26th Jan", "2026-01-26", "2026-02-01"),
    D("in March", "2026-03-01", "2026-03-31"),
]
F["agency_role"] = [
    S(
        "agency",
    ),
    S("an agency nurse", role="RN"),
    S("an agency carer", role="HCA"),
    S("agency cover"),
    S("an agency worker"),
    S("an agency HCA", role="HCA"),
    S("an agency RN", role="RN"),
    S("agency staff"),
    S("a nurse from the agency", role="RN"),
    S("an agency senior", role="SSW"),
]

T2: dict[str, list[tuple[str, int]]] = {
    "ot.withdraw": [
        (
            "<actually|sorry|so sorry|really sorry|actually sorry|soz>[,] I "
            "<can't|cant|cannot|won't be able to|cannae> do {date_np} "
            "<now|after all|anymore|any more>[ {thanks}]",
            14,
        ),
        (
            "<I need to|I have to|I'll have to|gonna have to|sorry I have to> "
            "<pull out of|drop out of|back out of|withdraw from> "
            "{ot_ref}[< -|,| as> {decline_reason}]",
            12,
        ),
        (
            "<I need to|I have to|sorry but I need to|I'm going to have to> "
            "<pull out of|drop out of|back out of> <the|my> {shift_adj} "
            "{date_pp}[< -|,> {decline_reason}]",
            12,
        ),
        (
            "<can't|cant|can't do|cannot do> {ot_ref} <now|after all|anymore> "
            "<sorry|soz|>[, {decline_reason}]",
            10,
        ),
        (
            "<something's come up|something has come up|change of plans|bad news>[,] "
            "<I can't|I cant|I won't be able to> <do|make|cover> the {shift_adj} {date_pp} "
            "<now|after all|anymore>",
            10,
        ),
        (
            "<I've changed my mind|changed my mind|sorry changed my mind> about "
            "{ot_ref}[, {decline_reason}]",
            6,
        ),
        (
            "<take me off|unbook me from|please take me off> <the|that> {shift_adj} "
            "{date_pp}[ {thanks}]",
            8,
        ),
        (
            "<I accepted|I said yes to|I took> {ot_ref} but I "
            "<can't do it now|can't make it now|can't do it any more|need to pull out>[< -|,> "
            "{decline_reason}]",
            10,
        ),
        (
            "I <won't be able to|can't|cannae> <make|do> {date_poss} {shift_adj} <after all|now> - "
            "{decline_reason}",
            8,
        ),
        (
            "<sorry|so sorry|apologies>[,] <I need to|I have to|I'll need to> "
            "<cancel|give back|hand back> <the|my> <overtime|extra shift|shift> "
            "{date_pp}[< -|,> {decline_reason}]",
            8,
        ),
    ],
    "ot.available": [
        (
            "<any|is there any|got any|are there any> <overtime|OT|extra shifts|extra hours|open "
            "shifts> <going|available|about|on offer|up for grabs>[ {date_pp}][ at {home}][?]",
            16,
        ),
        (
            "<what|which> <overtime|extra shifts|OT|open shifts> <is|are> "
            "<available|going|there|on offer> {date_pp}[ at {home}][?]",
            10,
        ),
        (
            "<can I|could I> <pick up|grab|take|claim> <the|a|an> {shift_adj} "
            "{date_pp}[ at {home}][?]",
            12,
        ),
        (
            "<I'll|I will|I can|I could> <take|do|cover|grab> <the|that> {date_np} "
            "{shift_adj}[ at {home}][ {thanks}]",
            12,
        ),
        (
            "<I'll|I will|I'd like to> <take|have|claim> {date_poss} "
            "{shift_adj}[ at {home}][ {thanks}]",
            10,
        ),
        (
            "<anything|any shifts|any work> <going|available|up for grabs> "
            "{date_pp}[ at {home}][?]",
            8,
        ),
        (
            "<do you have|have you got|is there> any <overtime|extra shifts|shifts> "
            "<for me|I can do|I could pick up>[ {date_pp}][?]",
            8,
        ),
        (
            "<I'm|im> free {date_pp}, <any|is there any|got any> <overtime|shifts|extra work> "
            "<going|available>[?]",
            8,
        ),
        (
            "<show|list|send> me <open shifts|available overtime|the overtime going|shifts I can pick "
            "up>[ {date_pp}][ at {home}]",
            8,
        ),
        ("<I'll|I will|can I> <pick up|take> <the|that> {shift_adj} at {home} {date_pp}", 6),
    ],
    "leave.mine": [
        (
            "<has|have> my <leave|holiday|holidays|time off|AL|leave request|holiday request> "
            "<been approved|been accepted|gone through|been looked at|been signed off>[ yet][?]",
            14,
        ),
        (
            "<did|was> my <leave|holiday|holiday request|leave request|day off> "
            "<get approved|approved|accepted|granted> <for|on> {date_np}[?]",
            10,
        ),
        (
            "<what|which> <leave|holidays|days off> <have I got booked|have I booked|have I "
            "requested|do I have booked>[ {date_pp}][?]",
            10,
        ),
        (
            "<status of|any news on|any update on|what's happening with> my "
            "<leave|holiday|leave request|holiday request|time off request>[?]",
            10,
        ),
        (
            "<show|list|can I see> my <leave requests|holiday requests|booked leave|booked holidays>[ "
            "please]",
            8,
        ),
        (
            "<is|was> my <leave|holiday|day off> <on|for> {date_np} "
            "<approved|confirmed|sorted|ok'd>[ yet][?]",
            8,
        ),
        (
            "<have I heard|has anyone got back to me|any word> <about|on> my "
            "<leave|holiday|time off> request[?]",
            6,
        ),
        (
            "<is|are> my <holiday|leave|holidays> <still pending|still waiting|waiting for "
            "approval|pending>[?]",
            6,
        ),
    ],
    "leave.cancel": [
        (
            "<cancel|withdraw|scrap|delete> my <leave|holiday|leave request|holiday request|day "
            "off|time off> <on|for> {leave_dates}[ please]",
            14,
        ),
        (
            "<I don't need|I no longer need|don't need|I dont need> {leave_dates} off "
            "<any more|anymore|now|after all>",
            10,
        ),
        (
            "<can I|could I|can you|please> <cancel|withdraw|take back> my "
            "<leave|holiday|leave request|holiday request> <for|on> {leave_dates}[?]",
            10,
        ),
        (
            "<I want to|I'd like to|I need to> cancel my <leave|holiday|AL|time off>[ <on|for> "
            "{leave_dates}]",
            10,
        ),
        ("<cancel|withdraw> my <leave|holiday> request {num}[ please]", 8),
        (
            "<plans changed|change of plans|trip's off|wedding's off>[,] "
            "<please|pls|can you> cancel my <leave|holiday|days off> {leave_range}",
            8,
        ),
        (
            "<please|pls> <cancel|withdraw> <the|my> <holiday|leave|time off> I "
            "<booked|asked for|requested> <for|on> {leave_dates}",
            6,
        ),
    ],
    "swap.request": [
        (
            "<can I|could I|is it ok to|am I able to> <swap|switch|trade> my {swap_mine} with "
            "{staff}[?]",
            14,
        ),
        ("<swap|switch> my {swap_mine} <for|with> {staff}'s {swap_other}[ please]", 10),
        ("my {swap_mine} for <her|his|their> {swap_other}[?]", 10),
        (
            "<can anyone|could anyone|can someone|would anyone|is anyone able to> "
            "<take|cover|do|have> my {swap_mine}[?]",
            14,
        ),
        (
            "<I need|I'm looking for|I'd like> <someone|somebody> to <take|cover> my "
            "{swap_mine}[< -|,> {decline_reason}]",
            8,
        ),
        (
            "<I want to|I'd like to|want to|can I> <swap|swop|switch> <shifts|my shift|a shift> with "
            "{staff}[ {date_pp}][?]",
            10,
        ),
        ("<swap request|shift swap|swap>: my {swap_mine} <for|with> {staff}'s {swap_other}", 6),
        ("<give away|giving away|offering up|anyone want> my {swap_mine}[?]", 8),
        ("<can I|could I> <swap|switch|change> my {swap_mine} for a {swap_other_shift}[?]", 8),
    ],
    "dash.link": [
        (
            "<send|give|text|get> me <the|a|my> <dashboard|dashboard link|dash link|link to the "
            "dashboard|dashboards>[ please][ {thanks}]",
            12,
        ),
        (
            "<can I|could I|how do I> <see|get|open|access|log in to|get into> the "
            "<dashboard|dashboards|dash>[?]",
            10,
        ),
        ("<dashboard|dashboards|dash|the dashboard> <please|pls|link|link please>", 8),
        ("<where's|where is|what's> the <dashboard|dashboard link|link for the dashboard>[?]", 6),
        (
            "<I want|I'd like|need> <to see the dashboard|the dashboard|a dashboard link|a link to "
            "the dashboards>",
            6,
        ),
    ],
    "staffing.absent": [
        ("<who's|who is|whos|who are> {absence} {date_pp}[ at {home}][?]", 18),
        (
            "<how many|any|are there any> <staff|people|carers|nurses|folk> {absence} "
            "{date_pp}[ at {home}][?]",
            12,
        ),
        ("<anyone|is anyone|is anybody> {absence} <at|in> {home} {date_pp}[?]", 10),
        (
            "<list|show me|show|give me> <everyone|staff|people|who's> {absence} "
            "{date_pp}[ at {home}]",
            10,
        ),
        ("<who's|who is|who has been> {absence} <at|in> {home}[ {date_pp}][?]", 10),
        ("<which|what> <staff|carers|nurses> are {absence} {date_pp}[ at {home}][?]", 8),
    ],
    "rota.person": [
        ("<is|will> {staff} <be |>{on_word} {date_pp}[?]", 16),
        (
            "<when is|when's|when does> {staff} <next in|next on|next working|working next|back "
            "in|work next|start next|on next>[?]",
            14,
        ),
        ("<what|which> <shifts|days> <is|has> {staff} <got|working|on|doing> {date_pp}[?]", 10),
        ("<show me|what's|what is|send me> {staff}'s <rota|shifts|schedule> {date_pp}[?]", 10),
        ("<does|is> {staff} <work|working|on> {date_pp}[?]", 8),
        ("<is|was> {staff} <on|in|off|working> {tonight}[?]", 6),
        ("<when|what days|what shifts> <is|does> {staff} <working|work|on> {date_pp}[?]", 8),
        ("<has|does> {staff} <got|have> <a shift|any shifts|work> {date_pp}[?]", 6),
    ],
    "swap.approve": [
        (
            "<approve|ok|accept|authorise|allow|yes to|go ahead with> "
            "<the swap|swap {num}|swap request {num}|{staff}'s swap>[ please]",
            14,
        ),
        ("swap {num} <approved|is fine|ok|is approved|- approve>", 8),
        ("<approve|ok|authorise> the swap <between|for> {staff}[ and {staff}]", 8),
        ("<that's fine|happy with that|looks ok>[,] <approve|ok|accept> <the swap|swap {num}>", 6),
    ],
    "swap.deny": [
        (
            "<deny|refuse|reject|decline|turn down> <the swap|swap {num}|swap request {num}|{staff}'s "
            "swap>[< -|,| because| as> {deny_reason}]",
            14,
        ),
        ("swap {num} <denied|refused|rejected|is a no>[< -|,> {deny_reason}]", 8),
        (
            "<no to|say no to|not approving|can't approve> "
            "<the swap|swap {num}|{staff}'s swap>[< -|,| as> {deny_reason}]",
            10,
        ),
        ("<refuse|deny|reject> the swap <between|for> {staff}[ and {staff}][, {deny_reason}]", 6),
    ],
    "rota.publish": [
        (
            "<publish|go live with|release|publish the> <rota|draft|draft rota|rota draft> "
            "{num}[ please]",
            14,
        ),
        (
            "<publish|release|go live with> <the|that|this> "
            "<draft|rota|new rota|draft rota>[ for {home}][ please]",
            10,
        ),
        (
            "<happy with that|looks good|that's fine|great>[,] publish "
            "<it|the draft|draft {num}|rota {num}>",
            8,
        ),
        ("<make|put> <draft|rota|draft rota> {num} live[ please]", 6),
        (
            "<can you|please|pls> publish <the rota|draft {num}|rota {num}|the new rota>[ for "
            "{home}]",
            8,
        ),
    ],
    "agency.book": [
        ("<we've|we have|I've|I have|have> booked {agency_role} for {ot_ref}", 12),
        ("<booked|got|arranged|sorted> {agency_role} for {date_poss} {shift_adj}[ at {home}]", 14),
        (
            "<agency|agency cover|an agency nurse> <booked|confirmed|sorted|arranged> for {ot_ref}",
            10,
        ),
        ("<using|going with|bringing in> agency for the {shift_adj} {date_pp}[ at {home}]", 10),
        ("<we've|we have> got {agency_role} <in|coming in|booked> for {tonight}[ at {home}]", 8),
        (
            "<I've|I have|we've> booked {agency_role} <for|on> the {shift_adj} "
            "{date_pp}[ at {home}]",
            10,
        ),
        ("{ot_ref} <covered by agency|filled by agency|- agency booked|is going to agency>", 6),
    ],
    "leave.request": [
        ("<can|could|may> {staff} <have|take> {leave_dates} off[?]", 10),
        ("<book|put> {staff} <off|down for {leave}> {leave_range}[ please]", 8),
        ("{staff} <needs|wants|would like|has asked for> {leave_dates} off", 8),
        ("<please|can you> <book|request> {leave} for {staff} <on|for> {leave_dates}", 6),
        (
            "<can I|could I|I'd like to|I need> <have|take|book> {day_count} off {count_range}[?]",
            12,
        ),
        ("<I need|I want|I'd like> {day_count} <off|of leave|holiday> {count_range}[ please]", 8),
    ],
    "ot.preferences": [
        ("<only|just> {home} and {home2}<| please| from now on| for me>", 10),
        ("I can <do|work> {home} and {home2}<| now| as well>", 6),
        ("<change|set|update> my <homes|overtime homes> to {home} and {home2}", 6),
        ("I <don't|dont|do not> do {shift_pl} <any more|anymore|now>", 8),
        ("<I'm|im> <not doing|no longer doing> {shift_pl} <any more|anymore|from now on>", 6),
        ("I can <do|manage> {shift_pl}<| now| too| as well>", 8),
        ("I can <do|manage> {daykind}<| now| too| as well>", 6),
        ("<no more|no> {daykind} <please|for me|thanks>", 6),
    ],
    "ot.optin": [
        ("<actually|ok|oh and>[,] I can do {shift_pl} again[ {thanks}]", 8),
        ("I can do <overtime|extra shifts|OT> again[ at {home}]", 6),
        ("<actually|ok>[,] <put me back on|I'll go back on|add me back for> {shift_pl}", 6),
    ],
    "unknown": [
        ("{home}", 20),
        ("<at|it's at|its at|the one at> {home}", 8),
        ("{role}", 10),
        ("{a_role}", 8),
        ("<the|that|yes the|the one on> {date_np}< one|| shift>", 10),
        ("<what about|how about|and|or> {date_np}[?]", 10),
        ("<the|a> {shift_adj}", 8),
        ("{date_np} {shift_adj}", 6),
    ],
}
F["swap_other_shift"] = [(t, {"other_shift_type": v["shift_type"]}) for t, v in F["shift_adj"]]

L2: dict[str, list[tuple[str, dict] | str]] = {
    "ot.withdraw": [
        (
            "actually sorry I cant do friday now",
            {"start_date": "2026-01-16", "end_date": "2026-01-16"},
        ),
        "I can't do the shift I took after all",
        "need to pull out of the overtime, sorry",
        ("sorry can't do that extra shift now, something's come up", {"reason": 1}),
        "I have to drop out of the shift I accepted",
        "can I cancel the overtime I said yes to",
        "I'm really sorry but I need to back out",
        "can't make the shift I picked up now",
        ("can't do OT1055 now sorry", {"ref": 1055}),
        ("need to withdraw from OT88 - my mum's taken ill", {"ref": 88, "reason": 1}),
        (
            "sorry, can't do saturday's night after all",
            {"start_date": "2026-01-17", "end_date": "2026-01-17", "shift_type": "night"},
        ),
    ],
    "ot.available": [
        "any overtime going?",
        "any extra shifts?",
        "is there any overtime?",
        "any OT?",
        "anything going?",
        "got any shifts for me?",
        "what overtime is there",
        "any open shifts",
        "can I pick up an extra shift",
        "I'm free, anything going",
        ("any overtime going this week?", {"start_date": "2026-01-14", "end_date": "2026-01-18"}),
        (
            "I'll take the Saturday night",
            {"start_date": "2026-01-17", "end_date": "2026-01-17", "shift_type": "night"},
        ),
        (
            "can I pick up Saturday night at hawthorn",
            {
                "start_date": "2026-01-17",
                "end_date": "2026-01-17",
                "shift_type": "night",
                "home": "Hawthorn House",
            },
        ),
        ("any extra shifts this weekend?", {"start_date": "2026-01-17", "end_date": "2026-01-18"}),
    ],
    "leave.mine": [
        "has my leave been approved?",
        "did my holiday get approved",
        "my leave requests",
        "what leave have I got booked",
        "has my holiday request gone through",
        "any news on my holiday?",
        "is my leave approved yet",
        "have I had an answer about my leave",
        "what holidays have I booked",
        "show my leave",
        "when's my next holiday",
        "did my time off get accepted",
        "my holiday requests please",
        (
            "is my day off on the 22nd approved?",
            {"start_date": "2026-01-22", "end_date": "2026-01-22"},
        ),
        "why was my holiday refused",
    ],
    "leave.cancel": [
        (
            "cancel my leave on the 22nd please",
            {"start_date": "2026-01-22", "end_date": "2026-01-22"},
        ),
        "cancel my holiday",
        "I want to cancel my leave",
        "please withdraw my leave request",
        "don't need my holiday any more",
        "can I cancel my annual leave",
        (
            "I don't need the 22nd off any more",
            {"start_date": "2026-01-22", "end_date": "2026-01-22"},
        ),
        ("cancel leave request 91", {"ref": 91}),
        ("withdraw my holiday request 45", {"ref": 45}),
        ("cancel my days off next week", {"start_date": "2026-01-19", "end_date": "2026-01-25"}),
    ],
    "swap.request": [
        (
            "can i swap my tuesday early with Sarah MacKenzie",
            {
                "staff": "Sarah MacKenzie",
                "start_date": "2026-01-20",
                "end_date": "2026-01-20",
                "shift_type": "early",
            },
        ),
        (
            "my Tue early for her Thu late",
            {
                "start_date": "2026-01-20",
                "end_date": "2026-01-20",
                "shift_type": "early",
                "other_date": "2026-01-15",
                "other_shift_type": "late",
            },
        ),
        (
            "can anyone take my Saturday late?",
            {"start_date": "2026-01-17", "end_date": "2026-01-17", "shift_type": "late"},
        ),
        "can I swap shifts with someone",
        "shift swap?",
        "I want to swap a shift",
        "swap request",
        "can I do a swap",
        "anyone want to swap?",
        ("can I swap my shift with Tom", {"staff": "Tom Baxter"}),
        ("can I swap with Priya", {"staff": "Priya Nair"}),
        ("can I swap my night for a late", {"shift_type": "night", "other_shift_type": "late"}),
        (
            "can someone cover my shift on Friday",
            {"start_date": "2026-01-16", "end_date": "2026-01-16"},
        ),
    ],
    "dash.link": [
        "dashboard",
        "dashboards",
        "dash",
        "the dashboard",
        "send me the dashboard link",
        "dashboard link please",
        "can I have the dashboard",
        "link to the dashboard",
        "dashboard pls",
        "Dashboard",
        "DASHBOARD",
        "dashboard?",
        "give me a dashboard link",
        "send dash link",
        "open the dashboard",
        "dashbord",
        "how do I get on the dashboard",
    ],
    "staffing.absent": [
        (
            "who's off sick this week?",
            {"absence": "sick", "start_date": "2026-01-14", "end_date": "2026-01-18"},
        ),
        (
            "who is on leave this week?",
            {"absence": "leave", "start_date": "2026-01-14", "end_date": "2026-01-18"},
        ),
        ("who's off sick", {"absence": "sick"}),
        ("who's on holiday", {"absence": "leave"}),
        (
            "anyone off sick today?",
            {"absence": "sick", "start_date": "2026-01-14", "end_date": "2026-01-14"},
        ),
        ("who's off", {}),
        ("who's off tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-15"}),
        (
            "sickness this week",
            {"absence": "sick", "start_date": "2026-01-14", "end_date": "2026-01-18"},
        ),
        ("how many off sick at hawthorn", {"absence": "sick", "home": "Hawthorn House"}),
        (
            "who's on annual leave next week",
            {"absence": "leave", "start_date": "2026-01-19", "end_date": "2026-01-25"},
        ),
    ],
    "rota.person": [
        (
            "is Sarah working tomorrow?",
            {"staff": "Sarah MacKenzie", "start_date": "2026-01-15", "end_date": "2026-01-15"},
        ),
        ("when is Jennifer Ross next in?", {"staff": "Jennifer Ross"}),
        (
            "is David in today?",
            {"staff": "David Wilson", "start_date": "2026-01-14", "end_date": "2026-01-14"},
        ),
        ("when's Tom next on", {"staff": "Tom Baxter"}),
        (
            "is Aisha on this weekend",
            {"staff": "Aisha Rahman", "start_date": "2026-01-17", "end_date": "2026-01-18"},
        ),
        (
            "Priya's shifts next week",
            {"staff": "Priya Nair", "start_date": "2026-01-19", "end_date": "2026-01-25"},
        ),
    ],
    "rota.publish": [
        ("publish rota 3", {"ref": 3}),
        "publish the draft",
        "publish it",
        "publish the rota",
        "go live with the new rota",
        ("publish draft 12", {"ref": 12}),
        "publish",
    ],
    "agency.book": [
        ("we've booked agency for OT42", {"ref": 42}),
        (
            "booked an agency nurse for friday night at hawthorn",
            {
                "role": "RN",
                "shift_type": "night",
                "start_date": "2026-01-16",
                "home": "Hawthorn House",
            },
        ),
        "agency booked",
        "we've got agency in",
        "I've booked agency cover",
        ("agency for OT12", {"ref": 12}),
    ],
    "swap.approve": [
        ("approve swap 4", {"ref": 4}),
        "approve the swap",
        "ok the swap",
        "swap approved",
    ],
    "swap.deny": [
        ("deny swap 4, too short that day", {"ref": 4, "reason": 1}),
        "deny the swap",
        "refuse the swap",
        "swap denied",
    ],
    "leave.request": [
        (
            "can Sarah have the 22nd off",
            {"staff": "Sarah MacKenzie", "start_date": "2026-01-22", "end_date": "2026-01-22"},
        ),
        (
            "need 2 weeks off from the 2nd feb",
            {"start_date": "2026-02-02", "end_date": "2026-02-15"},
        ),
        (
            "can i have 2 days off next week",
            {"start_date": "2026-01-19", "end_date": "2026-01-25", "count": 2},
        ),
        (
            "a fortnight off from the 9th please",
            {"start_date": "2026-02-09", "end_date": "2026-02-22"},
        ),
        ("a week off from Monday", {"start_date": "2026-01-19", "end_date": "2026-01-25"}),
        ("3 days off starting tomorrow", {"start_date": "2026-01-15", "end_date": "2026-01-17"}),
        (
            "two weeks holiday from 16/03",
            {"start_date": "2026-03-16", "end_date": "2026-03-29", "leave_type": "annual"},
        ),
        ("10 days off from the 20th", {"start_date": "2026-01-20", "end_date": "2026-01-29"}),
        (
            "I'd like a couple of days off in February",
            {"start_date": "2026-02-01", "end_date": "2026-02-28", "count": 2},
        ),
    ],
    "ot.preferences": [
        (
            "only Meadowburn and Riverside",
            {"home": "Meadowburn", "homes": ["Meadowburn", "Riverside Court"]},
        ),
        ("I don't do nights any more", {"exclude_shift_type": "night"}),
        ("I can do weekends", {"day_kind": "weekend"}),
        ("I can do nights", {"shift_type": "night"}),
        ("I can do earlies", {"shift_type": "early"}),
        ("I can do lates now", {"shift_type": "late"}),
        ("not nights", {"exclude_shift_type": "night"}),
        ("no nights please", {"exclude_shift_type": "night"}),
    ],
    "ot.optin": [
        ("actually I can do nights again", {"shift_type": "night"}),
        ("I can do weekends again", {"day_kind": "weekend"}),
    ],
}

ACKS = """
ok | okay | OK | Ok | k | kk | okie | ok thanks | thanks | thank you | ta | cheers | ta very much
👍 | 👌 | 🙏 | 👍🏻 | ok 👍 | thanks 👍 | cheers! | noted | got it | nice one | lovely thanks
great thanks | ok cheers | ok ta | alright | alright thanks | thanks x | ta x | okay thanks
""".replace("\n", " | ").split(" | ")

# Messages that were "unknown" until this round and now have an intent of their own,
# or whose reading changed (see intents/README.md).
RELABELLED_OUT = {
    "can i swap shifts with someone",
    "can i swap my shift with tom",
    "shift swap?",
    "can i swap my night for a late",
    "can i swap with priya",
    "tom wants to swap with me",
    "is david in today?",
    "has fiona left yet",
    "is jennifer on holiday",
    "why was my holiday refused",
    "ok",
    "okay",
}

# A year boundary: today 30 December 2026.
ROLLOVER_TODAY = "2026-12-30"
ROLLOVER = [
    (
        "can I have 5th Jan off",
        "leave.request",
        {"start_date": "2027-01-05", "end_date": "2027-01-05"},
    ),
    (
        "holiday 2nd-4th January please",
        "leave.request",
        {"start_date": "2027-01-02", "end_date": "2027-01-04", "leave_type": "annual"},
    ),
    (
        "can I book 06/01 as annual leave",
        "leave.request",
        {"start_date": "2027-01-06", "end_date": "2027-01-06", "leave_type": "annual"},
    ),
    ("any gaps next week", "staffing.gaps", {"start_date": "2027-01-04", "end_date": "2027-01-10"}),
    (
        "am I working new year's day",
        "rota.mine",
        {"start_date": "2027-01-01", "end_date": "2027-01-01"},
    ),
    (
        "who's on hogmanay at victoria",
        "staffing.on_shift",
        {"start_date": "2026-12-31", "end_date": "2026-12-31", "home": "Victoria Gardens"},
    ),
    (
        "generate the January rota for Meadowburn",
        "rota.generate",
        {"start_date": "2027-01-01", "end_date": "2027-01-31", "home": "Meadowburn"},
    ),
    (
        "forecast for the next 7 days",
        "forecast.show",
        {"start_date": "2026-12-30", "end_date": "2027-01-05"},
    ),
    (
        "find a nurse for the night on the 2nd",
        "ot.request",
        {"role": "RN", "shift_type": "night", "start_date": "2027-01-02", "end_date": "2027-01-02"},
    ),
    (
        "off sick till Monday",
        "sickness.report",
        {"start_date": "2026-12-30", "end_date": "2027-01-04"},
    ),
    (
        "can I have the 28th and 29th off",
        "leave.request",
        {"start_date": "2027-01-28", "end_date": "2027-01-29"},
    ),
    ("gaps this weekend", "staffing.gaps", {"start_date": "2027-01-02", "end_date": "2027-01-03"}),
]

# ------------------------------------------------------------------ the engine

_TOKEN = re.compile(r"<|>|\[|\]|\{[a-z_0-9]+\}|\||[^<>\[\]{|]+")


def _parse(template: str):
    """Template -> tree of ("seq", [...]) / ("alt", [...]) / ("opt", node) / text / slot."""
    tokens = _TOKEN.findall(template)
    pos = 0

    def seq(stop: set[str]):
        nonlocal pos
        items: list[Any] = []
        while pos < len(tokens) and tokens[pos] not in stop:
            tok = tokens[pos]
            pos += 1
            if tok == "<":
                alts = [seq({"|", ">"})]
                while tokens[pos] == "|":
                    pos += 1
                    alts.append(seq({"|", ">"}))
                pos += 1  # ">"
                items.append(("alt", alts))
            elif tok == "[":
                alts = [seq({"|", "]"})]
                while tokens[pos] == "|":
                    pos += 1
                    alts.append(seq({"|", "]"}))
                pos += 1  # "]"
                items.append(("opt", ("alt", alts)))
            elif tok.startswith("{"):
                items.append(("slot", tok[1:-1]))
            else:
                items.append(("text", tok))
        return ("seq", items)

    return seq(set())


def _expand(node, rng: random.Random, out: list[tuple[str, str | None, dict]]) -> None:
    kind = node[0]
    if kind == "seq":
        for item in node[1]:
            _expand(item, rng, out)
    elif kind == "alt":
        _expand(rng.choice(node[1]), rng, out)
    elif kind == "opt":
        if rng.random() < 0.5:
            _expand(node[1], rng, out)
    elif kind == "slot":
        name = node[1]
        table = F["home"] if name == "home2" else F[name]
        surface, slots = rng.choice(table)
        out.append((surface, name, dict(slots)))
    else:
        out.append((node[1], None, {}))


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(["swap", "drop", "double"])
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _noise(pieces: list[tuple[str, str | None, dict]], rng: random.Random) -> str:
    lower = rng.random() < 0.35
    no_apos = rng.random() < 0.2
    typo = rng.random() < 0.18
    out = []
    for text, slot, _ in pieces:
        if slot is None:
            if no_apos:
                text = text.replace("'", "")
            if typo:
                words = text.split(" ")
                idx = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
                if idx:
                    j = rng.choice(idx)
                    words[j] = _typo(words[j], rng)
                    typo = False
                text = " ".join(words)
            if lower:
                text = text.lower()
        elif lower and slot not in ("staff", "leave") and rng.random() < 0.7:
            text = text.lower()
        out.append(text)
    s = re.sub(r"\s+", " ", "".join(out)).strip()
    s = re.sub(r"\s+([,.?!])", r"\1", s)
    r = rng.random()
    if r < 0.06:
        s = rng.choice(["hi ", "hiya ", "Hi, ", "morning - ", "hey ", "Hello, ", "@staffbot "]) + s
    elif r < 0.12:
        s = s + rng.choice([" pls", " please", " thanks", " ta", " x", " 👍", "?", "!!", " cheers"])
    return s


SCHEMA = {
    "ot.accept": {"ref"},
    "ot.decline": {"ref", "reason"},
    "ot.optin": {"home", "shift_type", "day_kind"},
    "ot.optout": set(),
    "ot.preferences": {"home", "shift_type", "day_kind"},
    "leave.request": {"start_date", "end_date", "leave_type"},
    "leave.balance": set(),
    "sickness.report": {"start_date", "end_date", "shift_type", "reason"},
    "rota.mine": {"start_date", "end_date"},
    "help": set(),
    "staffing.gaps": {"start_date", "end_date", "home", "shift_type", "role"},
    "staffing.on_shift": {"start_date", "end_date", "home", "shift_type", "role"},
    "forecast.show": {"start_date", "end_date", "home"},
    "ot.request": {"start_date", "end_date", "home", "shift_type", "role", "count"},
    "ot.rank": {"start_date", "end_date", "home", "shift_type", "role", "count"},
    "ot.status": {"ref", "start_date", "end_date", "home", "shift_type"},
    "ot.cancel": {"ref"},
    "leave.pending": {"home"},
    "leave.approve": {"ref", "staff"},
    "leave.deny": {"ref", "staff", "reason"},
    "fairness.report": {"days", "home"},
    "staff.profile": {"staff"},
    "rota.generate": {"start_date", "end_date", "home"},
    "training.expiring": {"days", "start_date", "end_date", "home"},
    "unknown": set(),
    "ot.withdraw": {"ref", "start_date", "end_date", "shift_type", "reason"},
    "ot.available": {"start_date", "end_date", "home", "shift_type"},
    "leave.mine": {"start_date", "end_date"},
    "leave.cancel": {"ref", "start_date", "end_date"},
    "swap.request": {
        "staff",
        "start_date",
        "end_date",
        "shift_type",
        "other_date",
        "other_shift_type",
    },
    "dash.link": set(),
    "staffing.absent": {"start_date", "end_date", "home", "absence"},
    "rota.person": {"staff", "start_date", "end_date"},
    "swap.approve": {"ref", "staff"},
    "swap.deny": {"ref", "staff", "reason"},
    "rota.publish": {"ref"},
    "agency.book": {"ref", "start_date", "home", "shift_type", "role"},
}
SCHEMA["leave.request"] |= {"staff", "count"}
# Slots this parser adds beyond the contract's table (intents/README.md).
for _pref in ("ot.optin", "ot.preferences"):
    SCHEMA[_pref] |= {"homes", "exclude_shift_type", "exclude_day_kind", "exclude_home"}

# A preference stated with a negation names what to drop, not what to keep.
_NEG_BEFORE = re.compile(
    r"(?:\b(?:no\s+more|don'?t|dont|do\s+not|can'?t|cannot|can\s+no\s+longer|won'?t|"
    r"not\s+doing|no\s+longer(?:\s+doing)?|stopping|stop\s+sending\s+me|no|remove|drop|"
    r"take\s+off)\b)[^,{]*$"
)
# Hand-written preference lines, with what they exclude.
NEGATED_LITERALS = {
    "no weekends please": {"exclude_day_kind": "weekend"},
    "i'm not doing weekends any more": {"exclude_day_kind": "weekend"},
    "i can't do nights any more": {"exclude_shift_type": "night"},
    "no more nights please": {"exclude_shift_type": "night"},
    "don't send me lates": {"exclude_shift_type": "late"},
    "stop sending me long days": {"exclude_shift_type": "long_day"},
    "i can't do weekends anymore, weekdays only": {
        "day_kind": "weekday",
        "exclude_day_kind": "weekend",
    },
}


def _negated(template: str, slot: str) -> bool:
    i = template.find("{" + slot + "}")
    return i >= 0 and bool(_NEG_BEFORE.search(template[:i]))


def _relabel(intent: str, template: str, text: str, slots: dict) -> tuple[str, dict]:
    """This round's readings of older templates (see RELABELLED_OUT)."""
    slots = dict(slots)
    if intent in ("ot.preferences", "ot.optin"):
        for slot, key, new in (
            ("shift_pl", "shift_type", "exclude_shift_type"),
            ("daykind", "day_kind", "exclude_day_kind"),
            ("home", "home", "exclude_home"),
        ):
            if key in slots and _negated(template, slot):
                slots[new] = slots.pop(key)
    if (
        intent == "ot.accept"
        and "start_date" in slots
        and "shift_type" in slots
        and re.match(
            r"^\W*(?:i'?ll|i\s+will|i\s+can|i\s+could)\s+(?:take|do|cover|work|grab)\b",
            text,
            re.IGNORECASE,
        )
    ):
        intent = "ot.available"  # "I'll take the Saturday night": a claim on a dated shift
    if intent == "staffing.on_shift" and "{staff}" in template:
        intent = "rota.person"
    return intent, slots


def _merge(pieces) -> dict:
    slots: dict = {}
    for _text, slot, values in pieces:
        if slot == "home2":
            if "home" in slots and values.get("home") != slots["home"]:
                slots["homes"] = [slots["home"], values["home"]]
            continue
        for k, v in values.items():
            if k == "staff" and "staff" in slots:
                continue  # the first person named is the one the message is about
            slots[k] = v
    if "reason" in slots:
        # Reason is compared for presence only; store the stated text.
        slots["reason"] = next(t for t, s, v in pieces if "reason" in v)
    return slots


def _split(group: str) -> str:
    h = int(hashlib.sha1(group.encode()).hexdigest()[:8], 16)
    return "test" if (h % 1000) / 1000 < TEST_SHARE else "train"


def _excluded() -> set[str]:
    """Texts of the contract's evaluation examples (``contract_examples.jsonl``, the
    project's copy), kept out of the corpus."""
    path = HERE / "contract_examples.jsonl"
    if not path.exists():
        return set()
    return {json.loads(line)["text"].strip().lower() for line in path.open() if line.strip()}


def build() -> list[dict]:
    rng = random.Random(SEED)
    rows: list[dict] = []
    seen: set[str] = set()
    excluded = _excluded()

    def add(text: str, intent: str, slots: dict, group: str, today: str = TODAY) -> None:
        text = text.strip()
        key = text.lower()
        if not text or key in seen or key in excluded:
            return
        slots = {k: v for k, v in slots.items() if k in SCHEMA[intent]}
        seen.add(key)
        rows.append(
            {
                "text": text,
                "intent": intent,
                "slots": slots,
                "today": today,
                "group": group,
                "split": _split(key),
            }
        )

    for intent, items in L2.items():
        for item in items:
            text, slots = (item, {}) if isinstance(item, str) else item
            if "reason" in slots:
                slots = dict(slots, reason="(stated)")
            add(text, intent, dict(slots), f"{intent}::{text.lower()}")
    for text in ACKS:
        if text.strip():
            add(text, "unknown", {}, f"unknown::{text.strip().lower()}")

    for intent0, templates in list(T.items()) + list(T2.items()):
        for template, n in templates:
            tree = _parse(template)
            group = f"{intent0}::{template}"
            for _ in range(n * 3):
                pieces: list = []
                _expand(tree, rng, pieces)
                text = _noise(pieces, rng)
                intent, slots = _relabel(intent0, template, text, _merge(pieces))
                add(text, intent, slots, group)
                if sum(1 for r in rows if r["group"] == group) >= n:
                    break

    for intent, items in L.items():
        for item in items:
            text, slots = (item, {}) if isinstance(item, str) else item
            text = text.strip()
            if not text:
                continue
            if "reason" in slots:
                slots = dict(slots, reason="(stated)")
            if text.lower() in RELABELLED_OUT:
                continue
            if intent == "ot.preferences" and text.lower() in NEGATED_LITERALS:
                slots = {k: v for k, v in slots.items() if k not in ("shift_type", "day_kind")}
                slots.update(NEGATED_LITERALS[text.lower()])
            add(text, intent, dict(slots), f"{intent}::{text.lower()}")
    for text in UNKNOWN:
        text = text.strip()
        if text and text.lower() not in RELABELLED_OUT:
            add(text, "unknown", {}, f"unknown::{text.lower()}")
    for text, intent, slots in ROLLOVER:
        add(text, intent, slots, f"rollover::{text.lower()}", ROLLOVER_TODAY)
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    CATALOG_OUT.write_text(
        json.dumps({"homes": HOMES + EXTRA_HOMES, "staff": STAFF}, indent=1) + "\n",
        encoding="utf-8",
    )
    by_intent: dict[str, int] = {}
    for r in rows:
        by_intent[r["intent"]] = by_intent.get(r["intent"], 0) + 1
    test = sum(1 for r in rows if r["split"] == "test")
    print(f"{len(rows)} lines ({test} held out) -> {OUT}")
    for k in sorted(by_intent):
        print(f"  {k:20} {by_intent[k]}")


if __name__ == "__main__":
    main()
