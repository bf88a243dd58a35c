"""Messages the assistant sends first: delivered once, retried on temporary failures,
recorded and reported on permanent ones, never texted to someone who said STOP."""

from datetime import timedelta

from sqlalchemy import select

from bot.delivery import deliver_due
from core.models import AuditEntry, Channel, OutboundMessage, Person
from core.outbox import FAILURE_HOOKS, DeliveryError, MessageSender


class RecordingSender(MessageSender):
    def __init__(self, fail_with=None):
        self.sent, self.fail_with = [], list(fail_with or [])

    def send(self, envelope, text, blocks=None):
        if self.fail_with:
            raise self.fail_with.pop(0)
        self.sent.append((envelope.address, envelope.recipient_name, text))
        return f"P{len(self.sent)}"


def _queue(core, name, text="hello", channel=Channel.SMS):
    with core.uow() as uow:
        person = uow.session.scalars(select(Person).where(Person.full_name == name)).one()
        msg = uow.notify(OutboundMessage(person_id=person.id, channel=channel, kind="text",
                                         payload={"text": text}))
        uow.commit()
        return msg.id


def _status(core, message_id):
    with core.uow() as uow:
        msg = uow.session.get(OutboundMessage, message_id)
        return msg.status, msg.attempts, msg.provider_id


def test_a_queued_text_is_sent_once_to_the_decrypted_number(demo_core):
    mid = _queue(demo_core, "Jennifer Ross", "Shift offer")
    sender = RecordingSender()
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 1
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 0
    assert len(sender.sent) == 1
    address, name, text = sender.sent[0]
    assert address.startswith("+447700900") and name == "Jennifer Ross" and text == "Shift offer"
    assert _status(demo_core, mid) == ("sent", 1, "P1")


def test_temporary_failure_is_retried_later_with_backoff(demo_core):
    mid = _queue(demo_core, "Jennifer Ross")
    sender = RecordingSender(fail_with=[DeliveryError("429 too many requests")])
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 0
    assert _status(demo_core, mid)[0] == "queued"
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 0  # not due yet: backing off
    demo_core.clock.advance(timedelta(minutes=1))
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 1
    assert _status(demo_core, mid)[:2] == ("sent", 2)


def test_permanent_failure_is_recorded_audited_and_reported_to_hooks(demo_core):
    seen = []
    FAILURE_HOOKS.append(lambda uow, msg: seen.append(msg.id))
    try:
        mid = _queue(demo_core, "Jennifer Ross")
        sender = RecordingSender(fail_with=[DeliveryError("21211 invalid number", permanent=True)])
        deliver_due(demo_core, {Channel.SMS: sender})
    finally:
        FAILURE_HOOKS.pop()
    assert _status(demo_core, mid)[0] == "failed"
    assert seen == [mid]
    with demo_core.uow() as uow:
        audit = uow.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "message.failed")).all()
        assert [a.entity_id for a in audit] == [str(mid)]


def test_an_adapter_crash_is_retried_not_lost(demo_core):
    mid = _queue(demo_core, "Jennifer Ross")
    sender = RecordingSender(fail_with=[ConnectionResetError("peer reset")])
    deliver_due(demo_core, {Channel.SMS: sender})
    assert _status(demo_core, mid)[0] == "queued"
    demo_core.clock.advance(timedelta(minutes=5))
    assert deliver_due(demo_core, {Channel.SMS: sender}) == 1


def test_nobody_who_said_stop_is_ever_texted(demo_core):
    with demo_core.uow() as uow:
        person = uow.session.scalars(select(Person).where(
            Person.full_name == "Jennifer Ross")).one()
        person.sms_opted_out_at = uow.now()
        uow.commit()
    mid = _queue(demo_core, "Jennifer Ross")
    sender = RecordingSender()
    deliver_due(demo_core, {Channel.SMS: sender})
    assert sender.sent == []
    assert _status(demo_core, mid)[0] == "suppressed"


def test_slack_messages_go_to_the_slack_user_id(demo_core):
    _queue(demo_core, "Sarah MacKenzie", "hi", channel=Channel.SLACK)
    sender = RecordingSender()
    deliver_due(demo_core, {Channel.SLACK: sender})
    assert sender.sent[0][0] == "USARAH001"
