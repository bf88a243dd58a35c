"""Shared fixtures.

Schemas are always built by the Alembic migrations. SQLite tests copy a migrated
(or demo-loaded) template file per test; PostgreSQL tests get a fresh database
cloned from a template database (``CREATE DATABASE ... TEMPLATE``), so tests that
commit from many connections at once stay isolated.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.app import Core
from core.clock import ManualClock
from core.config import Settings
from core.db import make_engine, make_session_factory, upgrade
from core.demo import build_demo
from core.timeutil import local_instant, tz

DEMO_TODAY = date(2026, 1, 14)  # a Wednesday; the shared examples are relative to it
ZONE = tz("Europe/London")
PG_ENV = "STAFFBOT_TEST_DATABASE_URL"
# There is no default secret key (core/secrets.py): the suite and every process it starts
# use this one, which protects nothing and is for tests only.
TEST_SECRET_KEY = "staffbot-tests-only-key-not-secret"
os.environ.setdefault("STAFFBOT_SECRET_KEY", TEST_SECRET_KEY)


def local(day: date, hhmm: str = "09:00") -> datetime:
    """A local wall-clock time in the organisation's zone, as a UTC instant."""
    hours, minutes = map(int, hhmm.split(":"))
    return local_instant(day, datetime.min.time().replace(hour=hours, minute=minutes), ZONE)


def make_core(url: str, now: datetime | None = None, **settings: object) -> Core:
    engine = make_engine(url)
    return Core(
        engine=engine,
        session_factory=make_session_factory(engine),
        clock=ManualClock(now or local(DEMO_TODAY)),
        settings=Settings(database_url=url, **settings),
    )  # type: ignore[arg-type]


def _build_sqlite_template(path: Path, kind: str) -> None:
    url = f"sqlite:///{path}"
    upgrade(url)
    if kind != "empty":
        _load_demo(url, forecasts=(kind == "demo_forecast"))


def _load_demo(url: str, forecasts: bool = False) -> None:
    """The small demo; with ``forecasts``, also what the nightly fit would have stored by
    early on DEMO_TODAY (as ``staffbot init --demo`` leaves it)."""
    from core.forecasting import fit_and_store_forecasts

    core = make_core(url, now=local(DEMO_TODAY, "02:00"))
    with core.uow() as uow:
        build_demo(uow.session, DEMO_TODAY, "small", ZONE)
        uow.commit()
    if forecasts:
        fit_and_store_forecasts(core)
    core.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("templates")
    return {kind: root / f"{kind}.db" for kind in ("empty", "demo", "demo_forecast")}


def _template(templates: dict[str, Path], kind: str) -> Path:
    path = templates[kind]
    if not path.exists():
        _build_sqlite_template(path, kind)
    return path


@pytest.fixture
def empty_url(sqlite_templates: dict[str, Path], tmp_path: Path) -> str:
    target = tmp_path / "staffbot.db"
    shutil.copy(_template(sqlite_templates, "empty"), target)
    return f"sqlite:///{target}"


@pytest.fixture
def demo_url(sqlite_templates: dict[str, Path], tmp_path: Path) -> str:
    target = tmp_path / "staffbot.db"
    shutil.copy(_template(sqlite_templates, "demo"), target)
    return f"sqlite:///{target}"


@pytest.fixture
def demo_forecast_url(sqlite_templates: dict[str, Path], tmp_path: Path) -> str:
    """The demo with its forecasts stored, as after ``staffbot init --demo``."""
    target = tmp_path / "staffbot.db"
    shutil.copy(_template(sqlite_templates, "demo_forecast"), target)
    return f"sqlite:///{target}"


@pytest.fixture
def demo_forecast_core(demo_forecast_url: str) -> Iterator[Core]:
    core = make_core(demo_forecast_url)
    yield core
    core.engine.dispose()


@pytest.fixture
def demo_core(demo_url: str) -> Iterator[Core]:
    core = make_core(demo_url)
    yield core
    core.engine.dispose()


# ---- PostgreSQL ------------------------------------------------------------------------


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


