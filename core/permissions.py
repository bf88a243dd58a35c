"""Who may see what: a person their own data, a manager their home, the head of service all.

Every channel asks here; none decides for itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import NotAllowed
from core.models import Person, PersonKind


@dataclass(frozen=True)
class Scope:
    person_id: int
    name: str
    kind: PersonKind
    home_ids: frozenset[int] | None  # None: every home

    @property
    def is_manager(self) -> bool:
        return self.kind in (PersonKind.MANAGER, PersonKind.HEAD)

    def can_see_home(self, home_id: int) -> bool:
        return self.is_manager and (self.home_ids is None or home_id in self.home_ids)

    def can_see_person(self, person: Person) -> bool:
        if person.id == self.person_id:
            return True
        return person.home_id is not None and self.can_see_home(person.home_id)

    def require_manager(self, what: str) -> None:
        if not self.is_manager:
            raise NotAllowed(f"Only managers can {what}.")

    def homes_to_query(self, requested: int | None) -> frozenset[int] | None:
        """The homes a manager's question covers: the one asked about if allowed, else all
        theirs."""
        if not self.is_manager:
            raise NotAllowed("That is for managers; you can ask about your own shifts and leave.")
        if requested is not None:
            if not self.can_see_home(requested):
                raise NotAllowed("You can only see your own home.")
            return frozenset({requested})
        return self.home_ids


def scope_for(person: Person) -> Scope:
    if person.kind == PersonKind.HEAD:
        homes: frozenset[int] | None = None
    elif person.home_id is not None:
        homes = frozenset({person.home_id})
    else:
        homes = frozenset()
    return Scope(person_id=person.id, name=person.full_name, kind=person.kind, home_ids=homes)
