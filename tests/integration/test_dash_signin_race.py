"""A sign-in link is used once even when many browsers press "Sign in" at the same moment
(one conditional UPDATE decides), on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from core.app import Core
from core.clock import ManualClock
from core.config import Settings
from core.db import make_engine, make_session_factory
from core.errors import NotAllowed
from core.models import AuditEntry, Person, PersonKind
from core.signin import SignInLink, issue_link, redeem_link
from core.uow import Actor
from tests.conftest import DEMO_TODAY, local, requires_pg

CLICKS = 20


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=requires_pg)])
def race_core(request):
    url = request.getfixturevalue("empty_url" if request.param == "sqlite" else "pg_empty_url")
    engine = make_engine(url, pool_size=CLICKS + 2, max_overflow=10, pool_timeout=60)
    core = Core(
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=ManualClock(local(DEMO_TODAY)),
        settings=Settings(database_url=url),
    )
    with core.uow() as uow:
        uow.session.add(
            Person(
                full_name="Claire Docherty",
                first_name="Claire",
                last_name="Docherty",
                kind=PersonKind.MANAGER,
            )
        )
        uow.commit()
    yield core
    engine.dispose()


def test_many_simultaneous_clicks_sign_in_once(race_core):
    core = race_core
    with core.uow() as uow:
        person = uow.session.scalar(select(Person.id))
        link = issue_link(uow, person, Actor.system("test"), "cli")
        uow.commit()
    barrier = threading.Barrier(CLICKS)
    won: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def click() -> None:
        try:
            barrier.wait()
            with core.uow() as uow:
                session = redeem_link(uow, link.token)
                uow.commit()
            won.append(session.link_id)
        except NotAllowed as exc:
            refused.append(str(exc))
        except BaseException as exc:  # a lock timeout or worse: the test should say so
            errors.append(exc)

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(won) == 1 and len(refused) == CLICKS - 1
    with core.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "dash.signed_in")
            )
            == 1
        )
        row = uow.session.get(SignInLink, won[0])
        assert row.used_at is not None and row.token_hash != link.token
