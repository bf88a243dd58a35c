"""Twilio's webhooks: ``POST /sms/inbound`` (a text arrives) and ``POST /sms/status``
(delivery receipts). Both are refused with 403 unless signed with our auth token.

The inbound answer is TwiML, given within a budget well inside Twilio's 15 s; what follows
from a message (telling others a shift is filled, the next wave after a failed delivery)
goes out after the answer, as a background task.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import TypeVar
from xml.sax.saxutils import escape as xml_escape

from fastapi import APIRouter, BackgroundTasks, Request, Response
from sqlalchemy import event
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from twilio.request_validator import (
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)

from bot.conversation.receive import database_unavailable
from bot.sms.inbound import SORRY_REPLY, Handoff, InboundSms, Replies, SmsInbox
from bot.sms.sender import twilio_senders
from core.app import Core
from core.models import Channel, OutboundMessage
from core.outbox import MessageSender
from core.receipts import record_receipt

log = logging.getLogger(__name__)
T = TypeVar("T")

REPLY_BUDGET_SECONDS = 10.0  # Twilio gives up on a webhook after 15 s
# Texts processed at once in one web worker. A text is mostly Python (the GIL: one thread
# runs at a time) with short database round trips in between, so a few threads keep the
# core busy; the forty of the shared thread pool only took turns, thrashing the GIL and
# holding more transactions (and row locks) open at once. Texts past these wait in order.
# Sixteen, not four: with four, ten clients on PostgreSQL got 121 texts/s against 156 with
# sixteen (bench/sms_webhook_bench.py, same idle machine, one run each; 50 clients: 87 / 81).
RECEIVE_THREADS = 16
MAX_FORM_BYTES = 64 * 1024  # a text is at most 1,600 characters; Twilio adds ~20 fields
FAILED = ("failed", "undelivered")


_TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response />'
_TWIML_MESSAGE = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>{}</Message></Response>'


def twiml_text(text: str | None) -> str:
    """The TwiML answer, byte for byte what ``MessagingResponse().message(text)`` renders
    (escaping ``&``, ``<`` and ``>``), without building an element tree for every text."""
    return _TWIML_MESSAGE.format(xml_escape(text)) if text else _TWIML_EMPTY


def twiml(text: str | None) -> Response:
    return Response(twiml_text(text), media_type="application/xml")


class ReceivePool:
    """The web worker's own few threads for inbound texts (see ``RECEIVE_THREADS``), started
    on first use in the process that uses them (``staffbot serve`` forks its workers)."""

    def __init__(self, threads: int = RECEIVE_THREADS) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0

    def run(self, fn: Callable[..., T], *args: object) -> asyncio.Future[T]:
        """``fn(*args)`` on one of the threads, in a copy of the caller's context."""
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._executor = ThreadPoolExecutor(self._threads, thread_name_prefix="sms-in")
                self._pid = os.getpid()
            executor = self._executor
        call = functools.partial(contextvars.copy_context().run, fn, *args)
        return asyncio.get_running_loop().run_in_executor(executor, call)


class Courier:
    """Sends the texts this process has just queued (a filled shift's notices, a slow reply)
    right after the webhook that caused them, instead of at the scheduler's next tick.

    It runs only when a transaction of this process committed an SMS to the outbox (a
    session event says so), so the many webhooks that queue nothing cost nothing here; one
    run at a time, and a text queued during a run makes it go round once more. Texts queued
    elsewhere (the scheduler's waves) are sent by the scheduler."""

    def __init__(self, core: Core, senders: Callable[[], dict[Channel, MessageSender]]) -> None:
        self.core, self._senders = core, senders
        self._lock = threading.Lock()
        self._pending = threading.Event()
        event.listen(core.session_factory, "after_flush", self._note)
        event.listen(core.session_factory, "after_commit", self._committed)
        event.listen(core.session_factory, "after_rollback", self._rolled_back)

    @staticmethod
    def _note(session: Session, _context: object) -> None:
        if any(
            isinstance(obj, OutboundMessage) and obj.channel == Channel.SMS for obj in session.new
        ):
            session.info["sms_queued"] = True

    def _committed(self, session: Session) -> None:
        if session.info.pop("sms_queued", False):
            self._pending.set()

    @staticmethod
    def _rolled_back(session: Session) -> None:
        session.info.pop("sms_queued", None)

    @property
    def pending(self) -> bool:
        """True when a commit of this process queued an SMS that has not been sent yet."""
        return self._pending.is_set()

    def run(self) -> None:
        from bot.delivery import deliver_due

        if not self._pending.is_set():
            return
        sender = self._senders().get(Channel.SMS)
        if sender is None:
            return  # no Twilio here: the scheduler's local outbox handles it
        while self._pending.is_set() and self._lock.acquire(blocking=False):
            try:
                self._pending.clear()
                deliver_due(self.core, {Channel.SMS: sender})
            except Exception:  # the scheduler retries whatever this run could not send
                log.exception("sending after a webhook failed")
            finally:
                self._lock.release()


