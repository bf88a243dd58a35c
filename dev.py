#!/usr/bin/env python3
"""Set up and run Staffbot with nothing but Python 3.11+.

    python3 dev.py demo           # virtualenv + install + demo database + local chat console
    python3 dev.py demo --fresh   # the same, rebuilding the demo database from scratch
    python3 dev.py test           # virtualenv + install + lint/format/type gates + all tests
    python3 dev.py setup          # virtualenv + install only

The demo database is staffbot-demo.db in this folder; every `staffbot` command uses it while
STAFFBOT_DATABASE_URL is unset. Running the demo again continues it from its own stored
clock; --fresh rebuilds it on Wednesday 14 January 2026, 09:00.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import venv
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAFFBOT = BIN / ("staffbot.exe" if os.name == "nt" else "staffbot")
STAMP = VENV / ".staffbot-installed"
DEMO_DAY = "2026-01-14"
DEMO_START = f"{DEMO_DAY}T09:00"


def _requirements_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _installed() -> bool:
    """The virtualenv holds what pyproject.toml asks for (stamp = its hash when installed)."""
    if os.environ.get("STAFFBOT_SKIP_INSTALL") == "1" and PY.exists():
        return True  # reuse the virtualenv as it is (e.g. a copy of the repository in a test)
    if not STAMP.exists():
        return False
    stamp = STAMP.read_text().strip()
    if stamp == "ok" and STAMP.stat().st_mtime >= (ROOT / "pyproject.toml").stat().st_mtime:
        STAMP.write_text(_requirements_hash() + "\n")  # an older set-up's stamp: same install
        return True
    return stamp == _requirements_hash()


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py runs on any python3)
        sys.exit("Staffbot needs Python 3.11 or newer.")
    if not PY.exists():
        print("Creating a virtual environment in .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    if not _installed():
        print(
            "Installing Staffbot and its dependencies (first run takes a few minutes) ...",
            flush=True,
        )
        subprocess.run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run([str(PY), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(_requirements_hash() + "\n")


def project_env() -> dict[str, str]:
    """The environment for the project's commands: this checkout's code comes first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def run(args: list[str], env: dict[str, str] | None = None) -> int:
    return subprocess.run(args, cwd=ROOT, env=env or project_env()).returncode


def build_model(env: dict[str, str]) -> None:
    """Train (or load) the text classifier now, so the first message is answered at once."""
    listed = subprocess.run(
        [str(STAFFBOT), "--help"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if " model " in listed.stdout:  # `staffbot model build` (the parser's set-up step)
        run([str(STAFFBOT), "model", "build"], env)


def demo_info(env: dict[str, str]) -> dict[str, object]:
    """The database the demo uses and, for a demo, its own stored clock (not STAFFBOT_NOW)."""
    own_clock = {k: v for k, v in env.items() if k != "STAFFBOT_NOW"}
    found = subprocess.run(
        [str(STAFFBOT), "demo-info"], cwd=ROOT, env=own_clock, capture_output=True, text=True
    )
    if found.returncode not in (0, 1) or not found.stdout.strip():
        sys.stderr.write(found.stderr)
        raise SystemExit(found.returncode or 2)
    return dict(json.loads(found.stdout))


def demo(extra: list[str]) -> int:
    fresh = "--fresh" in extra
    extra = [a for a in extra if a != "--fresh"]
    env = project_env()
    build_model(env)
    info = demo_info(env)
    where = info["database"]
    if fresh or not info["organisation"]:
        start = os.environ.get("STAFFBOT_NOW") or DEMO_START
        build_env = dict(env, STAFFBOT_NOW=start)
        init = [str(STAFFBOT), "init", "--demo", "--today", start[:10]]
        code = run(init + (["--force"] if info["organisation"] else []), build_env)
        if code:
            return code
        info = demo_info(env)
        print(f"Built the demo organisation in {where}.", flush=True)
    elif info["demo"]:
        print(
            f"Continuing the demo in {where} from its own clock, {_when(info['clock'])}"
            f"{' (not STAFFBOT_NOW)' if os.environ.get('STAFFBOT_NOW') else ''}; "
            "./dev.py demo --fresh rebuilds it.",
            flush=True,
        )
    if info["demo"]:
        env.pop("STAFFBOT_NOW", None)  # the demo runs on its own stored clock
    if not os.environ.get("STAFFBOT_DATABASE_URL"):
        print(
            "Every staffbot command uses this database while STAFFBOT_DATABASE_URL is "
            "unset; set STAFFBOT_DATABASE_URL to use another one.",
            flush=True,
        )
    clock = str(info.get("clock") or "")
    tomorrow = (date.fromisoformat(clock[:10]) + timedelta(days=1)).isoformat() if clock else None
    print(f"Staffbot demo: it is {_when(clock)} for the demo organisation.", flush=True)
    if tomorrow:
        print("Tomorrow's gaps across all homes:", flush=True)
        run([str(STAFFBOT), "gaps", "--date", tomorrow], env)
    return run([str(STAFFBOT), "chat"] + extra, env)


def _when(clock: object) -> str:
    if not clock:
        return "now"
    return datetime.fromisoformat(str(clock)).strftime("%a %d %b %Y %H:%M")


# the quality gates, run before the tests (and by .pre-commit-config.yaml): lint, format, types
GATES = [
    ("ruff check", ["ruff", "check", "."]),
    ("ruff format --check", ["ruff", "format", "--check", "."]),
    ("mypy (core/, intents/, scheduler/, bot/, bench/)", ["mypy"]),
]


def gates(env: dict[str, str]) -> int:
    for name, command in GATES:
        print(f"== {name}", flush=True)
        code = run([str(BIN / command[0])] + command[1:], env)
        if code:
            print(f"{name} failed (exit {code}): fix the above; the tests did not run.", flush=True)
            return code
    return 0


def test(extra: list[str]) -> int:
    env = project_env()
    code = gates(env)
    if code:
        return code
    build_model(env)
    workers = os.environ.get("STAFFBOT_TEST_WORKERS", "2")
    with tempfile.TemporaryDirectory(prefix="staffbot-logs-") as logs:
        env["STAFFBOT_LOG_AUDIT_DIR"] = logs  # every test process logs at INFO there
        code = run(
            [str(PY), "-m", "pytest", "-q", "-n", workers, "-p", "no:cacheprovider"] + extra, env
        )
        if code:
            return code
        print("== log audit: no personal data in the suite's logs at INFO", flush=True)
        return run([str(PY), str(ROOT / "tests" / "log_audit.py"), logs], env)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "setup"}:
        print(__doc__)
        return 2
    ensure_env()
    command, extra = sys.argv[1], sys.argv[2:]
    if command == "setup":
        build_model(project_env())
        return 0
    return demo(extra) if command == "demo" else test(extra)


if __name__ == "__main__":
    sys.exit(main())
