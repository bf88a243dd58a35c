"""Scheduler leadership: of two scheduler processes one runs the due jobs and the cron jobs,
the other takes over when the leader's lease runs out; a cron run happens once per due time
whoever fires it. Both deliver the outbox, and each message still goes out once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.models import Channel, OutboundMessage, Person
from core.outbox import Courier, Envelope
from scheduler.runner import CronJob, Scheduler


class Recording:
    def __init__(self) -> None:
        self.sent: list[int] = []

    def send(self, envelope: Envelope, text: str, blocks: list[dict] | None = None) -> str:
        self.sent.append(envelope.message_id)
        return f"P{envelope.message_id}"


def test_one_of_two_schedulers_runs_the_jobs_and_the_other_takes_over(demo_core):
    runs: list[str] = []
    jobs = [("count", lambda core: runs.append("tick"))]
    out = Courier({Channel.SMS: Recording()})
    first = Scheduler(demo_core, out, jobs, [], holder="first")
    second = Scheduler(demo_core, out, jobs, [], holder="second")
    for _ in range(3):
        first.due_tick()
        second.due_tick()
        demo_core.clock.advance(timedelta(seconds=2))
    assert runs == ["tick"] * 3 and first.leading and not second.leading
    demo_core.clock.advance(timedelta(seconds=21))  # the first died: its lease runs out
    second.due_tick()
    assert runs == ["tick"] * 4 and second.leading
    first.due_tick()  # back from the dead: stands by
    assert runs == ["tick"] * 4 and not first.leading


def test_a_clean_stop_hands_over_at_once(demo_core):
    out = Courier({Channel.SMS: Recording()})
    first = Scheduler(demo_core, out, [], [], holder="first")
    second = Scheduler(demo_core, out, [], [], holder="second")
    assert first.lead() and not second.lead()
    first.stop()
    assert second.lead()


def test_a_cron_job_runs_once_per_due_time_even_if_both_fire_it(demo_core):
    fits: list[str] = []
    job = CronJob("nightly", {"hour": "2"}, lambda core: fits.append("fit"))
    out = Courier({Channel.SMS: Recording()})
    first = Scheduler(demo_core, out, [], [job], holder="first")
    second = Scheduler(demo_core, out, [], [job], holder="second")
    assert first.cron_tick(job)
    assert not second.lead()
    demo_core.clock.advance(timedelta(seconds=21))  # leadership changes hands that minute
    assert second.lead()
    assert not second.cron_tick(job)
    assert fits == ["fit"]
    demo_core.clock.advance(timedelta(days=1))
    assert second.cron_tick(job) and fits == ["fit", "fit"]


def test_two_schedulers_delivering_side_by_side_send_each_message_once(demo_core):
    with demo_core.uow() as uow:
        people = uow.session.scalars(
            select(Person).where(Person.phone.is_not(None)).order_by(Person.id).limit(20)
        ).all()
        for person in people:
            uow.notify(
                OutboundMessage(
                    person_id=person.id, channel=Channel.SMS, kind="text", payload={"text": "hello"}
                )
            )
        uow.commit()
    a, b = Recording(), Recording()
    first = Scheduler(demo_core, Courier({Channel.SMS: a}), [], [], holder="first")
    second = Scheduler(demo_core, Courier({Channel.SMS: b}), [], [], holder="second")
    import threading

    threads = [threading.Thread(target=s.deliver_tick) for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.sent + b.sent) == sorted(set(a.sent + b.sent))
    assert len(a.sent + b.sent) == 20


def test_clocks_that_disagree_do_not_make_two_leaders(demo_core):
    from core.app import Core
    from core.clock import ManualClock

    ahead = Core(
        engine=demo_core.engine,
        session_factory=demo_core.session_factory,
        clock=ManualClock(demo_core.clock.now() + timedelta(seconds=9)),
        settings=demo_core.settings,
    )
    out = Courier({Channel.SMS: Recording()})
    first = Scheduler(demo_core, out, [], [], holder="first")
    second = Scheduler(ahead, out, [], [], holder="second")  # its clock runs 9 s ahead
    for _ in range(10):  # the leader keeps renewing: the other never takes over
        assert first.lead() and not second.lead()
        demo_core.clock.advance(timedelta(seconds=2))
        ahead.clock.advance(timedelta(seconds=2))
    for _ in range(11):  # the leader stops renewing: after 20 s of its own clock, second leads
        demo_core.clock.advance(timedelta(seconds=2))
        ahead.clock.advance(timedelta(seconds=2))
        second.lead()
    assert second.leading and not first.lead()


def test_the_scheduler_alone_has_no_jobs_and_bootstrap_gives_every_capabilitys():
    import subprocess
    import sys

    from tests.faults.outbox_harness import ROOT

    probe = (
        "import scheduler.jobs as j, scheduler.runner as r, scheduler.alert_jobs\n"
        "print(hasattr(j, 'DUE_WORK'), hasattr(r, 'CRON_JOBS'))\n"
        "from bot.bootstrap import build_registry\n"
        "print(' '.join(build_registry().job_names()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.splitlines()
    assert out[0] == "False False"  # the scheduler has no job lists of its own to fill
    names = set(out[1].split())
    assert {
        "overtime.advance_outreach",
        "alerts.due",
        "forecast.nightly_fit",
        "slack.status_cards",
    } <= names