def sms_router(
    core: Core,
    replies: Replies | None = None,
    senders: dict[Channel, MessageSender] | None = None,
    reply_budget: float = REPLY_BUDGET_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
    inbox: SmsInbox | None = None,
) -> APIRouter:
    """The SMS routes. ``replies`` (the conversation), ``senders`` and ``sleep`` are for
    tests; by default they are the real ones, built on first use. ``inbox`` lets the web
    app share the inbox (its readiness says whether the parser is loaded)."""
    inbox = inbox or SmsInbox(core, replies)

    @asynccontextmanager
    async def warm_up(_app: object) -> AsyncIterator[None]:
        # Build the parser (it may train a model the first time) while the server starts,
        # not during the first text's 15 seconds.
        threading.Thread(target=inbox.warm_up, name="sms-warm-up", daemon=True).start()
        yield

    router = APIRouter(lifespan=warm_up)
    built: dict[Channel, MessageSender] | None = senders
    build_lock = threading.Lock()

    def sms_senders() -> dict[Channel, MessageSender]:
        nonlocal built
        with build_lock:
            if built is None:
                built = twilio_senders(core)
            return built

    courier = Courier(core, sms_senders)
    pool = ReceivePool()
    warned = threading.Event()

    async def signed_form(request: Request) -> FormData | None:
        """The form, if Twilio signed it for the URL it called; else None."""
        token = core.settings.twilio_auth_token
        signature = request.headers.get(SIGNATURE_HEADER)
        if not token:
            if not warned.is_set():
                warned.set()
                log.warning("TWILIO_AUTH_TOKEN is not set: refusing every Twilio webhook")
            return None
        if not signature:
            return None
        length = request.headers.get("content-length") or "0"
        if not length.isdigit() or int(length) > MAX_FORM_BYTES:
            return None
        try:
            form = await request.form(max_files=0, max_fields=200)
        except Exception:  # noqa: BLE001 - not a form at all: refused like a bad signature
            return None
        url = core.settings.public_url.rstrip("/") + request.url.path
        if request.url.query:
            url += "?" + request.url.query
        algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
        try:
            ok = RequestValidator(token).validate(url, form, signature, algorithm)
        except Exception:  # noqa: BLE001 - a malformed form (odd parts or algorithm names)
            ok = False
        return form if ok else None

    @router.post("/sms/inbound")
    async def inbound(request: Request, background: BackgroundTasks) -> Response:
        form = await signed_form(request)
        if form is None:
            return Response("Forbidden", status_code=403, media_type="text/plain")
        sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
        sender = str(form.get("From") or "")
        if not sid or not sender:
            return Response(
                "MessageSid and From are required", status_code=400, media_type="text/plain"
            )
        sms = InboundSms(
            sid=sid,
            from_number=sender,
            body=str(form.get("Body") or ""),
            opt_out_type=str(form.get("OptOutType") or "") or None,
        )
        handoff = Handoff()
        work = pool.run(inbox.receive, sms, handoff)
        try:
            try:
                outcome = await asyncio.wait_for(asyncio.shield(work), timeout=reply_budget)
            except TimeoutError:
                if handoff.abandon():
                    log.warning(
                        "sms %s: reply not ready in %.0fs; it will follow as a text",
                        sid,
                        reply_budget,
                    )
                    background.add_task(_finish_then, work, courier.run)
                    return twiml(None)
                outcome = await work
        except Exception as exc:
            if database_unavailable(exc):
                # nothing was processed or claimed: 503 makes Twilio retry (with the
                # webhook's retry policy set as docs/sms.md says)
                log.warning(
                    "sms %s: database unavailable (%s); asking Twilio to retry",
                    sid,
                    type(exc).__name__,
                )
                return Response(
                    "database unavailable, retry",
                    status_code=503,
                    media_type="text/plain",
                    headers={"Retry-After": "5"},
                )
            log.exception("sms %s could not be processed", sid)
            return twiml(SORRY_REPLY)
        if not outcome.duplicate and courier.pending:
            # the commit that queued a text set ``pending`` before ``receive`` returned; a
            # text that queued nothing costs no trip to the thread pool after its answer
            background.add_task(courier.run)
        return twiml(outcome.reply)

    @router.post("/sms/status")
    async def status(request: Request, background: BackgroundTasks) -> Response:
        form = await signed_form(request)
        if form is None:
            return Response("Forbidden", status_code=403, media_type="text/plain")
        sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
        state = str(form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
        code = str(form.get("ErrorCode") or "")
        if not sid or state not in FAILED + ("delivered",):
            return Response(status_code=204)  # queued/sent/...: nothing to record
        error = f"{state} (Twilio error {code})" if code else state

        def record() -> bool:
            from bot.bootstrap import standard_registry

            # the failure hooks of the registry bootstrap() built (a Core built by hand: the
            # standard build); nothing registers itself on import
            registry = core.registry if core.registry is not None else standard_registry()
            hooks = list(registry.failure_hooks)
            return record_receipt(core, sid, state, error if state in FAILED else None, hooks)

        try:
            found = await run_in_threadpool(record)
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            return Response(
                "database unavailable, retry",
                status_code=503,
                media_type="text/plain",
                headers={"Retry-After": "5"},
            )
        if not found and state in FAILED:
            # the receipt overtook our own record of the send: try again shortly
            background.add_task(_record_later, record, sleep, courier.run)
        elif state in FAILED:
            background.add_task(courier.run)  # outreach may have queued the next person
        return Response(status_code=204)

    return router


async def _finish_then(work: asyncio.Future, then: Callable[[], None]) -> None:
    try:
        await work
    except Exception:
        log.exception("a slow sms reply failed")
    await run_in_threadpool(then)


def _record_later(
    record: Callable[[], bool],
    sleep: Callable[[float], None],
    then: Callable[[], None],
    attempts: int = 5,
) -> None:
    for attempt in range(attempts):
        sleep(0.5 * 2**attempt)
        if record():
            then()
            return
    log.warning("delivery receipt for an unknown message ignored")
