"""The demo organisation (docs/demo-organisation.md), built deterministically around day D.

Everything comes from one seeded random generator and fixed iteration orders,
so the same D and scale always give the same names, numbers and rota.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays as holidays_lib
from sqlalchemy import func, insert
from sqlalchemy.orm import Session

from core.models import (
    Channel,
    CoverageRequest,
    EmploymentType,
    Home,
    LeaveEntitlement,
    LeaveRequest,
    LeaveStatus,
    LeaveType,
    Offer,
    OfferResponse,
    OvertimePreference,
    Person,
    PersonKind,
    RequestStatus,
    Role,
    Shift,
    ShiftKind,
    ShiftStatus,
    ShiftType,
    SicknessAbsence,
    StaffingRequirement,
    TrainingRecord,
    Unit,
    UnitKind,
)
from core.phones import phone_hash, protect_phone
from core.timeutil import local_instant, shift_window

SEED = 20260114

HOMES = ["Victoria Gardens", "Hawthorn House", "Orchard Grove", "Meadowburn", "Riverside Court"]
ROLES = [
    ("RN", "Registered Nurse"),
    ("SSW", "Senior Support Worker"),
    ("HCA", "Healthcare Assistant"),
]
SHIFT_TYPES = [
    ("early", "Early", "07:00", "15:00", 8.0),
    ("late", "Late", "14:00", "22:00", 8.0),
    ("night", "Night", "21:45", "07:45", 10.0),
    ("long_day", "Long day", "07:30", "20:00", 12.0),
]
UNIT_NAMES = [
    "Rowan",
    "Birch",
    "Heather",
    "Thistle",
    "Bluebell",
    "Cedar",
    "Juniper",
    "Willow",
    "Aspen",
    "Hazel",
]
COURSES = [
    ("Moving and Handling", 365),
    ("Adult Support and Protection", 730),
    ("Fire Safety", 365),
    ("Infection Prevention and Control", 365),
    ("First Aid", 1095),
    ("Medication Administration", 365),
]

# (name, role, home, prefs, slack id); prefs: homes "all" / "own" / list, shift types, day kinds
NAMED_STAFF: list[dict[str, Any]] = [
    dict(
        name="Sarah MacKenzie",
        role="RN",
        home="Victoria Gardens",
        opted_in=True,
        homes="all",
        shift_types=["night", "late"],
        day_kinds=None,
        slack="USARAH001",
    ),
    dict(
        name="David Wilson",
        role="RN",
        home="Hawthorn House",
        opted_in=True,
        homes=["Victoria Gardens", "Hawthorn House"],
        shift_types=None,
        day_kinds=None,
    ),
    dict(
        name="Fiona Grant",
        role="RN",
        home="Orchard Grove",
        opted_in=True,
        homes="all",
        shift_types=None,
        day_kinds=["weekend"],
    ),
    dict(
        name="Jennifer Ross",
        role="RN",
        home="Victoria Gardens",
        opted_in=True,
        homes="own",
        shift_types=["night"],
        day_kinds=None,
    ),
    dict(
        name="Mark Stevens",
        role="RN",
        home="Meadowburn",
        opted_in=True,
        homes="all",
        shift_types=None,
        day_kinds=None,
        no_history=True,
    ),
    dict(
        name="Aisha Rahman",
        role="HCA",
        home="Riverside Court",
        opted_in=False,
        homes="own",
        shift_types=None,
        day_kinds=None,
    ),
    dict(
        name="Tom Baxter",
        role="SSW",
        home="Meadowburn",
        opted_in=True,
        homes="all",
        shift_types=None,
        day_kinds=None,
        slack="UTOMBAX01",
    ),
    dict(
        name="Priya Nair",
        role="RN",
        home="Riverside Court",
        opted_in=True,
        homes="all",
        shift_types=["early", "long_day"],
        day_kinds=None,
    ),
]
NAMED_MANAGERS = {"Victoria Gardens": ("Claire Docherty", "UCLAIRE01")}
HEAD_OF_SERVICE = ("Graham Kerr", "UGRAHAM01")

FIRST_NAMES = [
    "Emma",
    "Olivia",
    "Isla",
    "Ava",
    "Lucy",
    "Amelia",
    "Chloe",
    "Ellie",
    "Hannah",
    "Rachel",
    "Laura",
    "Nicola",
    "Gillian",
    "Karen",
    "Lorraine",
    "Morag",
    "Kirsty",
    "Shona",
    "Ailsa",
    "Eilidh",
    "Catriona",
    "Mhairi",
    "Joanne",
    "Louise",
    "Lisa",
    "Megan",
    "Rebecca",
    "Zara",
    "Nadia",
    "Ewan",
    "Callum",
    "Andrew",
    "James",
    "John",
    "Stuart",
    "Craig",
    "Gavin",
    "Kenneth",
    "Iain",
    "Alistair",
    "Neil",
    "Gary",
    "Kevin",
    "Martin",
    "Paul",
    "Steven",
    "Derek",
    "Hamish",
    "Angus",
    "Ruaridh",
    "Finlay",
    "Lewis",
    "Kyle",
    "Jamal",
    "Tariq",
    "Chidi",
    "Kwame",
    "Marta",
    "Agnieszka",
    "Katarzyna",
    "Piotr",
    "Tomasz",
    "Ioana",
    "Andreea",
    "Maria",
    "Joseph",
    "Chinedu",
    "Yasmin",
    "Anjali",
    "Ravi",
    "Deepa",
    "Samir",
    "Leanne",
    "Donna",
    "Elaine",
]
SURNAMES = [
    "Campbell",
    "Stewart",
    "Robertson",
    "Thomson",
    "Anderson",
    "Murray",
    "MacDonald",
    "Reid",
    "Clark",
    "Paterson",
    "Mitchell",
    "Watson",
    "Morrison",
    "Hamilton",
    "Ferguson",
    "Henderson",
    "Johnston",
    "Kennedy",
    "Cameron",
    "Hunter",
    "Gibson",
    "Davidson",
    "Simpson",
    "Sutherland",
    "Ritchie",
    "Baird",
    "Crawford",
    "Douglas",
    "Sinclair",
    "Lindsay",
    "Munro",
    "Buchanan",
    "Boyle",
    "Quinn",
    "McLean",
    "McIntyre",
    "Drummond",
    "Galbraith",
    "Lennox",
    "Forsyth",
    "Ogilvie",
    "Dunbar",
    "Rennie",
    "Laing",
    "Kelly",
    "Wallace",
    "Pollock",
    "Findlay",
    "Moffat",
    "Gordon",
    "Aitken",
    "Boyd",
    "Brodie",
    "Cowan",
    "Dickson",
    "Gilmour",
    "Jamieson",
    "Lyall",
    "McKay",
    "Menzies",
    "Muir",
    "Nicol",
    "Petrie",
    "Rankin",
    "Shearer",
    "Strachan",
    "Urquhart",
    "Wylie",
    "Kowalski",
    "Nowak",
    "Popescu",
    "Okafor",
    "Mensah",
    "Begum",
    "Chaudhry",
    "Patel",
]


@dataclass(frozen=True)
class Scale:
    name: str
    units_per_home: tuple[int, ...]
    staff_per_unit: int  # 0: ``staff_total`` people spread over the units
    history_days: int
    future_days: int = 28
    staff_total: int = 0


PAPER_STAFF = 821
SCALES = {
    "small": Scale("small", (2, 2, 2, 2, 2), 14, 760),
    "paper": Scale("paper", (9, 9, 8, 8, 8), 0, 731, staff_total=PAPER_STAFF),
    # ten times the paper's group: 50 homes, 420 units, 8,210 staff, two years of history
    "paper10": Scale("paper10", (9, 9, 8, 8, 8) * 10, 0, 731, staff_total=PAPER_STAFF * 10),
}
# names for the homes past the first five (paper10): Scottish place-like names
MORE_HOME_WORDS = [
    "Ashgrove",
    "Birchfield",
    "Cairnlea",
    "Dalmore",
    "Eastwood",
    "Fernbank",
    "Glenview",
    "Hillcrest",
    "Inverleith",
    "Juniper",
    "Kinloch",
    "Lochside",
    "Mossgiel",
    "Northfield",
    "Oakbank",
    "Pinewood",
    "Quarryknowe",
    "Rosebank",
    "Strathmore",
    "Thornhill",
    "Upperton",
    "Viewpark",
    "Westerlea",
    "Yewtree",
    "Abbeyfield",
    "Braeside",
    "Craigmount",
    "Drumlea",
    "Elmwood",
    "Forthview",
    "Gowanbrae",
    "Heatherlea",
    "Islay",
    "Kilbride",
    "Larchfield",
    "Millbrae",
    "Netherby",
    "Ochilview",
    "Parkhead",
    "Rowanlea",
    "Seaview",
    "Tweedside",
    "Wellbrae",
    "Lomond",
    "Cromarty",
]
HOME_SUFFIXES = ["House", "Lodge", "Court", "Park", "Manor"]


def home_names(count: int) -> list[str]:
    """The demo's homes: the five named ones, then generated ones (paper10 has fifty)."""
    more = [f"{w} {HOME_SUFFIXES[i % len(HOME_SUFFIXES)]}" for i, w in enumerate(MORE_HOME_WORDS)]
    names = (HOMES + more)[:count]
    if len(names) < count:
        raise ValueError(f"the demo has names for {len(HOMES) + len(more)} homes, not {count}")
    return names


