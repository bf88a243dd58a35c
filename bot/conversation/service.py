"""One message in, one reply out: parse, route, answer, log. Every channel calls this."""

from __future__ import annotations

import logging
import time

from bot.conversation.context import Context, Sender
from bot.conversation.names import catalog_of
from bot.conversation.reply import Reply
from bot.conversation.router import handler_for
from core.app import Core
from core.conversation_queries import one_message, record_exchange, sender_row
from core.directory import directory_names
from core.errors import NotAllowed, StaffbotError
from core.permissions import Scope, scope_for
from core.redact import redact_message
from core.registry import Registry
from core.uow import UnitOfWork
from intents.catalog import Catalog
from intents.parser import Parser, get_parser

log = logging.getLogger(__name__)

MAX_TEXT = 2000  # longer messages are cut before parsing; nobody texts an essay to a rota bot


class Conversation:
    # how often to look for new or removed people (names the parser must know)
    CATALOG_CHECK_SECONDS = 5.0

    def __init__(self, core: Core, registry: Registry | None = None) -> None:
        self.core = core
        registry = registry or core.registry
        if registry is None:  # a bare Core (tests): the process's registry, built on first use
            from bot.bootstrap import standard_registry

            registry = standard_registry()
        self.registry = registry
        self._parser: Parser | None = None
        self._catalog_key: tuple[int, int] | None = None
        self._catalog_checked = float("-inf")

    def parser(self) -> Parser:
        return self._parser_for(self._catalog_if_changed())

    def _catalog_if_changed(self) -> Catalog | None:
        """The name catalog when it needs (re)loading, else None; cheap on most messages."""
        now = time.monotonic()  # a cache timer, not the organisation's clock
        if self._parser is not None and now - self._catalog_checked < self.CATALOG_CHECK_SECONDS:
            return None
        self._catalog_checked = now
        names = directory_names(
            self.core, unless_key=self._catalog_key if self._parser is not None else None
        )
        if names is None:
            return None
        self._catalog_key = names.key
        return catalog_of(names)

    def _parser_for(self, catalog: Catalog | None) -> Parser:
        # built outside any transaction: loading (or first training) takes a while
        if catalog is not None:
            self._parser = get_parser(catalog)
        assert self._parser is not None
        return self._parser

    def refresh(self) -> None:
        """Reload the parser's name catalog if people changed (checked every few seconds),
        in a short read of its own, before a message's unit of work opens; the parser is
        built outside any transaction (loading, or first training, takes a while)."""
        self._parser_for(self._catalog_if_changed())

    def sender(self, person_id: int) -> tuple[Sender, Scope]:
        return self._sender_of(sender_row(self.core, person_id))

    @staticmethod
    def _sender_of(person) -> tuple[Sender, Scope]:  # type: ignore[no-untyped-def]
        """From a person row (core.inbound's sender columns) or a Person."""
        return (
            Sender(
                person.id,
                person.full_name,
                person.first_name,
                person.kind,
                person.home_id,
                person.role_code,
            ),
            scope_for(person),
        )

    def handle(self, person_id: int, channel: str, text: str) -> Reply:
        """Answer one message from a known person, in one unit of work (joined by every
        service the handler calls); the receive path calls ``respond`` inside its own."""
        self.refresh()
        return one_message(
            self.core, person_id, lambda uow, person: self.respond(uow, person, channel, text)
        )

    def respond(
        self,
        uow: UnitOfWork,
        person,
        channel: str,  # type: ignore[no-untyped-def]
        text: str,
    ) -> Reply:
        """Parse, route, answer and log one message inside the caller's unit of work."""
        started = time.perf_counter()
        sender, scope = self._sender_of(person)
        if self._parser is None:  # not warmed up: load it here (the first message only)
            self._parser_for(self._catalog_if_changed())
        text = (text or "")[:MAX_TEXT]
        today = self.core.today()
        result = self._parser_for(None).parse(text, today)
        ctx = Context(
            core=self.core,
            sender=sender,
            scope=scope,
            channel=channel,
            today=today,
            now=self.core.clock.now(),
            intent=result.intent,
            slots=dict(result.slots),
            confidence=result.confidence,
            text=text,
        )
        reply = self.answer(ctx)
        latency = (time.perf_counter() - started) * 1000
        self._log(ctx, reply, latency)
        return reply

    def run_intent(self, person_id: int, channel: str, intent: str, slots: dict) -> Reply:
        """Run an intent directly (a button press): same handlers, same permissions, one
        unit of work."""
        return one_message(
            self.core,
            person_id,
            lambda uow, person: self.run_in(uow, person, channel, intent, slots),
        )

    def run_in(
        self,
        uow: UnitOfWork,
        person,
        channel: str,  # type: ignore[no-untyped-def]
        intent: str,
        slots: dict,
    ) -> Reply:
        """``run_intent`` inside the caller's unit of work."""
        sender, scope = self._sender_of(person)
        ctx = Context(
            core=self.core,
            sender=sender,
            scope=scope,
            channel=channel,
            today=self.core.today(),
            now=self.core.clock.now(),
            intent=intent,
            slots=dict(slots),
            confidence=1.0,
            text=f"[{intent}]",
        )
        reply = self.answer(ctx)
        self._log(ctx, reply, 0.0)
        return reply

    def answer(self, ctx: Context) -> Reply:
        try:
            if ctx.intent == "unknown":
                for fallback in self.registry.fallbacks:
                    claimed = fallback(ctx)
                    if claimed is not None:
                        return claimed
            return handler_for(ctx.intent, self.registry)(ctx)
        except NotAllowed as exc:
            return Reply(str(exc), kind="refused")
        except StaffbotError as exc:
            return Reply(str(exc), kind="error")

    def _log(self, ctx: Context, reply: Reply, latency_ms: float) -> None:
        record_exchange(
            self.core,
            ctx.sender.id,
            ctx.channel,
            redact_message(ctx.text, ctx.intent),
            reply.text,
            ctx.intent,
            ctx.confidence,
            latency_ms,
        )
        log.info(
            "message person=%s channel=%s intent=%s confidence=%.2f latency=%.1fms",
            ctx.sender.id,
            ctx.channel,
            ctx.intent,
            ctx.confidence,
            latency_ms,
        )
