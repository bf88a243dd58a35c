"""Looking up homes and people by the names people use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import InvalidInput, NotFound
from core.models import Home, Person, Role, ShiftType

if TYPE_CHECKING:
    from core.app import Core


def home_names(session: Session) -> list[str]:
    return list(session.scalars(select(Home.name).order_by(Home.id)))


def person_names(session: Session) -> list[str]:
    return list(session.scalars(select(Person.full_name).where(Person.active).order_by(Person.id)))


def find_home(session: Session, name: str) -> Home:
    """A home by name, matched as chat matches it (core/name_match.py: case-insensitive,
    short forms and small typos accepted, "did you mean" otherwise)."""
    from core.name_match import match_home

    homes = list(session.scalars(select(Home).order_by(Home.id)))
    if not homes:
        raise NotFound(f"Unknown home {name!r}. Homes: (none: run `staffbot init --demo`).")
    chosen = match_home(name, [h.name for h in homes])
    return next(h for h in homes if h.name == chosen)


def find_person(session: Session, name: str) -> Person:
    person = session.scalars(
        select(Person).where(func.lower(Person.full_name) == name.strip().lower())
    ).first()
    if person is None:
        raise NotFound(f"Nobody called {name!r} in the organisation.")
    return person


def person_by_slack(session: Session, slack_user_id: str) -> Person | None:
    return session.scalars(select(Person).where(Person.slack_user_id == slack_user_id)).first()


def check_role(session: Session, code: str) -> str:
    codes = list(session.scalars(select(Role.code).order_by(Role.code)))
    upper = code.strip().upper()
    if upper not in codes:
        raise InvalidInput(f"Unknown role {code!r}. Roles: {', '.join(codes)}.")
    return upper


def check_shift_type(session: Session, code: str) -> str:
    codes = list(session.scalars(select(ShiftType.code).order_by(ShiftType.start_time)))
    normal = code.strip().lower().replace(" ", "_").replace("-", "_")
    if normal not in codes:
        raise InvalidInput(f"Unknown shift type {code!r}. Shift types: {', '.join(codes)}.")
    return normal


def find_person_loose(session: Session, name: str) -> Person:
    """One person by full name, or by a first name or surname that only they have."""
    wanted = name.strip().lower()
    people = list(session.scalars(select(Person).where(func.lower(Person.full_name) == wanted)))
    if not people:
        people = list(
            session.scalars(
                select(Person).where(
                    (func.lower(Person.first_name) == wanted)
                    | (func.lower(Person.last_name) == wanted)
                )
            )
        )
    if len(people) != 1:
        raise NotFound(f"No single person called {name!r} in the organisation.")
    return people[0]


def directory_version(session: Session) -> tuple[int, int]:
    """Changes when people are added or removed: tells a cached name catalog to reload."""
    count, top = session.execute(
        select(func.count(Person.id), func.coalesce(func.max(Person.id), 0))
    ).one()
    return int(count), int(top)


def person_by_phone_hash(session: Session, phone_hash: str) -> Person | None:
    """An active person by the keyed hash of their number (numbers are never stored clear)."""
    return session.scalars(
        select(Person).where(Person.phone_hash == phone_hash, Person.active.is_(True))
    ).first()


def unit_labels(session: Session, home_ids: frozenset[int] | None) -> dict[int, tuple[int, str]]:
    """unit id -> (home id, "Home / Unit"), in home and unit order."""
    from core.models import Unit

    query = (
        select(Unit.id, Unit.home_id, Unit.name, Home.name)
        .join(Home, Home.id == Unit.home_id)
        .order_by(Home.id, Unit.id)
    )
    if home_ids is not None:
        query = query.where(Unit.home_id.in_(home_ids))
    return {uid: (hid, f"{home} / {unit}") for uid, hid, unit, home in session.execute(query)}


_ACTIVE_NAMES = select(Person.id, Person.full_name, Person.first_name, Person.last_name).where(
    Person.active.is_(True)
)
_HOME_NAMES = select(Home.name)


def active_name_rows(session: Session) -> list[tuple[int, str, str, str]]:
    """(id, full name, first name, last name) of everyone active, as plain column tuples (no
    Person objects loaded): for spotting a colleague named in a message, on every text."""
    return [(pid, full, first, last) for pid, full, first, last in session.execute(_ACTIVE_NAMES)]


def home_name_list(session: Session) -> list[str]:
    """Every home's name (no order), from one prebuilt statement."""
    return list(session.scalars(_HOME_NAMES))


# ---- the same look-ups as services: each in its own (or the caller's joined) read unit --------


@dataclass(frozen=True)
class DirectoryNames:
    """Every home's name and every active person's full name (what the parser must know),
    with the directory version they were read at (``directory_version``)."""

    key: tuple[int, int]
    homes: tuple[str, ...]
    staff: tuple[str, ...]


def directory_names(core: Core, unless_key: tuple[int, int] | None = None) -> DirectoryNames | None:
    """The names, or None when the directory is still at version ``unless_key`` (nobody was
    added or removed since the caller read them)."""
    with core.read() as uow:
        key = directory_version(uow.session)
        if unless_key is not None and key == unless_key:
            return None
        return DirectoryNames(key, tuple(home_names(uow.session)), tuple(person_names(uow.session)))


def home_id_named(core: Core, name: str) -> int:
    """The id of the home called ``name`` as chat names it (``find_home``; NotFound with
    "did you mean" otherwise)."""
    with core.read() as uow:
        return find_home(uow.session, name).id


def home_named(core: Core, name: str) -> str:
    """The proper name of the home called ``name`` as chat names it (NotFound otherwise)."""
    with core.read() as uow:
        return find_home(uow.session, name).name


def every_home_name(core: Core) -> list[str]:
    """Every home's name (no order; ``home_name_list``)."""
    with core.read() as uow:
        return home_name_list(uow.session)


def active_people_names(core: Core) -> list[tuple[int, str, str, str]]:
    """(id, full name, first name, last name) of everyone active (``active_name_rows``)."""
    with core.read() as uow:
        return active_name_rows(uow.session)
