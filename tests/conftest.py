"""Shared fixtures.

Schemas are always built by the Alembic migrations. SQLite tests copy a migrated
(or demo-loaded) template file per test; PostgreSQL tests get a fresh database
cloned from a template database (``CREATE DATABASE ... TEMPLATE``), so tests that
commit from many connections at once stay isolated. Each template is built once per
test run: with pytest-xdist the workers share them (whoever needs one first builds it,
under a lock; the others wait and copy it).

Under pytest-xdist with ``--dist loadgroup`` (pyproject.toml's default options), the
workers take the longest tests first (``SLOW`` below) and keep the tests that share a
module- or class-scoped fixture on one worker, so both workers finish together.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
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


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock shared by this run's processes (the pytest-xdist workers)."""
    with path.open("a") as handle:
        if sys.platform == "win32":  # no flock: a worker may build its own copy, no harm
            yield
            return
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_shared_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A directory for this test run: with pytest-xdist, one that every worker shares (each
    worker's basetemp is under the run's own directory); otherwise a fresh one."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = tmp_path_factory.getbasetemp().parent / name
        root.mkdir(exist_ok=True)
        return root
    return tmp_path_factory.mktemp(name)


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = run_shared_dir(tmp_path_factory, "templates")
    return {kind: root / f"{kind}.db" for kind in ("empty", "demo", "demo_forecast")}


def _template(templates: dict[str, Path], kind: str) -> Path:
    """The template file, built once per run: the first process that needs it builds it
    under a lock (into a temporary name, renamed when complete); the others wait for it."""
    path = templates[kind]
    if not path.exists():
        with _file_lock(path.with_suffix(".lock")):
            if not path.exists():
                building = path.with_name(f"{path.stem}.{os.getpid()}.building")
                building.unlink(missing_ok=True)
                _build_sqlite_template(building, kind)
                building.replace(path)
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


PG_KINDS = ("empty", "demo", "demo_forecast")


def _xdist_run_id() -> str | None:
    """The id pytest-xdist gives this run, in every worker (None outside xdist workers)."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or None


def _pg_template_names(run_id: str | None) -> dict[str, str]:
    suffix = run_id[:16] if run_id else f"main_{os.getpid()}"
    return {kind: f"staffbot_tpl_{kind}_{suffix}" for kind in PG_KINDS}


def _pg_drop_databases(names: list[str]) -> None:
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def pg_templates() -> Iterator[dict[str, str]]:
    """The template databases' names. Under pytest-xdist they are the run's (every worker
    clones the same ones, and the controlling process drops them when the run ends:
    ``pytest_unconfigure`` below); otherwise this process's, dropped at its end."""
    if pg_base_url() is None:
        pytest.skip(f"{PG_ENV} not set")
    run_id = _xdist_run_id()
    names = _pg_template_names(run_id)
    yield names
    if run_id is None:
        _pg_drop_databases(list(names.values()))


def _pg_clone(templates: dict[str, str], kind: str) -> str:
    """A fresh database cloned from the template of this kind. The template is built once
    per run: under an advisory lock (so two workers never build the same one), into a
    temporary name renamed when complete (so nobody clones a half-built one)."""
    base = pg_base_url()
    assert base is not None
    admin = _admin_engine()
    template = templates[kind]
    exists = text("SELECT 1 FROM pg_database WHERE datname = :n")
    with admin.connect() as conn:
        if not conn.execute(exists, {"n": template}).first():
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:n))"), {"n": template})
            try:
                if not conn.execute(exists, {"n": template}).first():
                    _pg_build_template(conn, base, template, kind)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(hashtext(:n))"), {"n": template})
        name = f"staffbot_t_{uuid.uuid4().hex[:12]}"
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return _with_db(base, name)