@dataclass
class DemoSummary:
    today: date
    scale: str
    homes: int
    units: int
    staff: int
    shifts: int
    coverage_requests: int
    offers: int
    leave_requests: int


def _unit_plan(scale: Scale, rng: random.Random) -> list[tuple[int, str, UnitKind, str, int]]:
    """(home index, unit name, kind, character, minimum per day) for every unit."""
    plan = []
    characters_cycle = ["stable", "seasonal", "stable", "volatile", "seasonal", "stable"]
    c = 0
    for h, count in enumerate(scale.units_per_home):
        for i in range(count):
            kind = (
                UnitKind.NURSING
                if i == 0
                else (UnitKind.DEMENTIA if i % 3 == 1 else UnitKind.RESIDENTIAL)
            )
            character = characters_cycle[c % len(characters_cycle)]
            c += 1
            plan.append((h, UNIT_NAMES[i], kind, character, 3))
    # exactly one new unit (under a year of data): the last unit of the last home
    h, name, kind, _, minimum = plan[-1]
    plan[-1] = (h, name, kind, "new", minimum)
    return plan


# the minimum cover each kind of unit must have, every day: (shift type, role)
MINIMUMS = {
    UnitKind.NURSING: [("early", "RN"), ("late", "HCA"), ("night", "RN")],
    UnitKind.DEMENTIA: [("early", "HCA"), ("late", "SSW"), ("night", "HCA")],
    UnitKind.RESIDENTIAL: [("early", "SSW"), ("late", "HCA"), ("night", "HCA")],
}
# roles a unit's own staff pool holds, as weights
POOL_MIX = {
    UnitKind.NURSING: [("RN", 6), ("HCA", 7), ("SSW", 1)],
    UnitKind.DEMENTIA: [("SSW", 4), ("HCA", 10)],
    UnitKind.RESIDENTIAL: [("SSW", 4), ("HCA", 10)],
}


