"""Where a request's live status was posted in a chat channel, so that channel can rewrite
the post as people answer. The channel decides what the post looks like; the core keeps the
address and a fingerprint of what is shown, so an unchanged status is not rewritten."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.models import StatusPost
from core.uow import UnitOfWork


@dataclass(frozen=True)
class PostRef:
    id: int
    request_id: int
    channel: str
    message_ref: str
    fingerprint: str | None


def remember_post(
    uow: UnitOfWork,
    request_id: int,
    provider: str,
    channel: str,
    message_ref: str,
    fingerprint: str | None = None,
) -> None:
    """Record a status post (idempotent for the same message). Commits."""
    uow.session.add(
        StatusPost(
            request_id=request_id,
            provider=provider,
            channel=channel,
            message_ref=message_ref,
            fingerprint=fingerprint,
            closed=False,
            created_at=uow.now(),
        )
    )
    try:
        uow.commit()
    except IntegrityError:
        uow.rollback()


def open_posts(uow: UnitOfWork, provider: str, request_id: int | None = None) -> list[PostRef]:
    """Posts still showing a request that may change."""
    query = (
        select(StatusPost)
        .where(StatusPost.provider == provider, StatusPost.closed.is_(False))
        .order_by(StatusPost.id)
    )
    if request_id is not None:
        query = query.where(StatusPost.request_id == request_id)
    return [
        PostRef(p.id, p.request_id, p.channel, p.message_ref, p.fingerprint)
        for p in uow.session.scalars(query)
    ]


def mark_shown(uow: UnitOfWork, post_id: int, fingerprint: str, closed: bool) -> None:
    """The post now shows ``fingerprint``; ``closed`` once it shows a final state. Commits."""
    post = uow.session.get(StatusPost, post_id)
    if post is None:
        return
    post.fingerprint, post.closed, post.updated_at = fingerprint, closed, uow.now()
    uow.commit()
