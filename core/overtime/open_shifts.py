"""Open shifts staff may pick up: pending requests with a free place that the person could
take under the same eligibility and rest rules as an offer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.models import CoverageRequest, Home, Offer, OfferResponse, RequestStatus
from core.overtime.answers import claim_check
from core.overtime.commands import OpenShift
from core.overtime.config import settings_for
from core.overtime.records import _spec, _summary

if TYPE_CHECKING:
    from core.app import Core


def open_shifts(
    core: Core,
    person_id: int,
    start: date,
    end: date | None = None,
    home: str | None = None,
    shift_type: str | None = None,
) -> list[OpenShift]:
    """Open requests from start to end (a week by default) this person may claim, soonest
    first."""
    settings = settings_for(core)
    end = end or start + timedelta(days=6)
    found: list[OpenShift] = []
    with core.uow() as uow:
        session, now = uow.session, uow.now()
        query = (
            select(CoverageRequest)
            .where(
                CoverageRequest.status == RequestStatus.PENDING,
                CoverageRequest.date >= start,
                CoverageRequest.date <= end,
                CoverageRequest.starts_at > now,
            )
            .order_by(CoverageRequest.starts_at, CoverageRequest.id)
        )
        if shift_type:
            query = query.where(CoverageRequest.shift_type_code == shift_type)
        if home:
            query = query.join(Home, Home.id == CoverageRequest.home_id).where(Home.name == home)
        for req in session.scalars(query):
            mine = session.scalars(
                select(Offer).where(Offer.request_id == req.id, Offer.person_id == person_id)
            ).first()
            if mine is not None and mine.response not in (OfferResponse.SENT,):
                continue  # already answered (or holds it): not "open" to them
            summary = _summary(session, req)
            if summary.open_places <= 0:
                continue
            problem, _channel = claim_check(
                session, _spec(session, req, uow.zone), person_id, now, settings, uow.zone
            )
            if problem is None:
                found.append(OpenShift(summary, offered=mine is not None))
    return found