def demand_level(character: str, day: date, origin: date, base: float, scot_holidays: Any) -> float:
    """Expected shifts needed on a unit-day, before noise (the demand signal's shape).

    ``origin`` is where the trend starts: the history's first day, or a new unit's opening."""
    years = (day - origin).days / 365.25
    weekly = {0: 0.25, 1: 0.2, 2: 0.15, 3: 0.15, 4: 0.1, 5: -0.35, 6: -0.45}[day.weekday()]
    doy = day.timetuple().tm_yday
    winter = math.cos(2 * math.pi * (doy - 15) / 365.25)  # peaks mid-January
    season_amp = {"stable": 0.15, "seasonal": 0.9, "volatile": 0.4, "new": 0.3}[character]
    trend = 0.15 * years if character != "new" else 0.4 * years
    level = base + weekly + season_amp * max(winter, -0.4) + trend
    if day in scot_holidays:
        level += 0.6  # bank holidays: families visit, activities, more cover booked
    return level


@dataclass
class _Demo:
    """What the builders share while the demo is built (one seeded generator, in order)."""

    session: Session
    today: date
    zone: ZoneInfo
    scale: Scale
    rng: random.Random
    start: date
    end: date
    scot: Any
    created_at: datetime
    homes: list[Home] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    units_by_home: dict[int, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    home_by_name: dict[str, Home] = field(default_factory=dict)
    unit_base: dict[int, float] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    staff: list[Person] = field(default_factory=list)
    named_ids: dict[str, int] = field(default_factory=dict)
    prefs: list[dict[str, Any]] = field(default_factory=list)
    on_leave: set[tuple[int, date]] = field(default_factory=set)
    leave_requests: int = 0
    windows: dict[tuple[date, str], tuple[datetime, datetime]] = field(default_factory=dict)
    last_end: dict[int, datetime] = field(default_factory=dict)
    shift_rows: list[dict[str, Any]] = field(default_factory=list)
    history_ot: list[tuple[dict[str, Any], Unit]] = field(default_factory=list)
    worked_on: set[tuple[int, date]] = field(default_factory=set)
    keep_free: set[int] = field(default_factory=set)
    free_days: set[date] = field(default_factory=set)
    extra_rows: set[int] = field(default_factory=set)
    pools: dict[tuple[int, str], list[Person]] = field(default_factory=lambda: defaultdict(list))
    ot_willing: dict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))
    propensity: dict[int, float] = field(default_factory=dict)
    speed: dict[int, float] = field(default_factory=dict)
    coverage_requests: int = 0
    offers: int = 0

    def window(self, day: date, code: str) -> tuple[datetime, datetime]:
        key = (day, code)
        if key not in self.windows:
            self.windows[key] = shift_window(day, *SHIFT_TIMES[code], self.zone)
        return self.windows[key]


SHIFT_TIMES = {c: (s, e) for c, _, s, e, _ in SHIFT_TYPES}
EXTRA_TYPES = ["long_day", "early", "late", "long_day"]
NOISE_SD = {"stable": 0.3, "seasonal": 0.35, "volatile": 0.9, "new": 0.5}


def build_demo(session: Session, today: date, scale_name: str, zone: ZoneInfo) -> DemoSummary:
    """Insert the demo organisation into an empty schema (the caller commits).

    Each builder makes one part, in this order, all drawing from one seeded generator (so the
    same D and scale always give the same organisation)."""
    scale = SCALES[scale_name]
    start = today - timedelta(days=scale.history_days)
    end = today + timedelta(days=scale.future_days - 1)
    b = _Demo(
        session=session,
        today=today,
        zone=zone,
        scale=scale,
        rng=random.Random(f"{SEED}-{scale_name}-{today.isoformat()}"),
        start=start,
        end=end,
        scot=holidays_lib.country_holidays(
            "GB", subdiv="SCT", years=range(start.year, end.year + 1)
        ),
        created_at=local_instant(start, datetime.min.time(), zone),
    )
    _build_reference_data(b)
    _build_homes_and_units(b)
    _build_people(b)
    _build_preferences(b)
    _build_leave(b)
    _build_rota(b)
    _book_expected_cover(b)
    _rota_for_named_staff(b.staff, b.units_by_home, b.shift_rows, b.on_leave, today, zone)
    _build_overtime_history(b)
    _build_sickness(b)
    _build_training(b)
    session.flush()
    return DemoSummary(
        today=today,
        scale=scale.name,
        homes=len(b.homes),
        units=len(b.units),
        staff=len(b.staff),
        shifts=len(b.shift_rows),
        coverage_requests=b.coverage_requests,
        offers=b.offers,
        leave_requests=b.leave_requests,
    )


