"""What the inbound fault tests need: a TCP proxy in front of PostgreSQL that a test can cut
and restore (the shared server itself is never stopped), the real ``staffbot serve`` as a
process of its own, and a Twilio that redelivers every text until it gets a 200, as
Twilio does with a retry policy of 5xx and connection failures (see docs/sms.md)."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.sms.testing import sign

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "fault-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TcpProxy:
    """127.0.0.1:<port> -> target, on loopback only. ``cut()`` drops every connection and
    refuses new ones (the database "went away"); ``restore()`` accepts again."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._listener: socket.socket | None = None
        self._stop = threading.Event()
        self._selector = selectors.DefaultSelector()
        self._pump = threading.Thread(target=self._run, name="tcp-proxy", daemon=True)
        self._accepting: threading.Thread | None = None

    def __enter__(self) -> TcpProxy:
        self.restore()
        self._pump.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self.cut()
        self._pump.join(timeout=5)

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.2)
        self._listener = listener
        self._accepting = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._accepting.start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        if self._accepting is not None:
            self._accepting.join(timeout=2)
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                with contextlib.suppress(KeyError, ValueError, OSError):
                    self._selector.unregister(s)
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener and not self._stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.setblocking(False)
            upstream.setblocking(False)
            with self._lock:
                self._pairs.append((client, upstream))
                self._selector.register(client, selectors.EVENT_READ, upstream)
                self._selector.register(upstream, selectors.EVENT_READ, client)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                empty = not self._selector.get_map()
            if empty:
                time.sleep(0.01)
                continue
            try:
                events = self._selector.select(timeout=0.1)
            except (OSError, ValueError):
                continue
            for key, _ in events:
                src, dst = key.fileobj, key.data
                try:
                    data = src.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        raise OSError("closed")
                    dst.sendall(data)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    self._drop(src, dst)  # type: ignore[arg-type]

    def _drop(self, a: socket.socket, b: socket.socket) -> None:
        with self._lock:
            self._pairs = [p for p in self._pairs if a not in p]
            for s in (a, b):
                with contextlib.suppress(KeyError, ValueError, OSError):
                    self._selector.unregister(s)
                s.close()


class Server:
    """``staffbot serve`` in a process group of its own (so kill -9 takes every worker)."""

    def __init__(self, database_url: str, workers: int = 2, **env: str) -> None:
        self.database_url, self.workers, self.env = database_url, workers, env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.public = self.base
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, ready_within: float = 120.0) -> float:
        env = dict(
            os.environ,
            STAFFBOT_DATABASE_URL=self.database_url,
            STAFFBOT_NOW="2026-01-14T09:00",
            STAFFBOT_PUBLIC_URL=self.public,
            TWILIO_AUTH_TOKEN=TOKEN,
            STAFFBOT_LOG_LEVEL="WARNING",
        )
        for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
            env.pop(name, None)
        env.update(self.env)
        code = (
            "import sys; from bot.cli import main; sys.argv = ['staffbot', 'serve', "
            f"'--host', '127.0.0.1', '--port', '{self.port}', '--workers', "
            f"'{self.workers}']; main()"
        )
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        while time.monotonic() - started < ready_within:
            try:
                if httpx.get(self.base + "/readyz", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"staffbot serve exited with {self.proc.returncode}")
            time.sleep(0.2)
        raise RuntimeError("staffbot serve did not become ready")

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


@dataclass
class Text:
    sid: str
    number: str
    body: str
    answers: list[int] = field(default_factory=list)  # status codes (0: no answer at all)
    times: list[float] = field(default_factory=list)  # time.monotonic() of each answer
    reply: str | None = None


class Twilio:
    """Posts each text, signed, and delivers it again until it is answered 200."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.lock = threading.Lock()

    def deliver(self, text: Text, timeout: float = 15.0) -> bool:
        url = self.server.base + "/sms/inbound"
        params = {
            "MessageSid": text.sid,
            "AccountSid": "AC" + "f" * 32,
            "From": text.number,
            "To": "+447700900999",
            "Body": text.body,
            "NumMedia": "0",
        }
        headers = {"X-Twilio-Signature": sign(TOKEN, self.server.public + "/sms/inbound", params)}
        try:
            response = httpx.post(url, data=params, headers=headers, timeout=timeout)
        except httpx.HTTPError:
            text.answers.append(0)
            text.times.append(time.monotonic())
            return False
        text.answers.append(response.status_code)
        text.times.append(time.monotonic())
        if response.status_code == 200:
            text.reply = response.text
            return True
        return False

    def until_answered(
        self, texts: Iterable[Text], deadline: float, pause: float = 0.5, clients: int = 8
    ) -> None:
        """Each client takes texts in turn and redelivers each until it gets a 200."""
        pending = list(texts)

        def worker() -> None:
            while time.monotonic() < deadline:
                with self.lock:
                    if not pending:
                        return
                    text = pending.pop(0)
                if not self.deliver(text):
                    time.sleep(pause)
                    with self.lock:
                        pending.append(text)

        threads = [threading.Thread(target=worker) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
