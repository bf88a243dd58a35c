"""Every capability's registrations in one import: notification texts (``bot.render.TEXTS``),
scheduled work (``scheduler.jobs.DUE_WORK``, ``scheduler.runner.CRON_JOBS``), delivery-failure
hooks (``core.outbox.FAILURE_HOOKS``) and answers to "unknown" messages
(``bot.conversation.fallbacks.UNKNOWN_FALLBACKS``).

Each capability's conversation module registers itself when imported, and the router imports
them all, so importing the router is enough; this module names them for readers and for entry
points (the CLI, the web app and the scheduler) that want everything loaded up front.
"""

from __future__ import annotations

from bot.conversation import forecast, leave, overtime, router  # noqa: F401

for module in (overtime, forecast, leave):
    module.register_outbound()  # idempotent; explicit so the order is visible
