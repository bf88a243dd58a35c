"""Every capability's registrations in one import: notification texts (``bot.render.TEXTS``),
scheduled work (``scheduler.jobs.DUE_WORK``), delivery-failure hooks (``core.outbox``) and
answers to "unknown" messages (``service.UNKNOWN_FALLBACKS``).

Entry points import this once (the CLI does, so ``staffbot scheduler`` runs every
capability's due work). Chat handlers themselves are in ``bot.conversation.router``.
"""

from __future__ import annotations

import sys

from bot.conversation import forecast, overtime

# overtime outreach: offer/filled/unfilled texts, advance_outreach, undeliverable offers
overtime.register_outbound()
# proactive alerts: alert texts, the due check (alerts.due) and the nightly forecast fit (cron)
forecast.register_outbound()
# leave: the words of leave.review / leave.decision / leave.cancelled notifications
from bot.conversation.leave import register_outbound as register_leave_texts  # noqa: E402, I001
register_leave_texts()
# the decline-reason fallback needs the conversation service; when it is not loaded yet the
# decline handler registers it itself before asking for a reason
if "bot.conversation.service" in sys.modules and hasattr(
        sys.modules["bot.conversation.service"], "UNKNOWN_FALLBACKS"):
    overtime.ensure_registered()
