"""The Slack app on slack-bolt: DMs, mentions, ``/staffbot``, buttons and the App Home.

Every listener acknowledges at once (Slack wants an answer within 3 seconds) and does the
work in a lazy listener, on a small bounded pool of its own (``SlackWork``): past its bound
the answer is "busy, try again in a minute", so a burst of Slack traffic neither builds an
unbounded backlog nor takes the threads and CPU the SMS webhook needs. The answer goes back
through ``response_url`` (slash commands, buttons) or ``chat.postMessage``.

Every message, command and button press goes through the channel-neutral receive service
(``bot.conversation.receive``) in one transaction, with a once-only key recorded with its
effect: the event id for events, the ``trigger_id`` for a slash command, and the presser,
message and value for a button. A replayed request is executed once; a replayed slash
command gets the first answer again.

Dependencies reach listeners through the request context (``context["staffbot"]``), the way
Bolt recommends, so the same app serves HTTP and Socket Mode and tests build it with fakes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import re
import signal
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.conversation.receive import Inbound, Received, Receiver
from bot.conversation.reply import Reply
from bot.conversation.service import Conversation
from bot.slack.blocks import ACTION_PREFIX, Block, decode_action, escape, fit, reply_blocks
from bot.slack.blocks import context as context_block
from bot.slack.charts import upload_chart
from bot.slack.home import STRANGER, home_view
from bot.slack.outreach import card_blocks, refresh_status_posts, remember_card, tracked_request
from bot.slack.rota import upload_rota_csv
from core.app import Core

log = logging.getLogger(__name__)
T = TypeVar("T")

MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")
SORRY = "Sorry, something went wrong on my side while answering that. Please try again."


BUSY = "I'm busy with a lot of requests right now. Please try again in a minute."
POOL_THREADS = 1  # Slack's work at once, per web process
POOL_BOUND = 40  # queued or running; past this the answer is BUSY
WORK_NICENESS = 10  # the work process's CPU priority below the web process's (Linux nice)


class SlackWork:
    """The bounded pool Slack's work runs on, apart from the SMS webhook's threads.

    By default a thread of this process. ``staffbot serve`` moves it into a process of its
    own at a lower CPU priority (:meth:`start_process`), so a burst of Slack work takes
    only the CPU the texts leave: SMS answers stay quick, Slack's wait (up to the bound,
    then "busy")."""

    def __init__(self, threads: int = POOL_THREADS, bound: int = POOL_BOUND) -> None:
        self.bound = bound
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="slack-work")
        self._executor: Executor = self._threads
        self._lock = threading.Lock()
        self.pending = 0
        self.in_process = False

    @property
    def full(self) -> bool:
        return self.pending >= self.bound

    def start_process(self, niceness: int = WORK_NICENESS) -> None:
        """Run the work in one forked process at ``niceness`` from now on. Call it while
        this process has a single thread (a web worker before it serves): the fork copies
        the loaded parser and the open app, nothing half-locked. Linux and macOS only."""
        pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_work_process_started,
            initargs=(os.getpid(), niceness),
        )
        pool.submit(os.getpid).result(timeout=60)  # forks it now, while single-threaded
        self._executor, self.in_process = pool, True

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        with self._lock:
            self.pending += 1
        try:
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(self._executor, fn, *args)
            except BrokenProcessPool:  # the work process died: carry on in a thread
                log.error("the Slack work process died; Slack work runs in a thread now")
                self._executor, self.in_process = self._threads, False
                return await loop.run_in_executor(self._threads, fn, *args)
        finally:
            with self._lock:
                self.pending -= 1

    def close(self) -> None:
        if self._executor is not self._threads:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._threads.shutdown(wait=False, cancel_futures=True)


class BusyNotices:
    """Who was told "busy" lately: a burst from one person gets one notice a minute, not
    one per message (each notice is a post to Slack, more work while the pool is full)."""

    def __init__(self, every: float = 60.0) -> None:
        self.every = every
        self._last: dict[str, float] = {}

    def first_in_a_while(self, user: str) -> bool:
        now = time.monotonic()  # a rate timer, not the organisation's clock
        if now - self._last.get(user, -self.every) < self.every:
            return False
        if len(self._last) > 10_000:  # forget the old ones
            self._last = {u: t for u, t in self._last.items() if now - t < self.every}
        self._last[user] = now
        return True


#: Every live SlackDeps by its key: work sent to the work process names its SlackDeps by key
#: (the forked process holds the same objects), instead of pickling engines and parsers.
_LIVE: weakref.WeakValueDictionary[str, SlackDeps] = weakref.WeakValueDictionary()


def _live_deps(key: str) -> SlackDeps:
    return _LIVE[key]


def _work_process_started(parent: int, niceness: int) -> None:
    """In the work process, first: lower its priority, open its own database connections
    (none cross the fork), and end with the web process that forked it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the web process stops it (Ctrl-C)
    with contextlib.suppress(OSError):
        os.nice(niceness)
    for deps in list(_LIVE.values()):
        deps.core.engine.dispose(close=False)
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)
    if os.getppid() != parent:
        os._exit(0)


