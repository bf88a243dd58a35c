"""Provider health per channel: an account-wide failure (throttling, the provider's own errors,
bad credentials, timeouts for several different people) pauses sending on that channel with
a growing backoff, so queued messages wait instead of being spent against a provider that
cannot take them. The first successful send ends the outage.

While a channel is in an outage, ``channel_paused`` says so: a message waiting behind it was
never delivered, so no one may be counted as "not responding" to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.models import Base, Channel, Home, OutboundMessage, Person, PersonKind

if TYPE_CHECKING:
    from core.uow import Actor, UnitOfWork

FIRST_PAUSE = timedelta(seconds=5)
MAX_PAUSE = timedelta(seconds=30)  # so sending resumes within 30 s of the provider's recovery
TIMEOUT_STRIKES = 3  # timeouts for this many different recipients, no success between


class ChannelHealth(Base):
    """One row per channel that has had an outage (absent: healthy)."""

    __tablename__ = "channel_health"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    paused_until: Mapped[datetime | None] = mapped_column()  # no sends before this
    since: Mapped[datetime | None] = mapped_column()  # the outage began; None: healthy
    failures: Mapped[int] = mapped_column(Integer, default=0)  # in a row, account-wide
    strikes: Mapped[str | None] = mapped_column(Text)  # recipients whose sends timed out
    reason: Mapped[str | None] = mapped_column(Text)
    notified: Mapped[bool] = mapped_column(Boolean, default=False)  # managers were told
    told_homes: Mapped[str | None] = mapped_column(Text)  # the homes told, comma-separated
    updated_at: Mapped[datetime | None] = mapped_column()


@dataclass(frozen=True)
class Health:
    channel: str
    paused: bool  # in an outage (since the first account-wide failure, until a success)
    paused_until: datetime | None  # the next send is tried at this time
    failures: int
    reason: str | None


def _system() -> Actor:
    # core.uow imports core.models, which loads this module: import when used
    from core.uow import Actor  # noqa: F811

    return Actor.system("delivery")


def channel_paused(session: Session, channel: Channel | str) -> bool:
    """True while the channel's provider is failing account-wide (until a send succeeds)."""
    row = session.get(ChannelHealth, str(channel))
    return row is not None and row.since is not None


def health(session: Session, channel: Channel | str) -> Health:
    row = session.get(ChannelHealth, str(channel))
    if row is None or row.since is None:
        return Health(str(channel), False, None, 0, None)
    return Health(str(channel), True, row.paused_until, row.failures, row.reason)


def resume_at(session: Session, channel: Channel | str) -> datetime | None:
    """When a paused channel may try again (None: not paused)."""
    row = session.get(ChannelHealth, str(channel))
    return row.paused_until if row is not None and row.since is not None else None


def _row(uow: UnitOfWork, channel: str) -> ChannelHealth:
    row = uow.session.get(ChannelHealth, channel, with_for_update=True)
    if row is not None:
        return row
    row = ChannelHealth(channel=channel, failures=0, notified=False)
    try:
        with uow.session.begin_nested():
            uow.session.add(row)
    except IntegrityError:  # another process made it first
        found = uow.session.get(ChannelHealth, channel, with_for_update=True)
        assert found is not None
        return found
    return row


