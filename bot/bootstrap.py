"""Builds the real adapters once, at start-up; tests call it with fakes instead."""

from __future__ import annotations

import logging
import sys

from sqlalchemy import Engine

from core.app import Core
from core.clock import Clock, PinnedClock, SystemClock
from core.config import Settings, load_settings
from core.db import make_engine, make_session_factory
from core.timeutil import parse_local, tz


def make_clock(settings: Settings) -> Clock:
    if settings.now:
        return PinnedClock(parse_local(settings.now, tz(settings.timezone)))
    return SystemClock()


def bootstrap(settings: Settings | None = None, clock: Clock | None = None,
              engine: Engine | None = None) -> Core:
    import bot.capabilities  # noqa: F401  (every capability's handlers, texts and jobs)

    settings = settings or load_settings()
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    engine = engine or make_engine(settings.database_url)
    return Core(engine=engine, session_factory=make_session_factory(engine),
                clock=clock or make_clock(settings), settings=settings)


def make_senders(core: Core) -> dict:  # type: ignore[type-arg]
    """The real ways out: Twilio / Slack with credentials, else the local outbox."""
    from bot.delivery import LocalOutboxSender
    from core.models import Channel

    senders = {Channel.SMS: LocalOutboxSender("sms"), Channel.SLACK: LocalOutboxSender("slack")}
    for factory in SENDER_FACTORIES:
        senders.update(factory(core))
    return senders


# each channel adapter adds a factory returning {Channel: sender} when it is configured
SENDER_FACTORIES: list = []  # type: ignore[type-arg]


def _twilio_senders(core: Core) -> dict:  # type: ignore[type-arg]
    from bot.sms.sender import twilio_senders  # imported when used: twilio is a heavy import

    return twilio_senders(core)


SENDER_FACTORIES.append(_twilio_senders)


def _slack_senders(core: Core) -> dict:  # type: ignore[type-arg]
    from bot.slack.sender import slack_senders  # imported only when senders are built

    return slack_senders(core)


SENDER_FACTORIES.append(_slack_senders)