def _build_reference_data(b: _Demo) -> None:
    """Roles and shift types."""
    b.session.execute(insert(Role), [dict(code=c, name=n) for c, n in ROLES])
    b.session.execute(
        insert(ShiftType),
        [
            dict(code=c, name=n, start_time=s, end_time=e, paid_hours=p)
            for c, n, s, e, p in SHIFT_TYPES
        ],
    )


def _build_homes_and_units(b: _Demo) -> None:
    """Homes, their units (one new unit with under a year of data) and minimum cover."""
    session, rng, today, start = b.session, b.rng, b.today, b.start
    b.homes = [
        Home(name=n, slack_channel="#" + n.lower().replace(" ", "-"))
        for n in home_names(len(b.scale.units_per_home))
    ]
    session.add_all(b.homes)
    session.flush()

    for h, name, kind, character, _ in _unit_plan(b.scale, rng):
        opened = (
            today - timedelta(days=300)
            if character == "new"
            else start - timedelta(days=rng.randint(400, 4000))
        )
        b.units.append(
            Unit(
                home_id=b.homes[h].id,
                name=name,
                kind=kind,
                character=character,
                opened_on=max(opened, start) if character == "new" else opened,
            )
        )
    session.add_all(b.units)
    session.flush()
    b.unit_base = {u.id: rng.uniform(2.8, 3.2) if u.character != "new" else 2.9 for u in b.units}

    req_rows = []
    for unit in b.units:
        for shift_type, role in MINIMUMS[unit.kind]:
            for weekday in range(7):
                req_rows.append(
                    dict(
                        unit_id=unit.id,
                        shift_type_code=shift_type,
                        role_code=role,
                        weekday=weekday,
                        minimum=1,
                    )
                )
    session.execute(insert(StaffingRequirement), req_rows)
    for unit in b.units:
        b.units_by_home[unit.home_id].append(unit)
    b.home_by_name = {h.name: h for h in b.homes}


def _build_people(b: _Demo) -> None:
    """The head of service, a manager per home, the named staff, then everyone else spread
    over the units by each unit's role mix."""
    rng, start, units, homes = b.rng, b.start, b.units, b.homes
    staff_total = b.scale.staff_total or b.scale.staff_per_unit * len(units)
    reserved_first = {n["name"].split()[0] for n in NAMED_STAFF} | {"Claire", "Graham"}
    reserved_last = {n["name"].split()[1] for n in NAMED_STAFF} | {"Docherty", "Kerr"}
    firsts = [f for f in FIRST_NAMES if f not in reserved_first]
    lasts = [s for s in SURNAMES if s not in reserved_last]
    combos = [f"{f} {s}" for f in firsts for s in lasts]
    rng.shuffle(combos)
    people_needed = staff_total + len(homes) + 1
    if people_needed > len(combos):  # paper10: double-barrelled surnames as well
        more = [f"{f} {a}-{c}" for f in firsts for a in lasts[:20] for c in lasts[20:40]]
        random.Random(f"{SEED}-more-names").shuffle(more)
        combos += more
    generated_names = iter(combos)
    wide = people_needed > 990  # paper10: the 1,000 numbers of +447700900xxx are too few
    phones = list(range(1, 10000 if wide else 1000))
    rng.shuffle(phones)
    phone_iter = iter(phones)

    def new_person(name: str, kind: PersonKind, **fields: Any) -> Person:
        n = next(phone_iter)
        number = f"+44770090{n:04d}" if wide else f"+447700900{n:03d}"
        first, last = name.split(" ", 1)
        return Person(
            full_name=name,
            first_name=first,
            last_name=last,
            kind=kind,
            phone=protect_phone(number),
            phone_hash=phone_hash(number),
            **fields,
        )

    people = b.people
    people.append(
        new_person(
            HEAD_OF_SERVICE[0],
            PersonKind.HEAD,
            slack_user_id=HEAD_OF_SERVICE[1],
            contracted_hours=37.5,
            hourly_rate=32.0,
            started_on=start,
        )
    )
    for home in homes:
        name, slack = NAMED_MANAGERS.get(home.name, (next(generated_names), None))
        slack = slack or "UMGR" + home.name.split()[0][:5].upper()
        people.append(
            new_person(
                name,
                PersonKind.MANAGER,
                home_id=home.id,
                slack_user_id=slack,
                contracted_hours=37.5,
                hourly_rate=26.0,
                started_on=start,
            )
        )

    staff = b.staff
    for spec in NAMED_STAFF:
        home = b.home_by_name[spec["name"] and spec["home"]]
        unit = next(
            (
                u
                for u in b.units_by_home[home.id]
                if any(r == spec["role"] for r, _ in POOL_MIX[u.kind])
            ),
            b.units_by_home[home.id][0],
        )
        staff.append(
            new_person(
                spec["name"],
                PersonKind.STAFF,
                role_code=spec["role"],
                home_id=home.id,
                unit_id=unit.id,
                slack_user_id=spec.get("slack"),
                contracted_hours=37.5,
                employment_type=EmploymentType.PERMANENT,
                hourly_rate=_rate(spec["role"]),
                started_on=start - timedelta(days=rng.randint(400, 3000)),
            )
        )
    per_unit = (staff_total - len(staff)) / len(units)
    for ui, unit in enumerate(units):
        target = round(per_unit * (ui + 1)) - round(per_unit * ui)
        mix = POOL_MIX[unit.kind]
        weights = [w for _, w in mix]
        # every unit gets at least two people for each role it needs at minimum
        needed = [r for _, r in MINIMUMS[unit.kind]]
        roles = [r for r in dict.fromkeys(needed) for _ in range(2)]
        roles += rng.choices([r for r, _ in mix], weights=weights, k=max(0, target - len(roles)))
        for role in roles[:target]:
            employment = EmploymentType.BANK if rng.random() < 0.12 else EmploymentType.PERMANENT
            slack_id = f"U{rng.randrange(16**8):08X}" if rng.random() < 0.1 else None
            staff.append(
                new_person(
                    next(generated_names),
                    PersonKind.STAFF,
                    role_code=role,
                    home_id=unit.home_id,
                    unit_id=unit.id,
                    slack_user_id=slack_id,
                    contracted_hours=0
                    if employment == EmploymentType.BANK
                    else rng.choice([22.5, 30.0, 37.5, 37.5]),
                    employment_type=employment,
                    hourly_rate=_rate(role),
                    started_on=start - timedelta(days=rng.randint(-600, 3000)),
                )
            )
    people.extend(staff)
    b.session.add_all(people)
    b.session.flush()
    b.named_ids = {p.full_name: p.id for p in staff[: len(NAMED_STAFF)]}


