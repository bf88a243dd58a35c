"""Engines and sessions. Nothing connects at import time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from core.uow import SQLITE_BEGIN

REPO_ROOT = Path(__file__).resolve().parent.parent


def make_engine(url: str, **kwargs: object) -> Engine:
    """An engine with the settings each backend needs for correct concurrency."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs
        )  # type: ignore[arg-type]

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # Our own transaction control: BEGIN IMMEDIATE takes the write lock up front,
            # so two writers serialise instead of failing half-way.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            # A unit of work for reads only asks for a deferred BEGIN (core.uow.SQLITE_BEGIN),
            # which takes no lock until it writes; every other one takes the write lock up
            # front, so concurrent writers queue on the busy timeout instead of failing.
            conn.exec_driver_sql(conn.get_execution_options().get(SQLITE_BEGIN, "BEGIN IMMEDIATE"))

        return engine
    # No ping on every checkout (a round trip each): connections are recycled after a while,
    # and one found dead is discarded with the whole pool (SQLAlchemy does that on a
    # disconnect error), so the next unit of work reconnects.
    kwargs.setdefault("pool_recycle", 1800)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)  # type: ignore[arg-type]


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config(str(REPO_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Build or update the schema with the migrations (the only way it is built)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)
