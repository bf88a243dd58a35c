"""Issue 12: handlers never open a transaction. Nothing under bot/ calls ``.uow(`` or
``.read(`` on a core object (``core.uow()``, ``ctx.core.read()``, ``self.core.uow(...)``):
core services open their own unit of work (joining the one a message runs in). The entry
points and the receive service are the exceptions, listed below with why.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"

# Files allowed to open units of work, relative to the repository root.
ALLOWED = {
    # the receive service: ONE unit of work per inbound message, which everything joins
    "bot/conversation/receive.py",
}
ALLOWED_PREFIXES = ("bot/cli",)  # bot/cli*.py: command-line entry points


def core_receiver(node: ast.expr) -> bool:
    """``core`` or ``<anything>.core`` (``ctx.core``, ``self.core``)."""
    return (isinstance(node, ast.Name) and node.id == "core") or (
        isinstance(node, ast.Attribute) and node.attr == "core"
    )


def violations(source: str) -> list[tuple[int, str]]:
    """(line, call) for every ``.uow(`` (on anything) and every ``.read(`` on a core object;
    ``getattr(core, "uow")`` counts too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr == "uow" or (func.attr == "read" and core_receiver(func.value)):
                found.append((node.lineno, ast.unparse(func)))
        elif (
            isinstance(func, ast.Name)
            and func.id == "getattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in ("uow", "read")
            and core_receiver(node.args[0])
        ):
            found.append((node.lineno, ast.unparse(node)))
    return found


def allowed(relative: str) -> bool:
    return relative in ALLOWED or relative.startswith(ALLOWED_PREFIXES)


def test_no_handler_opens_a_unit_of_work() -> None:
    offenders = []
    for path in sorted(BOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if allowed(relative):
            continue
        for line, call in violations(path.read_text(encoding="utf-8")):
            offenders.append(f"{relative}:{line}: {call}()")
    assert not offenders, (
        "handlers and adapters must not open units of work; call a core service that opens "
        "(or joins) its own instead:\n" + "\n".join(offenders)
    )


@pytest.mark.parametrize(
    "source",
    [
        "def h(ctx):\n    with ctx.core.uow() as uow:\n        uow.commit()\n",
        "def h(ctx):\n    with ctx.core.read() as uow:\n        pass\n",
        "def h(self):\n    with self.core.uow(ambient=True) as uow:\n        pass\n",
        "def h(core):\n    return core.read()\n",
        "def h(core):\n    return getattr(core, 'uow')()\n",
    ],
)
def test_the_check_sees_each_way_of_opening_one(source: str) -> None:
    assert violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "def h(path):\n    return path.read()\n",  # a file, not the core
        "def h(ctx):\n    return ctx.core.today()\n",
        "def h(ctx):\n    return service(ctx.core, 1)\n",
    ],
)
def test_the_check_leaves_other_calls_alone(source: str) -> None:
    assert not violations(source)


def test_the_allowlist_names_real_files() -> None:
    missing = sorted(name for name in ALLOWED if not (ROOT / name).exists())
    assert not missing, f"allowlisted files that no longer exist: {missing}"
