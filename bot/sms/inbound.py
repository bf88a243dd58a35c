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

from bot.sms.keywords import Keyword, carrier_keyword, is_bare_yes
from bot.sms.text import fit_sms
from core.app import Core
from core.errors import InvalidInput
from core.directory import person_by_phone_hash
from core.inbound import (
    claim_delivery,
    deliveries_from,
    earlier_reply,
    log_exchange,
    release_delivery,
    store_reply,
)
from core.models import Channel, OutboundMessage, Person
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
            person = person_by_phone_hash(uow.session, hashed)
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
            if not claim_delivery(uow, PROVIDER, sms.sid, hashed,
                                  (reply or "") if settled else None):
                log.info("sms %s already processed; answering as before", sms.sid)
                return Outcome(earlier_reply(uow.session, PROVIDER, sms.sid), duplicate=True)
            if settled:
                uow.commit()
                return Outcome(reply, person_id=person_id)
            # the claim is made durable by the conversation's own commit that follows
            uow.commit(durable=False)
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

    def _release(self, sid: str) -> None:
        with self.core.uow() as uow:
            release_delivery(uow, PROVIDER, sid)

    def _store_reply(self, sid: str, reply: str | None) -> None:
        with self.core.uow() as uow:
            store_reply(uow, PROVIDER, sid, reply)
            uow.commit(durable=False)  # a lost stored reply only empties a retry's answer

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
        seen = 1 + deliveries_from(uow.session, hashed, day_start)  # this one: not claimed yet
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
        log_exchange(uow, person_id, "sms", text, reply, intent, confidence=1.0)