@dataclass
class SlackDeps:
    """What listeners need, shared by every request (never copied per request)."""

    core: Core
    conversation: Conversation
    sync_client: Any = None  # slack_sdk WebClient, for work done in threads (status cards)
    receiver: Receiver | None = None
    work: SlackWork = field(default_factory=SlackWork)
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        if self.receiver is None:
            self.receiver = Receiver(self.core, self.conversation)
        _LIVE[self.key] = self

    def __deepcopy__(self, memo: dict[int, Any]) -> SlackDeps:
        # Bolt deep-copies the context for lazy listeners; services are shared, not copied.
        return self

    def __copy__(self) -> SlackDeps:
        return self

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # to the work process by name: it holds the same SlackDeps (forked)
        return (_live_deps, (self.key,))

    # -- sync work, run on the pool ---------------------------------------------------------

    def ask(
        self, slack_user_id: str, text: str, key: str | None = None, provider: str = "slack"
    ) -> Received:
        """The assistant's answer to this Slack user (``known`` False for a stranger); with
        a key, once only (a repeat gets the first answer as ``text``, duplicate True)."""
        assert self.receiver is not None
        return self.receiver.receive(
            Inbound(
                channel="slack", sender=slack_user_id, text=text, provider_id=key, provider=provider
            )
        )

    def press(
        self, slack_user_id: str, intent: str, slots: dict[str, Any], key: str | None = None
    ) -> Received:
        assert self.receiver is not None
        return self.receiver.receive(
            Inbound(
                channel="slack",
                sender=slack_user_id,
                text=f"[{intent}]",
                provider_id=key,
                provider="slack-action",
                intent=(intent, slots),
            )
        )

    def home(self, slack_user_id: str) -> dict[str, Any]:
        return home_view(self.core, slack_user_id)

    def remember(self, request_id: int, channel: str, ts: str, blocks: list[Block]) -> None:
        remember_card(self.core, request_id, channel, ts, blocks)

    def refresh_cards(self) -> int:
        return refresh_status_posts(self.core, self.sync_client)

    def blocks(self, reply: Reply) -> list[Block]:
        registry = self.core.registry
        if registry is None:  # a Core built by hand (tests): the standard build
            from bot.bootstrap import standard_registry

            registry = standard_registry()
        return reply_blocks(reply, self.core.zone, registry.reply_views)

    async def post(
        self, client: AsyncWebClient, channel: str, reply: Reply, thread_ts: str | None = None
    ) -> None:
        """Post a reply; a started outreach becomes a live status card, remembered so it
        can be rewritten as people answer."""
        req = tracked_request(reply)
        blocks = card_blocks(req, self.core.zone) if req else self.blocks(reply)
        kwargs: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        resp = await client.chat_postMessage(
            channel=channel, text=reply.text, blocks=blocks, **kwargs
        )
        if req and resp.get("ts"):
            await self.work.run(
                self.remember,
                int(req["id"]),
                str(resp.get("channel") or channel),
                str(resp["ts"]),
                blocks,
            )
        # a reply with a chart (a forecast) gets it as an image beside the words
        await upload_chart(client, str(resp.get("channel") or channel), reply, thread_ts)
        # a draft rota comes with its CSV (the Publish button is among the actions)
        await upload_rota_csv(client, str(resp.get("channel") or channel), reply, thread_ts)

    async def after(self, reply: Reply) -> None:
        """An answer about overtime may have changed a request: refresh its status cards."""
        if self.sync_client is None or not reply.kind.startswith("ot."):
            return
        try:
            await self.work.run(self.refresh_cards)
        except Exception:
            log.exception("refreshing status cards failed")


