"""The local chat console's look-ups (``staffbot chat``, ``./dev.py demo``): who a typed name
is and where they write from, and what scheduled work ran while the console moved its clock.
Each in its own unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from core.activity import WorkDone, work_between
from core.demo_clock import is_demo, record_demo_clock
from core.directory import find_person_loose
from core.phones import vault_for

if TYPE_CHECKING:
    from core.app import Core


@dataclass(frozen=True)
class Writer:
    """Someone the console speaks as: their channel (Slack when they have a Slack id, else
    SMS) and the address they write from there (their Slack id, their number; None when they
    have neither)."""

    person_id: int
    full_name: str
    channel: str
    address: str | None


def writer_named(core: Core, name: str) -> Writer:
    """A person by full name, or by a first name or surname only they have (NotFound)."""
    with core.read() as uow:
        p = find_person_loose(uow.session, name)
        if p.slack_user_id:
            return Writer(p.id, p.full_name, "slack", p.slack_user_id)
        number = vault_for(core.settings.secret_key).decrypt(p.phone) if p.phone else None
        return Writer(p.id, p.full_name, "sms", number)


def clock_moved(core: Core, started: datetime, until: datetime) -> list[WorkDone]:
    """The audited work done between ``started`` and ``until`` (the console's clock moved);
    on a demo database the demo's clock is recorded, so the next session continues there."""
    with core.uow() as uow:
        done = work_between(uow.session, started, until)
        if is_demo(uow.session):
            record_demo_clock(uow, moved_from=started)
            uow.commit()
    return done
