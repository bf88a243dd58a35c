"""Reads the logs the whole suite wrote at INFO and fails on personal data in them.

``./dev.py test`` points ``STAFFBOT_LOG_AUDIT_DIR`` at a fresh folder; ``tests/conftest.py``
then sends every log record of every test process at INFO or above to a file there, and this
script reads them after the run: no phone number, no health detail and no message body may
appear. It prints each finding (file, line, what matched, with the match itself masked) and
exits 1 when there is any.

    python tests/log_audit.py DIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# what must never reach a log: the demo's numbers (UK fictional range) in any common form,
# health details the tests send, and message bodies the transcripts and tests send
CHECKS: dict[str, re.Pattern[str]] = {
    "phone number": re.compile(r"(?:\+?44\s?\(?0?\)?\s?|0)7700\s?900\s?\d{3}"),
    "health detail": re.compile(
        r"\b(?:covid|migraine|flu|chest infection|stomach bug|d&v|vomiting|"
        r"taken ill|sickness bug|tummy bug|back pain)\b",
        re.I,
    ),
    "message body": re.compile(
        r"(?:when am i working|who'?s short|can i have (?:the|\d)|find an rn for|"
        r"i can do nights|can'?t come in|no more overtime|i'?ve got)",
        re.I,
    ),
}


def findings(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.glob("*.log")):
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            for what, pattern in CHECKS.items():
                match = pattern.search(line)
                if match:
                    shown = match.group(0)[:2] + "*" * max(0, len(match.group(0)) - 2)
                    found.append(
                        f"{path.name}:{number}: {what} ({shown}): {line[:160]!r}"
                        if what != "phone number"
                        else f"{path.name}:{number}: {what} ({shown})"
                    )
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    folder = Path(argv[1])
    logs = list(folder.glob("*.log"))
    if not logs:
        print(f"log audit: no logs in {folder}: nothing was checked.")
        return 1
    problems = findings(folder)
    lines = sum(len(p.read_text(errors="replace").splitlines()) for p in logs)
    if problems:
        print(
            f"log audit: {len(problems)} log lines with personal data "
            f"(of {lines} lines in {len(logs)} files):"
        )
        for problem in problems[:50]:
            print("  " + problem)
        return 1
    print(
        f"log audit: {lines} log lines at INFO from {len(logs)} test processes: "
        "no phone number, health detail or message body."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
