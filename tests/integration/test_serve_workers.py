"""``staffbot serve --workers 2`` as a real process: it loads the parser once and forks its
workers from it, so every worker is ready (``/readyz``) from the start and answers the first
text at once; a worker that dies is replaced, ready at once; SIGTERM stops everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from bot.sms.testing import sign
from core.models import Person
from core.phones import vault_for
from tests.conftest import make_core

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "serve-workers-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(check, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"not {what} after {timeout}s")


def test_serve_forks_ready_workers_replaces_a_dead_one_and_stops_on_sigterm(demo_url):
    core = make_core(demo_url)
    with core.read() as uow:
        phone = uow.session.scalar(select(Person.phone).where(Person.full_name == "Tom Baxter"))
    number = vault_for(core.settings.secret_key).decrypt(phone)
    core.engine.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        STAFFBOT_DATABASE_URL=demo_url,
        STAFFBOT_NOW="2026-01-14T09:00",
        STAFFBOT_PUBLIC_URL=base,
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_ACCOUNT_SID="AC" + "d" * 32,
        TWILIO_FROM_NUMBER="+447700900999",
        TWILIO_API_URL="http://127.0.0.1:9/",  # replies go in the webhook's answer
        STAFFBOT_LOG_LEVEL="WARNING",
    )
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        env.pop(name, None)
    code = (
        "import sys; from bot.cli import main; sys.argv = ['staffbot', 'serve', '--host', "
        f"'127.0.0.1', '--port', '{port}', '--workers', '2']; main()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, start_new_session=True)
    try:

        def ready() -> bool:
            assert proc.poll() is None, f"staffbot serve exited with {proc.returncode}"
            try:
                return httpx.get(base + "/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(ready, 180, "ready")
        workers = children(proc.pid)
        assert len(workers) == 2
        # Each new connection may land on either worker: every one says ready, at once.
        for _ in range(8):
            answer = httpx.get(base + "/readyz", timeout=5)
            assert answer.status_code == 200
            assert answer.json()["checks"] == {"database": True, "parser": True}

        params = {"MessageSid": "SM" + "c" * 32, "From": number, "To": "+447700900999"}
        params["Body"] = "leave balance"
        headers = {"X-Twilio-Signature": sign(TOKEN, base + "/sms/inbound", params)}
        text = httpx.post(base + "/sms/inbound", data=params, headers=headers, timeout=30)
        assert text.status_code == 200 and "days left" in text.text  # the first text

        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: not alive(victim), 10, "dead")
        replaced = wait_until(
            lambda: (lambda now: now if len(now) == 2 and victim not in now else None)(
                children(proc.pid)
            ),
            30,
            "replaced",
        )
        for _ in range(8):  # the new worker is a fork of the loaded parent: ready at once
            assert httpx.get(base + "/readyz", timeout=5).status_code == 200

        proc.send_signal(signal.SIGTERM)  # the parent only: it stops its workers
        assert proc.wait(timeout=30) == 0
        wait_until(lambda: not any(alive(pid) for pid in replaced), 10, "stopped")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_the_listening_socket_turns_nagle_off():
    """Answers on a kept-alive connection go out at once: the socket says it is TCP, so the
    workers' connections have TCP_NODELAY (with Nagle on, each answer waited ~40 ms for the
    client's delayed ACK)."""
    import socket

    from bot.web import listening_socket

    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        sock.listen(1)
        client = socket.create_connection(sock.getsockname()[:2])
        accepted, _ = sock.accept()
        try:
            assert accepted.proto == socket.IPPROTO_TCP  # what asyncio checks
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        finally:
            accepted.close()
            client.close()
    finally:
        sock.close()
