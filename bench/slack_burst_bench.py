"""A burst of Slack traffic beside texts: does SMS stay quick? And how soon is a fresh
``staffbot serve`` ready, and how quick is its first answer?

    python bench/slack_burst_bench.py --json [--workers N] [--sms-clients 10]
        [--slack-clients 20] [--seconds 15] [--rounds 2] [--database-url ...] [--tree PATH]

Creates a fresh PostgreSQL database with the demo organisation next to ``--database-url``
(default ``STAFFBOT_TEST_DATABASE_URL``, else the local test server), as
``bench/sms_webhook_bench.py`` does, and starts the real web process the way the Procfile
does (``staffbot serve --workers N``, default: the cores) with Twilio and Slack configured
against local stand-ins (``FakeTwilioApi``, ``FakeSlack``: nothing leaves the machine).

1. **Ready and first answer**: seconds from starting the process to ``/readyz`` answering
   200, the server's CPU seconds until then, then the first texts (one at a time, each on
   a new connection, so each worker gets its first) and the first slash command (its ack
   and the time until its answer reached the ``response_url``).
2. **Rounds**: ``--sms-clients`` post signed Twilio webhooks (``/sms/inbound``, the SMS
   bench's mix) for ``--seconds``, alone; then the same again while ``--slack-clients`` post
   signed Slack requests to ``/slack/events`` as fast as they are acknowledged (slash
   commands and DMs from the demo's Slack users: "who's short tomorrow?", "my shifts", ...).
   Alternating rounds, so the machine's other load falls on both.

The clients and the stand-ins run on the same cores as the server, where in production
they would be Twilio's and Slack's. So they run ``--clients-nice`` (default 5) below the
server (the SMS clients after the server is ready; the Slack side, in a process of its own,
throughout), and ``per_round`` says how much CPU each side used.

``--json`` prints one object: SMS p50/p95 alone and beside the burst (every round's
latencies together) and the ratio of the p95s (the goal: at most 1.5), each round's ratio,
what the Slack clients got (acks, their p95, how many were told "busy", how many answers
arrived), readiness and first-answer figures, workers and the load average. The machine
may be shared: the ratio within one run is the figure to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import multiprocessing
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
from sms_webhook_bench import (  # noqa: E402
    ACCOUNT,
    FROM,
    TOKEN,
    Load,
    cpu_seconds,
    create_database,
    drop_database,
    free_port,
    percentile,
    staff_numbers,
)
from sms_webhook_bench import start_server as start_sms_server  # noqa: E402
from sqlalchemy import create_engine, select  # noqa: E402

from bot.slack.testing import (  # noqa: E402
    Call,
    FakeSlack,
    dm_event,
    event_body,
    signed_headers,
    slash_command_body,
)
from bot.sms.testing import FakeTwilioApi, sign  # noqa: E402

SLACK_SECRET = "bench-slack-signing-secret"
BUSY_MARK = "busy"  # in the ack of a slash command refused by the bounded pool
FORM = "application/x-www-form-urlencoded"
SLACK_TEXTS = [
    "who's short tomorrow?",
    "my shifts",
    "who's on nights tonight at hawthorn?",
    "leave balance",
    "gaps this week",
    "help",
]


def slack_users(url: str) -> list[str]:
    from core.models import Person

    engine = create_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(
            select(Person.slack_user_id).where(Person.slack_user_id.is_not(None))
        ).scalars()
        found = [str(i) for i in ids]
    engine.dispose()
    return found


def start_server(
    url: str, port: int, twilio_url: str, slack_api: str, workers: int | None, tree: Path
) -> subprocess.Popen:
    """The webhook bench's server, with Slack over HTTP pointed at the local stand-in."""
    slack = {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SLACK_SECRET,
        "SLACK_API_URL": slack_api,
        "SLACK_APP_TOKEN": "",  # HTTP, not Socket Mode
    }
    return start_sms_server(url, port, twilio_url, workers, tree, extra_env=slack)


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 300) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"staffbot serve exited with {proc.returncode}")
        try:
            if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    raise SystemExit("the server did not become ready")


