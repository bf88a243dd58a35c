"""Receiving one message, on any channel: the one path every adapter calls.

The adapter (the SMS webhook, Slack, the chat console) turns its request into a plain
``Inbound`` (channel, sender address, text, provider id), calls ``Receiver.receive`` once and
renders what comes back (a reply, or nothing). Everything else happens here, in ONE unit of
work that the core services called on the way join (``Core.uow`` joins an ambient one):

1. claim the delivery (Twilio's MessageSid, Slack's event id or trigger id) - first statement,
   not committed on its own: the claim commits only together with what the message did and
   its stored reply, so a crash part-way leaves it unclaimed and the provider's retry is
   processed in full, and a retry of a finished one gets the stored answer;
2. find the sender (only the columns needed), with the unknown-sender rule;
3. SMS carrier keywords (STOP/START/HELP and their synonyms, YES from an opted-out number),
   exactly as Twilio treats them, before any parsing - the console's SMS people too;
4. the conversation (parse, handler, conversation log);
5. the stored reply; one commit.

A slow answer (past the webhook's budget, see ``Handoff``) is queued as an ordinary outbound
text in the same transaction instead of being returned.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.conversation.reply import Reply
from bot.sms.keywords import (
    EMPTY_REPLY,
    HELP_REPLY,
    START_REPLY,
    STOP_REPLY,
    UNKNOWN_REPLY,
    YES_OPT_IN_REPLY,
    Keyword,
    carrier_keyword,
    is_bare_yes,
)
from core.app import Core
from core.errors import InvalidInput
from core.inbound import (
    claim,
    deliveries_from,
    earlier_reply,
    log_exchange,
    sender_by_phone_hash,
    sender_by_slack,
    set_sms_opt_out,
    store_reply,
)
from core.models import Channel, OutboundMessage
from core.phones import normalise_phone, vault_for
from core.redact import redact
from core.timeutil import local_date, local_instant
from core.uow import UnitOfWork

log = logging.getLogger(__name__)

MAX_TEXT = 4000  # characters kept of any message (Twilio's own limit is 1,600)
PROVIDERS = {"sms": "twilio", "slack": "slack"}

_BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# most texts are printable ASCII (newlines and tabs too): nothing to take out, one C-level scan
_PLAIN = re.compile(r"[\x20-\x7e\n\t]*")


def clean_text(text: str | None, limit: int = MAX_TEXT) -> str:
    """Control characters (NUL included), surrogates, private-use characters and bidi
    overrides out, newlines and tabs kept, trimmed, at most ``limit`` characters. Joiners
    stay: emoji sequences need them. Every channel's text goes through this."""
    text = (text or "")[: limit * 2]
    if _PLAIN.fullmatch(text):
        return text.strip()[:limit]
    kept = "".join(
        ch
        for ch in text
        if ch in "\n\t"
        or (unicodedata.category(ch) not in ("Cc", "Cs", "Co") and ch not in _BIDI_OVERRIDES)
    )
    return kept.strip()[:limit]


def database_unavailable(exc: BaseException) -> bool:
    """True for a failure of the database itself (unreachable, restarting, locked, pool
    exhausted), after which the provider should retry: the message was not processed."""
    return isinstance(exc, (OperationalError, InterfaceError, DisconnectionError, PoolTimeout))


@dataclass(frozen=True)
class Inbound:
    """One message as it arrived, channel-neutral."""

    channel: str  # "sms" or "slack" (the console rehearses one of them)
    sender: str  # a phone number (sms) or a Slack user id (slack)
    text: str
    provider_id: str | None = None  # MessageSid / event id / trigger id; None: no claim
    provider: str | None = None  # whose ids those are (default: by channel)
    opt_out_type: str | None = None  # Twilio's OptOutType (Advanced Opt-Out)
    intent: tuple[str, dict[str, Any]] | None = None  # a button: this intent, no parsing


@dataclass(frozen=True)
class Received:
    """What to answer. ``reply`` is None for nothing to say or a duplicate; ``text`` is the
    answer as rendered for the channel (a duplicate's is the stored first answer)."""

    reply: Reply | None
    text: str | None
    duplicate: bool = False
    person_id: int | None = None
    known: bool = True  # False: the sender is nobody we know
    meta: dict[str, Any] = field(default_factory=dict)


class _RunAgain(Exception):
    """The first, savepoint-free run of a message must be repeated with savepoints."""


