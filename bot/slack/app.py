"""The Slack app on slack-bolt: DMs, mentions, ``/staffbot``, buttons and the App Home.

Every listener acknowledges at once (Slack wants an answer within 3 seconds) and does the
work in a lazy listener: the synchronous core runs in a worker thread, and the answer goes
back through ``response_url`` (slash commands, buttons) or ``chat.postMessage``.

Dependencies reach listeners through the request context (``context["staffbot"]``), the way
Bolt recommends, so the same app serves HTTP and Socket Mode and tests build it with fakes.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.conversation.reply import Reply
from bot.conversation.service import Conversation
from bot.slack.blocks import ACTION_PREFIX, Block, decode_action, escape, fit, reply_blocks
from bot.slack.blocks import context as context_block
from bot.slack.charts import upload_chart
from bot.slack.home import STRANGER, home_view
from bot.slack.outreach import card_blocks, refresh_status_posts, remember_card, tracked_request
from core.app import Core
from core.directory import person_by_slack
from core.inbound import first_delivery

log = logging.getLogger(__name__)

MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")
SORRY = "Sorry, something went wrong on my side while answering that. Please try again."


@dataclass
class SlackDeps:
    """What listeners need, shared by every request (never copied per request)."""

    core: Core
    conversation: Conversation
    sync_client: Any = None  # slack_sdk WebClient, for work done in threads (status cards)

    def __deepcopy__(self, memo: dict[int, Any]) -> SlackDeps:
        # Bolt deep-copies the context for lazy listeners; services are shared, not copied.
        return self

    def __copy__(self) -> SlackDeps:
        return self

    # -- sync work, run in a thread ---------------------------------------------------------

    def person_id(self, slack_user_id: str) -> int | None:
        with self.core.uow() as uow:
            person = person_by_slack(uow.session, slack_user_id)
            return person.id if person is not None and person.active else None

    def seen_before(self, event_id: str) -> bool:
        with self.core.uow() as uow:
            return not first_delivery(uow, "slack", event_id)

    def ask(self, slack_user_id: str, text: str) -> Reply | None:
        """The assistant's answer to this Slack user, or None for someone it does not know."""
        person_id = self.person_id(slack_user_id)
        if person_id is None:
            return None
        return self.conversation.handle(person_id, "slack", text.strip() or "help")

    def press(self, slack_user_id: str, intent: str, slots: dict[str, Any]) -> Reply | None:
        person_id = self.person_id(slack_user_id)
        if person_id is None:
            return None
        return self.conversation.run_intent(person_id, "slack", intent, slots)

    def blocks(self, reply: Reply) -> list[Block]:
        return reply_blocks(reply, self.core.zone)

    async def post(self, client: AsyncWebClient, channel: str, reply: Reply,
                   thread_ts: str | None = None) -> None:
        """Post a reply; a started outreach becomes a live status card, remembered so it
        can be rewritten as people answer."""
        req = tracked_request(reply)
        blocks = card_blocks(req, self.core.zone) if req else self.blocks(reply)
        kwargs: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        resp = await client.chat_postMessage(channel=channel, text=reply.text, blocks=blocks,
                                             **kwargs)
        if req and resp.get("ts"):
            await asyncio.to_thread(remember_card, self.core, int(req["id"]),
                                    str(resp.get("channel") or channel), str(resp["ts"]),
                                    blocks)
        # a reply with a chart (a forecast) gets it as an image beside the words
        await upload_chart(client, str(resp.get("channel") or channel), reply, thread_ts)

    async def after(self, reply: Reply) -> None:
        """An answer about overtime may have changed a request: refresh its status cards."""
        if self.sync_client is None or not reply.kind.startswith("ot."):
            return
        try:
            await asyncio.to_thread(refresh_status_posts, self.core, self.sync_client)
        except Exception:
            log.exception("refreshing status cards failed")


def deps_of(context: AsyncBoltContext) -> SlackDeps:
    return context["staffbot"]  # type: ignore[no-any-return]


def build_slack_app(core: Core, *, token: str | None = None, signing_secret: str | None = None,
                    client: AsyncWebClient | None = None,
                    conversation: Conversation | None = None) -> AsyncApp:
    """The Bolt app, its Web API client pointed at ``SLACK_API_URL`` when that is set."""
    settings = core.settings
    token = token or settings.slack_bot_token
    signing_secret = signing_secret or settings.slack_signing_secret
    if client is None:
        client = AsyncWebClient(token=token, base_url=settings.slack_api_url
                                or AsyncWebClient.BASE_URL)
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret or "socket-mode-only",
        # Socket Mode alone needs no signing secret: requests arrive over the socket
        request_verification_enabled=bool(signing_secret),
        logger=logging.getLogger("bot.slack.bolt"),
    )
    from slack_sdk import WebClient

    deps = SlackDeps(core=core, conversation=conversation or Conversation(core),
                     sync_client=WebClient(token=token, base_url=client.base_url, timeout=15))

    @app.middleware
    async def inject_dependencies(context: AsyncBoltContext, next: Any) -> None:
        context["staffbot"] = deps
        await next()

    @app.middleware
    async def process_each_event_once(req: AsyncBoltRequest, body: dict[str, Any],
                                      context: AsyncBoltContext, next: Any
                                      ) -> BoltResponse | None:
        # Slack resends an event it thinks was lost (X-Slack-Retry-Num). Acknowledge, and
        # do the work only if this event id was never seen (by any process: it is recorded).
        retry = (req.headers.get("x-slack-retry-num") or [None])[0]
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            if await asyncio.to_thread(deps_of(context).seen_before, str(event_id)):
                log.info("slack event %s already handled (retry %s): acknowledged only",
                         event_id, retry)
                return BoltResponse(status=200, body="")
        elif retry is not None:
            return BoltResponse(status=200, body="")
        await next()
        return None

    async def ack_now(ack: Any) -> None:
        await ack()

    app.command("/staffbot")(ack=ack_now, lazy=[answer_command])
    app.event("message")(ack=ack_now, lazy=[answer_direct_message])
    app.event("app_mention")(ack=ack_now, lazy=[answer_mention])
    app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(ack=ack_now, lazy=[press_button])
    app.event("app_home_opened")(ack=ack_now, lazy=[publish_home])
    return app


