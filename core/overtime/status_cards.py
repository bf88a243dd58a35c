"""Live status cards of requests (``core.status_posts``) as services: each in its own unit of
work, so a channel adapter (``bot/slack/outreach.py``) remembers, reads and marks its posts
without opening transactions itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.overtime.commands import RequestSummary
from core.overtime.records import request_summary
from core.status_posts import PostRef, mark_shown, open_posts, remember_post

if TYPE_CHECKING:
    from core.app import Core


@dataclass(frozen=True)
class StatusCard:
    """A post still showing a request that may change, and the request as it is now."""

    post: PostRef
    request: RequestSummary


def remember_card(
    core: Core, request_id: int, provider: str, channel: str, message_ref: str, fingerprint: str
) -> None:
    """Record where a request's status card was posted (idempotent for the same message)."""
    with core.uow() as uow:
        remember_post(uow, request_id, provider, channel, message_ref, fingerprint)


def open_cards(core: Core, provider: str, request_id: int | None = None) -> list[StatusCard]:
    """Every open card of ``provider`` (or of one request) with its request's summary, read
    in one unit of work."""
    with core.read() as uow:
        posts = open_posts(uow, provider, request_id)
        summaries: dict[int, RequestSummary] = {}
        for p in posts:
            if p.request_id not in summaries:
                summaries[p.request_id] = request_summary(uow.session, p.request_id)
    return [StatusCard(p, summaries[p.request_id]) for p in posts]


def card_shown(core: Core, post_id: int, fingerprint: str, closed: bool) -> None:
    """The card now shows ``fingerprint``; ``closed`` once it shows a final state."""
    with core.uow() as uow:
        mark_shown(uow, post_id, fingerprint, closed)
