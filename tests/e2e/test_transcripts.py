"""Conversation transcripts (tests/transcripts/*.txt), run through the real parser, router,
services and outbox with the demo organisation on a pinned clock.

The database is the demo as ``staffbot init --demo`` leaves it (forecasts stored).
A transcript is a valid ``staffbot chat --script`` file. Expectations are comment lines, so
the script still runs as is:

    #= text      some line printed since the previous step contains ``text``
    #! text      no line printed since the previous step contains ``text``
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.chat import ChatConsole
from tests.conftest import DEMO_TODAY, local, make_core

TRANSCRIPTS = sorted((Path(__file__).parent.parent / "transcripts").glob("*.txt"))


def run_transcript(url: str, path: Path) -> list[str]:
    core = make_core(url, now=local(DEMO_TODAY, "09:00"))
    printed: list[str] = []
    console = ChatConsole(core, emit=printed.append)
    since = 0
    problems = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if line.startswith("#=") or line.startswith("#!"):
            wanted = line[2:].strip()
            recent = printed[since:]
            found = any(wanted in out for out in recent)
            if line.startswith("#=") and not found:
                problems.append(f"line {number}: expected {wanted!r} in {recent}")
            if line.startswith("#!") and found:
                problems.append(f"line {number}: did not expect {wanted!r} in {recent}")
            continue
        if not line or line.startswith("#"):
            continue
        since = len(printed)
        console.step(line)
    core.engine.dispose()
    assert not problems, "\n".join(problems)
    return printed


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=[p.stem for p in TRANSCRIPTS])
def test_transcript(path, demo_forecast_url):
    printed = run_transcript(demo_forecast_url, path)
    assert printed, "a transcript must say something"
