"""The web process: health and readiness, and the Twilio and Slack endpoints (each in its own
module), all receiving through one channel-neutral receive service."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import time

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from core.app import Core

log = logging.getLogger(__name__)


def create_app(core: Core) -> FastAPI:
    app = FastAPI(title="Staffbot", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.core = core

    from bot.sms.inbound import SmsInbox

    inbox = SmsInbox(core)
    receiver = app.state.receiver = inbox.receiver

    def database_answers() -> str | None:
        """None when the database answers one SELECT, else the error's class name."""
        try:
            with core.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # the database is down: say so, do not crash
            return type(exc).__name__
        return None

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        """Liveness: the process answers and its database does."""
        error = database_answers()
        if error:
            return JSONResponse({"status": "unavailable", "error": error}, status_code=503)
        return JSONResponse({"status": "ok"})

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        """Readiness: send traffic here only when the database answers AND the parser is
        loaded (so the first message is answered at once, not after loading a model)."""
        error = database_answers()
        checks = {"database": error is None, "parser": receiver.ready}
        if error or not receiver.ready:
            return JSONResponse(
                {"status": "not ready", "checks": checks, **({"error": error} if error else {})},
                status_code=503,
            )
        return JSONResponse({"status": "ready", "checks": checks})

    from bot.sms.webhooks import sms_router

    # POST /sms/inbound, /sms/status (Twilio, signed); its start-up loads the parser
    app.include_router(sms_router(core, inbox=inbox))

    from bot.slack.web import mount_slack

    mount_slack(app, core, receiver=receiver)  # POST /slack/events (503 when not set up)

    from bot.dash import mount_dashboards

    mount_dashboards(app, core)  # /dash/, /api/v1/, /api/openapi.json, /api/docs (signed in)

    from bot.limits import BodyLimit

    app.add_middleware(BodyLimit)  # every endpoint: oversize bodies get 413, not read
    return app


def serve_app() -> FastAPI:
    """What ``staffbot serve`` runs in each worker process (uvicorn imports it by name)."""
    from bot.bootstrap import bootstrap

    return create_app(bootstrap())


# ---- staffbot serve: load once, then fork the workers -----------------------------------

WORKER_START_FAILURES = 3  # workers dying this many times in a row as they start: give up
WORKER_MIN_LIFETIME = 5.0  # a worker that dies sooner than this (seconds) failed to start


def warm(app: FastAPI) -> bool:
    """Load the parser (the intent model and the organisation's name matcher) and pay the
    first message's one-time costs now, in this process; True when ``/readyz`` will say
    ready."""
    receiver = app.state.receiver
    receiver.warm_up()
    if receiver.ready:
        core: Core = app.state.core
        try:
            receiver.conversation.parser().parse("hello", core.today())  # first-call costs
        except Exception:  # noqa: BLE001 - the parser is loaded; a warm-up text is optional
            log.warning("warming the parser with a first text failed", exc_info=True)
    return bool(receiver.ready)


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket (so a port in use fails at once), not yet listening: until the
    workers are ready to answer, connections are refused rather than queued."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: accepted sockets inherit it, and asyncio turns Nagle off
    # (TCP_NODELAY) only on sockets that say they are TCP; without it every answer on a
    # kept-alive connection waited ~40 ms for the client's delayed ACK
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        from core.errors import StaffbotError

        raise StaffbotError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock


def serve(core: Core, host: str, port: int, workers: int) -> None:
    """``staffbot serve``: build the app and load the parser ONCE, in this process, then
    fork ``workers`` processes that share the listening socket and inherit the loaded
    parser (copy-on-write), so every worker is ready the moment it starts. A worker that
    dies is replaced by a new fork of the loaded parent (ready at once too). SIGTERM or
    SIGINT stops the workers gracefully (10 s for requests in flight) and then this process.
    Without ``os.fork`` (Windows), uvicorn's own workers load the app each."""
    sock = listening_socket(host, port)
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        sock.close()
        core.engine.dispose()
        uvicorn.run(
            "bot.web:serve_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            timeout_graceful_shutdown=10,
        )
        return
    started = time.perf_counter()
    app = create_app(core)
    if not warm(app):
        log.error("the parser did not load: /readyz will say not ready")
    core.engine.dispose()  # no connection crosses a fork: each worker opens its own
    sock.listen(2048)
    log.info(
        "parser loaded in %.1fs; starting %d worker(s)", time.perf_counter() - started, workers
    )
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=10, workers=workers)
    if workers == 1:
        start_slack_work(app)
        uvicorn.Server(config).run(sockets=[sock])
        return
    Supervisor(config, sock, workers, core).run()


def start_slack_work(app: FastAPI) -> None:
    """Slack's work into a process of its own at a lower CPU priority (see
    ``bot.slack.app.SlackWork``); called in a web worker before it serves (one thread)."""
    work = getattr(app.state, "slack_work", None)
    if work is not None:
        try:
            work.start_process()
        except Exception:  # noqa: BLE001 - the thread pool still works
            log.exception("could not start the Slack work process; Slack work runs in a thread")


class Supervisor:
    """The parent of the forked workers: starts them, replaces one that dies, stops them."""

    def __init__(self, config: uvicorn.Config, sock: socket.socket, workers: int, core: Core):
        self.config, self.sock, self.workers, self.core = config, sock, workers, core
        self.children: dict[int, float] = {}  # pid -> when it started (monotonic)
        self.stopping = False
        self.failures = 0

    def fork(self) -> None:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker: it never returns into the parent's code
            code = 1
            try:
                code = self._work(parent)
            except SystemExit as exc:  # uvicorn's start-up failure
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:  # noqa: BLE001
                log.exception("web worker failed")
            finally:
                os._exit(code)
        self.children[pid] = time.monotonic()

    def _work(self, parent: int) -> int:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        _die_with_parent(parent)
        self.core.engine.dispose(close=False)  # nothing pooled from the parent, ever
        start_slack_work(self.config.app)  # type: ignore[arg-type]
        server = uvicorn.Server(self.config)
        server.run(sockets=[self.sock])
        return 0 if server.started else 3

    def _stop(self, signum: int, _frame: object) -> None:
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for _ in range(self.workers):
            self.fork()
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries os.wait
                continue
            born = self.children.pop(pid, None)
            if born is None or self.stopping:
                continue
            code = os.waitstatus_to_exitcode(status)
            early = time.monotonic() - born < WORKER_MIN_LIFETIME
            self.failures = self.failures + 1 if early else 0
            log.error("web worker %d exited (%s); starting another", pid, code)
            if self.failures >= WORKER_START_FAILURES:
                log.error("web workers keep failing as they start: stopping")
                self._stop(signal.SIGTERM, None)
                continue
            if early:
                time.sleep(1.0)
            self.fork()
        self.sock.close()
        if self.failures >= WORKER_START_FAILURES:
            sys.exit(1)


def _die_with_parent(parent: int) -> None:
    """Linux: a worker gets SIGTERM when its parent dies (even by kill -9), so no orphan
    keeps the port."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)
