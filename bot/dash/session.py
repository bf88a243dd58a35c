"""The dashboards' session: the signed cookie in, the viewer's Scope out, or a refusal.

Every page and every API call starts here, so nothing under /dash/ or /api/ answers without
a live session. Core errors map to HTTP statuses in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request

from core.app import Core
from core.dashboards.service import SessionEnded
from core.errors import InvalidInput, NotAllowed, NotFound, StaffbotError
from core.signin import Session, read_session_cookie

COOKIE = "staffbot_dash"
T = TypeVar("T")


class DashError(Exception):
    """A refusal the dashboards answer with a status and a sentence (HTML or JSON)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def session_of(core: Core, request: Request) -> Session | None:
    return read_session_cookie(
        core.settings.secret_key, request.cookies.get(COOKIE), core.clock.now()
    )


SIGN_IN = 'Please sign in: ask Staffbot for a link by typing "dashboard".'
ENDED = 'This session has ended. Ask Staffbot for a new link by typing "dashboard".'


def viewed(core: Core, request: Request, query: Callable[[Session], T]) -> T:
    """``viewed(core, request, lambda s: service.overview(core, s, home_id))``: run one of
    the dashboards' queries (``core.dashboards.service``, which opens its own read unit of
    work) for the browser's session; DashError(401) without a live session, core errors as
    400/403/404."""
    session = session_of(core, request)
    if session is None:
        raise DashError(401, SIGN_IN)
    try:
        return query(session)
    except SessionEnded as exc:
        raise DashError(401, ENDED) from exc
    except StaffbotError as exc:
        raise as_dash_error(exc) from exc


def as_dash_error(exc: StaffbotError) -> DashError:
    if isinstance(exc, NotAllowed):
        return DashError(403, str(exc))
    if isinstance(exc, NotFound):
        return DashError(404, str(exc))
    if isinstance(exc, InvalidInput):
        return DashError(400, str(exc))
    return DashError(400, str(exc))


NO_STORE: dict[str, Any] = {
    "Cache-Control": "private, no-store",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    # no scripts at all; styles and charts are inline; forms post only here
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' "
    "data:; form-action 'self'; frame-ancestors 'none'",
}
