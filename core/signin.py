"""Sign-in to the dashboards without passwords: one-time links and signed, expiring sessions.

A link carries a random token; only its SHA-256 is stored, so a copy of the database cannot
be turned into working links. Redeeming a link marks it used in the same statement that
checks it is unused and unexpired, so two clicks on one link sign in once. The session the
browser then keeps is a cookie value signed with HMAC-SHA256 under a key derived from the
settings' secret key; it names the link it came from, so signing out (or revoking the link)
ends it even before it expires. Every issue, sign-in and sign-out is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, update
from sqlalchemy.orm import Mapped, mapped_column

from core.errors import NotAllowed, NotFound
from core.models import Base, Person
from core.secrets import require_key

if TYPE_CHECKING:  # core.models loads this module; core.uow imports core.models
    from core.uow import Actor, UnitOfWork

LINK_MINUTES = 30.0  # a link works once, within this long of being sent
SESSION_HOURS = 12.0  # a signed-in browser stays signed in this long (one shift and a bit)
_SESSION_CONTEXT = b"staffbot-dashboard-session-v1"


class SignInLink(Base):
    """One link sent to one person; after use, the session it opened."""

    __tablename__ = "dash_links"
    __table_args__ = (Index("ix_dash_links_person_created", "person_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    issued_via: Mapped[str] = mapped_column(String(20))  # cli / slack / sms / console
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()
    session_expires_at: Mapped[datetime | None] = mapped_column()
    signed_out_at: Mapped[datetime | None] = mapped_column()


@dataclass(frozen=True)
class IssuedLink:
    person_id: int
    name: str
    token: str
    expires_at: datetime

    def url(self, public_url: str) -> str:
        return f"{public_url.rstrip('/')}/dash/signin/{self.token}"


@dataclass(frozen=True)
class Session:
    """A signed-in browser: who, until when, from which link."""

    person_id: int
    link_id: int
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(
    uow: UnitOfWork, person_id: int, actor: Actor, via: str, minutes: float = LINK_MINUTES
) -> IssuedLink:
    """A new one-time link for this person (the caller commits)."""
    person = uow.session.get(Person, person_id)
    if person is None or not person.active:
        raise NotFound("Nobody by that name can sign in.")
    now = uow.now()
    token = secrets.token_urlsafe(24)
    row = SignInLink(
        token_hash=_hash(token),
        person_id=person.id,
        issued_via=via,
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        actor,
        "dash.link_issued",
        "dash_link",
        row.id,
        after={"person_id": person.id, "via": via, "expires_at": row.expires_at},
    )
    return IssuedLink(person.id, person.full_name, token, row.expires_at)


def redeem_link(uow: UnitOfWork, token: str, hours: float = SESSION_HOURS) -> Session:
    """Use a link: it must exist, be unused and unexpired. The caller commits."""
    now = uow.now()
    session_expires = now + timedelta(hours=hours)
    claimed = uow.session.execute(
        update(SignInLink)
        .where(
            SignInLink.token_hash == _hash(token or ""),
            SignInLink.used_at.is_(None),
            SignInLink.expires_at > now,
        )
        .values(used_at=now, session_expires_at=session_expires)
        .returning(SignInLink.id, SignInLink.person_id)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is None:
        raise NotAllowed(
            "That sign-in link has expired or has already been used. "
            'Ask for a new one: type "dashboard".'
        )
    from core.uow import Actor

    link_id, person_id = int(claimed[0]), int(claimed[1])
    person = uow.session.get(Person, person_id)
    if person is None or not person.active:
        raise NotAllowed("That sign-in link no longer works.")
    uow.audit(
        Actor(person.full_name, person.id),
        "dash.signed_in",
        "dash_link",
        link_id,
        after={"session_expires_at": session_expires},
    )
    return Session(person_id, link_id, session_expires)


def sign_out(uow: UnitOfWork, session: Session) -> None:
    """End a session now (the caller commits)."""
    row = uow.session.get(SignInLink, session.link_id)
    if row is None or row.signed_out_at is not None:
        return
    from core.uow import Actor

    row.signed_out_at = uow.now()
    person = uow.session.get(Person, session.person_id)
    uow.audit(
        Actor(person.full_name if person else "unknown", session.person_id),
        "dash.signed_out",
        "dash_link",
        row.id,
    )


def session_is_live(uow: UnitOfWork, session: Session) -> bool:
    """The link behind a (correctly signed) session still stands and its person is active."""
    row = uow.session.get(SignInLink, session.link_id)
    if row is None or row.person_id != session.person_id or row.signed_out_at is not None:
        return False
    person = uow.session.get(Person, session.person_id)
    return person is not None and person.active


# ---- the cookie ------------------------------------------------------------------------------


def _key(secret_key: str | None) -> bytes:
    return hmac.new(require_key(secret_key).encode(), _SESSION_CONTEXT, hashlib.sha256).digest()


def _mac(secret_key: str | None, body: str) -> str:
    return hmac.new(_key(secret_key), body.encode(), hashlib.sha256).hexdigest()


def session_cookie(secret_key: str | None, session: Session) -> str:
    """``person.link.expiry.signature``: nothing secret inside, nothing forgeable."""
    body = f"{session.person_id}.{session.link_id}.{int(session.expires_at.timestamp())}"
    return f"{body}.{_mac(secret_key, body)}"


def read_session_cookie(secret_key: str | None, value: str | None, now: datetime) -> Session | None:
    """The session a cookie names, when its signature is good and it has not expired."""
    if not value:
        return None
    parts = value.split(".")
    if len(parts) != 4 or not all(p.isdigit() for p in parts[:3]):
        return None
    body = ".".join(parts[:3])
    if not hmac.compare_digest(parts[3], _mac(secret_key, body)):
        return None
    expires = datetime.fromtimestamp(int(parts[2]), tz=UTC)
    if expires <= now:
        return None
    return Session(int(parts[0]), int(parts[1]), expires)
