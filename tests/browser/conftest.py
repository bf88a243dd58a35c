"""Headless Chromium against a real ``staffbot serve``-style server on the demo.

Debian's ``/usr/bin/chromium`` (or ``STAFFBOT_CHROMIUM``) driven by Playwright's Python package
through ``executable_path``; Playwright's own browser downloads are never used. Without a
chromium binary the tests skip and say why. Screenshots go to ``STAFFBOT_TEST_ARTIFACTS``
(default: a ``dash-screenshots`` directory under pytest's temporary directory).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.app import Core
from tests.conftest import _template, make_core

CHROMIUM = os.environ.get("STAFFBOT_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _skip_reason() -> str | None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (
            f"no chromium binary at {CHROMIUM} (apt-get install chromium, as .ci/run does; "
            "or set STAFFBOT_CHROMIUM)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("STAFFBOT_TEST_ARTIFACTS")
    root = Path(configured) if configured else tmp_path_factory.mktemp("dash-screenshots")
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(scope="module")
def server(
    sqlite_templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Core]]:
    """The web app on a free local port, over a private copy of the demo (with forecasts)."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    import uvicorn

    from bot.web import create_app

    target = tmp_path_factory.mktemp("dash-db") / "staffbot.db"
    shutil.copy(_template(sqlite_templates, "demo_forecast"), target)
    core = make_core(f"sqlite:///{target}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    core.settings.public_url = f"http://127.0.0.1:{port}"
    app = create_app(core)
    uv = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", core
    uv.should_exit = True
    thread.join(timeout=10)
    core.engine.dispose()


@pytest.fixture(scope="module")
def browser(server: tuple[str, Core], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # chromium keeps its own state (crash reports, settings) under HOME: a temporary one,
    # so the suite writes nothing into the home directory of whoever runs it
    home = tmp_path_factory.mktemp("chromium-home")
    env = dict(
        os.environ,
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
    )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True, env=env)
        yield chromium
        chromium.close()
