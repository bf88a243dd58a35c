"""Act only when sure; health details out of the log; the registry bootstrap() builds."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.conversation.context import Context
from bot.conversation.dialogue import RECORD_CHANGING
from bot.conversation.service import Conversation
from core.models import AuditEntry, ConversationEntry, Person, SicknessAbsence
from tests.conftest import requires_pg


@pytest.fixture
def chat(demo_core):
    return Conversation(demo_core)


def _person(core, name):
    with core.uow() as uow:
        return uow.session.scalars(select(Person).where(Person.full_name == name)).one().id


def _audits(core) -> int:
    with core.uow() as uow:
        return uow.session.scalar(select(func.count(AuditEntry.id))) or 0


SLOTS = {
    "leave.request": {"start_date": "2026-01-22", "end_date": "2026-01-22"},
    "leave.cancel": {"start_date": "2026-01-22"},
    "sickness.report": {},
    "leave.approve": {"ref": 1},
    "leave.deny": {"ref": 1},
    "ot.preferences": {"shift_type": "night"},
    "ot.available": {"start_date": "2026-01-17", "end_date": "2026-01-17", "shift_type": "night"},
    "ot.request": {
        "start_date": "2026-01-16",
        "end_date": "2026-01-16",
        "shift_type": "night",
        "role": "RN",
        "home": "Victoria Gardens",
    },
}


@pytest.mark.parametrize("intent", sorted(RECORD_CHANGING))
def test_a_low_confidence_record_changing_message_asks_and_changes_nothing(chat, demo_core, intent):
    who = (
        "Claire Docherty"
        if intent
        in (
            "leave.approve",
            "leave.deny",
            "ot.request",
            "ot.cancel",
            "agency.book",
            "rota.publish",
            "swap.approve",
            "swap.deny",
        )
        else "David Wilson"
    )
    if intent in ("ot.accept", "ot.decline", "ot.withdraw"):  # David holds an offer
        from core.overtime.config import with_overtime

        demo_core = with_overtime(demo_core, wave_policy="fixed", wave_size=50)  # all at once
        chat = Conversation(demo_core)
        chat.handle(
            _person(demo_core, "Claire Docherty"),
            "slack",
            "find an RN for Friday night at Victoria Gardens",
        )
    sender, scope = chat.sender(_person(demo_core, who))
    ctx = Context(
        core=demo_core,
        sender=sender,
        scope=scope,
        channel="sms",
        today=demo_core.today(),
        now=demo_core.clock.now(),
        intent=intent,
        slots=dict(SLOTS.get(intent, {})),
        confidence=0.3,
        text="hmm maybe something like that idk",
    )
    before = _audits(demo_core)
    reply = chat.answer(ctx)
    assert reply.kind == "question", reply.text
    assert "?" in reply.text
    assert _audits(demo_core) == before


def test_yes_to_the_check_then_does_it(chat, demo_core):
    jen = _person(demo_core, "Jennifer Ross")
    sender, scope = chat.sender(jen)
    ctx = Context(
        core=demo_core,
        sender=sender,
        scope=scope,
        channel="sms",
        today=demo_core.today(),
        now=demo_core.clock.now(),
        intent="leave.request",
        slots={"start_date": "2026-02-10", "end_date": "2026-02-10"},
        confidence=0.3,
        text="feb 10th maybe off",
    )
    assert chat.answer(ctx).kind == "question"
    reply = chat.handle(jen, "sms", "yes")
    assert "Tue 10 Feb" in reply.text and "ref" in reply.text


def test_the_question_expires(chat, demo_core):
    graham = _person(demo_core, "Graham Kerr")
    assert "Which home" in chat.handle(graham, "slack", "find an RN for friday night").text
    demo_core.clock.set(demo_core.clock.now() + timedelta(minutes=31))
    before = _audits(demo_core)
    chat.handle(graham, "slack", "victoria gardens")
    assert _audits(demo_core) == before


def test_the_question_survives_a_restart(demo_core):
    graham = _person(demo_core, "Graham Kerr")
    assert (
        "Which home"
        in Conversation(demo_core).handle(graham, "slack", "find an RN for friday night").text
    )
    reply = Conversation(demo_core).handle(graham, "slack", "victoria gardens")  # a new process
    assert "OT" in reply.text and "Victoria Gardens" in reply.text


def test_health_details_stay_out_of_the_log_but_on_the_record(chat, demo_core):
    jen = _person(demo_core, "Jennifer Ross")
    chat.handle(jen, "sms", "got the flu, can't come in")
    with demo_core.uow() as uow:
        logged = list(
            uow.session.scalars(
                select(ConversationEntry.text).where(ConversationEntry.person_id == jen)
            )
        )
        reasons = list(
            uow.session.scalars(
                select(SicknessAbsence.reason).where(SicknessAbsence.person_id == jen)
            )
        )
    assert logged and not any("flu" in t for t in logged)
    assert any(r and "flu" in r for r in reasons)


IMPORT_PROBE = """
import importlib, sys
for name in (
    "core.registry core.selfservice core.conversation_state core.outbox core.overtime "
    "core.leave core.dashboards bot.capabilities bot.bootstrap bot.render bot.delivery "
    "bot.conversation.dialogue bot.conversation.leave bot.conversation.selfservice "
    "bot.slack.notifications bot.slack.outreach bot.slack.blocks bot.slack.forecast "
    "bot.conversation.forecast "
    "bot.conversation.basic bot.conversation.router bot.conversation.service "
    "scheduler.jobs scheduler.runner scheduler.alert_jobs"
).split():
    importlib.import_module(name)