requires_pg = pytest.mark.skipif(
    pg_base_url() is None, reason=f"{PG_ENV} not set (PostgreSQL tests)"
)


def _admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(pg_base_url(), isolation_level="AUTOCOMMIT")  # type: ignore[arg-type]


def _with_db(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_templates(worker_id: str) -> Iterator[dict[str, str]]:
    base = pg_base_url()
    if base is None:
        pytest.skip(f"{PG_ENV} not set")
    names = {
        kind: f"staffbot_tpl_{kind}_{worker_id}_{os.getpid()}"
        for kind in ("empty", "demo", "demo_forecast")
    }
    built: dict[str, str] = {}
    admin = _admin_engine()
    try:
        yield names
    finally:
        with admin.connect() as conn:
            for name in names.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        built.clear()


def _pg_clone(templates: dict[str, str], kind: str) -> str:
    base = pg_base_url()
    assert base is not None
    admin = _admin_engine()
    template = templates[kind]
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": template}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{template}"'))
            url = _with_db(base, template)
            upgrade(url)
            if kind == "demo":
                _load_demo(url)
            elif kind == "demo_forecast":
                _load_demo(url, forecasts=True)
        name = f"staffbot_t_{uuid.uuid4().hex[:12]}"
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return _with_db(base, name)


def _pg_drop(url: str) -> None:
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_empty_url(pg_templates: dict[str, str]) -> Iterator[str]:
    url = _pg_clone(pg_templates, "empty")
    yield url
    _pg_drop(url)


@pytest.fixture
def pg_demo_url(pg_templates: dict[str, str]) -> Iterator[str]:
    url = _pg_clone(pg_templates, "demo")
    yield url
    _pg_drop(url)


@pytest.fixture(scope="session", autouse=True)
def _intent_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The intent model for this test run, in a temporary directory: copied from the
    project's own cache when it is built there (``staffbot model build``), otherwise
    trained once on first use. STAFFBOT_CACHE_DIR points at it for the whole session
    (subprocesses inherit it), so the suite never reads or writes anyone's home cache.
    With pytest-xdist the workers share one directory for the run (the one that trains
    first saves the others the 10-40 s); a model the run had to train is kept in the
    project's cache afterwards, as ``staffbot model build`` would, so the next run copies
    it instead of training again."""
    from intents import classifier

    if os.environ.get("PYTEST_XDIST_WORKER"):  # every worker's basetemp shares this parent
        root = tmp_path_factory.getbasetemp().parent / "intent-model-cache"
        root.mkdir(exist_ok=True)
    else:
        root = tmp_path_factory.mktemp("intent-model-cache")
    project = classifier.PROJECT_ROOT / ".cache" / "staffbot"
    seed = classifier.model_path(project)
    if (seed / "ok").exists() and not (root / seed.name / "ok").exists():
        _copy_model(seed, root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STAFFBOT_CACHE_DIR", str(root))
        yield root
    trained = classifier.model_path(root)
    if (trained / "ok").exists() and not (seed / "ok").exists():
        with contextlib.suppress(OSError):
            project.mkdir(parents=True, exist_ok=True)
            _copy_model(trained, project)


def _copy_model(model: Path, into: Path) -> None:
    """Copy a cached model directory into another cache, whole or not at all (a temporary
    copy renamed into place; if another process got there first, theirs is the same)."""
    tmp = Path(tempfile.mkdtemp(prefix=model.name + ".", dir=into))
    try:
        shutil.copytree(model, tmp, dirs_exist_ok=True)
        with contextlib.suppress(OSError):
            tmp.rename(into / model.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    """With STAFFBOT_LOG_AUDIT_DIR set (``./dev.py test`` sets it), every log record of this
    test process at INFO or above also goes to a file there, which ``tests/log_audit.py``
    reads after the run for personal data."""
    folder = os.environ.get("STAFFBOT_LOG_AUDIT_DIR")
    if not folder:
        return
    import logging

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    handler = logging.FileHandler(Path(folder) / f"{worker}-{os.getpid()}.log", encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
