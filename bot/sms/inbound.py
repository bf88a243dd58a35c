"""One inbound text, after its signature was checked: count it once, find who sent it, honour
carrier keywords, otherwise let the conversation answer.

Numbers are looked up by their keyed hash and never written to a log or the database in
clear; what is logged is masked, what is stored in the conversation log is redacted.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from dataclasses import dataclass
from datetime import time
from typing import Protocol

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from bot.sms.keywords import Keyword, carrier_keyword, is_bare_yes
from bot.sms.text import fit_sms
from core.app import Core
from core.errors import InvalidInput
from core.models import Channel, ConversationEntry, InboundMessage, OutboundMessage, Person
from core.phones import mask_phone, normalise_phone, vault_for
from core.redact import redact
from core.timeutil import local_date, local_instant
from core.uow import Actor, UnitOfWork

log = logging.getLogger(__name__)

PROVIDER = "twilio"
MAX_BODY = 1600  # Twilio's own limit for one message

STOP_REPLY = "You won't get any more texts from Staffbot. Text START to turn them back on."
START_REPLY = "Texts from Staffbot are back on. Text HELP for help or STOP to stop them."
YES_OPT_IN_REPLY = ("Texts from Staffbot are back on. If you were accepting an overtime offer, "
                    "please reply YES to it again.")
HELP_REPLY = ("Staffbot, your care home's staffing assistant. Reply YES or NO to offers, or "
              "text 'my shifts' or 'leave balance'. Text STOP to stop texts.")
UNKNOWN_REPLY = ("This is Staffbot, a care home staffing service. We don't recognise this "
                 "number, so we can't help by text. Please speak to your manager.")
EMPTY_REPLY = "That text was empty. Text HELP for what I can do."
SORRY_REPLY = "Sorry, something went wrong on our side. Please try again in a few minutes."


class Replies(Protocol):
    """What answers ordinary messages: ``bot.conversation.service.Conversation``."""

    def handle(self, person_id: int, channel: str, text: str):  # type: ignore[no-untyped-def]
        ...


@dataclass(frozen=True)
class InboundSms:
    sid: str
    from_number: str
    body: str
    opt_out_type: str | None = None


@dataclass(frozen=True)
class Outcome:
    reply: str | None  # None: answer with an empty TwiML response
    duplicate: bool = False
    person_id: int | None = None


class Handoff:
    """Who delivers the reply: the webhook's TwiML if it is ready in time, else the outbox.

    The webhook answers Twilio within a budget; a reply that is slower than that is not
    lost but sent as an ordinary outbound text when it is ready."""

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


_BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_body(body: str) -> str:
    """Control characters and bidi overrides out (newlines kept), Twilio's length limit kept.
    Joiners stay: emoji sequences need them."""
    text = "".join(ch for ch in (body or "")[: MAX_BODY * 2]
                   if ch in "\n\t" or (unicodedata.category(ch) not in ("Cc", "Cs", "Co")
                                         and ch not in _BIDI_OVERRIDES))
    return text.strip()[:MAX_BODY]


class SmsInbox:
    """Answers inbound texts for one core; thread-safe (the web process calls it from its
    thread pool)."""

    def __init__(self, core: Core, replies: Replies | None = None,
                 unknown_replies_per_day: int | None = None) -> None:
        self.core = core
        self._replies = replies
        self._replies_lock = threading.Lock()
        self._vault = vault_for(core.settings.secret_key)
        self.unknown_replies_per_day = (core.settings.sms_unknown_replies_per_day
                                        if unknown_replies_per_day is None
                                        else unknown_replies_per_day)

    @property
    def replies(self) -> Replies:
        with self._replies_lock:
            if self._replies is None:  # built on first use: the parser is heavy
                from bot.conversation.service import Conversation

                self._replies = Conversation(self.core)
            return self._replies

    def warm_up(self) -> None:
        """Load the conversation's parser now, so the first text is answered in time."""
        try:
            parser = getattr(self.replies, "parser", None)
            if callable(parser):
                parser()
        except Exception:
            log.exception("warming up the conversation failed")

    # ---- the whole flow ---------------------------------------------------------------

    def sender_hash(self, number: str) -> str:
        """The keyed hash people are looked up by; for a sender that is not a phone number
        (an alphanumeric id) the hash of what was sent, so rate limits still apply."""
        try:
            number = normalise_phone(number)
        except InvalidInput:
            number = number.strip()[:64]
        return self._vault.lookup_hash(number)

    def receive(self, sms: InboundSms, handoff: Handoff | None = None) -> Outcome:
        """Process one webhook delivery; a MessageSid already seen is not processed again.

        Keywords, unknown numbers and opted-out senders are settled in one transaction with
        the MessageSid's claim; anything else claims, lets the conversation answer (its own
        transactions), then stores the reply for a retried delivery."""
        hashed = self.sender_hash(sms.from_number)
        body = clean_body(sms.body)
        keyword = carrier_keyword(body, sms.opt_out_type)
        with self.core.uow() as uow:
            person = uow.session.scalars(select(Person).where(
                Person.phone_hash == hashed, Person.active.is_(True))).first()
            person_id = person.id if person is not None else None
            settled, reply = self._settle(uow, person, hashed, keyword, body, sms)
            if settled and reply and handoff is not None and not handoff.take_reply():
                if person_id is not None:  # the webhook has answered: send it as a text
                    uow.notify(OutboundMessage(person_id=person_id, channel=Channel.SMS,
                                               kind="text", payload={"text": reply}))
                reply = None
            # The claim goes in last, in the same transaction: if this MessageSid was seen
            # before, the unique (provider, provider_id) refuses it and whatever was decided
            # above (an opt-out, a log entry) is rolled back with it.
            if not self._claim(uow, sms.sid, hashed, (reply or "") if settled else None):
                log.info("sms %s already processed; answering as before", sms.sid)
                return Outcome(self._earlier_reply(uow, sms.sid), duplicate=True)
            if settled:
                uow.commit()
                return Outcome(reply, person_id=person_id)
            _relaxed_commit(uow)
        assert person_id is not None
        try:
            answer = self.replies.handle(person_id, "sms", body)
            reply = fit_sms(answer.sms) or None
        except Exception:
            self._release(sms.sid)  # let Twilio's retry (or the sender's) try again
            raise
        stored = reply
        if reply is not None and handoff is not None and not handoff.take_reply():
            self._queue_late_reply(person_id, reply)
            stored = None
        self._store_reply(sms.sid, stored)
        return Outcome(stored, person_id=person_id)

    @staticmethod
    def _claim(uow: UnitOfWork, sid: str, hashed: str, reply: str | None) -> bool:
        """Record the MessageSid (not committed yet); False if it was seen before."""
        try:
            uow.session.execute(insert(InboundMessage).values(
                provider=PROVIDER, provider_id=sid[:80], received_at=uow.now(),
                sender_hash=hashed, reply=reply))
        except IntegrityError:  # the unique (provider, provider_id), across processes
            uow.rollback()
            return False
        return True

    @staticmethod
    def _earlier_reply(uow: UnitOfWork, sid: str) -> str | None:
        return uow.session.scalars(select(InboundMessage.reply).where(
            InboundMessage.provider == PROVIDER,
            InboundMessage.provider_id == sid[:80])).first() or None

    def _release(self, sid: str) -> None:
        with self.core.uow() as uow:
            uow.session.execute(delete(InboundMessage).where(
                InboundMessage.provider == PROVIDER, InboundMessage.provider_id == sid[:80]))
            uow.commit()

    def _store_reply(self, sid: str, reply: str | None) -> None:
        with self.core.uow() as uow:
            uow.session.execute(update(InboundMessage).where(
                InboundMessage.provider == PROVIDER, InboundMessage.provider_id == sid[:80],
            ).values(reply=reply or ""))
            _relaxed_commit(uow)

    def _queue_late_reply(self, person_id: int | None, reply: str) -> None:
        if person_id is None:
            return
        with self.core.uow() as uow:
            uow.notify(OutboundMessage(person_id=person_id, channel=Channel.SMS, kind="text",
                                       payload={"text": reply}))
            uow.commit()
        log.info("slow reply to person=%s queued in the outbox", person_id)

    # ---- deciding the answer ------------------------------------------------------------

    def _settle(self, uow: UnitOfWork, person: Person | None, hashed: str,
                keyword: Keyword | None, body: str, sms: InboundSms
                ) -> tuple[bool, str | None]:
        """(settled here, reply): True unless the conversation should answer."""
        if person is None:
            return True, self._unknown_sender(uow, hashed, keyword, sms)
        opted_out = person.sms_opted_out_at is not None
        # Twilio's Advanced Opt-Out (OptOutType present) has sent its own confirmation.
        twilio_replied = bool(sms.opt_out_type)
        if keyword is Keyword.STOP:
            reply = None if twilio_replied else STOP_REPLY
            self._set_opt_out(uow, person, True, body, reply)
            return True, reply
        if keyword is Keyword.START:
            reply = None if twilio_replied else START_REPLY
            self._set_opt_out(uow, person, False, body, reply)
            return True, reply
        if opted_out and is_bare_yes(body):
            # YES after STOP turns texts back on, as Twilio does, and is never an
            # acceptance: the offer it might answer was sent before (or while) texts were
            # off, so we ask for a fresh YES.
            self._set_opt_out(uow, person, False, body, YES_OPT_IN_REPLY)
            return True, YES_OPT_IN_REPLY
        if keyword is Keyword.HELP:
            reply = None if twilio_replied else HELP_REPLY
            self._log_exchange(uow, person.id, body, reply, "sms.help")
            return True, reply
        if opted_out:
            # they asked for no texts: nothing is answered or acted on until START
            log.info("sms from opted-out person=%s ignored", person.id)
            return True, None
        if not body:
            return True, EMPTY_REPLY
        return False, None

    def _unknown_sender(self, uow: UnitOfWork, hashed: str, keyword: Keyword | None,
                        sms: InboundSms) -> str | None:
        if keyword is Keyword.STOP:
            return None  # nothing to stop, and nothing should follow a STOP
        day_start = local_instant(local_date(uow.now(), self.core.zone), time.min,
                                  self.core.zone)
        seen = 1 + (uow.session.scalar(select(func.count(InboundMessage.id)).where(
            InboundMessage.sender_hash == hashed,
            InboundMessage.received_at >= day_start)) or 0)  # this one is not claimed yet
        log.info("sms from unknown number %s (%s today)", mask_phone(sms.from_number), seen)
        return UNKNOWN_REPLY if seen <= self.unknown_replies_per_day else None

    def _set_opt_out(self, uow: UnitOfWork, person: Person, out: bool, body: str,
                     reply: str | None) -> None:
        before = person.sms_opted_out_at
        action = "sms.opted_out" if out else "sms.opted_in"
        if (before is None) == out:  # a change, not a repeat
            person.sms_opted_out_at = uow.now() if out else None
            uow.audit(Actor(person.full_name, person.id), action, "person", person.id,
                      before={"sms_opted_out_at": before},
                      after={"sms_opted_out_at": person.sms_opted_out_at,
                             "keyword": redact(body)[:20]})
        self._log_exchange(uow, person.id, body, reply, action)
        log.info("%s person=%s", action, person.id)

    @staticmethod
    def _log_exchange(uow: UnitOfWork, person_id: int, text: str, reply: str | None,
                      intent: str) -> None:
        now = uow.now()
        rows = [{"at": now, "person_id": person_id, "channel": "sms", "direction": "in",
                 "text": redact(text), "intent": intent, "confidence": 1.0}]
        if reply:
            rows.append({"at": now, "person_id": person_id, "channel": "sms",
                         "direction": "out", "text": redact(reply), "intent": intent,
                         "confidence": None})
        uow.session.execute(insert(ConversationEntry), rows)


def _relaxed_commit(uow: UnitOfWork) -> None:
    """Commit without waiting for the disk (PostgreSQL), for the MessageSid bookkeeping only.

    Safe because the log is written in order: the conversation's own (durable) commit that
    follows a claim makes the claim durable too, and a crash before that loses both, so
    the retried webhook is processed, once. A lost stored reply only means a retried
    delivery gets an empty answer."""
    bind = uow.session.get_bind()
    if bind.dialect.name == "postgresql":
        uow.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    uow.commit()