import bot.bootstrap as b
from core.registry import Registry
assert b.standard_registry.cache_info().currsize == 0, "a registry was built on import"
legacy = {
    "bot.render": ("TEXTS", "BLOCKS"), "bot.delivery": ("TEXTS",),
    "scheduler.jobs": ("DUE_WORK",), "scheduler.runner": ("CRON_JOBS",),
    "bot.slack.blocks": ("RENDERERS",),
}
left = [f"{m}.{n}" for m, names in legacy.items() for n in names if hasattr(sys.modules[m], n)]
assert not left, left
assert not getattr(sys.modules["core.outbox"], "FAILURE_HOOKS", ())
try:
    import bot.conversation.fallbacks
except ImportError:
    pass
else:
    raise AssertionError("bot.conversation.fallbacks is back")
packages = ("core", "bot", "scheduler", "intents")
ours = [m for n, m in list(sys.modules.items()) if n.split(".")[0] in packages]
found = [f"{m.__name__}.{k}" for m in ours for k, v in vars(m).items() if isinstance(v, Registry)]
assert not found, found
"""


def test_importing_the_conversation_modules_registers_nothing():
    """No module builds a registry or keeps a list of its own for others to fill: the tables
    exist only in what bootstrap() builds."""
    subprocess.run([sys.executable, "-c", IMPORT_PROBE], check=True)


def test_bootstrap_gives_the_whole_intent_table_and_message_kinds():
    from bot.bootstrap import build_registry
    from intents.parser import INTENTS

    reg = build_registry()
    later = {
        "rota.generate",
        "rota.publish",
        "ot.withdraw",
        "ot.available",
        "agency.book",
        "swap.request",
        "swap.approve",
        "swap.deny",
        "dash.link",
    }
    assert set(INTENTS) - set(reg.handlers) <= later
    assert {"leave.mine", "leave.cancel", "staffing.absent", "rota.person"} <= set(reg.handlers)
    assert {"ot.offer", "ot.filled", "leave.review", "leave.decision", "alert.daily_gaps"} <= (
        reg.message_kinds()
    )
    assert "overtime.advance_outreach" in reg.job_names()
    assert reg.fallbacks
    assert {"text", "delivery.paused", "delivery.resumed"} <= set(reg.texts)
    assert {"overtime.advance_outreach", "alerts.due", "forecast.nightly_fit"} <= set(
        reg.job_names()
    )
    hooks = {getattr(h, "__name__", "") for h in reg.failure_hooks}
    assert {"on_message_failed", "carrier_opt_out"} <= hooks
    assert len(reg.sender_factories) == 2  # Twilio and Slack, each when configured
    # how answers look in Slack: every rich view comes from install(), none from an import
    assert {"gaps", "on_shift", "rota", "refused", "error", "ot.request", "ot.status"} <= set(
        reg.reply_views
    )
    assert {"ot.rank", "forecast"} <= set(reg.reply_views)


def test_how_long_a_question_lasts_is_a_setting(demo_url):
    from tests.conftest import make_core

    core = make_core(demo_url, conversation_minutes=5)
    chat = Conversation(core)
    graham = _person(core, "Graham Kerr")
    assert "Which home" in chat.handle(graham, "slack", "find an RN for friday night").text
    core.clock.set(core.clock.now() + timedelta(minutes=6))
    before = _audits(core)
    chat.handle(graham, "slack", "victoria gardens")
    assert _audits(core) == before
    core.engine.dispose()


@requires_pg
def test_the_question_is_kept_in_postgresql_across_processes(pg_demo_url):
    from tests.conftest import make_core

    first, second = make_core(pg_demo_url), make_core(pg_demo_url)  # two web processes
    graham = _person(first, "Graham Kerr")
    assert (
        "Which home"
        in Conversation(first).handle(graham, "slack", "find an RN for friday night").text
    )
    reply = Conversation(second).handle(graham, "slack", "victoria gardens")
    assert "OT" in reply.text and "Victoria Gardens" in reply.text
    first.engine.dispose()
    second.engine.dispose()


def test_bootstrap_hands_out_the_registry_it_built(demo_url):
    from bot.bootstrap import bootstrap, standard_registry
    from core.config import Settings

    core = bootstrap(Settings(database_url=demo_url))
    assert core.registry is standard_registry()
    assert Conversation(core).registry is core.registry
    assert "leave.mine" in core.registry.handlers
    core.engine.dispose()
