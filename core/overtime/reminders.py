"""Reminders to whoever holds an overtime shift: the evening before (never in their quiet
hours) and, for a night, the afternoon of the shift. Scheduled work, safe to run twice: each
offer remembers the last reminder sent."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.models import (
    CoverageRequest,
    Home,
    Offer,
    OfferResponse,
    OutboundMessage,
    OvertimePreference,
    Person,
    RequestStatus,
)
from core.overtime.config import settings_for
from core.overtime.notices import _shift_payload
from core.overtime.preferences import in_quiet_hours
from core.overtime.records import _spec
from core.timeutil import local_instant, parse_hhmm
from core.uow import Actor

if TYPE_CHECKING:
    from core.app import Core


def send_reminders(core: Core) -> int:
    """Queue every reminder now due. Returns how many were queued."""
    settings = settings_for(core)
    sent = 0
    with core.uow() as uow:
        session, now, zone = uow.session, uow.now(), uow.zone
        rows = session.execute(
            select(Offer, CoverageRequest)
            .join(CoverageRequest, CoverageRequest.id == Offer.request_id)
            .where(
                Offer.response == OfferResponse.ACCEPTED,
                CoverageRequest.status.in_((RequestStatus.FILLED, RequestStatus.PENDING)),
                CoverageRequest.starts_at > now,
                CoverageRequest.starts_at <= now + timedelta(hours=36),
            )
            .with_for_update(of=Offer, skip_locked=True)
        ).all()
        for offer, req in rows:
            eve = local_instant(
                req.date - timedelta(days=1), parse_hhmm(settings.reminder_evening), zone
            )
            day = local_instant(req.date, parse_hhmm(settings.reminder_night_day), zone)
            due: str | None = None
            if req.shift_type_code == "night" and offer.reminded != "day" and now >= day:
                accepted = offer.responded_at or offer.contacted_at
                due = "day" if accepted < day else None
            elif offer.reminded is None and eve <= now < day:
                accepted = offer.responded_at or offer.contacted_at
                if accepted < eve:
                    due = "eve"
            if due is None:
                continue
            pref = session.get(OvertimePreference, offer.person_id)
            local_now = now.astimezone(zone).strftime("%H:%M")
            if (
                due == "eve"
                and pref is not None
                and in_quiet_hours(local_now, pref.quiet_start, pref.quiet_end)
            ):
                continue  # asked again on the next run, once their quiet hours end
            person = session.get(Person, offer.person_id)
            home = session.get(Home, req.home_id)
            payload = {
                **_shift_payload(req, _spec(session, req, zone), home.name if home else "", zone),
                "first_name": person.full_name.split()[0] if person else "",
                "when": due,
            }
            offer.reminded = due
            uow.notify(
                OutboundMessage(
                    person_id=offer.person_id,
                    channel=offer.channel,
                    kind="ot.reminder",
                    payload=payload,
                    offer_id=offer.id,
                )
            )
            uow.audit(
                Actor.system("scheduler"),
                "overtime.reminder_sent",
                "offer",
                offer.id,
                after={"when": due, "request": req.id},
            )
            sent += 1
        uow.commit()
    return sent
