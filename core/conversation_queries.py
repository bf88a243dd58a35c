"""The conversation's own commands and queries, each in its own unit of work: the open question
(``core.conversation_state``), one message's unit of work, the conversation log.

The chat handlers and the dialogue around them call these instead of opening units of work
themselves; inside a message (the ambient unit of work the receive path opened) each one
joins it, so one text stays one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from core.conversation_state import Pending, current, forget, remember
from core.errors import StaffbotError
from core.inbound import log_exchange, sender_by_id

if TYPE_CHECKING:
    from core.app import Core
    from core.uow import UnitOfWork

T = TypeVar("T")


# ---- the open question --------------------------------------------------------------------


def open_question(core: Core, person_id: int) -> Pending | None:
    """The person's open question, or None (none, or expired)."""
    with core.read() as uow:
        return current(uow, person_id)


def ask(core: Core, person_id: int, pending: Pending | None, minutes: int | None) -> None:
    """Record the question just asked (``pending``), or, with None, clear any open one."""
    with core.uow() as uow:
        if pending is not None:
            remember(uow, person_id, pending, minutes)
        else:
            forget(uow, person_id)
        uow.commit()


def settle(
    core: Core,
    person_id: int,
    asked: Pending | None,
    answered: Pending | None,
    minutes: int | None,
) -> None:
    """After a handler answered: remember the question it asked, else forget the one it
    answered (``answered``); neither: nothing to change."""
    with core.uow() as uow:
        if asked is not None:
            remember(uow, person_id, asked, minutes)
        elif answered is not None:
            forget(uow, person_id)
        uow.commit()


def close_question(core: Core, person_id: int) -> None:
    """The open question is answered or withdrawn."""
    with core.uow() as uow:
        forget(uow, person_id)
        uow.commit()


# ---- one message ----------------------------------------------------------------------------


def one_message(core: Core, person_id: int, work: Callable[[UnitOfWork, Any], T]) -> T:
    """Run ``work(uow, sender row)`` for one message from a known person in ONE unit of work
    that every unit of work opened inside it joins, and commit it. StaffbotError("Unknown
    person.") when there is no such person."""
    with core.uow(ambient=True) as uow:
        person = sender_by_id(uow.session, person_id)
        if person is None:
            raise StaffbotError("Unknown person.")
        result = work(uow, person)
        uow.commit()
    return result


def sender_row(core: Core, person_id: int) -> Any:
    """The sender columns of a person (``core.inbound.sender_by_id``); StaffbotError when
    there is no such person."""
    with core.read() as uow:
        person = sender_by_id(uow.session, person_id)
    if person is None:
        raise StaffbotError("Unknown person.")
    return person


def record_exchange(
    core: Core,
    person_id: int,
    channel: str,
    text: str,
    reply: str,
    intent: str,
    confidence: float,
    latency_ms: float,
) -> None:
    """The conversation log's entry for one message and its answer (``text`` already
    redacted by the caller: ``core.redact.redact_message``)."""
    with core.uow() as uow:
        log_exchange(uow, person_id, channel, text, reply, intent, confidence, latency_ms)
        uow.commit()
