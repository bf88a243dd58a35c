"""``dash.link`` in chat: "dashboard", "send me the dashboard link".

Anyone known to Staffbot gets a one-time sign-in link for themselves (core.signin): managers
land on their home's overview, the head of service on every home, staff on their own overtime
record. The link is sent only to the person who asked, over the channel they asked on.
"""

from __future__ import annotations

from datetime import datetime

from bot.conversation.context import Context
from bot.conversation.reply import Reply
from core.dashboards.service import send_signin_link
from core.registry import Registry


def link(ctx: Context) -> Reply:
    """A one-time sign-in link for the sender. In Slack it goes by direct message (through
    the outbox, in the same unit of work), since the question may have been asked in a
    channel where others would see it; SMS and the console answer with it directly."""
    what = (
        "your home's dashboards"
        if ctx.scope.is_manager and ctx.scope.home_ids is not None
        else "the dashboards for every home"
        if ctx.scope.is_manager
        else "your overtime record"
    )
    by_dm = ctx.channel == "slack"

    def until_of(expires_at: datetime) -> str:
        return expires_at.astimezone(ctx.core.zone).strftime("%H:%M")

    def words(url: str, expires_at: datetime) -> str:
        return (
            f"Here is your sign-in link to {what}. It works once, until {until_of(expires_at)}, "
            f"and only for you: {url}"
        )

    sent = send_signin_link(
        ctx.core, ctx.sender.id, ctx.actor, ctx.channel, direct_message=words if by_dm else None
    )
    url, until = sent.url, until_of(sent.expires_at)
    data = {"expires_at": sent.expires_at.isoformat(), "by_direct_message": by_dm}
    if by_dm:
        return Reply(
            f"I've sent you a sign-in link to {what} by direct message. It works once, "
            f"until {until}.",
            kind="dash.link",
            data=data,
        )
    return Reply(
        words(url, sent.expires_at),
        short=f"Your dashboard link (works once, until {until}): {url}",
        kind="dash.link",
        data={**data, "url": url},
    )


HANDLERS = {"dash.link": link}


def install(registry: Registry) -> None:
    """The dashboards' one chat intent."""
    registry.add_handlers(HANDLERS)
