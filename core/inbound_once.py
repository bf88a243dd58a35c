"""Process a provider's delivery once: webhooks are retried (Slack resends an event it thinks
was lost), and the same event must not count twice."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from core.models import InboundMessage
from core.uow import UnitOfWork


def first_delivery(uow: UnitOfWork, provider: str, provider_id: str) -> bool:
    """Record ``provider_id`` as received; False when it was already seen. Commits."""
    uow.session.add(InboundMessage(provider=provider, provider_id=provider_id[:80],
                                   received_at=uow.now()))
    try:
        uow.commit()
    except IntegrityError:  # the unique (provider, provider_id) says: seen before
        uow.rollback()
        return False
    return True
