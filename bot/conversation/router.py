"""From intent to handler: the table is the registry ``bootstrap()`` built (each capability
adds its handlers in its ``install(registry)``; see ``bot.capabilities``). Every handler runs
inside the conversation (``bot.conversation.dialogue``): the open question is answered, and a
record-changing message is applied only when it is sure."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, MutableMapping

from bot.conversation import basic
from bot.conversation.context import Context
from bot.conversation.dialogue import respond
from bot.conversation.reply import Reply
from core.registry import Registry

log = logging.getLogger(__name__)

Handler = Callable[[Context], Reply]

BASIC_HANDLERS: dict[str, Handler] = {
    "help": basic.help_reply,
    "unknown": basic.unknown_reply,
    "rota.mine": basic.my_rota,
    "staffing.gaps": basic.gaps,
    "staffing.on_shift": basic.on_shift,
}


def install(registry: Registry) -> None:
    """help, unknown, a person's own rota and the managers' staffing questions."""
    registry.add_handlers(BASIC_HANDLERS)


def raw_handler(registry: Registry, intent: str) -> Handler:
    return registry.handlers.get(intent, not_built_yet)


def handler_for(intent: str, registry: Registry | None = None) -> Handler:
    """The handler for an intent, wrapped in the conversation (state and safety)."""
    if registry is None:
        from bot.bootstrap import standard_registry

        registry = standard_registry()
    table = registry

    def run(ctx: Context) -> Reply:
        return raw_handler(table, ctx.intent)(ctx)

    def handle(ctx: Context) -> Reply:
        return respond(ctx, run)

    return handle


def not_built_yet(ctx: Context) -> Reply:
    log.info("intent %s understood but not available yet", ctx.intent)
    what = ctx.intent.replace(".", " ").replace("_", " ")
    return Reply(
        f"I understood that ({what}), but I can't do that yet. I've noted the request.",
        short="Sorry, I can't do that yet. I've noted it.",
    )


class _StandardHandlers(MutableMapping[str, Handler]):
    """``HANDLERS``: the standard registry's intent table, looked up when used (importing
    this module builds nothing). Kept for callers and tests that patch one handler."""

    def _table(self) -> dict[str, Handler]:
        from bot.bootstrap import standard_registry

        return standard_registry().handlers

    def __getitem__(self, key: str) -> Handler:
        return self._table()[key]

    def __setitem__(self, key: str, value: Handler) -> None:
        self._table()[key] = value

    def __delitem__(self, key: str) -> None:
        del self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


HANDLERS: MutableMapping[str, Handler] = _StandardHandlers()