def deps_of(context: AsyncBoltContext) -> SlackDeps:
    return context["staffbot"]  # type: ignore[no-any-return]


def build_slack_app(
    core: Core,
    *,
    token: str | None = None,
    signing_secret: str | None = None,
    client: AsyncWebClient | None = None,
    conversation: Conversation | None = None,
    receiver: Receiver | None = None,
    work: SlackWork | None = None,
) -> AsyncApp:
    """The Bolt app, its Web API client pointed at ``SLACK_API_URL`` when that is set."""
    settings = core.settings
    token = token or settings.slack_bot_token
    signing_secret = signing_secret or settings.slack_signing_secret
    if client is None:
        client = AsyncWebClient(
            token=token, base_url=settings.slack_api_url or AsyncWebClient.BASE_URL
        )
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret or "socket-mode-only",
        # Socket Mode alone needs no signing secret: requests arrive over the socket
        request_verification_enabled=bool(signing_secret),
        logger=bolt_logger(),
    )
    from slack_sdk import WebClient

    if receiver is not None and conversation is None:
        conversation = receiver.conversation
    deps = SlackDeps(
        core=core,
        conversation=conversation or Conversation(core),
        sync_client=WebClient(token=token, base_url=client.base_url, timeout=15),
        receiver=receiver,
        work=work or SlackWork(),
    )

    @app.middleware
    async def inject_dependencies(context: AsyncBoltContext, next: Any) -> None:
        context["staffbot"] = deps
        await next()

    told_busy = BusyNotices()

    @app.middleware
    async def once_and_within_bounds(
        req: AsyncBoltRequest, body: dict[str, Any], context: AsyncBoltContext, next: Any
    ) -> BoltResponse | None:
        # Slack resends an event it thinks was lost (X-Slack-Retry-Num): messages and
        # mentions are claimed by event id inside the receive path (with their effect), so
        # a retry is processed only if the first delivery never was. Other retried requests
        # are acknowledged only.
        retries = req.headers.get("x-slack-retry-num") or []
        retry = retries[0] if retries else None
        kind = body.get("type")
        raw_event = body.get("event")
        event: dict[str, Any] = raw_event if isinstance(raw_event, dict) else {}
        if retry is not None and not (
            kind == "event_callback" and event.get("type") in ("message", "app_mention")
        ):
            return BoltResponse(status=200, body="")
        if deps_of(context).work.full and (
            body.get("command") or kind in ("event_callback", "block_actions")
        ):
            log.warning("slack work pool full: answering busy")
            return await busy(body, context)
        await next()
        return None

    async def busy(body: dict[str, Any], context: AsyncBoltContext) -> BoltResponse:
        if body.get("command"):  # the ack itself carries the answer
            return BoltResponse(
                status=200,
                body=json.dumps({"response_type": "ephemeral", "text": BUSY}),
                headers={"content-type": ["application/json"]},
            )
        event = body.get("event") or {}
        user = (event.get("user") if isinstance(event, dict) else None) or (
            (body.get("user") or {}).get("id") if isinstance(body.get("user"), dict) else None
        )
        if user and not (isinstance(event, dict) and (event.get("bot_id") or event.get("subtype"))):
            channel = event.get("channel") if event.get("type") == "message" else user
            if told_busy.first_in_a_while(str(user)):  # once a minute each, not per message
                asyncio.ensure_future(_say_busy(app.client, channel or user))
        return BoltResponse(status=200, body="")

    async def ack_now(ack: Any) -> None:
        await ack()

    app.command("/staffbot")(ack=ack_now, lazy=[answer_command])
    app.event("message")(ack=ack_now, lazy=[answer_direct_message])
    app.event("app_mention")(ack=ack_now, lazy=[answer_mention])
    app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(ack=ack_now, lazy=[press_button])
    app.event("app_home_opened")(ack=ack_now, lazy=[publish_home])
    return app


