"""The core as callers see it: a session factory, a clock and the settings, bundled.

``bot.bootstrap.bootstrap()`` builds the real one; tests build one with fakes. Nothing is
attached to a Core after it is built: ``with_settings`` gives a copy that runs with other
settings (sharing the engine, the clock and the registry).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.clock import Clock
from core.config import Settings
from core.registry import Registry
from core.timeutil import local_date
from core.uow import UnitOfWork, count_writes


@dataclass
class Core:
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    settings: Settings
    # what bootstrap() built: handlers, texts, layouts, jobs, hooks (None: a bare test Core)
    registry: Registry | None = None
    zone: ZoneInfo = field(init=False)

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.settings.timezone)
        count_writes(self.engine)

    def with_settings(self, settings: Settings) -> Core:
        """This core with other settings (the same engine, sessions, clock and registry);
        this one is left as it is."""
        return replace(self, settings=settings)

    def uow(self, *, ambient: bool = False, lazy_savepoints: bool = False) -> UnitOfWork:
        """A unit of work; inside an ambient one (one inbound message) it joins that one.
        ``ambient=True`` makes this one the unit the units of work opened inside it join;
        ``lazy_savepoints`` spares them savepoints (see ``UnitOfWork.poisoned``)."""
        return UnitOfWork(
            self.session_factory,
            self.clock,
            self.zone,
            ambient=ambient,
            lazy_savepoints=lazy_savepoints,
        )

    def read(self) -> UnitOfWork:
        """A unit of work for look-ups only: on SQLite it takes no write lock."""
        return UnitOfWork(self.session_factory, self.clock, self.zone, read_only=True)

    def today(self) -> date:
        """The organisation's local date now."""
        return local_date(self.clock.now(), self.zone)