def record_provider_failure(
    uow: UnitOfWork,
    channel: Channel | str,
    reason: str,
    recipient: str | None = None,
    timed_out: bool = False,
) -> datetime | None:
    """Note an account-wide failure (or a timeout for ``recipient``). Returns the time the
    channel is paused until, or None when it is not paused (a lone timeout). Joins the
    caller's transaction; the caller commits."""
    now = uow.now()
    row = _row(uow, str(channel))
    if timed_out:
        seen = set(filter(None, (row.strikes or "").split(",")))
        seen.add(recipient or "?")
        row.strikes = ",".join(sorted(seen))[:2000]
        if len(seen) < TIMEOUT_STRIKES and row.since is None:
            row.updated_at = now
            return None
    row.failures = (row.failures or 0) + 1
    pause = min(MAX_PAUSE, FIRST_PAUSE * 2 ** min(row.failures - 1, 12))
    row.paused_until = now + pause
    row.reason = reason[:300]
    row.updated_at = now
    if row.since is None:
        row.since = now
        uow.audit(
            _system(),
            "channel.paused",
            "channel",
            str(channel),
            after={"reason": row.reason, "until": row.paused_until},
        )
    if not row.notified:
        row.notified = True
        homes = _affected_homes(uow, str(channel))
        row.told_homes = ",".join(str(h) for h in sorted(homes))
        _tell_managers(uow, str(channel), "delivery.paused", row.reason, homes)
    return row.paused_until


def record_success(uow: UnitOfWork, channel: Channel | str) -> None:
    """A send went through: the outage (if any) is over. Joins the caller's transaction."""
    row = uow.session.get(ChannelHealth, str(channel))
    if row is None or (row.since is None and not row.strikes and not row.failures):
        return
    row = _row(uow, str(channel))
    was_down, told = row.since is not None, row.notified
    homes = {int(h) for h in (row.told_homes or "").split(",") if h}
    row.since, row.paused_until, row.failures, row.strikes = None, None, 0, None
    row.notified, row.told_homes, row.updated_at = False, None, uow.now()
    if was_down:
        uow.audit(
            _system(),
            "channel.resumed",
            "channel",
            str(channel),
            after={"reason": row.reason},
        )
        if told:
            _tell_managers(uow, str(channel), "delivery.resumed", row.reason, homes)


def _affected_homes(uow: UnitOfWork, channel: str) -> set[int]:
    """The homes with messages waiting on ``channel`` (their people's, or their own posts)."""
    s = uow.session
    pending = OutboundMessage.status.in_(("queued", "sending", "unconfirmed"))
    homes = set(
        s.scalars(
            select(Person.home_id)
            .join(OutboundMessage, OutboundMessage.person_id == Person.id)
            .where(
                OutboundMessage.channel == Channel(channel), pending, Person.home_id.is_not(None)
            )
            .distinct()
        )
    )
    homes |= set(
        s.scalars(
            select(OutboundMessage.home_channel_id)
            .where(
                OutboundMessage.channel == Channel(channel),
                pending,
                OutboundMessage.home_channel_id.is_not(None),
            )
            .distinct()
        )
    )
    return {h for h in homes if h is not None}


def _tell_managers(
    uow: UnitOfWork, channel: str, kind: str, reason: str | None, homes: set[int]
) -> None:
    """Once per outage: each affected home's managers and its Slack channel hear about it,
    by a way that is not the one failing (a message by the failing one waits its turn)."""
    s = uow.session
    payload = {"channel": channel, "reason": reason or ""}
    for home_id in sorted(homes):
        home = s.get(Home, home_id)
        if home is None:
            continue
        if home.slack_channel and channel != Channel.SLACK.value:
            uow.notify(
                OutboundMessage(
                    home_channel_id=home.id,
                    channel=Channel.SLACK,
                    kind=kind,
                    payload=dict(payload, home=home.name),
                )
            )
        managers = s.scalars(
            select(Person)
            .where(
                Person.home_id == home.id,
                Person.kind == PersonKind.MANAGER,
                Person.active.is_(True),
            )
            .order_by(Person.id)
        )
        for manager in managers:
            if manager.slack_user_id and channel != Channel.SLACK.value:
                way = Channel.SLACK
            elif manager.phone and channel != Channel.SMS.value:
                way = Channel.SMS
            else:
                continue  # the only way to reach them is the one that is down
            uow.notify(
                OutboundMessage(
                    person_id=manager.id,
                    channel=way,
                    kind=kind,
                    payload=dict(payload, home=home.name),
                )
            )
