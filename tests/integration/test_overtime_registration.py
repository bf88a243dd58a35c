"""Nothing registers itself by being imported: the overtime delivery-failure hook is added by
its capability's install(registry), which bootstrap's registry runs."""

import subprocess
import sys

from bot.bootstrap import build_registry
from core.overtime.waves import on_message_failed


def test_importing_core_overtime_alone_registers_nothing():
    probe = (
        "import sys, core.overtime, core.overtime.outreach, core.outbox\n"
        "print(len(getattr(core.outbox, 'FAILURE_HOOKS', ())), 'bot.bootstrap' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0 False"


def test_bootstraps_registry_has_the_overtime_failure_hook():
    assert on_message_failed in build_registry().failure_hooks
