"""Signed Twilio webhooks against ``staffbot serve``: throughput and latency, beside a
reference endpoint on the same server in the same run.

    python bench/sms_webhook_bench.py --clients N --seconds S --json
        [--workers W] [--database-url postgresql+psycopg://...] [--tree PATH] [--details]

Creates a fresh PostgreSQL database next to the one in ``--database-url`` (default:
``STAFFBOT_TEST_DATABASE_URL``, else ``postgresql+psycopg://postgres@127.0.0.1:5432/test``),
builds it with the migrations and loads the demo organisation, then starts the real web
process exactly as the Procfile does (``staffbot serve``: uvicorn on 127.0.0.1, a free port,
one worker per core unless ``--workers``) with Twilio configured against a local stand-in
for Twilio's REST API (nothing leaves the machine). Clients (asyncio + httpx, one connection
each) post correctly signed ``/sms/inbound`` webhooks for ``--seconds``: a mix of staff texts
("my shifts", "leave balance", "YES", HELP, ...), texts from unknown numbers and retried
deliveries of a MessageSid already answered. Then, on the same server and with the same
clients for the same time, the reference: ``GET /healthz`` (one SELECT on the same
database through the same stack).

``--json`` prints ``{clients, requests, errors, rps, p50_ms, p95_ms, p99_ms,
reference_rps}`` (``errors``: answers other than 200); ``--details`` adds the server's CPU
milliseconds a text, the reference's latencies and the ratio. ``--tree`` runs the server
from another checkout of the project (a before/after comparison on one machine). The
machine may be shared: compare ratios to the reference from the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.sms.testing import FakeTwilioApi, sign  # noqa: E402

TOKEN, ACCOUNT, FROM = "bench-auth-token", "AC" + "b" * 32, "+447700900998"
TODAY = "2026-01-14"
BODIES = [
    "my shifts",
    "when am I working next week",
    "leave balance",
    "YES",
    "no - childcare",
    "HELP",
    "can I have 3rd-5th March off",
    "thanks!",
    "what shifts have I got tomorrow",
    "I can do nights",
    "🙂 ok",
    "Info",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database(base_url: str) -> str:
    from core.db import upgrade
    from core.demo import build_demo
    from core.timeutil import tz
    from tests.conftest import make_core

    name = f"staffbot_smsbench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    core = make_core(url)
    with core.uow() as uow:
        build_demo(
            uow.session,
            __import__("datetime").date.fromisoformat(TODAY),
            "small",
            tz("Europe/London"),
        )
        uow.commit()
    core.engine.dispose()
    return url


def drop_database(base_url: str, url: str) -> None:
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def staff_numbers(url: str) -> list[str]:
    from core.models import Person, PersonKind
    from core.phones import reveal_phone

    engine = create_engine(url)
    with engine.connect() as conn:
        tokens = (
            conn.execute(
                select(Person.phone).where(
                    Person.kind == PersonKind.STAFF, Person.phone.is_not(None)
                )
            )
            .scalars()
            .all()
        )
    engine.dispose()
    return [n for n in (reveal_phone(t) for t in tokens) if n]


def start_server(
    url: str,
    port: int,
    api_url: str,
    workers: int | None = None,
    tree: Path = ROOT,
    extra_env: dict[str, str] | None = None,
) -> subprocess.Popen:
    """``staffbot serve`` as the Procfile runs it, on the demo database ``url``, with Twilio
    pointed at ``api_url`` (a local stand-in); ``extra_env`` adds or overrides variables (a
    value of "" removes one)."""
    env = dict(
        os.environ,
        STAFFBOT_DATABASE_URL=url,
        STAFFBOT_NOW=f"{TODAY}T09:00",
        STAFFBOT_PUBLIC_URL=f"http://127.0.0.1:{port}",
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_ACCOUNT_SID=ACCOUNT,
        TWILIO_FROM_NUMBER=FROM,
        TWILIO_API_URL=api_url,
        STAFFBOT_LOG_LEVEL="WARNING",
        PYTHONPATH=str(tree),
    )
    for name, value in (extra_env or {}).items():
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    argv = ["staffbot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers is not None:
        argv += ["--workers", str(workers)]
    code = f"import sys; sys.argv = {argv!r}; from bot.cli import main; main()"
    return subprocess.Popen([sys.executable, "-c", code], cwd=tree, env=env)


def wait_ready(base: str, deadline: float) -> float:
    """Seconds until the server said ready (/readyz; /healthz on a tree without it)."""
    started = time.monotonic()
    while time.monotonic() < deadline:
        try:
            ready = httpx.get(base + "/readyz", timeout=1)
            if ready.status_code == 200:
                return time.monotonic() - started
            if (
                ready.status_code == 404
                and httpx.get(base + "/healthz", timeout=1).status_code == 200
            ):
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


class Load:
    def __init__(
        self,
        base: str,
        numbers: list[str],
        total: int,
        seconds: float,
        seed: int,
        bodies: list[str] = BODIES,
    ) -> None:
        self.base, self.numbers, self.bodies = base, numbers, bodies
        self.total, self.seconds = total, seconds
        self.rng = random.Random(seed)
        self.sids = itertools.count(1)
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.answered: list[str] = []  # MessageSids to deliver again (Twilio's retries)

    def next_request(self) -> dict[str, str] | None:
        n = next(self.sids)
        if n > self.total:
            return None
        roll = self.rng.random()
        if roll < 0.05 and self.answered:
            sid, number, body = self.rng.choice(self.answered).split("|", 2)
            return {"MessageSid": sid, "From": number, "Body": body}
        number = (
            f"+4477009{self.rng.randrange(10**5):05d}"
            if roll < 0.12
            else self.rng.choice(self.numbers)
        )  # some unknown numbers
        return {
            "MessageSid": f"SM{n:032x}",
            "AccountSid": ACCOUNT,
            "From": number,
            "To": FROM,
            "Body": self.rng.choice(self.bodies),
            "NumMedia": "0",
        }

    async def reference_client(self, http: httpx.AsyncClient, stop_at: float) -> None:
        url = self.base + "/healthz"
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status = str((await http.get(url)).status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            self.latencies.append(time.perf_counter() - started)
            self.statuses[status] += 1

    async def client(self, http: httpx.AsyncClient, stop_at: float) -> None:
        url = self.base + "/sms/inbound"
        while time.monotonic() < stop_at:
            params = self.next_request()
            if params is None:
                return
            headers = {"X-Twilio-Signature": sign(TOKEN, url, params)}
            started = time.perf_counter()
            try:
                response = await http.post(url, data=params, headers=headers)
                status = str(response.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            self.latencies.append(time.perf_counter() - started)
            self.statuses[status] += 1
            if status == "200" and len(self.answered) < 500:
                self.answered.append(f"{params['MessageSid']}|{params['From']}|{params['Body']}")

    async def run(self, clients: int, reference: bool = False) -> float:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        one = self.reference_client if reference else self.client
        async with httpx.AsyncClient(limits=limits, timeout=30) as http:
            started = time.monotonic()
            stop_at = started + self.seconds
            await asyncio.gather(*(one(http, stop_at) for _ in range(clients)))
            return time.monotonic() - started


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children (uvicorn workers), Linux."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        p = pending.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{p}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def summary(load: Load, elapsed: float) -> dict:
    lat = load.latencies or [0.0]
    return {
        "requests": len(load.latencies),
        "errors": sum(n for status, n in load.statuses.items() if status != "200"),
        "rps": round(len(load.latencies) / elapsed, 1),
        "p50_ms": round(percentile(lat, 50) * 1000, 1),
        "p95_ms": round(percentile(lat, 95) * 1000, 1),
        "p99_ms": round(percentile(lat, 99) * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--requests", type=int, default=10**9, help="stop after this many")
    parser.add_argument("--warmup", type=int, default=100, help="requests before measuring")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "STAFFBOT_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="web worker processes (default: staffbot serve's, the cores)",
    )
    parser.add_argument(
        "--tree",
        type=Path,
        default=ROOT,
        help="run the server from this checkout (before/after comparisons)",
    )
    parser.add_argument(
        "--channel-only",
        action="store_true",
        help="only HELP texts: the SMS channel's own cost, no conversation",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="with --json: add CPU a text and the reference's latencies",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    say("creating a fresh PostgreSQL database with the demo organisation ...")
    url = create_database(args.database_url)
    server = None
    try:
        numbers = staff_numbers(url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with FakeTwilioApi(ACCOUNT, TOKEN) as twilio:
            server = start_server(url, port, twilio.url, args.workers, args.tree.resolve())
            ready_after = wait_ready(base, time.monotonic() + 180)
            say(f"server ready after {ready_after:.1f} s; warming up ...")
            warm = Load(base, numbers, args.warmup, 120, args.seed + 1)
            warm.sids = itertools.count(10**9)
            warm.total = 10**9 + args.warmup
            asyncio.run(warm.run(min(args.clients, 10)))
            say(f"driving {args.clients} clients for {args.seconds:.0f} s ...")
            load = Load(
                base,
                numbers,
                args.requests,
                args.seconds,
                args.seed,
                ["HELP"] if args.channel_only else BODIES,
            )
            cpu_before = cpu_seconds(server.pid)
            elapsed = asyncio.run(load.run(args.clients))
            server_cpu = cpu_seconds(server.pid) - cpu_before
            say("the reference (GET /healthz, one SELECT) on the same server ...")
            ref = Load(base, numbers, 10**9, args.seconds, args.seed)
            ref_elapsed = asyncio.run(ref.run(args.clients, reference=True))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        drop_database(args.database_url, url)

    sms, reference = summary(load, elapsed), summary(ref, ref_elapsed)
    result = {"clients": args.clients, **sms, "reference_rps": reference["rps"]}
    details = {
        "cpu_ms_per_text": round(server_cpu / max(1, sms["requests"]) * 1000, 2),
        "reference_p50_ms": reference["p50_ms"],
        "reference_p95_ms": reference["p95_ms"],
        "reference_p99_ms": reference["p99_ms"],
        "reference_errors": reference["errors"],
        "ratio_to_reference": round(sms["rps"] / max(reference["rps"], 0.1), 3),
        "workers": args.workers or "cores",
        "ready_after_s": round(ready_after, 1),
        "statuses": dict(load.statuses),
        "load_average": round(os.getloadavg()[0], 1),
    }
    if args.json:
        print(json.dumps({**result, **details} if args.details else result))
    else:
        print(
            f"{sms['requests']} signed webhooks from {args.clients} clients in "
            f"{elapsed:.1f} s: {sms['rps']} requests/s, {sms['errors']} errors"
        )
        print(
            f"latency p50 {sms['p50_ms']} ms, p95 {sms['p95_ms']} ms, "
            f"p99 {sms['p99_ms']} ms; server CPU {details['cpu_ms_per_text']} ms a text"
        )
        print(
            f"reference GET /healthz: {reference['rps']} requests/s, p95 "
            f"{reference['p95_ms']} ms; ratio {details['ratio_to_reference']}"
        )
        print(
            f"statuses {details['statuses']}; machine load average "
            f"{details['load_average']} on {os.cpu_count()} cores"
        )
    return 0 if sms["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
