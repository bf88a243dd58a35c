"""What the application is made of, built once by ``bootstrap(settings)`` and handed out.

Each capability contributes through one ``install(registry)`` function that ``bootstrap()``
calls; nothing is added by importing a module. The registry holds plain callables, so this
module imports nothing of ours outside ``core/``:

- ``handlers``: intent -> handler (the conversation layer calls it with a Context)
- ``texts`` / ``blocks``: message kind -> how it reads as text / as a Slack layout
- ``reply_views``: reply kind -> its Slack layout (an answer in Slack; plain text without one)
- ``fallbacks``: answers tried, in order, for a message the parser calls "unknown"
- ``jobs``: scheduled work run every tick, as (name, core service taking the Core)
- ``cron_jobs``: timed work (objects the scheduler understands; e.g. ``CronJob``)
- ``failure_hooks``: what happens when an outbox message cannot be delivered
- ``sender_factories``: functions of the Core returning {Channel: sender} when configured
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[[Any], Any]
TextRenderer = Callable[[dict[str, Any]], str]
BlocksRenderer = Callable[[dict[str, Any]], list[dict[str, Any]]]
ReplyView = Callable[[Any, Any], list[dict[str, Any]]]  # (reply, zone) -> Slack blocks
Fallback = Callable[[Any], Any]
Job = Callable[[Any], object]
FailureHook = Callable[[Any, Any], None]
SenderFactory = Callable[[Any], dict[Any, Any]]


class RegistryError(ValueError):
    """Two capabilities claimed the same name, or a name is missing."""


@dataclass
class Registry:
    handlers: dict[str, Handler] = field(default_factory=dict)
    texts: dict[str, TextRenderer] = field(default_factory=dict)
    blocks: dict[str, BlocksRenderer] = field(default_factory=dict)
    reply_views: dict[str, ReplyView] = field(default_factory=dict)
    fallbacks: list[Fallback] = field(default_factory=list)
    jobs: list[tuple[str, Job]] = field(default_factory=list)
    cron_jobs: list[Any] = field(default_factory=list)
    failure_hooks: list[FailureHook] = field(default_factory=list)
    sender_factories: list[SenderFactory] = field(default_factory=list)
    installed: list[str] = field(default_factory=list)  # capability names, in order

    # --- adding ---------------------------------------------------------------------------
    def add_handler(self, intent: str, handler: Handler, replace: bool = False) -> None:
        if intent in self.handlers and not replace and self.handlers[intent] is not handler:
            raise RegistryError(f"intent {intent!r} already has a handler")
        self.handlers[intent] = handler

    def add_handlers(self, table: Mapping[str, Handler], replace: bool = False) -> None:
        for intent, handler in table.items():
            self.add_handler(intent, handler, replace=replace)

    def add_text(
        self,
        kind: str,
        text: TextRenderer,
        blocks: BlocksRenderer | None = None,
        replace: bool = False,
    ) -> None:
        if kind in self.texts and not replace and self.texts[kind] is not text:
            raise RegistryError(f"message kind {kind!r} already has a text")
        self.texts[kind] = text
        if blocks is not None:
            self.add_blocks(kind, blocks, replace=replace)

    def add_texts(self, table: Mapping[str, TextRenderer], replace: bool = False) -> None:
        for kind, fn in table.items():
            self.add_text(kind, fn, replace=replace)

    def add_blocks(self, kind: str, blocks: BlocksRenderer, replace: bool = False) -> None:
        if kind in self.blocks and not replace and self.blocks[kind] is not blocks:
            raise RegistryError(f"message kind {kind!r} already has a Slack layout")
        self.blocks[kind] = blocks

    def add_reply_view(self, kind: str, view: ReplyView, replace: bool = False) -> None:
        if kind in self.reply_views and not replace and self.reply_views[kind] is not view:
            raise RegistryError(f"reply kind {kind!r} already has a Slack view")
        self.reply_views[kind] = view

    def add_fallback(self, fallback: Fallback) -> None:
        if fallback not in self.fallbacks:
            self.fallbacks.append(fallback)

    def add_job(self, name: str, job: Job) -> None:
        if any(existing == name for existing, _ in self.jobs):
            raise RegistryError(f"scheduled job {name!r} already added")
        self.jobs.append((name, job))

    def add_cron_job(self, job: Any) -> None:
        name = getattr(job, "name", None)
        if name is not None and any(getattr(j, "name", None) == name for j in self.cron_jobs):
            raise RegistryError(f"cron job {name!r} already added")
        self.cron_jobs.append(job)

    def add_failure_hook(self, hook: FailureHook) -> None:
        if hook not in self.failure_hooks:
            self.failure_hooks.append(hook)

    def add_sender_factory(self, factory: SenderFactory) -> None:
        if factory not in self.sender_factories:
            self.sender_factories.append(factory)

    def install(self, name: str, install: Callable[[Registry], None]) -> None:
        """Run one capability's ``install(registry)`` once."""
        if name in self.installed:
            return
        install(self)
        self.installed.append(name)

    # --- reading --------------------------------------------------------------------------
    def handler(self, intent: str) -> Handler | None:
        return self.handlers.get(intent)

    def text_for(self, kind: str) -> TextRenderer | None:
        return self.texts.get(kind)

    def message_kinds(self) -> set[str]:
        return set(self.texts) | set(self.blocks)

    def job_names(self) -> list[str]:
        return [name for name, _ in self.jobs] + [
            str(getattr(j, "name", j)) for j in self.cron_jobs
        ]
