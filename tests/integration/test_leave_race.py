"""Two requests racing for the last slot on a shift: at most one is approved automatically.

PostgreSQL, real threads, real connections. The rules are slowed down on purpose so that both
requests are inside the decision window together; without the per-unit lock (the control
test) both would be approved."""

from __future__ import annotations

import threading
import time

import pytest

from core.leave import LeaveRules, RequestLeave, request_leave
from core.leave import service as leave_service
from core.leave.safety import check_auto_approvals
from core.models import LeaveStatus
from tests.conftest import make_core, requires_pg
from tests.integration.test_leave_rules import two_people_one_slot

pytestmark = [requires_pg, pytest.mark.postgres]
RULES = LeaveRules(max_concurrent=99, check_balance=False)  # only the staffing rule can fail


def _race(url: str, monkeypatch) -> list:
    core = make_core(url)
    first, second, day = two_people_one_slot(core)
    real_evaluate = leave_service.evaluate

    def slow_evaluate(*args, **kwargs):  # widen the window between reading and writing
        result = real_evaluate(*args, **kwargs)
        time.sleep(0.4)
        return result

    monkeypatch.setattr(leave_service, "evaluate", slow_evaluate)
    barrier = threading.Barrier(2)
    outcomes: list = []
    errors: list = []

    def ask(person: int) -> None:
        own = make_core(url)  # each thread its own engine and connection
        try:
            barrier.wait()
            outcomes.append(request_leave(own, RequestLeave(person, day, day), rules=RULES))
        except Exception as exc:  # noqa: BLE001 - any failure is reported below
            errors.append(exc)
        finally:
            own.engine.dispose()

    threads = [threading.Thread(target=ask, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert len(outcomes) == 2
    with core.uow() as uow:
        report = check_auto_approvals(uow.session)
    core.engine.dispose()
    return [outcomes, report]


def test_two_requests_for_the_last_slot_at_most_one_approved(pg_demo_url, monkeypatch):
    outcomes, report = _race(pg_demo_url, monkeypatch)
    statuses = sorted(str(o.request.status) for o in outcomes)
    assert statuses == ["APPROVED", "MANUAL_REVIEW"]
    loser = next(o for o in outcomes if o.request.status == LeaveStatus.MANUAL_REVIEW)
    assert loser.reasons[0].startswith("minimum staffing:")
    assert report.checked == 1 and report.ok


def test_control_without_the_lock_both_would_be_approved(pg_demo_url, monkeypatch):
    monkeypatch.setattr(leave_service, "_lock_for", lambda *args: None)
    outcomes, report = _race(pg_demo_url, monkeypatch)
    assert [o.request.status for o in outcomes] == [LeaveStatus.APPROVED] * 2
    assert not report.ok  # and the independent checker notices