class Handoff:
    """Who delivers the reply: the webhook's answer if it is ready in time, else the outbox.

    The webhook answers within a budget; a reply slower than that is not lost but queued as
    an ordinary outbound text, in the same transaction as the rest of the message."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready = False
        self._abandoned = False

    def take_reply(self) -> bool:
        """The processing side: True if the webhook is still waiting for the reply."""
        with self._lock:
            self._ready = True
            return not self._abandoned

    def abandon(self) -> bool:
        """The webhook side: True if it gave up before the reply was ready."""
        with self._lock:
            if self._ready:
                return False
            self._abandoned = True
            return True


Renderer = Callable[[Reply], str]


def _plain(reply: Reply) -> str:
    return reply.text


class Receiver:
    """The receive service for one core; thread-safe (web workers call it from threads)."""

    def __init__(
        self,
        core: Core,
        conversation: Any = None,
        renderers: dict[str, Renderer] | None = None,
        unknown_replies_per_day: int | None = None,
    ) -> None:
        self.core = core
        self._conversation = conversation
        self._lock = threading.Lock()
        self._warm = False
        self._vault = vault_for(core.settings.secret_key)
        self.renderers: dict[str, Renderer] = {"slack": _plain, "sms": _plain}
        self.renderers.update(renderers or {})
        self.unknown_replies_per_day = (
            core.settings.sms_unknown_replies_per_day
            if unknown_replies_per_day is None
            else unknown_replies_per_day
        )

    @property
    def conversation(self) -> Any:
        with self._lock:
            if self._conversation is None:  # built on first use: the parser is heavy
                from bot.conversation.service import Conversation

                self._conversation = Conversation(self.core)
            return self._conversation

    def warm_up(self) -> None:
        """Load the parser now, so the first message is answered in time (a worker calls
        this as it starts; ``ready`` is False until it is done)."""
        try:
            parser = getattr(self.conversation, "parser", None)
            if callable(parser):
                parser()
            self._warm = True
        except Exception:
            log.exception("loading the parser failed")

    @property
    def ready(self) -> bool:
        """True once the parser is loaded: the first message is answered without waiting."""
        if self._warm:
            return True
        conversation = self._conversation
        if conversation is None:
            return False
        loaded = getattr(conversation, "_parser", None) is not None
        return loaded or not callable(getattr(conversation, "parser", None))

    def sender_hash(self, number: str) -> str:
        """The keyed hash people are looked up by; for a sender that is not a phone number
        (an alphanumeric id) the hash of what was sent, so rate limits still apply."""
        try:
            number = normalise_phone(number)
        except InvalidInput:
            number = number.strip()[:64]
        return self._vault.lookup_hash(number)

    # ---- the one path -------------------------------------------------------------------

    def receive(self, msg: Inbound, handoff: Handoff | None = None) -> Received:
        """Process one message once; see the module docstring. Raises only when the
        database fails (the adapter answers so that the provider retries)."""
        conversation = self.conversation
        refresh = getattr(conversation, "refresh", None)
        if callable(refresh):
            refresh()  # the parser's name catalog, when due: a short read of its own
        reconnected, lazy = False, True
        while True:
            try:
                return self._receive(msg, handoff, lazy)
            except _RunAgain:
                # something inside rolled back its writes (a lost race, a refusal after a
                # write): the whole message again, from its claim, with real savepoints
                lazy = False
            except DBAPIError as exc:
                # a pooled connection found dead (the database restarted): the pool was
                # discarded, so one retry reconnects; anything else goes to the caller
                if reconnected or not exc.connection_invalidated:
                    raise
                reconnected = True
                log.warning("database connection lost; retrying the message once")

    def _receive(self, msg: Inbound, handoff: Handoff | None, lazy: bool) -> Received:
        uow = self.core.uow(ambient=True, lazy_savepoints=lazy)
        try:
            return self._receive_in(uow, msg, handoff)
        except Exception as exc:
            if lazy and uow.poisoned:
                raise _RunAgain from exc
            raise

    def _receive_in(self, uow: UnitOfWork, msg: Inbound, handoff: Handoff | None) -> Received:
        text = clean_text(msg.text)
        sms = msg.channel == "sms"
        hashed = self.sender_hash(msg.sender) if sms else None
        provider = msg.provider or PROVIDERS.get(msg.channel, msg.channel)
        render = self.renderers.get(msg.channel, _plain)
        with uow:
            if msg.provider_id and not claim(uow, provider, msg.provider_id, hashed):
                stored = earlier_reply(uow.session, provider, msg.provider_id)
                log.info("%s delivery already processed; answering as before", provider)
                return Received(None, stored, duplicate=True)
            person = (
                sender_by_phone_hash(uow.session, hashed)
                if hashed is not None
                else sender_by_slack(uow.session, msg.sender)
            )
            settled, reply = False, None
            if sms:
                settled, answer = self._sms_decide(uow, person, hashed or "", text, msg)
                reply = Reply(answer, kind="sms.keyword") if answer else None
            if not settled and person is not None:
                reply = self._converse(uow, person, msg, text)
            rendered = render(reply) if reply is not None else None
            rendered = rendered or None
            stored = rendered
            if rendered and handoff is not None and not handoff.take_reply():
                if person is not None and sms:  # the webhook has answered: text it instead
                    uow.notify(
                        OutboundMessage(
                            person_id=person.id,
                            channel=Channel.SMS,
                            kind="text",
                            payload={"text": rendered},
                        )
                    )
                    log.info("slow reply to person=%s queued in the outbox", person.id)
                stored = None
            if msg.provider_id:
                store_reply(uow, provider, msg.provider_id, stored)
            uow.commit()
        person_id = person.id if person is not None else None
        return Received(
            reply if stored is not None else None,
            stored,
            person_id=person_id,
            known=person is not None,
        )

    def _converse(self, uow: UnitOfWork, person: Row[Any], msg: Inbound, text: str) -> Reply:
        conversation = self.conversation
        if msg.intent is not None:
            intent, slots = msg.intent
            run_in = getattr(conversation, "run_in", None)
            if callable(run_in):
                return run_in(uow, person, msg.channel, intent, slots)  # type: ignore[no-any-return]
            return conversation.run_intent(person.id, msg.channel, intent, slots)  # type: ignore[no-any-return]
        respond = getattr(conversation, "respond", None)
        if callable(respond):
            return respond(uow, person, msg.channel, text or "help")  # type: ignore[no-any-return]
        # a stand-in with only handle(): it joins this unit of work through Core.uow
        return conversation.handle(person.id, msg.channel, text or "help")  # type: ignore[no-any-return]

    # ---- SMS: carrier keywords and the unknown-number rule -------------------------------

    def _sms_decide(
        self, uow: UnitOfWork, person: Row[Any] | None, hashed: str, text: str, msg: Inbound
    ) -> tuple[bool, str | None]:
        """(settled here, answer): a carrier keyword or the sender decides the message, or
        (False, None) for the conversation to answer."""
        keyword = carrier_keyword(text, msg.opt_out_type)
        if person is None:
            return True, self._unknown_sender(uow, hashed, keyword, bool(msg.provider_id))
        opted_out = person.sms_opted_out_at is not None
        # Twilio's Advanced Opt-Out (OptOutType present) has sent its own confirmation.
        twilio_replied = bool(msg.opt_out_type)
        if keyword is Keyword.STOP:
            answer = None if twilio_replied else STOP_REPLY
            self._opt(uow, person, True, text, answer)
            return True, answer
        if keyword is Keyword.START:
            answer = None if twilio_replied else START_REPLY
            self._opt(uow, person, False, text, answer)
            return True, answer
        if opted_out and is_bare_yes(text):
            # YES after STOP turns texts back on, as Twilio does, and is never an
            # acceptance: the offer it might answer was sent before (or while) texts were
            # off, so we ask for a fresh YES.
            self._opt(uow, person, False, text, YES_OPT_IN_REPLY)
            return True, YES_OPT_IN_REPLY
        if keyword is Keyword.HELP:
            answer = None if twilio_replied else HELP_REPLY
            log_exchange(uow, person.id, "sms", text, answer, "sms.help", confidence=1.0)
            return True, answer
        if opted_out:
            # they asked for no texts: nothing is answered or acted on until START
            log.info("sms from opted-out person=%s ignored", person.id)
            return True, None
        if not text:
            return True, EMPTY_REPLY
        return False, None

    def _unknown_sender(
        self, uow: UnitOfWork, hashed: str, keyword: Keyword | None, claimed: bool
    ) -> str | None:
        if keyword is Keyword.STOP:
            return None  # nothing to stop, and nothing should follow a STOP
        day_start = local_instant(local_date(uow.now(), self.core.zone), time.min, self.core.zone)
        # this delivery is counted when it was claimed (the console claims nothing)
        seen = deliveries_from(uow.session, hashed, day_start) + (0 if claimed else 1)
        log.info("sms from an unknown number (%s today)", seen)
        return UNKNOWN_REPLY if seen <= self.unknown_replies_per_day else None

    @staticmethod
    def _opt(uow: UnitOfWork, person: Row[Any], out: bool, text: str, answer: str | None) -> None:
        action = "sms.opted_out" if out else "sms.opted_in"
        set_sms_opt_out(
            uow, person.id, person.full_name, person.sms_opted_out_at, out, redact(text)[:20]
        )
        log_exchange(uow, person.id, "sms", text, answer, action, confidence=1.0)
        log.info("%s person=%s", action, person.id)