def _build_preferences(b: _Demo) -> None:
    """Overtime preferences: the named staff's as the walk-through needs, the rest drawn."""
    rng = b.rng
    named_specs = {s["name"]: s for s in NAMED_STAFF}
    for person in b.staff:
        spec = named_specs.get(person.full_name)
        if spec is not None:
            home_ids = (
                None
                if spec["homes"] == "all"
                else [person.home_id]
                if spec["homes"] == "own"
                else [b.home_by_name[n].id for n in spec["homes"]]
            )
            opted, types, kinds = spec["opted_in"], spec["shift_types"], spec["day_kinds"]
        else:
            opted = rng.random() < 0.62
            roll = rng.random()
            own = person.home_id
            assert own is not None  # staff always have a home
            home_ids = (
                None
                if roll < 0.3
                else [own]
                if roll < 0.75
                else sorted({own, rng.choice(b.homes).id})
            )
            types = (
                None
                if rng.random() < 0.6
                else sorted(rng.sample(["early", "late", "night", "long_day"], rng.randint(1, 3)))
            )
            kinds = None if rng.random() < 0.8 else [rng.choice(["weekday", "weekend"])]
        b.prefs.append(
            dict(
                person_id=person.id,
                opted_in=opted,
                home_ids=home_ids,
                shift_types=types,
                day_kinds=kinds,
                channel=Channel.SLACK if person.slack_user_id else Channel.SMS,
                quiet_start="22:00",
                quiet_end="07:00",
                updated_at=b.created_at,
            )
        )
    b.session.execute(insert(OvertimePreference), b.prefs)


def _build_leave(b: _Demo) -> None:
    """Leave, past and booked (a few future requests pending), and yearly entitlements."""
    rng, zone = b.rng, b.zone
    leave_rows = []
    for person in b.staff:
        day = b.start + timedelta(days=rng.randint(0, 60))
        while day < b.end:
            length = rng.choice([1, 1, 2, 3, 5, 7])
            last = day + timedelta(days=length - 1)
            leave_type = rng.choices(
                [LeaveType.ANNUAL, LeaveType.PERSONAL, LeaveType.TRAINING], weights=[85, 10, 5]
            )[0]
            future = day > b.today
            status = LeaveStatus.APPROVED
            if future and rng.random() < 0.08:
                status = LeaveStatus.PENDING
            leave_rows.append(
                dict(
                    person_id=person.id,
                    start_date=day,
                    end_date=last,
                    leave_type=leave_type,
                    status=status,
                    days=float(length),
                    created_at=local_instant(
                        day - timedelta(days=rng.randint(7, 60)), datetime.min.time(), zone
                    ),
                    decided_at=None
                    if status == LeaveStatus.PENDING
                    else local_instant(day - timedelta(days=5), datetime.min.time(), zone),
                )
            )
            if status == LeaveStatus.APPROVED:
                for i in range(length):
                    b.on_leave.add((person.id, day + timedelta(days=i)))
            day = last + timedelta(days=rng.randint(45, 110))
    b.session.execute(insert(LeaveRequest), leave_rows)
    b.leave_requests = len(leave_rows)
    b.session.execute(
        insert(LeaveEntitlement),
        [
            dict(
                person_id=p.id,
                year=y,
                days=28.0
                if p.contracted_hours >= 37.5
                else round(28.0 * max(p.contracted_hours, 15.0) / 37.5, 1),
            )
            for p in b.people
            for y in range(b.start.year, b.end.year + 1)
        ],
    )


