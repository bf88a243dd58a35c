"""A person's overtime preferences: opted in or out, homes, shift types, weekdays/weekends,
how to reach them and when not to. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.directory import find_home
from core.errors import InvalidInput, NotFound
from core.models import Channel, Home, OvertimePreference, Person, ShiftType
from core.timeutil import parse_hhmm
from core.uow import Actor, UnitOfWork

if TYPE_CHECKING:
    from core.app import Core

DAY_KINDS = ("weekday", "weekend")
UNCHANGED: Any = object()  # "leave this preference as it is"


@dataclass(frozen=True)
class ChangePreferences:
    """Change some of one person's overtime preferences; lists replace unless ``add``."""

    person_id: int
    opted_in: bool | None = None
    home_ids: list[int] | None = UNCHANGED  # None means every home
    shift_types: list[str] | None = UNCHANGED  # None means every shift type
    day_kinds: list[str] | None = UNCHANGED  # None means any day
    channel: str | None = None
    quiet_start: str | None = None
    quiet_end: str | None = None
    add: bool = False  # widen the current lists instead of replacing them


@dataclass(frozen=True)
class PreferenceView:
    """Preferences as plain values, with names, for showing back to the person."""

    person_id: int
    opted_in: bool
    homes: list[str] | None
    shift_types: list[str] | None
    day_kinds: list[str] | None
    channel: str
    quiet_start: str
    quiet_end: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def preference_row(session: Session, person_id: int) -> OvertimePreference:
    """The person's row, created (opted out, every home, SMS) if they have none yet."""
    pref = session.get(OvertimePreference, person_id)
    if pref is None:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound("Unknown person.")
        pref = OvertimePreference(
            person_id=person_id,
            opted_in=False,
            home_ids=None,
            shift_types=None,
            day_kinds=None,
            channel=Channel.SLACK if person.slack_user_id else Channel.SMS,
            quiet_start="22:00",
            quiet_end="07:00",
        )
        session.add(pref)
        session.flush()
    return pref


def view_preferences(session: Session, person_id: int) -> PreferenceView:
    pref = session.get(OvertimePreference, person_id)
    if pref is None:
        person = session.get(Person, person_id)
        channel = "slack" if person is not None and person.slack_user_id else "sms"
        return PreferenceView(person_id, False, None, None, None, channel, "22:00", "07:00")
    names = {h.id: h.name for h in session.scalars(select(Home))}
    homes = None if pref.home_ids is None else [names.get(h, f"home {h}") for h in pref.home_ids]
    return PreferenceView(
        person_id,
        bool(pref.opted_in),
        homes,
        pref.shift_types,
        pref.day_kinds,
        str(pref.channel),
        pref.quiet_start,
        pref.quiet_end,
    )


def _merged(
    current: list[Any] | None, wanted: list[Any] | None, add: bool, everything: list[Any]
) -> list[Any] | None:
    if wanted is None:
        return None
    if add and current is None:
        return None  # already "any": widening cannot narrow it
    values = list(dict.fromkeys((current or []) + wanted if add else wanted))
    if set(values) >= set(everything):
        return None  # naming every option is the same as "any"
    order = {v: i for i, v in enumerate(everything)}
    return sorted(values, key=lambda v: order.get(v, len(order)))


def change_preferences(uow: UnitOfWork, change: ChangePreferences, actor: Actor) -> PreferenceView:
    """Apply a change (audited, caller commits) and return the preferences now in force."""
    session = uow.session
    pref = preference_row(session, change.person_id)
    before = _snapshot(pref)
    all_homes = list(session.scalars(select(Home.id).order_by(Home.id)))
    all_types = list(session.scalars(select(ShiftType.code).order_by(ShiftType.start_time)))
    if change.opted_in is not None:
        pref.opted_in = change.opted_in
    if change.home_ids is not UNCHANGED:
        if change.home_ids is not None and set(change.home_ids) - set(all_homes):
            raise InvalidInput("Unknown home.")
        pref.home_ids = _merged(pref.home_ids, change.home_ids, change.add, all_homes)
    if change.shift_types is not UNCHANGED:
        if change.shift_types is not None and set(change.shift_types) - set(all_types):
            raise InvalidInput(f"Shift types are {', '.join(all_types)}.")
        pref.shift_types = _merged(pref.shift_types, change.shift_types, change.add, all_types)
    if change.day_kinds is not UNCHANGED:
        if change.day_kinds is not None and set(change.day_kinds) - set(DAY_KINDS):
            raise InvalidInput("Days are weekday or weekend.")
        pref.day_kinds = _merged(pref.day_kinds, change.day_kinds, change.add, list(DAY_KINDS))
    if change.channel is not None:
        pref.channel = Channel(change.channel)
    for field in ("quiet_start", "quiet_end"):
        value = getattr(change, field)
        if value is not None:
            try:
                parse_hhmm(value)
            except ValueError as exc:
                raise InvalidInput("Quiet hours are HH:MM, e.g. 22:00.") from exc
            setattr(pref, field, value)
    after = _snapshot(pref)
    if after != before:
        pref.updated_at = uow.now()
        uow.audit(
            actor,
            "overtime.preferences_changed",
            "overtime_preference",
            change.person_id,
            before=before,
            after=after,
        )
    session.flush()
    return view_preferences(session, change.person_id)


def preferences_of(core: Core, person_id: int) -> PreferenceView:
    """The person's overtime preferences now (a look-up: nothing is created or changed)."""
    with core.read() as uow:
        return view_preferences(uow.session, person_id)


def update_preferences(
    core: Core, change: ChangePreferences, actor: Actor, home: str | None = None
) -> PreferenceView:
    """Apply ``change`` in its own unit of work (audited, committed); ``home``, as chat names
    it, sets (or with ``add`` widens) the homes. Returns the preferences now in force."""
    with core.uow() as uow:
        if home:
            change = replace(change, home_ids=[find_home(uow.session, home).id])
        view = change_preferences(uow, change, actor)
        uow.commit()
    return view


def _snapshot(pref: OvertimePreference) -> dict[str, Any]:
    return {
        "opted_in": bool(pref.opted_in),
        "home_ids": pref.home_ids,
        "shift_types": pref.shift_types,
        "day_kinds": pref.day_kinds,
        "channel": str(pref.channel),
        "quiet_start": pref.quiet_start,
        "quiet_end": pref.quiet_end,
    }


def in_quiet_hours(local_hhmm: str, quiet_start: str, quiet_end: str) -> bool:
    """Whether a local wall-clock time falls in quiet hours (which may wrap past midnight)."""
    now, start, end = local_hhmm, quiet_start, quiet_end
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end
