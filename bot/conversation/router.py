"""One table from intent to handler. Each capability adds its handlers with one line here."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.conversation import basic
from bot.conversation import forecast as fc  # forecasts, training expiry, alerts
from bot.conversation import leave  # leave requests, balances, manager decisions
from bot.conversation import overtime as ot  # overtime outreach, sickness, fairness
from bot.conversation.context import Context
from bot.conversation.reply import Reply

log = logging.getLogger(__name__)

Handler = Callable[[Context], Reply]

HANDLERS: dict[str, Handler] = {
    "help": basic.help_reply,
    "unknown": basic.unknown_reply,
    "rota.mine": basic.my_rota,
    "staffing.gaps": basic.gaps,
    "staffing.on_shift": basic.on_shift,
    "ot.accept": ot.accept,
    "ot.decline": ot.decline,
    "ot.optin": ot.opt_in,
    "ot.optout": ot.opt_out,
    "ot.preferences": ot.preferences,
    "ot.request": ot.request,
    "ot.rank": ot.rank,
    "ot.status": ot.status,
    "ot.cancel": ot.cancel,
    "sickness.report": ot.sickness,
    "fairness.report": ot.fairness,
    "staff.profile": ot.profile,
    "leave.request": leave.request,
    "leave.balance": leave.balance,
    "leave.pending": leave.pending,
    "leave.approve": leave.approve,
    "leave.deny": leave.deny,
    "forecast.show": fc.show,
    "training.expiring": fc.training,
}


def handler_for(intent: str) -> Handler:
    return HANDLERS.get(intent, not_built_yet)


def not_built_yet(ctx: Context) -> Reply:
    log.info("intent %s understood but not available yet", ctx.intent)
    what = ctx.intent.replace(".", " ").replace("_", " ")
    return Reply(f"I understood that ({what}), but I can't do that yet. I've noted the request.",
                 short="Sorry, I can't do that yet. I've noted it.")
