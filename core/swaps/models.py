"""The swap tables: one row per swap or give-away, and one per colleague asked.

First YES wins by the database: a partial unique index allows one ACCEPTED ask per swap, and
another allows one open swap (PENDING or MANUAL_REVIEW) per shift.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Base, StrEnum, _enum
from core.sealed import SealedText


class SwapKind(StrEnum):
    SWAP = "SWAP"  # shift for shift with a named colleague
    GIVEAWAY = "GIVEAWAY"  # a shift handed to a named colleague or to anyone eligible


class SwapStatus(StrEnum):
    PENDING = "PENDING"  # waiting for the colleague(s) to answer
    APPROVED = "APPROVED"  # done: the rotas have changed
    MANUAL_REVIEW = "MANUAL_REVIEW"  # accepted, but a rule failed: the manager decides
    DENIED = "DENIED"  # refused by a safety rule or by the manager
    CANCELLED = "CANCELLED"  # the colleague said no, or the asker withdrew it
    EXPIRED = "EXPIRED"  # nobody answered in time


OPEN = (SwapStatus.PENDING, SwapStatus.MANUAL_REVIEW)


class AskResponse(StrEnum):
    SENT = "SENT"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    GONE = "GONE"  # answered (or would have) after the swap was taken or closed


class Swap(Base):
    __tablename__ = "swaps"
    __table_args__ = (
        Index("ix_swaps_status_expires", "status", "expires_at"),
        Index("ix_swaps_from_person", "from_person_id", "created_at"),
        # one open swap per shift offered
        Index(
            "uq_swaps_one_open_per_shift",
            "shift_id",
            unique=True,
            sqlite_where=text("status IN ('PENDING', 'MANUAL_REVIEW')"),
            postgresql_where=text("status IN ('PENDING', 'MANUAL_REVIEW')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SwapKind] = mapped_column(_enum(SwapKind, "swap_kind"))
    status: Mapped[SwapStatus] = mapped_column(_enum(SwapStatus, "swap_status"))
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"))
    from_person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    to_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"))
    other_shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"))
    # why it went to the manager / was refused / ended; sealed at rest (core/sealed.py)
    reason: Mapped[str | None] = mapped_column(SealedText)
    failed_rules: Mapped[str | None] = mapped_column(String(200))  # rule codes, comma separated
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    version: Mapped[int] = mapped_column(Integer, default=0)


class SwapAsk(Base):
    __tablename__ = "swap_asks"
    __table_args__ = (
        UniqueConstraint("swap_id", "person_id"),
        Index("ix_swap_asks_person_response", "person_id", "response"),
        # first YES wins: at most one accepted ask per swap
        Index(
            "uq_swap_asks_one_accepted",
            "swap_id",
            unique=True,
            sqlite_where=text("response = 'ACCEPTED'"),
            postgresql_where=text("response = 'ACCEPTED'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    swap_id: Mapped[int] = mapped_column(ForeignKey("swaps.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    response: Mapped[AskResponse] = mapped_column(_enum(AskResponse, "swap_ask_response"))
    asked_at: Mapped[datetime] = mapped_column()
    responded_at: Mapped[datetime | None] = mapped_column()