def _build_rota(b: _Demo) -> None:
    """The rota: history driven by each unit's demand (fully covered, some by overtime or
    agency) and the published four weeks ahead (the minimum cover, with planted gaps)."""
    rng, today, units = b.rng, b.today, b.units
    for person in b.staff:
        b.pools[(person.unit_id, person.role_code)].append(person)  # type: ignore[index]
    pointer: dict[tuple[int, str], int] = defaultdict(int)
    last_end = b.last_end
    pref_by_person = {p["person_id"]: p for p in b.prefs}
    for person in b.staff:
        if pref_by_person[person.id]["opted_in"] and person.full_name != "Mark Stevens":
            b.ot_willing[person.role_code].append(person)  # type: ignore[index]
    b.propensity = {p.id: rng.betavariate(2.2, 2.0) for p in b.staff}
    b.speed = {p.id: rng.uniform(0.1, 3.0) for p in b.staff}  # hours to answer

    # future: keep the people the walk-through relies on free around D+2, and plant gaps
    b.keep_free = {
        b.named_ids[n]
        for n in (
            "Sarah MacKenzie",
            "Jennifer Ross",
            "David Wilson",
            "Fiona Grant",
            "Mark Stevens",
            "Priya Nair",
            "Tom Baxter",
        )
    }
    b.free_days = {today + timedelta(days=i) for i in (1, 2, 3)}
    vg_units = b.units_by_home[b.home_by_name["Victoria Gardens"].id]
    vg_nursing = next(u for u in vg_units if u.kind == UnitKind.NURSING)
    planted_gaps = {(vg_nursing.id, today + timedelta(days=2), "night", "RN")}
    # and one for tomorrow in Victoria Gardens' other unit, so "who's short tomorrow?" has news
    vg_other = next(u for u in vg_units if u.id != vg_nursing.id)
    late_role = next(r for t, r in MINIMUMS[vg_other.kind] if t == "late")
    planted_gaps.add((vg_other.id, today + timedelta(days=1), "late", late_role))

    def assign(unit: Unit, day: date, code: str, role: str, future: bool) -> Person | None:
        pool = b.pools.get((unit.id, role), [])
        s_at, _ = b.window(day, code)
        n = len(pool)
        for k in range(n):
            person = pool[(pointer[(unit.id, role)] + k) % n]
            if (person.id, day) in b.worked_on or (person.id, day) in b.on_leave:
                continue
            if future and person.id in b.keep_free and day in b.free_days:
                continue
            if person.id in last_end and s_at < last_end[person.id] + timedelta(hours=11):
                continue
            pointer[(unit.id, role)] = (pointer[(unit.id, role)] + k + 1) % n
            return person
        return None

    day = b.start
    while day <= b.end:
        future = day >= today
        for unit in units:
            if day < unit.opened_on:
                continue
            slots = list(MINIMUMS[unit.kind])
            if not future:
                level = demand_level(
                    unit.character, day, max(b.start, unit.opened_on), b.unit_base[unit.id], b.scot
                )
                noise = NOISE_SD[unit.character]
                needed = max(
                    len(slots),
                    round(
                        level
                        + rng.gauss(0, noise)
                        + (rng.choice([0, 0, 0, 0, 2]) if unit.character == "volatile" else 0)
                    ),
                )
                for i in range(needed - len(slots)):
                    slots.append((EXTRA_TYPES[(day.toordinal() + i) % 4], "HCA"))
            for code, role in slots:
                if future and (unit.id, day, code, role) in planted_gaps:
                    continue
                if future and day <= today + timedelta(days=6) and rng.random() < 0.03:
                    continue  # unfilled shifts in the coming days
                worker = assign(unit, day, code, role, future)
                if worker is None or (not future and rng.random() < 0.045):
                    # history: covered by overtime (an opted-in colleague) or an agency worker
                    row = _add_shift(b, unit, day, code, role, None, ShiftKind.AGENCY)
                    if not future:
                        b.history_ot.append((row, unit))
                    elif worker is None:
                        b.shift_rows.pop()  # the future rota simply has a gap
                    continue
                _add_shift(b, unit, day, code, role, worker, ShiftKind.REGULAR)
        day += timedelta(days=1)


