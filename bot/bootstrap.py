"""Builds the real adapters once, at start-up; tests call it with fakes instead."""

from __future__ import annotations

import functools
import logging
import sys

from sqlalchemy import Engine

from core.app import Core
from core.clock import Clock, PinnedClock, SystemClock
from core.config import Settings, load_settings
from core.db import make_engine, make_session_factory
from core.models import Channel
from core.outbox import MessageSender
from core.registry import Registry
from core.timeutil import parse_local, tz


def make_clock(settings: Settings) -> Clock:
    if settings.now:
        return PinnedClock(parse_local(settings.now, tz(settings.timezone)))
    return SystemClock()


def build_registry() -> Registry:
    """Every capability's handlers, texts, layouts, fallbacks, jobs, hooks and senders, each
    added by that capability's ``install(registry)``."""
    from bot.capabilities import install_all

    return install_all(Registry())


@functools.cache
def standard_registry() -> Registry:
    """The registry of this process, built on first use (not on import)."""
    return build_registry()


def bootstrap(
    settings: Settings | None = None, clock: Clock | None = None, engine: Engine | None = None
) -> Core:
    """Builds the application: settings, engine, clock and the registry of every capability
    (``Core.registry``: the same object as ``standard_registry()``, which renderers and
    callers holding no Core read)."""
    registry = standard_registry()
    settings = settings or load_settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    engine = engine or make_engine(settings.database_url)
    return Core(
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=clock or make_clock(settings),
        settings=settings,
        registry=registry,
    )


def make_senders(core: Core) -> dict[Channel, MessageSender]:
    """The real ways out: Twilio / Slack with credentials, else the local outbox (the sender
    factories of the core's registry, else of this process's)."""
    from bot.delivery import LocalOutboxSender

    senders: dict[Channel, MessageSender] = {
        Channel.SMS: LocalOutboxSender("sms"),
        Channel.SLACK: LocalOutboxSender("slack"),
    }
    for factory in (core.registry or standard_registry()).sender_factories:
        senders.update(factory(core))
    return senders
