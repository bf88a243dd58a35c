"""CPU and SQL statements a text costs on the receive path, in process (no HTTP, no threads).

    python bench/receive_profile.py [--texts 300] [--database-url URL] [--profile [N]]

Builds the small demo (a temporary SQLite file by default; with ``--database-url`` a fresh
PostgreSQL database created next to the one named there and dropped afterwards), plants an
open overtime offer for a few staff, then pushes ``--texts`` typical texts through
``Receiver.receive`` exactly as the SMS webhook does (a MessageSid each, the webhook's
renderer): in turn a known person's "when am I working", a YES to an open offer, a text
from an unknown number, a HELP, a sick call ("I'm sick today", each staff member in turn)
and a STOP or START (a few people of their own, alternately). ``--kinds`` picks some of
them. Prints CPU milliseconds a text (``time.process_time``) and SQL statements a text
(``before_cursor_execute`` events), per kind and overall, with each kind's median CPU (less
disturbed than the mean when other jobs share the cores).
``--profile`` runs the same texts again under cProfile and prints the top ``N`` functions by
cumulative and by own time (CPU-based, so the machine's load matters less); ``--stats FILE``
also keeps the raw profile for ``pstats``.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.conversation.receive import Inbound, Receiver  # noqa: E402
from bot.sms.inbound import sms_text  # noqa: E402
from core.app import Core  # noqa: E402
from core.db import upgrade  # noqa: E402
from core.demo import build_demo  # noqa: E402
from core.models import Channel, Offer, OfferResponse, Person, PersonKind  # noqa: E402
from core.phones import vault_for  # noqa: E402
from core.timeutil import tz  # noqa: E402
from tests.conftest import make_core  # noqa: E402

TODAY = date(2026, 1, 14)
KINDS = ("shifts", "yes", "unknown", "help", "sick", "stop")


def build(url: str) -> None:
    upgrade(url)
    core = make_core(url)
    with core.uow() as uow:
        build_demo(uow.session, TODAY, "small", tz("Europe/London"))
        uow.commit()
    core.engine.dispose()


def plant_offers(core: Core, count: int) -> list[int]:
    """An open overtime request with an offer to ``count`` free staff; their ids."""
    from tests.integration.test_overtime_race import free_people, open_quiet_request

    req = open_quiet_request(core)
    people: list[int] = free_people(core, req.id, count)
    with core.uow() as uow:
        for pid in people:
            uow.session.add(
                Offer(
                    request_id=req.id,
                    person_id=pid,
                    wave=1,
                    score=50.0,
                    breakdown={},
                    channel=Channel.SMS,
                    response=OfferResponse.SENT,
                    contacted_at=uow.now(),
                )
            )
        uow.commit()
    return people


def numbers(core: Core, ids: list[int] | None = None) -> list[str]:
    vault = vault_for(core.settings.secret_key)
    query = select(Person.id, Person.phone).where(
        Person.kind == PersonKind.STAFF, Person.phone.is_not(None)
    )
    with core.read() as uow:
        rows = dict(uow.session.execute(query.order_by(Person.id)).all())
    chosen = ids if ids is not None else list(rows)
    tokens = [rows.get(pid) for pid in chosen]
    return [vault.decrypt(token) for token in tokens if token]


class Workload:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.yes_numbers = itertools.cycle(numbers(core, plant_offers(core, 40)))
        staff = numbers(core)
        # four people of their own text STOP and START in turn (opted out, they would
        # answer nothing else); the rest ask for their shifts, HELP and call in sick
        self.stoppers = itertools.cycle(
            [(n, word) for word in ("STOP", "START") for n in staff[-4:]]
        )
        staff = staff[40:-4] or staff
        self.staff = itertools.cycle(staff)
        self.sick = itertools.cycle(staff)
        self.sids = itertools.count(1)
        self.unknown = itertools.count(100_000)
        self.receiver = Receiver(core, renderers={"sms": sms_text})
        self.samples: dict[str, list[float]] = {}  # CPU seconds of each text, by kind
        self.receiver.warm_up()

    def message(self, kind: str) -> Inbound:
        sid = f"SM{uuid.uuid4().hex}"
        if kind == "shifts":
            return Inbound("sms", next(self.staff), "when am I working", provider_id=sid)
        if kind == "yes":
            return Inbound("sms", next(self.yes_numbers), "YES", provider_id=sid)
        if kind == "unknown":
            return Inbound("sms", f"+4477009{next(self.unknown):05d}"[:13], "hi", provider_id=sid)
        if kind == "sick":
            return Inbound("sms", next(self.sick), "I'm sick today", provider_id=sid)
        if kind == "stop":
            number, word = next(self.stoppers)
            return Inbound("sms", number, word, provider_id=sid)
        return Inbound("sms", next(self.staff), "HELP", provider_id=sid)

    def run(
        self, texts: int, kinds: tuple[str, ...] = KINDS
    ) -> tuple[dict[str, float], dict[str, int], Counter[str]]:
        cpu: dict[str, float] = dict.fromkeys(kinds, 0.0)
        statements: dict[str, int] = dict.fromkeys(kinds, 0)
        counted: Counter[str] = Counter()
        self.samples = {kind: [] for kind in kinds}
        current = [kinds[0]]

        def count(*_args: object) -> None:
            statements[current[0]] += 1

        event.listen(self.core.engine, "before_cursor_execute", count)
        try:
            for n in range(texts):
                kind = kinds[n % len(kinds)]
                current[0] = kind
                msg = self.message(kind)
                started = time.process_time()
                self.receiver.receive(msg)
                spent = time.process_time() - started
                cpu[kind] += spent
                self.samples[kind].append(spent)
                counted[kind] += 1
        finally:
            event.remove(self.core.engine, "before_cursor_execute", count)
        return cpu, statements, counted


def report(
    label: str,
    cpu: dict[str, float],
    statements: dict[str, int],
    counted: Counter[str],
    samples: dict[str, list[float]],
) -> None:
    """Mean CPU a text and, less disturbed by other jobs on a shared machine (a text that
    lost its core pays for the cache refill), the median of each kind."""
    total = sum(counted.values())
    medians = [statistics.median(v) for v in samples.values() if v]
    print(
        f"{label}: {total} texts: {1000 * sum(cpu.values()) / total:.2f} ms CPU a text "
        f"(mean of the kinds' medians {1000 * statistics.mean(medians):.2f} ms), "
        f"{sum(statements.values()) / total:.2f} statements a text"
    )
    for kind in cpu:
        n = counted[kind] or 1
        median = 1000 * statistics.median(samples[kind]) if samples[kind] else 0.0
        print(
            f"  {kind:8s} {1000 * cpu[kind] / n:6.2f} ms (median {median:6.2f})  "
            f"{statements[kind] / n:5.2f} statements"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=int, default=300)
    ap.add_argument("--database-url", default=None, help="a PostgreSQL server to use")
    ap.add_argument("--profile", type=int, nargs="?", const=30, default=None)
    ap.add_argument("--stats", default=None, help="with --profile: also dump the stats here")
    ap.add_argument(
        "--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}"
    )
    args = ap.parse_args()
    kinds = tuple(k for k in args.kinds.split(",") if k)
    if not kinds or set(kinds) - set(KINDS):
        ap.error(f"--kinds: some of {', '.join(KINDS)}")
    admin_url, tmp = args.database_url, None
    if admin_url:
        name = f"staffbot_rcvprof_{uuid.uuid4().hex[:8]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    else:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{Path(tmp.name) / 'receive.db'}"
    try:
        build(url)
        core = make_core(url)
        work = Workload(core)
        work.run(40, kinds)  # warm: caches, the parser, the statement cache
        report(f"{core.engine.dialect.name}", *work.run(args.texts, kinds), work.samples)
        if args.profile is not None:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            work.run(args.texts, kinds)
            profiler.disable()
            if args.stats:
                profiler.dump_stats(args.stats)
            stats = pstats.Stats(profiler).strip_dirs()
            stats.sort_stats("cumulative").print_stats(args.profile)
            stats.sort_stats("tottime").print_stats(args.profile)
        core.engine.dispose()
    finally:
        if admin_url:
            admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
