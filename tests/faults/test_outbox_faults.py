"""Fault injection on the sending side: real ``staffbot scheduler`` processes, a real
PostgreSQL database (through a proxy we can cut), the local Twilio stand-in.

Each test queues a burst of texts with unique bodies, injects one fault, and counts from the
stand-in's own record what was lost and what was repeated, and how long sending took to
resume. Figures go to stdout (``pytest -s``) as ``FAULT name: ...`` lines."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.sms.testing import FakeTwilioApi
from tests.conftest import requires_pg
from tests.faults.outbox_harness import (
    SID,
    TOKEN,
    Outbox,
    Proxy,
    Scheduler,
    delivered_all,
    pg_host_port,
    tally,
    via_proxy,
    wait_for,
)

pytestmark = requires_pg

BURST = 60


@pytest.fixture
def twilio() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi(SID, TOKEN) as api:
        yield api


@pytest.fixture
def outbox(pg_demo_url: str) -> Iterator[Outbox]:
    box = Outbox(pg_demo_url)
    yield box
    box.close()


def report(name: str, **figures: object) -> None:
    print(f"FAULT {name}: " + ", ".join(f"{k}={v}" for k, v in figures.items()))


def no_secrets_logged(logs: list[Path], bodies: dict[str, str]) -> None:
    text = "\n".join(p.read_text(errors="replace") for p in logs if p.exists())
    for body, number in bodies.items():
        assert body not in text
        assert number not in text and number[-6:] not in text
    assert not re.search(r"\+44\d{10}", text)


def test_kill_9_mid_batch_and_restart_resumes_within_30s_sending_nothing_twice(
    pg_demo_url, twilio, outbox, tmp_path
):
    bodies = outbox.queue(outbox.staff_numbers(BURST), "kill")
    twilio.delay = 0.15  # each send takes a while, so the kill lands mid-batch
    first = Scheduler(pg_demo_url, twilio, tmp_path / "first.log")
    try:
        assert wait_for(lambda: len(twilio.sent) >= 15, 30) is not None
    finally:
        first.kill()
    at_kill = len(twilio.sent)
    second = Scheduler(pg_demo_url, twilio, tmp_path / "second.log")
    try:
        resumed = wait_for(lambda: len(twilio.sent) > at_kill, 30)
        done = wait_for(delivered_all(twilio, bodies), 45)
    finally:
        second.stop()
    lost, repeated = tally(twilio, bodies)
    report(
        "kill -9 scheduler",
        sent_before_kill=at_kill,
        lost=lost,
        repeated=repeated,
        seconds_to_resume=round(resumed or -1, 1),
        seconds_to_finish=round(done or -1, 1),
    )
    assert resumed is not None and resumed <= 30
    assert done is not None and done <= 30
    assert (lost, repeated) == (0, 0)
    no_secrets_logged([tmp_path / "first.log", tmp_path / "second.log"], bodies)


@pytest.mark.parametrize("fault", [(429, 20429), (503, None)], ids=["429", "503"])
def test_an_account_wide_outage_pauses_sending_and_spends_no_attempts(
    pg_demo_url, twilio, outbox, tmp_path, fault
):
    bodies = outbox.queue(outbox.staff_numbers(25), f"outage{fault[0]}")
    twilio.outage = fault
    sched = Scheduler(pg_demo_url, twilio, tmp_path / "sched.log")
    try:
        time.sleep(15)  # the outage lasts a while
        tried = twilio.attempts
        spent, failed = outbox.attempts_spent(), outbox.statuses()["failed"]
        twilio.outage = None
        recovered = wait_for(delivered_all(twilio, bodies), 40)
    finally:
        sched.stop()
    lost, repeated = tally(twilio, bodies)
    report(
        f"twilio {fault[0]} for 15 s",
        api_calls_during_outage=tried,
        attempts_spent_during_outage=spent,
        failed=failed,
        lost=lost,
        repeated=repeated,
        seconds_to_resume=round(recovered or -1, 1),
    )
    assert spent == 0 and failed == 0  # nobody's outreach used up by the provider's trouble
    assert tried <= 12  # backing off, not hammering the API
    assert recovered is not None and recovered <= 30
    assert (lost, repeated) == (0, 0)
    assert outbox.notices("delivery.paused") >= 1  # the managers were told (once per outage)


def test_invalid_numbers_fail_alone_and_the_rest_go_out_once(pg_demo_url, twilio, outbox, tmp_path):
    people = outbox.staff_numbers(20)
    bodies = outbox.queue(people, "invalid")
    bad = list(people.values())[:3]
    for number in bad:
        twilio.fail_to[number] = (400, 21211)
    sched = Scheduler(pg_demo_url, twilio, tmp_path / "sched.log")
    good = {b: n for b, n in bodies.items() if n not in bad}
    try:
        done = wait_for(delivered_all(twilio, good), 30)
        wait_for(lambda: outbox.statuses()["failed"] >= 3, 10)
    finally:
        sched.stop()
    lost, repeated = tally(twilio, good)
    statuses = outbox.statuses()
    report(
        "invalid numbers",
        failed=statuses["failed"],
        lost=lost,
        repeated=repeated,
        seconds=round(done or -1, 1),
    )
    assert statuses["failed"] == 3 and (lost, repeated) == (0, 0)


def test_a_send_that_times_out_after_twilio_took_it_is_not_sent_again(
    pg_demo_url, twilio, outbox, tmp_path
):
    people = outbox.staff_numbers(12)
    bodies = outbox.queue(people, "timeout")
    slow = list(people.values())[:3]
    for number in slow:
        twilio.slow_to[number] = 11  # past the sender's 10 s timeout; Twilio has sent it
    sched = Scheduler(pg_demo_url, twilio, tmp_path / "sched.log")
    try:
        done = wait_for(delivered_all(twilio, bodies), 30)
        settled = wait_for(lambda: outbox.statuses()["sent"] == len(bodies), 50)
    finally:
        sched.stop()
    lost, repeated = tally(twilio, bodies)
    report(
        "twilio timeouts",
        lost=lost,
        repeated=repeated,
        create_calls=twilio.attempts,
        list_calls=twilio.lists,
        seconds_to_settle=round(settled or -1, 1),
    )
    assert done is not None and settled is not None
    assert (lost, repeated) == (0, 0)
    assert twilio.attempts == len(bodies)


def test_the_database_cut_for_10s_mid_burst_resumes_within_30s_without_repeats(
    pg_demo_url, twilio, outbox, tmp_path
):
    bodies = outbox.queue(outbox.staff_numbers(BURST), "dbcut")
    proxy = Proxy(*pg_host_port(pg_demo_url))
    twilio.delay = 0.15
    sched = Scheduler(via_proxy(pg_demo_url, proxy), twilio, tmp_path / "sched.log")
    try:
        assert wait_for(lambda: len(twilio.sent) >= 15, 30) is not None
        proxy.cut()
        time.sleep(10)
        at_restore = len(twilio.sent)
        proxy.restore()
        resumed = wait_for(lambda: len(twilio.sent) > at_restore, 30)
        done = wait_for(delivered_all(twilio, bodies), 45)
        settled = wait_for(lambda: outbox.statuses()["sent"] == len(bodies), 30)
    finally:
        sched.stop()
        proxy.close()
    lost, repeated = tally(twilio, bodies)
    report(
        "database cut 10 s",
        lost=lost,
        repeated=repeated,
        seconds_to_resume=round(resumed or -1, 1),
        seconds_to_finish=round(done or -1, 1),
        all_marked_sent=settled is not None,
    )
    assert resumed is not None and resumed <= 30
    assert (lost, repeated) == (0, 0)
    assert settled is not None
