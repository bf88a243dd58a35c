"""Every capability, and the one ``install(registry)`` through which each contributes its
intent handlers, message texts and Slack layouts, answers to "unknown" messages, scheduled
work, delivery-failure hooks and senders. ``bootstrap()`` calls ``install_all``; importing
this module (or any capability's) adds nothing anywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from core.registry import Registry

if TYPE_CHECKING:
    from core.app import Core
    from core.models import Channel
    from core.outbox import MessageSender


def install_basic(registry: Registry) -> None:
    from bot.conversation import router
    from bot.render import plain_text

    router.install(registry)
    registry.add_text("text", plain_text)  # a message that is its payload's own words


def install_overtime(registry: Registry) -> None:
    from bot.conversation import overtime
    from core.overtime import advance_outreach, send_reminders

    registry.add_handlers(overtime.HANDLERS)
    registry.add_texts(overtime.NOTIFICATION_TEXTS)
    registry.add_fallback(overtime.decline_reason)
    registry.add_job("overtime.advance_outreach", advance_outreach)
    registry.add_job("overtime.send_reminders", send_reminders)


def install_leave(registry: Registry) -> None:
    from bot.conversation import leave

    leave.install(registry)


def install_selfservice(registry: Registry) -> None:
    """Own leave (see, cancel), overtime preferences as said, who is away, a colleague's
    shifts. Replaces the plain preferences handler with the one that honours negations."""
    from bot.conversation import selfservice

    registry.add_handlers(
        {
            "leave.mine": selfservice.leave_mine,
            "leave.cancel": selfservice.leave_cancel,
            "staffing.absent": selfservice.staffing_absent,
            "rota.person": selfservice.rota_person,
        }
    )
    registry.add_handler("ot.preferences", selfservice.preferences, replace=True)


def install_forecast(registry: Registry) -> None:
    from bot.conversation import forecast

    forecast.install(registry)


def install_delivery(registry: Registry) -> None:
    from bot import delivery

    delivery.install(registry)  # the delivery notices (provider failing / recovered)


def install_slack(registry: Registry) -> None:
    try:
        from bot.slack import blocks, forecast, notifications, outreach
    except ImportError:  # Slack not installed: plain text everywhere
        return
    # answers in Slack: each reply kind's view (a kind without one is a plain section)
    blocks.install(registry)
    registry.add_reply_view("ot.request", outreach.outreach_started)
    registry.add_reply_view("ot.status", outreach.outreach_status)
    registry.add_reply_view("ot.rank", outreach.ranking)
    registry.add_reply_view("forecast", forecast.forecast_blocks)
    # the gaps view keeps the forecast's note line ("Forecast for Mon 19 Jan ...")
    registry.add_reply_view(
        "gaps", forecast.gaps_with_notes(registry.reply_views["gaps"]), replace=True
    )
    registry.add_blocks("alert.daily_gaps", forecast.daily_gaps_blocks)
    registry.add_blocks("ot.offer", outreach.offer_blocks)
    registry.add_blocks("ot.withdrawn", outreach.withdrawn_blocks)
    registry.add_blocks("leave.review", notifications.leave_review)
    registry.add_blocks("text", notifications.with_buttons("text"))
    registry.add_job("slack.status_cards", outreach.refresh_job)
    registry.add_sender_factory(_slack_senders)


def install_dashboards(registry: Registry) -> None:
    from bot.conversation import dash

    dash.install(registry)  # dash.link: a one-time sign-in link to the web dashboards


def install_rota(registry: Registry) -> None:
    from bot.conversation import rota

    rota.install(registry)  # rota.generate (CP-SAT drafts) and rota.publish


def install_swaps(registry: Registry) -> None:
    """Swaps and give-aways; wraps overtime's YES / NO handlers, so installed after them."""
    from bot.conversation import swaps

    swaps.install(registry)
    try:
        from bot.slack import swaps as slack_swaps
    except ImportError:  # Slack not installed: plain text everywhere
        return
    slack_swaps.install(registry)


def install_sms(registry: Registry) -> None:
    from bot.sms import carrier_opt_out

    registry.add_failure_hook(carrier_opt_out)
    registry.add_sender_factory(_twilio_senders)


def _twilio_senders(core: Core) -> dict[Channel, MessageSender]:
    from bot.sms.sender import twilio_senders  # imported when used: twilio is a heavy import

    return twilio_senders(core)


def _slack_senders(core: Core) -> dict[Channel, MessageSender]:
    from bot.slack.sender import slack_senders

    return slack_senders(core)


def _overtime_failures(registry: Registry) -> None:
    """An offer that could not be delivered moves outreach on to the next person."""
    from core.overtime.outreach import on_message_failed

    registry.add_failure_hook(on_message_failed)


CAPABILITIES: list[tuple[str, Callable[[Registry], None]]] = [
    ("basic", install_basic),
    ("overtime", install_overtime),
    ("overtime.failures", _overtime_failures),
    ("leave", install_leave),
    ("selfservice", install_selfservice),
    ("forecast", install_forecast),
    ("delivery", install_delivery),
    ("slack", install_slack),
    ("sms", install_sms),
    ("dashboards", install_dashboards),
    ("rota", install_rota),
    ("swaps", install_swaps),
]


def install_all(registry: Registry) -> Registry:
    for name, install in CAPABILITIES:
        registry.install(name, install)
    return registry
