"""The stored draft rota: what was solved, from which inputs, and whether it was published."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models import Base


class RotaDraft(Base):
    """A solved rota for one home and horizon. Not the rota until published; ``inputs`` is a
    snapshot of what it was solved from (leave, sickness, confirmed shifts, staff,
    requirements) so a publish can refuse a draft whose world has moved on."""

    __tablename__ = "rota_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    objective: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    gap_pct: Mapped[float | None] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float, default=0)
    created_at: Mapped[datetime] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_by: Mapped[str] = mapped_column(String(120))
    inputs: Mapped[dict[str, Any]] = mapped_column()
    result: Mapped[dict[str, Any]] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    shifts_added: Mapped[int] = mapped_column(Integer, default=0)
    shifts_removed: Mapped[int] = mapped_column(Integer, default=0)