def _add_shift(
    b: _Demo, unit: Unit, day: date, code: str, role: str, person: Person | None, kind: ShiftKind
) -> dict[str, Any]:
    s_at, e_at = b.window(day, code)
    row = dict(
        unit_id=unit.id,
        person_id=person.id if person else None,
        role_code=role,
        shift_type_code=code,
        date=day,
        starts_at=s_at,
        ends_at=e_at,
        kind=kind,
        status=ShiftStatus.SCHEDULED,
        coverage_request_id=None,
    )
    b.shift_rows.append(row)
    if person is not None:
        b.worked_on.add((person.id, day))
        b.last_end[person.id] = max(b.last_end.get(person.id, e_at), e_at)
    return row


def _book_expected_cover(b: _Demo) -> None:
    """The published rota also books the extra HCA cover each unit-day is expected to need
    (the demand level, without noise), short by one on some days. A second pass with its
    own random stream, so the minimum rota, its gaps and sickness stay as they are."""
    today = b.today
    extra_rng = random.Random(f"{SEED}-extras-{b.scale.name}-{today.isoformat()}")
    booked: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for r in b.shift_rows:
        if r["date"] >= today - timedelta(days=1) and r["person_id"] is not None:
            booked[r["person_id"]].append((r["starts_at"], r["ends_at"]))
    extra_pointer: dict[int, int] = defaultdict(int)
    rest = timedelta(hours=11)
    day = today
    while day <= b.end:
        for unit in b.units:
            level = demand_level(
                unit.character, day, max(b.start, unit.opened_on), b.unit_base[unit.id], b.scot
            )
            # book the expected need: the mean of the same noisy, floored demand the history
            # was drawn from (the floor at the minimum lifts it above the bare level)
            n_min = len(MINIMUMS[unit.kind])
            expected = (
                sum(
                    max(n_min, round(level + extra_rng.gauss(0, NOISE_SD[unit.character])))
                    for _ in range(24)
                )
                / 24
            )
            extras = max(0, round(expected) - n_min)
            if extras and extra_rng.random() < 0.06:
                extras -= 1  # booked light: where the forecast may warn
            pool = b.pools.get((unit.id, "HCA"), [])
            for i in range(extras):
                code = EXTRA_TYPES[(day.toordinal() + i) % 4]
                s_at, e_at = b.window(day, code)
                for k in range(len(pool)):
                    person = pool[(extra_pointer[unit.id] + k) % len(pool)]
                    if (
                        (person.id, day) in b.worked_on
                        or (person.id, day) in b.on_leave
                        or (person.id in b.keep_free and day in b.free_days)
                        or any(s_at < e + rest and s < e_at + rest for s, e in booked[person.id])
                    ):
                        continue
                    extra_pointer[unit.id] = (extra_pointer[unit.id] + k + 1) % len(pool)
                    b.extra_rows.add(
                        id(_add_shift(b, unit, day, code, "HCA", person, ShiftKind.REGULAR))
                    )
                    booked[person.id].append((s_at, e_at))
                    break
        day += timedelta(days=1)


