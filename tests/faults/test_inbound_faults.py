"""Inbound texts under real faults, with real processes and the real PostgreSQL (through a
TCP proxy the test controls): ``kill -9`` of ``staffbot serve`` mid-burst while Twilio keeps
redelivering, and the database cut for ten seconds then restored. Goal for both: every text
processed exactly once (0 lost, 0 repeated), and a redelivery of a finished text answered
with its first reply. Loopback only; each test bounded in time."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.sms.inbound import SORRY_REPLY
from bot.sms.testing import FakeTwilioApi
from core.models import ConversationEntry, InboundMessage, Person, PersonKind
from core.phones import vault_for
from tests.conftest import make_core, requires_pg
from tests.faults.inbound_harness import TOKEN, Server, TcpProxy, Text, Twilio

ACCOUNT = "AC" + "f" * 32

pytestmark = requires_pg

BODIES = ["my shifts", "leave balance", "HELP", "when am I working next week"]


@pytest.fixture
def twilio_env():  # type: ignore[no-untyped-def]
    """Twilio configured against a local stand-in (texts the server sends go nowhere), and
    the secret key the test decrypts numbers with."""
    core = make_core("sqlite://")
    with FakeTwilioApi(ACCOUNT, TOKEN) as api:
        yield {
            "TWILIO_ACCOUNT_SID": ACCOUNT,
            "TWILIO_FROM_NUMBER": "+447700900999",
            "TWILIO_API_URL": api.url,
            "STAFFBOT_SECRET_KEY": core.settings.secret_key,
        }


def staff_numbers(url: str, count: int = 30) -> list[str]:
    core = make_core(url)
    with core.read() as uow:
        tokens = uow.session.scalars(
            select(Person.phone)
            .where(
                Person.kind == PersonKind.STAFF, Person.phone.is_not(None), Person.active.is_(True)
            )
            .order_by(Person.id)
            .limit(count)
        ).all()
    core.engine.dispose()
    vault = vault_for(core.settings.secret_key)
    return [vault.decrypt(t) for t in tokens]


def texts_in(url: str) -> int:
    core = make_core(url)
    with core.read() as uow:
        n = (
            uow.session.scalar(
                select(func.count(ConversationEntry.id)).where(
                    ConversationEntry.direction == "in", ConversationEntry.channel == "sms"
                )
            )
            or 0
        )
    core.engine.dispose()
    return int(n)


def claims(url: str, sids: list[str]) -> dict[str, str | None]:
    core = make_core(url)
    with core.read() as uow:
        rows = uow.session.execute(
            select(InboundMessage.provider_id, InboundMessage.reply).where(
                InboundMessage.provider == "twilio", InboundMessage.provider_id.in_(sids)
            )
        ).all()
    core.engine.dispose()
    return dict(rows)


def burst(prefix: str, numbers: list[str], count: int) -> list[Text]:
    return [
        Text(f"SM{prefix}{i:030d}", numbers[i % len(numbers)], BODIES[i % len(BODIES)])
        for i in range(count)
    ]


def check_exactly_once(
    url: str, texts: list[Text], logged_before: int, server: Server
) -> dict[str, int]:
    """0 lost, 0 repeated; a redelivery of each finished text gets its first answer."""
    stored = claims(url, [t.sid for t in texts])
    unanswered = [t.sid for t in texts if t.reply is None]
    sorry = [t.sid for t in texts if t.reply and SORRY_REPLY in t.reply]
    lost = len([t for t in texts if t.sid not in stored]) + len(sorry)
    repeated = texts_in(url) - logged_before - len(texts)
    missing = [t.reply for t in texts if t.sid not in stored][:3]
    assert unanswered == [] and lost == 0 and repeated == 0, (
        unanswered,
        lost,
        repeated,
        len(sorry),
        missing,
    )
    twilio = Twilio(server)
    again = [Text(t.sid, t.number, t.body) for t in texts]
    for first, retry in zip(texts, again, strict=True):
        assert twilio.deliver(retry), retry.answers
        assert retry.reply == first.reply  # the stored answer, not a second processing
    assert texts_in(url) - logged_before == len(texts)
    return {"texts": len(texts), "lost": lost, "repeated": max(0, repeated)}


def test_kill_9_of_serve_mid_burst_loses_and_repeats_nothing(pg_demo_url, twilio_env):
    numbers = staff_numbers(pg_demo_url)
    logged_before = texts_in(pg_demo_url)
    server = Server(pg_demo_url, workers=2, **twilio_env)
    server.start()
    texts = burst("KILL", numbers, 80)
    twilio = Twilio(server)
    deadline = time.monotonic() + 150
    sender = threading.Thread(
        target=twilio.until_answered, args=(texts, deadline), kwargs={"pause": 0.3, "clients": 10}
    )
    try:
        sender.start()
        while sum(t.reply is not None for t in texts) < 20 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill9()  # mid-burst: texts in flight on both workers
        in_flight = sum(1 for t in texts if t.reply is None and t.answers)
        restart = server.start()
        sender.join()
        figures = check_exactly_once(pg_demo_url, texts, logged_before, server)
    finally:
        server.stop()
    refused = sum(1 for t in texts if 0 in t.answers)
    print(
        f"kill -9 mid-burst: {figures}, {refused} texts met a dead server and were "
        f"redelivered, {in_flight} had been tried before the kill; ready again "
        f"{restart:.1f} s after restart"
    )


def test_database_cut_for_ten_seconds_loses_and_repeats_nothing(pg_demo_url, twilio_env):
    numbers = staff_numbers(pg_demo_url)
    logged_before = texts_in(pg_demo_url)
    url = make_url(pg_demo_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        server = Server(proxied, workers=2, **twilio_env)
        server.start()
        texts = burst("CUT", numbers, 60)
        twilio = Twilio(server)
        deadline = time.monotonic() + 120
        sender = threading.Thread(
            target=twilio.until_answered,
            args=(texts, deadline),
            kwargs={"pause": 1.0, "clients": 4},
        )
        try:
            sender.start()
            while sum(t.reply is not None for t in texts) < 10 and time.monotonic() < deadline:
                time.sleep(0.02)
            proxy.cut()
            cut_at = time.monotonic()
            time.sleep(10)
            proxy.restore()
            restored_at = time.monotonic()
            sender.join()
            figures = check_exactly_once(pg_demo_url, texts, logged_before, server)
        finally:
            server.stop()
    during = [
        code
        for t in texts
        for code, at in zip(t.answers, t.times, strict=True)
        if cut_at <= at < restored_at
    ]
    assert during and set(during) <= {503}, sorted(set(during))  # Twilio is told to retry
    assert not [c for t in texts for c in t.answers if c >= 500 and c != 503]
    first_ok = min(
        at
        for t in texts
        for code, at in zip(t.answers, t.times, strict=True)
        if code == 200 and at >= restored_at
    )
    recovery = first_ok - restored_at
    assert recovery < 30
    print(
        f"database cut 10 s: {figures}, {len(during)} answers of 503 during the cut, "
        f"first text answered {recovery:.1f} s after the database came back"
    )
