#!/usr/bin/env python3
"""Set up and run Staffbot with nothing but Python 3.11+.

    python3 dev.py demo   # virtualenv + install + demo database + local chat console
    python3 dev.py test   # virtualenv + install + the whole test suite
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".staffbot-installed"


def ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Staffbot needs Python 3.11 or newer.")
    if not PY.exists():
        print("Creating a virtual environment in .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    pyproject = ROOT / "pyproject.toml"
    if not STAMP.exists() or STAMP.stat().st_mtime < pyproject.stat().st_mtime:
        print("Installing Staffbot and its dependencies (first run takes a few minutes) ...",
              flush=True)
        subprocess.run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
        subprocess.run([str(PY), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"],
                       check=True)
        STAMP.write_text("ok\n")


def run(args: list[str], env: dict[str, str] | None = None) -> int:
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def demo(extra: list[str]) -> int:
    env = dict(os.environ)
    env.setdefault("STAFFBOT_DATABASE_URL", f"sqlite:///{ROOT / 'staffbot-demo.db'}")
    env.setdefault("STAFFBOT_NOW", "2026-01-14T09:00")
    staffbot = [str(BIN / "staffbot")]
    db_file = ROOT / "staffbot-demo.db"
    if env["STAFFBOT_DATABASE_URL"].endswith("staffbot-demo.db") and not db_file.exists():
        code = run(staffbot + ["init", "--demo", "--today", env["STAFFBOT_NOW"][:10]], env)
        if code:
            return code
    print("Staffbot demo: today is 2026-01-14 for the demo organisation.", flush=True)
    print("Tomorrow's gaps across all homes:", flush=True)
    run(staffbot + ["gaps", "--date", "2026-01-15"], env)
    return run(staffbot + ["chat"] + extra, env)


def test(extra: list[str]) -> int:
    args = [str(PY), "-m", "pytest", "-q", "-n", os.environ.get("STAFFBOT_TEST_WORKERS", "2"),
            "-p", "no:cacheprovider"]
    return run(args + extra)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "setup"}:
        print(__doc__)
        return 2
    ensure_env()
    command, extra = sys.argv[1], sys.argv[2:]
    if command == "setup":
        return 0
    return demo(extra) if command == "demo" else test(extra)


if __name__ == "__main__":
    sys.exit(main())
