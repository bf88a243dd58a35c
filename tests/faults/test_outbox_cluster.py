"""Beyond one machine: two web processes and two scheduler processes on one PostgreSQL
database run a stretch of outreach (three requests sent from the CLI, offers texted through
the Twilio stand-in, answers texted back to either web process). Every text goes out once,
one scheduler leads and runs the due jobs while the other stands by, and the offers' delivery
states read back through ``staffbot ot status --json``."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from bot.sms.testing import FakeTwilioApi, sign
from core.models import Offer, Person
from core.phones import reveal_phone
from tests.conftest import requires_pg
from tests.faults.outbox_harness import (
    FROM,
    ROOT,
    SID,
    TOKEN,
    Outbox,
    Scheduler,
    Web,
    process_env,
    wait_for,
)

pytestmark = requires_pg

START = datetime(2026, 1, 14, 9, 0)  # the demo's day, local time
REQUESTS = [
    ["--home", "victoria", "--date", "2026-01-16", "--shift-type", "night", "--role", "RN"],
    ["--home", "victoria", "--date", "2026-01-15", "--shift-type", "early", "--role", "HCA"],
    ["--home", "victoria", "--date", "2026-01-17", "--shift-type", "late", "--role", "HCA"],
]


class DemoTime:
    """Every process's STAFFBOT_NOW: the demo's 09:00 plus the real time since the test
    began, so processes started at different moments agree on the time."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def now(self) -> str:
        return (START + timedelta(seconds=time.monotonic() - self.t0)).isoformat(timespec="seconds")


def cli(args: list[str], url: str, twilio: FakeTwilioApi, clock: DemoTime) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        text=True,
        env=process_env(url, twilio, now=clock.now()),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def text_in(web: Web, number: str, body: str, n: int) -> httpx.Response:
    params = {
        "MessageSid": f"SMcluster{n:024d}",
        "AccountSid": SID,
        "From": number,
        "To": FROM,
        "Body": body,
        "NumMedia": "0",
    }
    signature = sign(TOKEN, web.public_url + "/sms/inbound", params)
    return httpx.post(
        web.public_url + "/sms/inbound",
        data=params,
        timeout=20,
        headers={"X-Twilio-Signature": signature},
    )


def ready(web: Web) -> bool:
    try:
        return httpx.get(web.public_url + "/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_two_web_and_two_schedulers_send_each_text_once_and_run_each_job_once(
    pg_demo_url, tmp_path: Path
):
    clock = DemoTime()
    box = Outbox(pg_demo_url)
    with FakeTwilioApi(SID, TOKEN) as twilio:
        cli(["model", "build"], pg_demo_url, twilio, clock)  # once, before the web processes
        procs = [
            Scheduler(pg_demo_url, twilio, tmp_path / f"scheduler{i}.log", now=clock.now())
            for i in (1, 2)
        ]
        webs = [Web(pg_demo_url, twilio, tmp_path / f"web{i}.log", now=clock.now()) for i in (1, 2)]
        procs += webs
        try:
            assert all(wait_for(lambda w=w: ready(w), 90, step=0.5) is not None for w in webs)
            refs = [
                json.loads(
                    cli(
                        ["ot", "request", *r, "--extra", "--send", "--max-contacts", "6", "--json"],
                        pg_demo_url,
                        twilio,
                        clock,
                    )
                )["request"]["ref"]
                for r in REQUESTS
            ]
            # each request's first texted candidate says YES, alternating web processes
            with box.sessions() as s:
                takers = []
                offered = Counter(
                    s.scalars(select(Offer.person_id).where(Offer.request_id.in_(refs)))
                )
                for ref in refs:  # someone offered only this one, so their YES is clear
                    people = s.scalars(
                        select(Person)
                        .join(Offer, Offer.person_id == Person.id)
                        .where(
                            Offer.request_id == ref,
                            Person.slack_user_id.is_(None),
                            Person.phone.is_not(None),
                        )
                        .order_by(Offer.id)
                    ).all()
                    person = next(p for p in people if offered[p.id] == 1)
                    takers.append(str(reveal_phone(person.phone)))
            assert wait_for(lambda: all(twilio.texts_to(n) for n in takers), 30) is not None
            for i, number in enumerate(takers):
                answer = text_in(webs[i % 2], number, "YES", i)
                assert answer.status_code == 200
            time.sleep(8)  # the notices go out (web after the answer, schedulers each tick)
            status = [
                json.loads(cli(["ot", "status", str(ref), "--json"], pg_demo_url, twilio, clock))
                for ref in refs
            ]
        finally:
            for p in procs:
                p.stop()
        sent = Counter((t.to, t.body) for t in twilio.sent)
    box.close()
    repeated = sum(n - 1 for n in sent.values() if n > 1)
    logs = {p.log.name: p.log.read_text(errors="replace") for p in procs}
    runs = {
        name: text.count("ran the due jobs")
        for name, text in logs.items()
        if name.startswith("scheduler")
    }
    leaders = [name for name, n in runs.items() if n > 0]
    states = Counter(o["delivery"]["state"] for s in status for o in s["offers"])
    print(
        f"FAULT cluster (2 web + 2 schedulers): texts={len(twilio.sent)} "
        f"repeated={repeated} due_job_runs={runs} offer_delivery={dict(states)} "
        f"statuses={[s['status'] for s in status]}"
    )
    assert len(twilio.sent) >= len(takers) and repeated == 0
    assert len(leaders) == 1  # one leader ran the jobs; the other stood by throughout
    assert all(s["status"] == "FILLED" for s in status)
    assert states and set(states) <= {"SENT", "DELIVERED"}
    for text in logs.values():
        assert not any(n in text or n[-6:] in text for n in takers)  # numbers masked
