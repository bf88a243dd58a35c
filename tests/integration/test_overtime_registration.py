"""Nothing registers itself by being imported: the overtime delivery-failure hook is added by
its capability's install(registry), which bootstrap's registry runs."""

import subprocess
import sys

from bot.bootstrap import build_registry
from core.overtime.waves import on_message_failed


def test_importing_core_overtime_alone_registers_nothing():
    probe = (
        "import core.overtime, core.overtime.outreach\n"
        "from core.outbox import FAILURE_HOOKS\n"
        "print(len(FAILURE_HOOKS))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"


def test_bootstraps_registry_has_the_overtime_failure_hook():
    assert on_message_failed in build_registry().failure_hooks
