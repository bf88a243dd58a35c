"""tests/transcripts/leave_walkthrough.txt through bot.chat.ChatConsole: the real parser,
router, leave services and outbox, on the demo organisation at Wed 14 Jan 2026 09:00.

Checks both the transcript's own ``#=`` / ``#!`` expectations and, below, the printed lines
themselves in order, so a reader sees the whole conversation the walkthrough promises."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.chat import ChatConsole
from core.leave.safety import check_auto_approvals
from core.models import LeaveRequest, LeaveStatus, Person
from tests.conftest import DEMO_TODAY, local, make_core

WALKTHROUGH = Path(__file__).parent.parent / "transcripts" / "leave_walkthrough.txt"


def run(url: str) -> tuple[list[str], list[str]]:
    """(every printed line, the expectations that failed)."""
    core = make_core(url, now=local(DEMO_TODAY, "09:00"))
    printed: list[str] = []
    console = ChatConsole(core, emit=printed.append)
    since, problems = 0, []
    for number, raw in enumerate(WALKTHROUGH.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line[:2] in ("#=", "#!"):
            found = any(line[2:].strip() in out for out in printed[since:])
            if found != (line[:2] == "#="):
                problems.append(f"line {number}: {line!r} against {printed[since:]}")
            continue
        if line and not line.startswith("#"):
            since = len(printed)
            console.step(line)
    with core.uow() as uow:
        assert check_auto_approvals(uow.session).ok
    core.engine.dispose()
    return printed, problems


def test_leave_walkthrough(demo_url):
    printed, problems = run(demo_url)
    assert not problems, "\n".join(problems)
    said = [line.split(": ", 1)[0] for line in printed]
    assert said == [
        "Sarah MacKenzie -> staffbot",
        "staffbot -> Sarah MacKenzie [slack]",
        "Jennifer Ross -> staffbot",
        "staffbot -> Jennifer Ross [sms]",
        "staffbot -> Claire Docherty [slack]",  # the review, with buttons in Slack
        "Jennifer Ross -> staffbot",
        "staffbot -> Jennifer Ross [sms]",
        "Claire Docherty -> staffbot",
        "staffbot -> Claire Docherty [slack]",
        "Stuart Aitken -> staffbot",
        "staffbot -> Stuart Aitken [slack]",  # refused
        "Graham Kerr -> staffbot",
        "staffbot -> Graham Kerr [slack]",
        "staffbot -> Jennifer Ross [sms]",  # told of the approval
        "David Wilson -> staffbot",
        "staffbot -> David Wilson [sms]",
        "staffbot -> Stuart Aitken [slack]",
        "Stuart Aitken -> staffbot",
        "staffbot -> Stuart Aitken [slack]",
        "staffbot -> David Wilson [sms]",  # told of the denial, with the reason
    ]
    assert printed[1].startswith(
        "staffbot -> Sarah MacKenzie [slack]: Yes, Sarah: your annual "
        "leave Thu 22 Jan (1 day) is approved (ref "
    )
    assert "blackout period (11 Dec to 8 Jan, every year)" in printed[3]
    assert printed[10] == (
        "staffbot -> Stuart Aitken [slack]: You can only decide leave for staff at your own home."
    )
    assert printed[13].startswith(
        "staffbot -> Jennifer Ross [sms]: Good news Jennifer: your "
        "annual leave Thu 24 Dec to Sat 26 Dec (ref "
    )
    assert printed[19].endswith(
        "Reason: no RN cover that night. Speak to your manager if you'd like to talk it over."
    )


def test_walkthrough_leaves_the_records_it_describes(demo_url):
    run(demo_url)
    core = make_core(demo_url)
    with core.uow() as uow:
        rows = {
            p: (r.status, r.decided_by_id)
            for r, p in uow.session.execute(
                select(LeaveRequest, Person.full_name)
                .join(Person, Person.id == LeaveRequest.person_id)
                .where(LeaveRequest.created_at >= local(DEMO_TODAY, "09:00"))
            )
        }
        graham = uow.session.scalars(
            select(Person.id).where(Person.full_name == "Graham Kerr")
        ).one()
    core.engine.dispose()
    assert rows["Sarah MacKenzie"] == (LeaveStatus.APPROVED, None)
    assert rows["Jennifer Ross"] == (LeaveStatus.APPROVED, graham)
    assert rows["David Wilson"][0] == LeaveStatus.DENIED