# ---- lazy listeners (after the ack) -----------------------------------------------------

async def answer_command(body: dict[str, Any], respond: Any, client: AsyncWebClient,
                         context: AsyncBoltContext) -> None:
    """``/staffbot who's short tomorrow?``: answered privately (ephemeral) to the asker."""
    deps = deps_of(context)
    try:
        reply = await asyncio.to_thread(deps.ask, body["user_id"], body.get("text") or "")
    except Exception:
        log.exception("slash command failed")
        await respond(text=SORRY, response_type="ephemeral")
        return
    if reply is None:
        await respond(text=STRANGER, response_type="ephemeral")
        return
    await respond(text=reply.text, blocks=deps.blocks(reply), response_type="ephemeral")
    await upload_chart(client, body["user_id"], reply)  # a chart can't be ephemeral: the DM
    if tracked_request(reply):  # an ephemeral answer cannot be updated: the live card goes
        await deps.post(client, body["user_id"], reply)  # to the asker's DM
    await deps.after(reply)


async def answer_direct_message(event: dict[str, Any], client: AsyncWebClient,
                                context: AsyncBoltContext) -> None:
    """A DM to the app (``message.im``); edits, joins and bots' own posts are not messages."""
    if (event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id")
            or not event.get("user")):
        return
    deps = deps_of(context)
    try:
        reply = await asyncio.to_thread(deps.ask, event["user"], event.get("text") or "")
    except Exception:
        log.exception("direct message failed")
        await client.chat_postMessage(channel=event["channel"], text=SORRY)
        return
    if reply is None:
        await client.chat_postMessage(channel=event["channel"], text=STRANGER)
        return
    await deps.post(client, event["channel"], reply)
    await deps.after(reply)


async def answer_mention(event: dict[str, Any], client: AsyncWebClient,
                         context: AsyncBoltContext) -> None:
    """``@Staffbot who's on tonight?`` in a channel: answered in a thread under the question.
    A stranger is told privately (ephemeral), not in front of the channel."""
    if event.get("bot_id") or not event.get("user"):
        return
    deps = deps_of(context)
    text = MENTION.sub(" ", event.get("text") or "").strip()
    thread_ts = event.get("thread_ts") or event.get("ts")
    try:
        reply = await asyncio.to_thread(deps.ask, event["user"], text)
    except Exception:
        log.exception("mention failed")
        await client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, text=SORRY)
        return
    if reply is None:
        await client.chat_postEphemeral(channel=event["channel"], user=event["user"],
                                        text=STRANGER)
        return
    await deps.post(client, event["channel"], reply, thread_ts=thread_ts)
    await deps.after(reply)


async def press_button(body: dict[str, Any], action: dict[str, Any], respond: Any,
                       client: AsyncWebClient, context: AsyncBoltContext) -> None:
    """A button from a reply's actions (Approve, Start outreach, Accept / Decline an offer):
    runs its intent as the person who pressed it, through the same core as a typed message.

    On a message, the buttons are replaced by who chose what and the answer, so nobody presses
    twice; on the App Home, the answer arrives as a DM and the tab is refreshed."""
    deps = deps_of(context)
    user_id = body["user"]["id"]
    label = (action.get("text") or {}).get("text", "button")
    try:
        intent, slots = decode_action(action.get("value") or "")
        reply = await asyncio.to_thread(deps.press, user_id, intent, slots)
    except Exception:
        log.exception("button %s failed", action.get("action_id"))
        reply = Reply(SORRY, kind="error")
    if reply is None:
        reply = Reply(STRANGER, kind="refused")
    container = body.get("container") or {}
    in_view = container.get("type") == "view"
    if in_view or not body.get("response_url"):
        await deps.post(client, user_id, reply)
        if in_view:
            view = await asyncio.to_thread(home_view, deps.core, user_id)
            await client.views_publish(user_id=user_id, view=view)
        await deps.after(reply)
        return
    original = [b for b in ((body.get("message") or {}).get("blocks") or [])
                if b.get("type") != "actions"]
    chosen = context_block(f"<@{user_id}> chose *{escape(label)}*")
    req = tracked_request(reply)
    here = None if container.get("is_ephemeral") else container.get("channel_id")
    if req:  # the live card is a message of its own, in this conversation or the DM
        where = "below" if here else "in your DM with Staffbot"
        answer = [context_block(f"Live status of {req['ref']} is {where}.")]
    else:
        answer = deps.blocks(reply)
    await respond(replace_original=True, text=reply.text,
                  blocks=fit([*original, chosen, *answer]))
    if req:
        await deps.post(client, here or user_id, reply)
    await deps.after(reply)


async def publish_home(event: dict[str, Any], client: AsyncWebClient,
                       context: AsyncBoltContext) -> None:
    if event.get("tab", "home") != "home":
        return
    deps = deps_of(context)
    try:
        view = await asyncio.to_thread(home_view, deps.core, event["user"])
    except Exception:
        log.exception("App Home failed")
        return
    await client.views_publish(user_id=event["user"], view=view)
