"""One inbound text, after its signature was checked: handed to the channel-neutral receive
service (``bot.conversation.receive``), which claims the MessageSid, finds the sender by the
keyed hash of their number, honours carrier keywords and lets the conversation answer, all
in one transaction. This module only turns the webhook's fields into an ``Inbound`` and the
answer into SMS text (GSM-7 where possible, at most three segments).

Numbers are never written to a log or the database in clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.conversation.receive import Handoff, Inbound, Receiver, clean_text
from bot.conversation.reply import Reply
from bot.sms.keywords import (  # noqa: F401 - the texts, for callers and tests
    EMPTY_REPLY,
    HELP_REPLY,
    START_REPLY,
    STOP_REPLY,
    UNKNOWN_REPLY,
    YES_OPT_IN_REPLY,
)
from bot.sms.text import fit_sms
from core.app import Core

__all__ = ["Handoff", "InboundSms", "Outcome", "SmsInbox", "clean_body"]

PROVIDER = "twilio"
MAX_BODY = 1600  # Twilio's own limit for one message

SORRY_REPLY = "Sorry, something went wrong on our side. Please try again in a few minutes."

Replies = Any  # the conversation (bot.conversation.service.Conversation) or a stand-in


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


def clean_body(body: str) -> str:
    """Control characters and bidi overrides out (newlines kept), Twilio's length limit."""
    return clean_text(body, MAX_BODY)


def sms_text(reply: Reply) -> str:
    return fit_sms(reply.sms)


class SmsInbox:
    """Answers inbound texts for one core; thread-safe (the web process calls it from its
    thread pool)."""

    def __init__(
        self, core: Core, replies: Replies | None = None, unknown_replies_per_day: int | None = None
    ) -> None:
        self.core = core
        self.receiver = Receiver(
            core,
            replies,
            renderers={"sms": sms_text},
            unknown_replies_per_day=unknown_replies_per_day,
        )

    @property
    def ready(self) -> bool:
        return self.receiver.ready

    def warm_up(self) -> None:
        self.receiver.warm_up()

    def receive(self, sms: InboundSms, handoff: Handoff | None = None) -> Outcome:
        """Process one webhook delivery; a MessageSid already seen gets its first answer."""
        got = self.receiver.receive(
            Inbound(
                channel="sms",
                sender=sms.from_number,
                text=clean_body(sms.body),
                provider_id=sms.sid,
                provider=PROVIDER,
                opt_out_type=sms.opt_out_type,
            ),
            handoff,
        )
        return Outcome(got.text, duplicate=got.duplicate, person_id=got.person_id)
