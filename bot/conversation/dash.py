"""``dash.link`` in chat: "dashboard", "send me the dashboard link".

Anyone known to Staffbot gets a one-time sign-in link for themselves (core.signin): managers
land on their home's overview, the head of service on every home, staff on their own overtime
record. The link is sent only to the person who asked, over the channel they asked on.
"""

from __future__ import annotations

from bot.conversation.context import Context
from bot.conversation.reply import Reply
from core.registry import Registry
from core.signin import issue_link


def link(ctx: Context) -> Reply:
    """A one-time sign-in link for the sender."""
    with ctx.core.uow() as uow:
        issued = issue_link(uow, ctx.sender.id, ctx.actor, ctx.channel)
        uow.commit()
    url = issued.url(ctx.core.settings.public_url)
    until = issued.expires_at.astimezone(ctx.core.zone).strftime("%H:%M")
    what = (
        "your home's dashboards"
        if ctx.scope.is_manager and ctx.scope.home_ids is not None
        else "the dashboards for every home"
        if ctx.scope.is_manager
        else "your overtime record"
    )
    return Reply(
        f"Here is your sign-in link to {what}. It works once, until {until}, and only "
        f"for you: {url}",
        short=f"Your dashboard link (works once, until {until}): {url}",
        kind="dash.link",
        data={"url": url, "expires_at": issued.expires_at.isoformat()},
    )


HANDLERS = {"dash.link": link}


def install(registry: Registry) -> None:
    """The dashboards' one chat intent."""
    registry.add_handlers(HANDLERS)
