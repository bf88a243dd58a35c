"""The SMS channel on Twilio.

- ``webhooks.sms_router``: ``POST /sms/inbound`` and ``POST /sms/status`` (signed webhooks)
- ``inbound.SmsInbox``: one text in -> idempotency, sender look-up, carrier keywords, reply
- ``sender.TwilioSmsSender``: the outbox's way out, paced, errors sorted for retry
- ``keywords`` and ``text``: STOP/START/HELP, and GSM-7 sized replies

See ``docs/sms.md`` for setting up a Twilio number.
"""

from __future__ import annotations

from core.models import Channel, OutboundMessage, Person
from core.uow import Actor, UnitOfWork

CARRIER_OPT_OUT_CODE = "21610"  # Twilio: the recipient has replied STOP at the carrier


def carrier_opt_out(uow: UnitOfWork, msg: OutboundMessage) -> None:
    """Twilio refused a text because the person opted out at the carrier (a STOP we never
    saw): record it, so nothing else is tried until they text START. A delivery-failure
    hook: ``bot.capabilities.install_sms`` adds it to the registry."""
    if msg.channel != Channel.SMS or not msg.person_id or not msg.error:
        return
    if f"error {CARRIER_OPT_OUT_CODE}" not in msg.error:
        return
    person = uow.session.get(Person, msg.person_id)
    if person is None or person.sms_opted_out_at is not None:
        return
    person.sms_opted_out_at = uow.now()
    uow.audit(
        Actor.system("sms"),
        "sms.opted_out",
        "person",
        person.id,
        before={"sms_opted_out_at": None},
        after={"sms_opted_out_at": person.sms_opted_out_at, "via": "carrier (21610)"},
    )
