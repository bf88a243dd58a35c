"""The dashboards as services: what the web pages, their JSON API and chat call.

Each page's query opens its own read unit of work, checks the browser's session is still live
(``core.signin``), finds the viewer's scope (``access.viewer``) and runs the page's read model
(``views``, ``rota``) in it, returning plain data (``Viewed``). Signing in and out, and a
sign-in link asked for in chat, are commands in their own units of work. The web layer only
reads the cookie and draws what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from core.dashboards.access import viewer
from core.dashboards.config import dashboard_settings
from core.dashboards.rota import rota_compare as _rota_compare
from core.dashboards.rota import rota_drafts as _rota_drafts
from core.dashboards.views import fairness as _fairness
from core.dashboards.views import forecast as _forecast
from core.dashboards.views import overview as _overview
from core.dashboards.views import person_record as _person_record
from core.dashboards.views import ranking as _ranking
from core.dashboards.views import request_detail as _request_detail
from core.dashboards.views import viewer_json
from core.errors import StaffbotError
from core.models import Channel, OutboundMessage
from core.permissions import Scope
from core.signin import Session, issue_link, redeem_link, session_is_live, sign_out

if TYPE_CHECKING:
    from core.app import Core
    from core.uow import Actor, UnitOfWork

T = TypeVar("T")


class SessionEnded(StaffbotError):
    """The browser's session was signed out, or its person can no longer sign in."""


@dataclass(frozen=True)
class Viewed(Generic[T]):
    """What one page shows: the viewer's scope, the page's data, and (where the page offers
    a choice of home) the homes the viewer may pick from."""

    scope: Scope
    data: T
    homes: tuple[dict[str, Any], ...] = field(default=())


def _viewing(core: Core, session: Session, read: Callable[[UnitOfWork, Scope], T]) -> Viewed[T]:
    with core.read() as uow:
        if not session_is_live(uow, session):
            raise SessionEnded("This session has ended.")
        scope = viewer(uow.session, session.person_id)
        return Viewed(scope, read(uow, scope))


# ---- the pages' queries (the JSON API returns the same data) ---------------------------------


def signed_in(core: Core, session: Session) -> Scope:
    """The viewer's scope, for pages that show no data of their own (the API's docs)."""
    return _viewing(core, session, lambda _uow, _scope: None).scope


def me(core: Core, session: Session) -> Viewed[dict[str, Any]]:
    """Who is signed in and the homes they may see."""
    return _viewing(core, session, lambda uow, scope: viewer_json(scope, uow.session))


def landing(core: Core, session: Session) -> Viewed[dict[str, Any] | None]:
    """The first page: for a manager the overview of their homes (of their one home when
    they manage one); for staff nothing (their page is their own record)."""

    def read(uow: UnitOfWork, scope: Scope) -> dict[str, Any] | None:
        if not scope.is_manager:
            return None
        homes = viewer_json(scope, uow.session)["homes"]
        only = homes[0]["id"] if len(homes) == 1 and scope.home_ids is not None else None
        return _overview(
            uow.session, scope, uow.now(), core.today(), core.zone, dashboard_settings(core), only
        )

    return _viewing(core, session, read)


def overview(core: Core, session: Session, home_id: int | None = None) -> Viewed[dict[str, Any]]:
    """Open outreach, gaps, fill rate, agency use: one home, or every home the viewer manages."""
    return _viewing(
        core,
        session,
        lambda uow, scope: _overview(
            uow.session,
            scope,
            uow.now(),
            core.today(),
            core.zone,
            dashboard_settings(core),
            home_id,
        ),
    )


def ranking(
    core: Core,
    session: Session,
    home_id: int,
    day: date | None,
    shift_type: str,
    role: str,
    profile: str | None = None,
) -> Viewed[dict[str, Any]]:
    """The live ranking for a shift (``day`` None: today)."""
    from core.overtime import settings_for

    return _viewing(
        core,
        session,
        lambda uow, scope: _ranking(
            uow.session,
            scope,
            uow.now(),
            core.zone,
            settings_for(core),
            home_id,
            day or core.today(),
            shift_type,
            role,
            profile,
        ),
    )


