"""The overtime walkthrough (tests/transcripts/overtime_walkthrough.txt) through the real
parser, router, services, outbox and scheduler tick, as `staffbot chat --script` runs it."""

import re
from pathlib import Path

from sqlalchemy import select

from core.models import CoverageRequest, Offer, Shift, ShiftKind
from tests.conftest import make_core
from tests.e2e.test_transcripts import run_transcript

WALKTHROUGH = Path(__file__).parent.parent / "transcripts" / "overtime_walkthrough.txt"


def test_overtime_walkthrough(demo_url):
    printed = run_transcript(demo_url, WALKTHROUGH)
    request_at = printed.index(
        "Claire Docherty -> staffbot: find an RN for Friday night at Victoria Gardens"
    )
    refs = {m for line in printed[request_at:] for m in re.findall(r"\bOT\d+\b", line)}
    assert len(refs) == 1, refs
    ref = refs.pop()
    number = ref[2:]
    offers = [line for line in printed if f"overtime {ref}:" in line]
    assert {line.split(" [")[0] for line in offers} >= {
        "staffbot -> Sarah MacKenzie",
        "staffbot -> David Wilson",
        "staffbot -> Mark Stevens",
    }
    assert all(f"Reply YES {number} to take it or NO {number}." in line for line in offers)
    first_answer = printed.index("Sarah MacKenzie -> staffbot: no sorry")
    # the shipped urgency waves, 61 h out: two at once (Sarah, Mark), the next two 2 h later
    first_wave = [line for line in offers if printed.index(line) < first_answer]
    assert {line.split(" [")[0] for line in first_wave} == {
        "staffbot -> Sarah MacKenzie",
        "staffbot -> Mark Stevens",
    }
    assert all(request_at < printed.index(line) for line in offers)
    assert sum("it's yours" in line for line in printed) == 1
    yes_late = printed.index("Mark Stevens -> staffbot: yes")
    assert "has already been filled" in printed[yes_late + 1]
    assert printed[yes_late + 1].startswith("staffbot -> Mark Stevens [sms]: Thanks Mark, but")

    core = make_core(demo_url)
    with core.uow() as uow:
        s = uow.session
        req = s.get(CoverageRequest, int(number))
        assert str(req.status) == "FILLED"
        assert (req.filled_at - req.created_at).total_seconds() == 7800  # 2 h 10 min
        shift = s.scalars(select(Shift).where(Shift.coverage_request_id == req.id)).one()
        assert shift.kind == ShiftKind.OVERTIME and shift.person.full_name == "David Wilson"
        reasons = {
            o.person.full_name: (str(o.response), o.reason)
            for o in s.scalars(select(Offer).where(Offer.request_id == req.id))
        }
    assert reasons["Sarah MacKenzie"] == ("DECLINED", "childcare")
    assert reasons["Mark Stevens"][0] == "WITHDRAWN"
    core.engine.dispose()