class SlackBurst:
    """Clients posting signed Slack requests as fast as they are acknowledged."""

    def __init__(self, base: str, slack: FakeSlack, users: list[str], seed: int, tag: str):
        self.base, self.slack, self.users = base, slack, users
        self.rng = random.Random(seed)
        self.tag = tag
        self.n = itertools.count(1)
        self.acks: list[float] = []
        self.statuses: dict[str, int] = {}
        self.busy = 0
        self.commands: list[str] = []  # response_url paths of commands that were taken on

    def request(self) -> tuple[str, str, str | None]:
        n = next(self.n)
        user, text = self.rng.choice(self.users), self.rng.choice(SLACK_TEXTS)
        if self.rng.random() < 0.67:
            path = f"/response/{self.tag}-{n}"
            body = slash_command_body(user, text, self.slack.base_url + path)
            return body, FORM, path
        event = dm_event(user, text, ts=f"1768381000.{n:06d}")
        return event_body(event, f"Ev{self.tag}{n:06d}"), "application/json", None

    async def client(self, http: httpx.AsyncClient, stop_at: float) -> None:
        while time.monotonic() < stop_at:
            body, ctype, path = self.request()
            headers = signed_headers(SLACK_SECRET, body, ctype)
            started = time.perf_counter()
            try:
                resp = await http.post("/slack/events", content=body, headers=headers)
                status = str(resp.status_code)
                refused = BUSY_MARK in resp.text
            except httpx.HTTPError as exc:
                status, refused = type(exc).__name__, False
            self.acks.append(time.perf_counter() - started)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if refused:
                self.busy += 1
            elif path and status == "200":
                self.commands.append(path)

    async def run(self, clients: int, seconds: float) -> None:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=self.base, limits=limits, timeout=30) as http:
            stop_at = time.monotonic() + seconds
            await asyncio.gather(*(self.client(http, stop_at) for _ in range(clients)))

    def answered(self) -> tuple[int, int]:
        """(slash commands taken on whose answer arrived, of which "busy" after all)."""
        paths = set(self.commands)
        calls = [c for c in self.slack.of("response_url") if c.path in paths]
        later_busy = sum(1 for c in calls if BUSY_MARK in str(c.params.get("text", "")))
        return len({c.path for c in calls}), later_busy


def process_roles(pid: int) -> dict[int, str]:
    """The server's processes by role: the name a process gave itself (``staffbot-web``,
    ``staffbot-slack``, ``staffbot-slackw``, see ``bot.web``), else by depth in the tree
    (a tree from before the names: parent, web workers, their Slack work processes)."""
    roles: dict[int, str] = {}
    pending = [(pid, 0)]
    while pending:
        p, depth = pending.pop()
        try:
            comm = Path(f"/proc/{p}/comm").read_text().strip()
            kids = [
                int(c)
                for task in Path(f"/proc/{p}/task").iterdir()
                for c in (task / "children").read_text().split()
            ]
        except OSError:
            continue
        if comm.startswith("staffbot-"):
            roles[p] = comm.removeprefix("staffbot-")
        else:
            roles[p] = ("parent", "web", "slackw")[min(depth, 2)]
        pending += [(k, depth + 1) for k in kids]
    return roles


