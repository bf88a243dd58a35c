"""What the outbox fault tests share: real ``staffbot scheduler`` processes on a real
PostgreSQL database, the local Twilio stand-in, and a TCP proxy in front of PostgreSQL that a
test can cut (the shared server itself is never stopped). Loopback only."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.sms.testing import FakeTwilioApi
from core.db import make_engine, make_session_factory
from core.models import Channel, OutboundMessage, Person, PersonKind
from core.phones import reveal_phone

ROOT = Path(__file__).resolve().parents[2]
SID, TOKEN, FROM = "AC" + "7" * 32, "fault-token", "+447700900999"
# the key the test databases' numbers are encrypted with (tests/conftest.py sets it)
SECRET_KEY = os.environ.get("STAFFBOT_SECRET_KEY") or "staffbot-tests-only-key-not-secret"


class Proxy:
    """A TCP proxy to ``target`` on a loopback port; ``cut()`` drops every connection and
    refuses new ones until ``restore()``."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._cut = threading.Event()
        self._closed = threading.Event()
        self._socks: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._cut.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with self._lock:
                    self._socks.discard(s)
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> None:
        self._cut.set()
        with self._lock:
            socks, self._socks = list(self._socks), set()
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def restore(self) -> None:
        self._cut.clear()

    def close(self) -> None:
        self._closed.set()
        self.cut()
        self._listener.close()


def via_proxy(url: str, proxy: Proxy) -> str:
    return (
        make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )


def pg_host_port(url: str) -> tuple[str, int]:
    parsed = make_url(url)
    return parsed.host or "127.0.0.1", parsed.port or 5432


def process_env(
    url: str, twilio: FakeTwilioApi, public_url: str = "http://127.0.0.1:9", now: str | None = None
) -> dict[str, str]:
    """The environment of one of our processes: this database, the Twilio stand-in, INFO logs
    (so the log checks see everything an operator's logs would), and optionally a pinned
    clock (``STAFFBOT_NOW``, local time)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("STAFFBOT_", "TWILIO_", "SLACK_"))
    }
    env.update(
        {
            "STAFFBOT_DATABASE_URL": url,
            "STAFFBOT_SECRET_KEY": SECRET_KEY,
            "STAFFBOT_LOG_LEVEL": "INFO",
            "TWILIO_ACCOUNT_SID": SID,
            "TWILIO_AUTH_TOKEN": TOKEN,
            "TWILIO_FROM_NUMBER": FROM,
            "TWILIO_API_URL": twilio.url,
            "STAFFBOT_PUBLIC_URL": public_url,
            "STAFFBOT_SMS_RATE_PER_SECOND": "30",  # a short code's pace
            "PYTHONUNBUFFERED": "1",
        }
    )
    if now:
        env["STAFFBOT_NOW"] = now
    if os.environ.get("STAFFBOT_CACHE_DIR"):  # the test run's intent model (tests/conftest.py)
        env["STAFFBOT_CACHE_DIR"] = os.environ["STAFFBOT_CACHE_DIR"]
    return env


class Process:
    """One ``python -m bot.cli ...`` process, its output (logs) to a file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", *args],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._out.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._out.close()


class Scheduler(Process):
    """``staffbot scheduler`` as its own process, logging at INFO to a file."""

    def __init__(
        self,
        url: str,
        twilio: FakeTwilioApi,
        log: Path,
        tick: float = 1.0,
        deliver_every: float = 0.5,
        now: str | None = None,
    ) -> None:
        super().__init__(
            ["scheduler", "--tick", str(tick), "--deliver-every", str(deliver_every)],
            process_env(url, twilio, now=now),
            log,
        )


class Web(Process):
    """``staffbot serve`` (one worker) on a loopback port; ``public_url`` is what Twilio signs."""

    def __init__(self, url: str, twilio: FakeTwilioApi, log: Path, now: str | None = None) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.public_url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1"],
            process_env(url, twilio, public_url=self.public_url, now=now),
            log,
        )


class Outbox:
    """Queue texts to the demo's staff and read back what happened to them."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessions = make_session_factory(self.engine)
        self.ids: list[int] = []  # the messages this test queued

    def staff_numbers(self, count: int) -> dict[int, str]:
        with self.sessions() as s:
            people = s.scalars(
                select(Person)
                .where(
                    Person.phone.is_not(None),
                    Person.kind == PersonKind.STAFF,
                    Person.sms_opted_out_at.is_(None),
                )
                .order_by(Person.id)
                .limit(count)
            ).all()
            return {p.id: str(reveal_phone(p.phone)) for p in people}

    def queue(self, people: dict[int, str], tag: str) -> dict[str, str]:
        """One text each, with a unique body; returns {body: number}."""
        now = datetime.now(UTC)
        bodies = {}
        with self.sessions() as s:
            rows = []
            for i, (person_id, number) in enumerate(people.items()):
                body = f"{tag} offer {i:03d}: Thu early shift, reply YES or NO"
                rows.append(
                    OutboundMessage(
                        person_id=person_id,
                        channel=Channel.SMS,
                        kind="text",
                        payload={"text": body},
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
                bodies[body] = number
            s.add_all(rows)
            s.commit()
            self.ids += [r.id for r in rows]
        return bodies

    def statuses(self) -> Counter[str]:
        """This test's messages, counted by status."""
        with self.sessions() as s:
            return Counter(
                dict(
                    s.execute(
                        select(OutboundMessage.status, func.count())
                        .where(OutboundMessage.id.in_(self.ids))
                        .group_by(OutboundMessage.status)
                    ).all()
                )
            )

    def attempts_spent(self) -> int:
        with self.sessions() as s:
            return int(
                s.scalar(
                    select(func.coalesce(func.sum(OutboundMessage.attempts), 0)).where(
                        OutboundMessage.id.in_(self.ids)
                    )
                )
                or 0
            )

    def notices(self, kind: str) -> int:
        with self.sessions() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(OutboundMessage)
                    .where(OutboundMessage.kind == kind)
                )
                or 0
            )

    def close(self) -> None:
        self.engine.dispose()


def wait_for(check: Callable[[], bool], timeout: float, step: float = 0.1) -> float | None:
    """Seconds until ``check()`` held, or None if it did not within ``timeout``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(step)
    return None


def tally(twilio: FakeTwilioApi, bodies: dict[str, str]) -> tuple[int, int]:
    """(texts lost, texts repeated) among ``bodies``, from what the stand-in accepted."""
    seen = Counter(t.body for t in list(twilio.sent) if t.body in bodies)
    lost = sum(1 for b in bodies if seen[b] == 0)
    repeated = sum(n - 1 for n in seen.values() if n > 1)
    return lost, repeated


def delivered_all(twilio: FakeTwilioApi, bodies: dict[str, str]) -> Callable[[], bool]:
    def check() -> bool:
        got = {t.body for t in list(twilio.sent)}
        return all(b in got for b in bodies)

    return check