def request_ranking(core: Core, session: Session, request_id: int) -> Viewed[dict[str, Any]]:
    """The ranking for an open overtime request (people already asked left out)."""
    from core.overtime import settings_for

    return _viewing(
        core,
        session,
        lambda uow, scope: _ranking(
            uow.session,
            scope,
            uow.now(),
            core.zone,
            settings_for(core),
            0,
            core.today(),
            "",
            "",
            request_id=request_id,
        ),
    )


def request_detail(core: Core, session: Session, request_id: int) -> Viewed[dict[str, Any]]:
    """An overtime request's live state."""
    return _viewing(
        core, session, lambda uow, scope: _request_detail(uow.session, scope, request_id)
    )


def fairness(
    core: Core, session: Session, days: int, home_id: int | None = None, *, homes: bool = False
) -> Viewed[dict[str, Any]]:
    """Overtime hours and offers per willing person over ``days``; with ``homes=True`` also
    the homes the viewer may pick from (``Viewed.homes``)."""

    def read(uow: UnitOfWork, scope: Scope) -> tuple[dict[str, Any], tuple[dict[str, Any], ...]]:
        data = _fairness(uow.session, scope, uow.now(), core.today(), core.zone, days, home_id)
        choices = tuple(viewer_json(scope, uow.session)["homes"]) if homes else ()
        return data, choices

    seen = _viewing(core, session, read)
    data, choices = seen.data
    return Viewed(seen.scope, data, choices)


def person_record(
    core: Core, session: Session, person_id: int, days: int
) -> Viewed[dict[str, Any]]:
    """One person's overtime record over ``days``."""
    return _viewing(
        core,
        session,
        lambda uow, scope: _person_record(
            uow.session, scope, uow.now(), core.today(), person_id, days
        ),
    )


def forecast(
    core: Core, session: Session, home_id: int, days: int, history_days: int = 56
) -> Viewed[dict[str, Any]]:
    """A home's forecast per unit: history, the 80% band and the rota."""
    return _viewing(
        core,
        session,
        lambda uow, scope: _forecast(uow.session, scope, core.today(), home_id, days, history_days),
    )


def rota_drafts(core: Core, session: Session, home_id: int) -> Viewed[dict[str, Any]]:
    """A home's draft rotas, newest first."""
    return _viewing(core, session, lambda uow, scope: _rota_drafts(uow.session, scope, home_id))


def rota_compare(core: Core, session: Session, draft_id: int) -> Viewed[dict[str, Any]]:
    """A draft rota beside the current rota."""
    return _viewing(core, session, lambda uow, scope: _rota_compare(uow.session, scope, draft_id))


# ---- signing in and out ---------------------------------------------------------------------


def sign_in(core: Core, token: str) -> Session:
    """Use a one-time link (NotAllowed when it is expired, used or no longer valid)."""
    with core.uow() as uow:
        session = redeem_link(uow, token)
        uow.commit()
    return session


def end_session(core: Core, session: Session) -> None:
    """Sign a browser out now (nothing happens when it already was)."""
    with core.uow() as uow:
        sign_out(uow, session)
        uow.commit()


@dataclass(frozen=True)
class LinkSent:
    """A one-time sign-in link issued: its address and when it stops working."""

    url: str
    expires_at: datetime
    by_direct_message: bool


def send_signin_link(
    core: Core,
    person_id: int,
    actor: Actor,
    via: str,
    direct_message: Callable[[str, datetime], str] | None = None,
) -> LinkSent:
    """Issue a one-time sign-in link for this person (asked for over ``via``). With
    ``direct_message`` (the words, given the link's address and expiry) the link also goes
    to them by Slack direct message, through the outbox, in the same unit of work."""
    with core.uow() as uow:
        issued = issue_link(uow, person_id, actor, via)
        url = issued.url(core.settings.public_url)
        if direct_message is not None:
            uow.notify(
                OutboundMessage(
                    person_id=person_id,
                    channel=Channel.SLACK,
                    kind="text",
                    payload={"text": direct_message(url, issued.expires_at)},
                )
            )
        uow.commit()
    return LinkSent(url, issued.expires_at, direct_message is not None)