def role_cpu(pid: int) -> dict[str, float]:
    """CPU seconds (user + system) so far of each role among the server's processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[str, float] = {}
    for p, role in process_roles(pid).items():
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[role] = found.get(role, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return found


def cpu_between(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {k: round(v - before.get(k, 0.0), 2) for k, v in sorted(after.items())}


def ms(values: list[float], p: float) -> float:
    return round(percentile(values or [0.0], p) * 1000, 1)


def first_texts(base: str, numbers: list[str], n: int) -> list[float]:
    """The first texts right after ready, one at a time, each on a new connection (so each
    worker gets its first): milliseconds each."""
    took = []
    for i in range(n):
        params = {
            "MessageSid": f"SM{'f' * 24}{i:08x}",
            "AccountSid": ACCOUNT,
            "From": numbers[i % len(numbers)],
            "To": FROM,
            "Body": "my shifts",
            "NumMedia": "0",
        }
        url = base + "/sms/inbound"
        headers = {"X-Twilio-Signature": sign(TOKEN, url, params)}
        started = time.perf_counter()
        resp = httpx.post(url, data=params, headers=headers, timeout=60)
        took.append(round((time.perf_counter() - started) * 1000, 1))
        if resp.status_code != 200:
            raise SystemExit(f"the first text got {resp.status_code}")
    return took


def _at(path: str) -> Callable[[Call], bool]:
    return lambda call: call.path == path


# ---- the Slack side: its own process, so its clients and the Slack stand-in do not share
# ---- the SMS clients' interpreter (their wait for a CPU would count as SMS latency)


def slack_side(conn: Connection, niceness: int) -> None:
    """Runs FakeSlack and the Slack clients; answers the main process's commands."""
    os.nice(niceness)
    with FakeSlack() as slack:
        conn.send(slack.api_url)
        bursts: list[SlackBurst] = []
        while True:
            command, *args = conn.recv()
            if command == "first":
                base, user = args
                path = "/response/first-command"
                body = slash_command_body(user, "who's short tomorrow?", slack.base_url + path)
                headers = signed_headers(SLACK_SECRET, body, FORM)
                started = time.perf_counter()
                resp = httpx.post(base + "/slack/events", content=body, headers=headers)
                ack = time.perf_counter() - started
                slack.wait_for("response_url", where=_at(path), timeout=60)
                took = time.perf_counter() - started
                conn.send(
                    {
                        "first_slack_ack_ms": round(ack * 1000, 1),
                        "first_slack_answer_ms": round(took * 1000, 1),
                        "first_slack_status": resp.status_code,
                    }
                )
            elif command == "burst":
                base, users, clients, seconds, seed, tag = args
                burst = SlackBurst(base, slack, users, seed, tag)
                cpu = time.process_time()
                asyncio.run(burst.run(clients, seconds))
                bursts.append(burst)
                conn.send((len(burst.acks), round(time.process_time() - cpu, 1)))
            elif command == "finish":
                (timeout,) = args
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    if all(b.answered()[0] >= len(b.commands) for b in bursts):
                        break
                    time.sleep(0.5)
                answered = [b.answered() for b in bursts]
                acks = [a for b in bursts for a in b.acks]
                statuses: dict[str, int] = {}
                for b in bursts:
                    for st, n in b.statuses.items():
                        statuses[st] = statuses.get(st, 0) + n
                conn.send(
                    {
                        "requests": len(acks),
                        "ack_p50_ms": ms(acks, 50),
                        "ack_p95_ms": ms(acks, 95),
                        "statuses": statuses,
                        "busy_at_ack": sum(b.busy for b in bursts),
                        "commands_taken": sum(len(b.commands) for b in bursts),
                        "commands_answered": sum(a for a, _ in answered),
                        "commands_answered_busy": sum(b for _, b in answered),
                        "messages_told_busy": sum(
                            1
                            for c in slack.of("chat.postMessage")
                            if BUSY_MARK in str(c.params.get("text", ""))
                        ),
                    }
                )
            else:
                return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=None, help="default: serve's (cores)")
    parser.add_argument("--sms-clients", type=int, default=10)
    parser.add_argument("--slack-clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0, help="each phase of a round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=60, help="texts before measuring")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "STAFFBOT_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument("--tree", type=Path, default=ROOT, help="run the server from here")
    parser.add_argument(
        "--clients-nice",
        type=int,
        default=5,
        help="CPU priority of the clients and stand-ins below the server's (Linux nice)",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="also the CPU seconds of each kind of server process (web workers, Slack) per phase",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print

    say("creating a fresh PostgreSQL database with the demo organisation ...")
    url = create_database(args.database_url)
    server = None
    alone: list[float] = []
    beside: list[float] = []
    rounds: list[dict] = []
    sms_errors = 0
    conn, child_conn = multiprocessing.get_context("spawn").Pipe()
    side = multiprocessing.get_context("spawn").Process(
        target=slack_side, args=(child_conn, args.clients_nice), daemon=True
    )
    side.start()
    try:
        numbers, users = staff_numbers(url), slack_users(url)
        manager = "UCLAIRE01" if "UCLAIRE01" in users else users[0]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        slack_api = conn.recv()
        with FakeTwilioApi(ACCOUNT, TOKEN) as twilio:
            load_at_start = os.getloadavg()[0]
            server = start_server(
                url, port, twilio.url, slack_api, args.workers, args.tree.resolve()
            )
            ready_after = wait_ready(base, server)
            ready_cpu = cpu_seconds(server.pid)
            os.nice(args.clients_nice)  # the clients and stand-ins below the server
            say(f"ready after {ready_after:.2f} s ({ready_cpu:.2f} s CPU)")
            first: dict = {"first_sms_ms": first_texts(base, numbers, 2 * (args.workers or 2))}
            conn.send(("first", base, manager))
            first |= conn.recv()
            say(f"first answers: {first}")
            warm = Load(base, numbers, 10**9 + args.warmup, 120, args.seed + 1)
            warm.sids = itertools.count(10**9)
            asyncio.run(warm.run(args.sms_clients))
            for r in range(args.rounds):
                say(f"round {r + 1}: {args.sms_clients} SMS clients alone ...")
                solo = Load(base, numbers, 10**12, args.seconds, args.seed + 10 * r)
                solo.sids = itertools.count(10**10 * (2 * r + 1))
                roles0 = role_cpu(server.pid)
                cpu0, own0 = cpu_seconds(server.pid), time.process_time()
                asyncio.run(solo.run(args.sms_clients))
                cpu1, own1 = cpu_seconds(server.pid), time.process_time()
                roles1 = role_cpu(server.pid)
                say(f"round {r + 1}: the same beside {args.slack_clients} Slack clients ...")
                mixed = Load(base, numbers, 10**12, args.seconds, args.seed + 10 * r + 5)
                mixed.sids = itertools.count(10**10 * (2 * r + 2))
                conn.send(
                    ("burst", base, users, args.slack_clients, args.seconds, args.seed + r, f"r{r}")
                )
                asyncio.run(mixed.run(args.sms_clients))
                slack_requests, slack_side_cpu = conn.recv()
                cpu2, own2 = cpu_seconds(server.pid), time.process_time()
                roles2 = role_cpu(server.pid)
                for load in (solo, mixed):
                    sms_errors += sum(n for st, n in load.statuses.items() if st != "200")
                alone += solo.latencies
                beside += mixed.latencies
                rounds.append(
                    {
                        "alone_p95_ms": ms(solo.latencies, 95),
                        "beside_p95_ms": ms(mixed.latencies, 95),
                        "ratio_p95": round(
                            percentile(mixed.latencies, 95)
                            / max(percentile(solo.latencies, 95), 1e-6),
                            2,
                        ),
                        "sms_requests": [len(solo.latencies), len(mixed.latencies)],
                        "slack_requests": slack_requests,
                        "server_cpu_s": [round(cpu1 - cpu0, 1), round(cpu2 - cpu1, 1)],
                        "sms_clients_cpu_s": [round(own1 - own0, 1), round(own2 - own1, 1)],
                        "slack_clients_cpu_s": slack_side_cpu,
                        "load_average": round(os.getloadavg()[0], 1),
                    }
                )
                if args.details:
                    rounds[-1]["server_cpu_by_role_s"] = [
                        cpu_between(roles0, roles1),
                        cpu_between(roles1, roles2),
                    ]
                say(f"round {r + 1}: {rounds[-1]}")
            say("waiting for the answers still owed to slash commands ...")
            conn.send(("finish", 120.0))
            slack_result = conn.recv()
    finally:
        with contextlib.suppress(Exception):
            conn.send(("stop",))
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        side.join(10)
        drop_database(args.database_url, url)

    result = {
        "workers": args.workers or os.cpu_count(),
        "sms_clients": args.sms_clients,
        "slack_clients": args.slack_clients,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "sms_alone": {"requests": len(alone), "p50_ms": ms(alone, 50), "p95_ms": ms(alone, 95)},
        "sms_beside_slack": {
            "requests": len(beside),
            "p50_ms": ms(beside, 50),
            "p95_ms": ms(beside, 95),
        },
        "ratio_p95": round(percentile(beside, 95) / max(percentile(alone, 95), 1e-6), 2),
        "ratio_p50": round(percentile(beside, 50) / max(percentile(alone, 50), 1e-6), 2),
        "sms_errors": sms_errors,
        "slack": slack_result,
        "per_round": rounds,
        "ready_after_s": round(ready_after, 2),
        "ready_cpu_s": round(ready_cpu, 2),
        "load_average_at_start": round(load_at_start, 1),
        "clients_nice": args.clients_nice,
        **first,
        "load_average": round(os.getloadavg()[0], 1),
        "cores": os.cpu_count(),
    }
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0 if sms_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
