"""``dash.link`` in chat: "dashboard", "send me the dashboard link".

Anyone known to Staffbot gets a one-time sign-in link for themselves (core.signin): managers
land on their home's overview, the head of service on every home, staff on their own overtime
record. The link is sent only to the person who asked, over the channel they asked on.
"""

from __future__ import annotations

from bot.conversation.context import Context
from bot.conversation.reply import Reply
from core.models import Channel, OutboundMessage
from core.registry import Registry
from core.signin import issue_link


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
    with ctx.core.uow() as uow:
        issued = issue_link(uow, ctx.sender.id, ctx.actor, ctx.channel)
        url = issued.url(ctx.core.settings.public_url)
        until = issued.expires_at.astimezone(ctx.core.zone).strftime("%H:%M")
        text = (
            f"Here is your sign-in link to {what}. It works once, until {until}, and only "
            f"for you: {url}"
        )
        if by_dm:
            uow.notify(
                OutboundMessage(
                    person_id=ctx.sender.id,
                    channel=Channel.SLACK,
                    kind="text",
                    payload={"text": text},
                )
            )
        uow.commit()
    data = {"expires_at": issued.expires_at.isoformat(), "by_direct_message": by_dm}
    if by_dm:
        return Reply(
            f"I've sent you a sign-in link to {what} by direct message. It works once, "
            f"until {until}.",
            kind="dash.link",
            data=data,
        )
    return Reply(
        text,
        short=f"Your dashboard link (works once, until {until}): {url}",
        kind="dash.link",
        data={**data, "url": url},
    )


HANDLERS = {"dash.link": link}


def install(registry: Registry) -> None:
    """The dashboards' one chat intent."""
    registry.add_handlers(HANDLERS)