def _pg_build_template(conn, base: str, template: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    building = f"{template}_b"
    conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
    conn.execute(text(f'CREATE DATABASE "{building}"'))
    try:
        url = _with_db(base, building)
        upgrade(url)
        if kind == "demo":
            _load_demo(url)
        elif kind == "demo_forecast":
            _load_demo(url, forecasts=True)
        conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{template}"'))
    except BaseException:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
        raise


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


def _is_xdist_controller(config: pytest.Config) -> bool:
    return not os.environ.get("PYTEST_XDIST_WORKER") and bool(
        getattr(config.option, "numprocesses", None)
    )


def pytest_configure(config: pytest.Config) -> None:
    """With STAFFBOT_LOG_AUDIT_DIR set (``./dev.py test`` sets it), every log record of this
    test process at INFO or above also goes to a file there, which ``tests/log_audit.py``
    reads after the run for personal data.

    The process controlling pytest-xdist workers fixes the run's id now (the workers get it
    as PYTEST_XDIST_TESTRUNUID), so it knows the PostgreSQL templates' names to drop them."""
    if _is_xdist_controller(config) and getattr(config.option, "testrunuid", "") is None:
        config.option.testrunuid = uuid.uuid4().hex
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


def pytest_unconfigure(config: pytest.Config) -> None:
    """The controlling process drops the run's PostgreSQL templates, which its workers
    shared (every worker has finished by now)."""
    run_id = getattr(config.option, "testrunuid", None)
    if not (_is_xdist_controller(config) and run_id and pg_base_url()):
        return
    with contextlib.suppress(Exception):  # the server may be gone; nothing else to clean
        _pg_drop_databases(list(_pg_template_names(run_id).values()))


# ---- scheduling across pytest-xdist workers ------------------------------------------------

# Roughly how long the slow tests take (seconds, with both cores busy; setup included when a
# test's own fixtures cost it), so that under ``--dist loadgroup`` the workers start on the
# longest ones and the short ones fill in around them: both workers then finish together,
# instead of one of them starting a minutes-long test near the end. By module, then test name
# without parameters; every test not listed counts as 1. Keep it to the few tests that dominate
# (``--durations=30`` shows them).
SLOW: dict[str, dict[str, float]] = {
    "tests/e2e/test_readme.py": {
        "test_readme_runs_as_written": 450,
    },
    "tests/faults/test_outbox_cluster.py": {
        "test_two_web_and_two_schedulers_send_each_text_once_and_run_each_job_once": 200,
    },
    "tests/e2e/test_cli.py": {
        "test_init_and_gaps_on_postgres": 60,
        "test_a_demo_continues_from_its_own_clock_never_backwards": 100,
        "test_a_console_never_starts_before_the_demo_clock": 30,
        "test_no_organisation_says_what_to_do_exits_1_and_leaves_no_stray_file": 60,
        "test_gaps_json_lists_the_promised_rn_night_gap": 30,
    },
    "tests/faults/test_inbound_faults.py": {
        "test_kill_9_of_serve_mid_burst_loses_and_repeats_nothing": 60,
        "test_database_cut_for_ten_seconds_loses_and_repeats_nothing": 55,
    },
    "tests/faults/test_outbox_faults.py": {
        "test_an_account_wide_outage_pauses_sending_and_spends_no_attempts": 40,
        "test_a_send_that_times_out_after_twilio_took_it_is_not_sent_again": 33,
        "test_kill_9_mid_batch_and_restart_resumes_within_30s_sending_nothing_twice": 33,
        "test_the_database_cut_for_10s_mid_burst_resumes_within_30s_without_repeats": 30,
        "test_invalid_numbers_fail_alone_and_the_rest_go_out_once": 13,
    },
    "tests/faults/test_inbound_fuzz.py": {
        "test_thousands_of_fuzzed_requests_on_every_endpoint_get_no_5xx": 15,
    },
    "tests/browser/test_dashboards_browser.py": {
        "test_manager_signs_in_follows_outreach_to_its_ranking_and_opens_a_person": 85,
        "test_route_matrix_in_the_browser": 15,
    },
    "tests/integration/test_conversation_corpus.py": {
        "test_held_out_conversations_meet_the_goals": 55,
    },
    "tests/integration/test_conversation_safety.py": {
        "test_the_question_is_kept_in_postgresql_across_processes": 20,
        "test_importing_the_conversation_modules_registers_nothing": 15,
    },
    "tests/integration/test_forecast.py": {
        "test_nightly_fit_stores_28_days_per_unit_and_a_rerun_replaces_them": 37,
        "test_cli_backtest_json_gives_three_models_per_unit": 30,
        "test_nightly_fit_on_postgres": 13,
    },
    "tests/unit/test_parser.py": {
        "test_a_cached_model_is_loaded_not_retrained": 31,
        "test_held_out_accuracy_and_slot_f1": 9,
    },
    "tests/e2e/test_secrets.py": {
        "test_a_demo_generates_its_own_key_readable_only_by_its_owner": 56,
        "test_a_half_configured_channel_refuses_to_start": 21,
        "test_rotate_moves_every_number_to_the_new_key": 17,
        "test_web_and_scheduler_refuse_to_start_without_a_key": 9,
    },
    "tests/integration/test_sealed_reasons.py": {
        "test_rotate_reseals_reasons_under_the_new_key": 22,
    },
    "tests/integration/test_leave_safety.py": {
        "test_no_automatic_approval_breaks_minimum_staffing": 22,
    },
    "tests/e2e/test_leave_cli.py": {
        "test_list_json_is_the_contract": 18,
    },
    "tests/integration/test_overtime_race.py": {
        "test_overlapping_requests_are_never_both_accepted_by_one_person": 12,
        "test_fifty_simultaneous_yes_leave_one_winner": 9,
    },
    "tests/e2e/test_overtime_cli.py": {
        "test_dry_run_send_and_status": 15,
    },
    "tests/integration/test_demo.py": {
        "test_demo_is_deterministic": 14,
    },
    "tests/integration/test_overtime_registration.py": {
        "test_importing_core_overtime_alone_registers_nothing": 9,
    },
}


def _weight(item: pytest.Item) -> float:
    module, _, test = item.nodeid.split("[", 1)[0].partition("::")
    return SLOW.get(module, {}).get(test, 1.0)


def _shared_fixtures(item: pytest.Item) -> list[str]:
    """The module-, class- and package-scoped fixtures this test uses, each named with the
    module, class or package its one instance belongs to."""
    info = getattr(item, "_fixtureinfo", None)
    found = []
    for name in getattr(info, "names_closure", []):
        defs = info.name2fixturedefs.get(name)  # type: ignore[union-attr]
        if not defs:
            continue
        scope = defs[-1].scope
        if scope == "module":
            owner = item.nodeid.split("::", 1)[0]
        elif scope == "class":
            cls = item.getparent(pytest.Class)
            owner = cls.nodeid if cls is not None else item.nodeid.split("::", 1)[0]
        elif scope == "package":
            owner = defs[-1].baseid
        else:
            continue
        found.append(f"{owner}:{name}")
    return found


GROUPS_FILE = "xdist-groups-{worker}.json"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a pytest-xdist worker under ``--dist loadgroup``: the tests that share a module- or
    class-scoped fixture form one group, and groups and tests are ordered longest first
    (``SLOW``). Every worker orders the same collection the same way, and writes the groups
    to the run's directory for the controlling process's scheduler (below), which hands each
    group to one worker whole (so its fixture is built once, as without xdist). Outside
    that, nothing changes."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not (worker and getattr(config.option, "loadgroup", False) and config.option.basetemp):
        return
    groups = _group_and_order(items)
    target = Path(config.option.basetemp).parent / GROUPS_FILE.format(worker=worker)
    partial = target.with_suffix(".partial")
    partial.write_text(json.dumps(groups), encoding="utf-8")
    partial.replace(target)


def _group_and_order(items: list[pytest.Item]) -> dict[str, str]:
    """Order ``items`` longest unit first; returns {node id: group} for the grouped ones."""
    # tests joined by a shared fixture, transitively (union-find over the fixtures' keys)
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    shared = {item.nodeid: _shared_fixtures(item) for item in items}
    for keys in shared.values():
        for other in keys[1:]:
            parent[find(other)] = find(keys[0])
    units: dict[str, list[pytest.Item]] = {}
    groups: dict[str, str] = {}
    for item in items:
        marks = [
            str(m.args[0] if m.args else m.kwargs.get("name", "default"))
            for m in item.iter_markers("xdist_group")
        ]
        if marks:
            unit = "group:" + ",".join(sorted(marks))
        elif shared[item.nodeid]:
            unit = "fixture:" + find(shared[item.nodeid][0])
        else:
            unit = "test:" + item.nodeid
        if not unit.startswith("test:"):
            groups[item.nodeid] = unit
        units.setdefault(unit, []).append(item)
    ordered = sorted(units.values(), key=lambda unit: -sum(_weight(i) for i in unit))
    items[:] = [item for unit in ordered for item in unit]
    return groups


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under ``--dist loadgroup``: xdist's own grouping reads a node id suffix that pytest 9
    no longer lets a plugin set, so this scheduler takes the groups the workers wrote
    (``pytest_collection_modifyitems`` above) instead. Every other test is a unit of its own,
    handed out in collection order (longest first) to whichever worker is free."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    run_dir = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]

    class GroupedScheduling(LoadScopeScheduling):  # type: ignore[misc]
        _groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self._groups is None:
                written = sorted(run_dir.glob(GROUPS_FILE.format(worker="*")))
                self._groups = json.loads(written[0].read_text("utf-8")) if written else {}
            return self._groups.get(nodeid, nodeid)

    return GroupedScheduling(config, log)
