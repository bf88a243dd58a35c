"""The overtime lifecycle walkthrough (tests/transcripts/overtime_lifecycle.txt) through the
real parser, router, services, outbox and scheduler tick, as `staffbot chat --script` runs
it: the exhausted notice, a withdrawal that reopens outreach, the agency step."""

from pathlib import Path

from sqlalchemy import select

from core.models import CoverageRequest, Offer, Shift, ShiftKind, ShiftStatus
from tests.conftest import make_core
from tests.e2e.test_transcripts import run_transcript

LIFECYCLE = Path(__file__).parent.parent / "transcripts" / "overtime_lifecycle.txt"


def test_overtime_lifecycle_walkthrough(demo_url):
    printed = run_transcript(demo_url, LIFECYCLE)
    assert not any("See you then" in line for line in printed)
    core = make_core(demo_url)
    with core.uow() as uow:
        s = uow.session
        req = s.scalars(select(CoverageRequest).order_by(CoverageRequest.id.desc())).first()
        assert str(req.status) == "AGENCY" and req.agency_name == "Carewatch"
        assert req.agency_cost == 320.0
        shifts = {
            (sh.kind, sh.status)
            for sh in s.scalars(select(Shift).where(Shift.coverage_request_id == req.id))
        }
        assert shifts == {
            (ShiftKind.OVERTIME, ShiftStatus.CANCELLED),
            (ShiftKind.AGENCY, ShiftStatus.SCHEDULED),
        }
        reasons = {o.reason for o in s.scalars(select(Offer).where(Offer.request_id == req.id))}
        assert "actually sorry I can't do friday now" in reasons
    core.engine.dispose()


TWO_PLACES = Path(__file__).parent.parent / "transcripts" / "overtime_two_places.txt"


def test_two_places_walkthrough(demo_url):
    printed = run_transcript(demo_url, TWO_PLACES)
    assert sum("it's yours" in line for line in printed) == 2
    core = make_core(demo_url)
    with core.uow() as uow:
        s = uow.session
        req = s.scalars(select(CoverageRequest).order_by(CoverageRequest.id.desc())).first()
        assert str(req.status) == "FILLED" and req.slots == 2
        booked = s.scalars(
            select(Shift.person_id).where(
                Shift.coverage_request_id == req.id, Shift.status == ShiftStatus.SCHEDULED
            )
        ).all()
        assert len(booked) == 2
    core.engine.dispose()


OPEN_SHIFTS = Path(__file__).parent.parent / "transcripts" / "overtime_open_shifts.txt"


def test_open_shifts_walkthrough(demo_url):
    printed = run_transcript(demo_url, OPEN_SHIFTS)
    claim = printed.index("Neil Wallace -> staffbot: I'll take the Saturday late")
    assert "it's yours" in printed[claim + 1]
    core = make_core(demo_url)
    with core.uow() as uow:
        s = uow.session
        req = s.scalars(select(CoverageRequest).order_by(CoverageRequest.id.desc())).first()
        assert str(req.status) == "FILLED" and req.slots == 2 and req.extra
        claimed = s.scalars(select(Offer).where(Offer.request_id == req.id, Offer.wave == 0))
        assert [o.breakdown for o in claimed] == [{"claimed": True}]
    core.engine.dispose()