# ---- lazy listeners (after the ack) -----------------------------------------------------


async def answer_command(
    body: dict[str, Any], respond: Any, client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """``/staffbot who's short tomorrow?``: answered privately (ephemeral) to the asker."""
    deps = deps_of(context)
    key = str(body.get("trigger_id") or "") or None  # a replayed command runs once
    try:
        got = await deps.work.run(
            deps.ask, body["user_id"], body.get("text") or "", key, "slack-command"
        )
    except Exception:
        log.exception("slash command failed")
        await respond(text=SORRY, response_type="ephemeral")
        return
    if got.duplicate:  # the same signed command again: the first answer, nothing redone
        await respond(text=got.text or "Already answered.", response_type="ephemeral")
        return
    if not got.known:
        await respond(text=STRANGER, response_type="ephemeral")
        return
    reply = got.reply
    if reply is None:
        return
    await respond(text=reply.text, blocks=deps.blocks(reply), response_type="ephemeral")
    await upload_chart(client, body["user_id"], reply)  # a chart can't be ephemeral: the DM
    await upload_rota_csv(client, body["user_id"], reply)  # the draft's CSV, to the DM
    if tracked_request(reply):  # an ephemeral answer cannot be updated: the live card goes
        await deps.post(client, body["user_id"], reply)  # to the asker's DM
    await deps.after(reply)


async def answer_direct_message(
    event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """A DM to the app (``message.im``); edits, joins and bots' own posts are not messages."""
    if (
        event.get("channel_type") != "im"
        or event.get("subtype")
        or event.get("bot_id")
        or not event.get("user")
    ):
        return
    deps = deps_of(context)
    try:
        got = await deps.work.run(
            deps.ask, event["user"], event.get("text") or "", _event_key(body)
        )
    except Exception:
        log.exception("direct message failed")
        await client.chat_postMessage(channel=event["channel"], text=SORRY)
        return
    if got.duplicate:  # Slack's retry of an event already answered
        return
    if not got.known:
        await client.chat_postMessage(channel=event["channel"], text=STRANGER)
        return
    reply = got.reply
    if reply is None:
        return
    await deps.post(client, event["channel"], reply)
    await deps.after(reply)


async def answer_mention(
    event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """``@Staffbot who's on tonight?`` in a channel: answered in a thread under the question.
    A stranger is told privately (ephemeral), not in front of the channel."""
    if event.get("bot_id") or not event.get("user"):
        return
    deps = deps_of(context)
    text = MENTION.sub(" ", event.get("text") or "").strip()
    thread_ts = event.get("thread_ts") or event.get("ts")
    try:
        got = await deps.work.run(deps.ask, event["user"], text, _event_key(body))
    except Exception:
        log.exception("mention failed")
        await client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, text=SORRY)
        return
    if got.duplicate:
        return
    if not got.known:
        await client.chat_postEphemeral(channel=event["channel"], user=event["user"], text=STRANGER)
        return
    reply = got.reply
    if reply is None:
        return
    await deps.post(client, event["channel"], reply, thread_ts=thread_ts)
    await deps.after(reply)


async def press_button(
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """A button from a reply's actions (Approve, Start outreach, Accept / Decline an offer):
    runs its intent as the person who pressed it, through the same core as a typed message.

    On a message, the buttons are replaced by who chose what and the answer, so nobody presses
    twice; on the App Home, the answer arrives as a DM and the tab is refreshed."""
    deps = deps_of(context)
    user_id = body["user"]["id"]
    label = (action.get("text") or {}).get("text", "button")
    reply: Reply | None
    try:
        intent, slots = decode_action(action.get("value") or "")
        got = await deps.work.run(deps.press, user_id, intent, slots, _action_key(body, action))
        if got.duplicate:  # the same press delivered again: done once already
            return
        reply = got.reply if got.known else Reply(STRANGER, kind="refused")
    except Exception:
        log.exception("button %s failed", action.get("action_id"))
        reply = Reply(SORRY, kind="error")
    if reply is None:
        reply = Reply(SORRY, kind="error")
    container = body.get("container") or {}
    in_view = container.get("type") == "view"
    if in_view or not body.get("response_url"):
        await deps.post(client, user_id, reply)
        if in_view:
            view = await deps.work.run(deps.home, user_id)
            await client.views_publish(user_id=user_id, view=view)
        await deps.after(reply)
        return
    original = [
        b for b in ((body.get("message") or {}).get("blocks") or []) if b.get("type") != "actions"
    ]
    chosen = context_block(f"<@{user_id}> chose *{escape(label)}*")
    req = tracked_request(reply)
    here = None if container.get("is_ephemeral") else container.get("channel_id")
    if req:  # the live card is a message of its own, in this conversation or the DM
        where = "below" if here else "in your DM with Staffbot"
        answer = [context_block(f"Live status of {req['ref']} is {where}.")]
    else:
        answer = deps.blocks(reply)
    await respond(replace_original=True, text=reply.text, blocks=fit([*original, chosen, *answer]))
    if req:
        await deps.post(client, here or user_id, reply)
    await deps.after(reply)


async def publish_home(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    if event.get("tab", "home") != "home":
        return
    deps = deps_of(context)
    try:
        view = await deps.work.run(deps.home, event["user"])
    except Exception:
        log.exception("App Home failed")
        return
    await client.views_publish(user_id=event["user"], view=view)


# ---- once-only keys and small helpers ---------------------------------------------------


def _event_key(body: dict[str, Any]) -> str | None:
    event_id = body.get("event_id")
    return str(event_id) if event_id else None


def _action_key(body: dict[str, Any], action: dict[str, Any]) -> str:
    """A button press, once: who pressed which value on which message (on the App Home,
    which is redrawn after each press, the press's own trigger id)."""
    container = body.get("container") or {}
    user = (body.get("user") or {}).get("id", "")
    if container.get("type") == "view" or not container.get("message_ts"):
        where = f"view:{container.get('view_id', '')}:{body.get('trigger_id', '')}"
    else:
        where = f"msg:{container.get('channel_id', '')}:{container['message_ts']}"
    raw = f"{user}|{where}|{action.get('action_id', '')}|{action.get('value', '')}"
    return hashlib.sha256(raw.encode()).hexdigest()


async def _say_busy(client: AsyncWebClient, channel: str) -> None:
    try:
        await client.chat_postMessage(channel=channel, text=BUSY)
    except Exception:
        log.warning("telling a Slack user we are busy failed")


def bolt_logger() -> logging.Logger:
    """Bolt's logger, at WARNING at least: at INFO it logs whole request bodies."""
    logger = logging.getLogger("bot.slack.bolt")
    if logger.getEffectiveLevel() < logging.WARNING:
        logger.setLevel(logging.WARNING)
    return logger
