"""The schema exists only through the migrations, and they match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from core.db import alembic_config, downgrade, make_engine, upgrade
from core.models import Base
from tests.conftest import requires_pg


def _check(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"
    assert "offers" in inspect(engine).get_table_names()
    engine.dispose()
    downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(url)


def test_sqlite_down_and_up_cleanly_and_match_models(tmp_path):
    _check(f"sqlite:///{tmp_path / 'm.db'}")


@requires_pg
def test_postgres_down_and_up_cleanly_and_match_models(pg_empty_url):
    _check(pg_empty_url)


def test_migration_history_is_linear(tmp_path):
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(f"sqlite:///{tmp_path / 'x.db'}"))
    assert len(script.get_heads()) == 1