def _build_overtime_history(b: _Demo) -> None:
    """Overtime requests and offers with responses for the history's gaps (a colleague who
    said yes, or agency); then the rota and the offers are written."""
    rng, session = b.rng, b.session
    offers_rows: list[dict[str, Any]] = []
    requests_rows: list[dict[str, Any]] = []
    req_id = 0
    managers_by_home = {p.home_id: p.id for p in b.people if p.kind == PersonKind.MANAGER}
    for row, unit in b.history_ot:
        willing = b.ot_willing.get(row["role_code"], [])
        if not willing:
            continue
        req_id += 1
        made_at = row["starts_at"] - timedelta(hours=rng.uniform(6, 72))
        candidates = rng.sample(willing, min(len(willing), rng.randint(3, 7)))
        winner = None
        for wave_pos, person in enumerate(candidates):
            contacted = made_at + timedelta(minutes=30 * (wave_pos // 3))
            available = (person.id, row["date"]) not in b.worked_on and (
                person.id,
                row["date"],
            ) not in b.on_leave
            answered = rng.random() < 0.8
            accepts = (
                winner is None
                and available
                and answered
                and rng.random() < (b.propensity[person.id])
            )
            if accepts:
                response = OfferResponse.ACCEPTED
                winner = person
            elif winner is not None and not answered:
                response = OfferResponse.WITHDRAWN
            elif answered:
                response = OfferResponse.DECLINED
            else:
                response = OfferResponse.NO_RESPONSE
            offers_rows.append(
                dict(
                    request_id=req_id,
                    person_id=person.id,
                    wave=1 + wave_pos // 3,
                    score=0.0,
                    breakdown={},
                    channel=Channel.SLACK if person.slack_user_id else Channel.SMS,
                    response=response,
                    contacted_at=contacted,
                    responded_at=contacted + timedelta(hours=b.speed[person.id])
                    if answered
                    else None,
                    reason=None,
                    reason_asked=False,
                    delivery_status="delivered",
                )
            )
        filled = winner is not None
        requests_rows.append(
            dict(
                id=req_id,
                home_id=unit.home_id,
                unit_id=unit.id,
                date=row["date"],
                shift_type_code=row["shift_type_code"],
                role_code=row["role_code"],
                status=RequestStatus.FILLED if filled else RequestStatus.UNFILLED,
                source="manager",
                created_by_id=managers_by_home.get(unit.home_id),
                created_at=made_at,
                starts_at=row["starts_at"],
                deadline_at=row["starts_at"] - timedelta(hours=2),
                next_wave_at=None,
                wave=1 + (len(candidates) - 1) // 3,
                wave_size=3,
                min_score=0.0,
                profile="balanced",
                filled_by_id=winner.id if winner else None,
                filled_at=(made_at + timedelta(hours=b.speed[winner.id])) if winner else None,
                closed_at=row["starts_at"] - timedelta(hours=2),
                version=1,
            )
        )
        row["coverage_request_id"] = req_id
        if winner is not None:
            row["person_id"] = winner.id
            row["kind"] = ShiftKind.OVERTIME
            b.worked_on.add((winner.id, row["date"]))

    session.execute(insert(CoverageRequest), requests_rows)
    for i in range(0, len(b.shift_rows), 20000):
        session.execute(insert(Shift), b.shift_rows[i : i + 20000])
    for i in range(0, len(offers_rows), 20000):
        session.execute(insert(Offer), offers_rows[i : i + 20000])
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.execute(func.setval("coverage_requests_id_seq", req_id + 1, False).select())
    b.coverage_requests, b.offers = req_id, len(offers_rows)


def _build_sickness(b: _Demo) -> None:
    """Sickness: two people off in the coming days, and past spells for a third of staff."""
    rng, today, zone = b.rng, b.today, b.zone
    future_regular = [
        r
        for r in b.shift_rows
        if r["date"] > today
        and r["date"] <= today + timedelta(days=5)
        and r["kind"] == ShiftKind.REGULAR
        and r["person_id"]
        and r["person_id"] not in b.keep_free
        and id(r) not in b.extra_rows
    ]
    sick_rows = []
    for r in rng.sample(future_regular, min(2, len(future_regular))):
        sick_rows.append(
            dict(
                person_id=r["person_id"],
                start_date=r["date"],
                end_date=r["date"],
                shift_id=None,
                reason="unwell",
                reported_at=local_instant(today, datetime.min.time(), zone),
            )
        )
    for person in rng.sample(b.staff, min(len(b.staff), len(b.staff) // 3)):
        d0 = b.start + timedelta(days=rng.randint(0, b.scale.history_days - 10))
        sick_rows.append(
            dict(
                person_id=person.id,
                start_date=d0,
                end_date=d0 + timedelta(days=rng.randint(0, 4)),
                shift_id=None,
                reason=None,
                reported_at=local_instant(d0, datetime.min.time(), zone),
            )
        )
    b.session.execute(insert(SicknessAbsence), sick_rows)


def _build_training(b: _Demo) -> None:
    """Mandatory training records, some lapsed or lapsing soon."""
    training_rows = []
    for person in b.staff:
        for course, valid_days in COURSES:
            if course == "Medication Administration" and person.role_code == "HCA":
                continue
            expires = b.today + timedelta(days=b.rng.randint(-20, valid_days))
            training_rows.append(
                dict(
                    person_id=person.id,
                    course=course,
                    completed_on=expires - timedelta(days=valid_days),
                    expires_on=expires,
                )
            )
    b.session.execute(insert(TrainingRecord), training_rows)


def _rota_for_named_staff(
    staff: list[Person],
    units_by_home: dict[int, list[Unit]],
    shift_rows: list[dict[str, Any]],
    on_leave: set[tuple[int, date]],
    today: date,
    zone: ZoneInfo,
) -> None:
    """Named staff whose own unit rosters nobody of their role (Tom Baxter, an SSW in a
    nursing unit) move to a unit of their home that does, and take over some of its future
    shifts of their role from a week ahead: every other shift keeps its worker, and no random
    number is drawn, so the rest of the demo is exactly as it was."""
    named = {s["name"] for s in NAMED_STAFF}
    for person in staff:
        if person.full_name not in named or person.unit_id is None:
            continue
        role = person.role_code
        home_units = units_by_home[person.home_id]  # type: ignore[index]
        own = next(u for u in home_units if u.id == person.unit_id)
        if any(r == role for _, r in MINIMUMS[own.kind]):
            continue
        rostering = [u for u in home_units if any(r == role for _, r in MINIMUMS[u.kind])]
        if not rostering:
            continue
        person.unit_id = rostering[0].id
        first = today + timedelta(days=6)  # past the sickness planted in the coming days
        rows = sorted(
            (
                r
                for r in shift_rows
                if r["date"] >= first
                and r["role_code"] == role
                and r["unit_id"] == rostering[0].id
                and r["person_id"] is not None
                and r["kind"] == ShiftKind.REGULAR
            ),
            key=lambda r: r["starts_at"],
        )
        last: dict[str, Any] | None = None
        for row in rows:
            if (person.id, row["date"]) in on_leave:
                continue
            if last is not None and (row["date"] - last["date"]).days < 2:
                continue  # about three shifts a week, never two in a row
            row["person_id"] = person.id
            last = row


def _rate(role: str) -> float:
    return {"RN": 21.5, "SSW": 14.8, "HCA": 12.6}[role]
