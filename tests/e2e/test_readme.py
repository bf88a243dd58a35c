"""The README's commands, run in order in a fresh copy of the repository, as a newcomer would.

Commands come from the document's fenced ``sh`` blocks (``./dev.py test`` excepted: it is the
command that runs this test). What a command promises to print is a comment line right
after it, ``# → text``: the command's output must contain ``text``. A console session
(a ``text`` block after ``./dev.py demo``) is typed into the demo's chat console line by line
(``Name> message``); every other line of it is an answer that must appear, as it starts.

The copy reuses the set-up's virtual environment (tests cannot install: ``STAFFBOT_SKIP_
INSTALL=1``), and the set-up's model cache, as a fresh clone would have after ``./dev.py``
made them; the copy's own code runs (``PYTHONPATH``). Nothing in the copy reads outside it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {"./dev.py test", "python3 dev.py test"}
TYPED = re.compile(r"^([A-Z][A-Za-z' .-]+)> ?(.*)$")
PROMISE = "# → "
CHECKED = 60  # an answer line must appear as it starts (its first characters)


@dataclass
class Step:
    command: str
    promises: list[str] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)


def steps_of(markdown: str) -> list[Step]:
    """The commands of every ``sh`` block in order, with what each promises."""
    steps: list[Step] = []
    for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", markdown, re.M | re.S):
        lines = body.splitlines()
        if lang == "sh":
            for line in lines:
                text = line.strip()
                if text.startswith(PROMISE) and steps:
                    steps[-1].promises.append(text[len(PROMISE) :].strip())
                elif text and not text.startswith("#"):
                    command = text.split("  #", 1)[0].strip()
                    if command not in SKIPPED:
                        steps.append(Step(command))
        elif lang == "text" and steps and "dev.py demo" in steps[-1].command:
            for line in lines:
                typed = TYPED.match(line)
                if typed and not line.startswith("staffbot"):
                    steps[-1].typed.append(typed.group(2))
                elif line.strip() and not line.startswith("..."):
                    steps[-1].answers.append(line.strip()[:CHECKED])
    return steps


def fresh_copy(target: Path) -> Path:
    """The repository's files (tracked, and new ones not ignored) without any local state:
    no demo database, no virtualenv, no caches."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    model_cache = ROOT / ".cache"
    if model_cache.is_dir():  # the set-up's model, as `staffbot model build` left it
        shutil.copytree(model_cache, target / ".cache")
    return target


def run_walkthrough(document: Path, tmp_path: Path) -> list[tuple[str, float]]:
    steps = steps_of(document.read_text(encoding="utf-8"))
    assert steps and steps[0].command in ("./dev.py demo", "python3 dev.py demo")
    copy = fresh_copy(tmp_path / "staffbot")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STAFFBOT_")}
    env.update(
        STAFFBOT_SKIP_INSTALL="1",
        PYTHONPATH=str(copy),
        COLUMNS="200",
        PYTHONUNBUFFERED="1",
        PATH=f"{Path(sys.executable).parent}:{env['PATH']}",
    )
    timings = []
    for step in steps:
        assert "../" not in step.command, f"{step.command!r} reaches outside the repository"
        stdin = "".join(f"{line}\n" for line in step.typed) + "/quit\n"
        started = time.perf_counter()
        proc = subprocess.run(
            ["bash", "-c", step.command],
            cwd=copy,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )
        timings.append((step.command, time.perf_counter() - started))
        said = proc.stdout + proc.stderr
        assert proc.returncode == 0, f"{step.command!r} failed ({proc.returncode}):\n{said}"
        assert "Traceback" not in said, f"{step.command!r}:\n{said}"
        for promise in step.promises + step.answers:
            assert promise in said, f"{step.command!r} did not print {promise!r}:\n{said}"
    assert not (copy / "staffbot.db").exists()  # one database: no stray empty one
    assert (copy / "staffbot-demo.db").exists()
    return timings


def test_readme_runs_as_written(tmp_path):
    """README.md's walkthrough and commands, in order, in a fresh copy of the repository."""
    steps = steps_of((ROOT / "README.md").read_text(encoding="utf-8"))
    assert any(s.typed for s in steps), "the README's demo command comes with a console session"
    assert not [s.command for s in steps if "../" in s.command]
    run_walkthrough(ROOT / "README.md", tmp_path)


def test_the_walkthrough_reader_finds_commands_promises_and_the_console_session():
    steps = steps_of("""
```sh
./dev.py demo       # opens the console
./dev.py test
```

```text
Claire Docherty> who's short tomorrow?
staffbot -> Claire Docherty [slack]: 1 gap tomorrow
Claire Docherty> /wait 2h
[clock] Wed 14 Jan 11:00 (+2h): nothing fell due.
```

```sh
.venv/bin/staffbot leave balance Sarah
# → Sarah MacKenzie, 2026
```
""")
    assert [s.command for s in steps] == ["./dev.py demo", ".venv/bin/staffbot leave balance Sarah"]
    assert steps[0].typed == ["who's short tomorrow?", "/wait 2h"]
    assert steps[0].answers == [
        "staffbot -> Claire Docherty [slack]: 1 gap tomorrow",
        "[clock] Wed 14 Jan 11:00 (+2h): nothing fell due.",
    ]
    assert steps[1].promises == ["Sarah MacKenzie, 2026"]
