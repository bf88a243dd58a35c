"""The scheduling domain's tables (SQLAlchemy 2.0 typed declarative).

Times are stored as UTC instants; calendar days (a shift's date, leave days)
are the organisation's local dates. Every schema change goes through an
Alembic migration in ``migrations/versions``.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from core.sealed import SealedText

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")

        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None

        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


class StrEnum(str, enum.Enum):  # noqa: UP042  (str() and SQLAlchemy's Enum read .value as before)
    def __str__(self) -> str:
        return self.value


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings with a CHECK constraint, the same on SQLite and PostgreSQL.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        length=20,
    )


class UnitKind(StrEnum):
    RESIDENTIAL = "residential"
    NURSING = "nursing"
    DEMENTIA = "dementia"


class PersonKind(StrEnum):
    STAFF = "staff"
    MANAGER = "manager"  # operational manager of one home
    HEAD = "head"  # head of service, every home


class EmploymentType(StrEnum):
    PERMANENT = "permanent"
    BANK = "bank"
    AGENCY = "agency"


class ShiftKind(StrEnum):
    REGULAR = "regular"
    OVERTIME = "overtime"
    AGENCY = "agency"


class ShiftStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class LeaveStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    MANUAL_REVIEW = "MANUAL_REVIEW"
    DENIED = "DENIED"
    CANCELLED = "CANCELLED"


class LeaveType(StrEnum):
    ANNUAL = "annual"
    PERSONAL = "personal"
    TRAINING = "training"
    UNPAID = "unpaid"
    COMPASSIONATE = "compassionate"
    SICKNESS = "sickness"
    MATERNITY = "maternity"


class RequestStatus(StrEnum):
    PENDING = "PENDING"
    FILLED = "FILLED"
    UNFILLED = "UNFILLED"
    CANCELLED = "CANCELLED"
    AGENCY = "AGENCY"  # covered by an agency booking (core/overtime/agency.py)


class OfferResponse(StrEnum):
    SENT = "SENT"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    NO_RESPONSE = "NO_RESPONSE"
    WITHDRAWN = "WITHDRAWN"


class Channel(StrEnum):
    SMS = "sms"
    SLACK = "slack"


class Home(Base):
    __tablename__ = "homes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    slack_channel: Mapped[str] = mapped_column(String(100))

    units: Mapped[list[Unit]] = relationship(back_populates="home", order_by="Unit.id")


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("home_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind, "unit_kind"))
    # demand character used by the demo generator and reported by forecasts
    character: Mapped[str] = mapped_column(String(20), default="stable")
    opened_on: Mapped[date] = mapped_column(Date)

    home: Mapped[Home] = relationship(back_populates="units")


class Role(Base):
    __tablename__ = "roles"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))


class ShiftType(Base):
    __tablename__ = "shift_types"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    start_time: Mapped[str] = mapped_column(String(5))  # local "HH:MM"
    end_time: Mapped[str] = mapped_column(String(5))
    paid_hours: Mapped[float] = mapped_column(Float)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120), unique=True)
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[PersonKind] = mapped_column(_enum(PersonKind, "person_kind"))
    role_code: Mapped[str | None] = mapped_column(ForeignKey("roles.code"))
    home_id: Mapped[int | None] = mapped_column(ForeignKey("homes.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(200))
    phone_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(30), unique=True)
    contracted_hours: Mapped[float] = mapped_column(Float, default=0)
    employment_type: Mapped[EmploymentType] = mapped_column(
        _enum(EmploymentType, "employment_type"), default=EmploymentType.PERMANENT
    )
    hourly_rate: Mapped[float] = mapped_column(Float, default=0)
    started_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # carrier-level SMS opt-out (STOP); distinct from the overtime opt-out
    sms_opted_out_at: Mapped[datetime | None] = mapped_column()

    home: Mapped[Home | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class StaffingRequirement(Base):
    """Minimum staff for a unit, shift type and role on a weekday (0 = Monday)."""

    __tablename__ = "staffing_requirements"
    __table_args__ = (UniqueConstraint("unit_id", "shift_type_code", "role_code", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    shift_type_code: Mapped[str] = mapped_column(ForeignKey("shift_types.code"))
    role_code: Mapped[str] = mapped_column(ForeignKey("roles.code"))
    weekday: Mapped[int] = mapped_column(Integer)
    minimum: Mapped[int] = mapped_column(Integer)


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (
        Index("ix_shifts_date_unit", "date", "unit_id"),
        Index("ix_shifts_person_starts", "person_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # null: agency worker
    role_code: Mapped[str] = mapped_column(ForeignKey("roles.code"))
    shift_type_code: Mapped[str] = mapped_column(ForeignKey("shift_types.code"))
    date: Mapped[date] = mapped_column(Date)  # local date the shift starts
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    kind: Mapped[ShiftKind] = mapped_column(
        _enum(ShiftKind, "shift_kind"), default=ShiftKind.REGULAR
    )
    status: Mapped[ShiftStatus] = mapped_column(
        _enum(ShiftStatus, "shift_status"), default=ShiftStatus.SCHEDULED
    )
    coverage_request_id: Mapped[int | None] = mapped_column(ForeignKey("coverage_requests.id"))

    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    unit: Mapped[Unit] = relationship()


class LeaveRequest(Base):
    __tablename__ = "leave_requests"
    __table_args__ = (
        Index("ix_leave_person_dates", "person_id", "start_date", "end_date"),
        Index("ix_leave_status_dates", "status", "end_date", "start_date", "person_id"),
    )  # gaps: who is away on a day (0011)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    leave_type: Mapped[LeaveType] = mapped_column(_enum(LeaveType, "leave_type"))
    status: Mapped[LeaveStatus] = mapped_column(_enum(LeaveStatus, "leave_status"), index=True)
    days: Mapped[float] = mapped_column(Float, default=0)
    # why it went to review / was denied; sealed at rest (core/sealed.py)
    reason: Mapped[str | None] = mapped_column(SealedText)
    created_at: Mapped[datetime] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class LeaveEntitlement(Base):
    __tablename__ = "leave_entitlements"
    __table_args__ = (UniqueConstraint("person_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    year: Mapped[int] = mapped_column(Integer)
    days: Mapped[float] = mapped_column(Float)


class SicknessAbsence(Base):
    __tablename__ = "sickness_absences"
    __table_args__ = (Index("ix_sickness_person_dates", "person_id", "start_date", "end_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shifts.id"))
    reason: Mapped[str | None] = mapped_column(SealedText)  # a health detail: sealed at rest
    reported_at: Mapped[datetime] = mapped_column()

    person: Mapped[Person] = relationship()


class TrainingRecord(Base):
    __tablename__ = "training_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    course: Mapped[str] = mapped_column(String(80))
    completed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date, index=True)

    person: Mapped[Person] = relationship()


class OvertimePreference(Base):
    __tablename__ = "overtime_preferences"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    opted_in: Mapped[bool] = mapped_column(Boolean, default=False)
    # None means "any"; otherwise a list of home ids / shift type codes / day kinds
    home_ids: Mapped[list[Any] | None] = mapped_column()
    shift_types: Mapped[list[Any] | None] = mapped_column()
    day_kinds: Mapped[list[Any] | None] = mapped_column()
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"), default=Channel.SMS)
    quiet_start: Mapped[str] = mapped_column(String(5), default="22:00")
    quiet_end: Mapped[str] = mapped_column(String(5), default="07:00")
    updated_at: Mapped[datetime | None] = mapped_column()


class CoverageRequest(Base):
    __tablename__ = "coverage_requests"
    __table_args__ = (Index("ix_coverage_status_next", "status", "next_wave_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = mapped_column(ForeignKey("homes.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    date: Mapped[date] = mapped_column(Date)
    shift_type_code: Mapped[str] = mapped_column(ForeignKey("shift_types.code"))
    role_code: Mapped[str] = mapped_column(ForeignKey("roles.code"))
    status: Mapped[RequestStatus] = mapped_column(_enum(RequestStatus, "request_status"))
    source: Mapped[str] = mapped_column(String(20), default="manager")  # manager/sickness/gap
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column()
    deadline_at: Mapped[datetime] = mapped_column()
    next_wave_at: Mapped[datetime | None] = mapped_column()
    wave: Mapped[int] = mapped_column(Integer, default=0)
    wave_size: Mapped[int] = mapped_column(Integer, default=5)
    min_score: Mapped[float] = mapped_column(Float, default=0)
    profile: Mapped[str] = mapped_column(String(20), default="balanced")
    filled_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    filled_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    slots: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # people wanted
    extra: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # beyond rota
    wave_policy: Mapped[str] = mapped_column(String(20), default="fixed", server_default="fixed")
    agency_name: Mapped[str | None] = mapped_column(String(80))
    agency_cost: Mapped[float | None] = mapped_column(Float)
    agency_booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # bumped on every state change: optimistic concurrency for competing writers
    version: Mapped[int] = mapped_column(Integer, default=0)

    home: Mapped[Home] = relationship()
    offers: Mapped[list[Offer]] = relationship(back_populates="request", order_by="Offer.id")


class Offer(Base):
    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("request_id", "person_id"),
        # First YES wins: at most one accepted offer per slot of a request, by the database.
        Index(
            "uq_offers_one_accepted_slot",
            "request_id",
            "slot",
            unique=True,
            sqlite_where=text("response = 'ACCEPTED'"),
            postgresql_where=text("response = 'ACCEPTED'"),
        ),
        Index("ix_offers_person_response", "person_id", "response"),
        # covers the overtime history aggregates (acceptance, speed, last contact, caps) so
        # ranking reads no table rows: see core/overtime/history.py
        Index(
            "ix_offers_person_history",
            "person_id",
            "contacted_at",
            "response",
            "responded_at",
            "request_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("coverage_requests.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    wave: Mapped[int] = mapped_column(Integer, default=1)
    score: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[dict[str, Any]] = mapped_column()
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    response: Mapped[OfferResponse] = mapped_column(_enum(OfferResponse, "offer_response"))
    contacted_at: Mapped[datetime] = mapped_column()
    responded_at: Mapped[datetime | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(SealedText)  # decline / withdrawal: sealed
    reason_asked: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery_status: Mapped[str | None] = mapped_column(String(20))
    slot: Mapped[int | None] = mapped_column(Integer)  # which place an ACCEPTED offer fills
    reminded: Mapped[str | None] = mapped_column(String(20))  # last reminder sent: eve / day

    request: Mapped[CoverageRequest] = relationship(back_populates="offers")
    person: Mapped[Person] = relationship()


class OutboundMessage(Base):
    """The outbox: what the assistant says first, written in the same transaction as the change
    that caused it and delivered (with retries) by a channel adapter.

    ``kind`` and ``payload`` are channel-neutral; adapters render them."""

    __tablename__ = "outbound_messages"
    __table_args__ = (Index("ix_outbound_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column()
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # set when the message is a post to a home's channel
    home_channel_id: Mapped[int | None] = mapped_column(ForeignKey("homes.id"))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "channel"))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column()
    # queued / sent / delivered / failed
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"))
    sent_at: Mapped[datetime | None] = mapped_column()
    attempted_at: Mapped[datetime | None] = mapped_column()  # the latest send attempt began


class InboundMessage(Base):
    """Provider message ids already processed, so a retried webhook counts once."""

    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("provider", "provider_id"),
        Index("ix_inbound_sender_received", "sender_hash", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column()
    reply: Mapped[str | None] = mapped_column(Text)
    # keyed hash of the sender's number (never the number): rate-limits unknown senders
    sender_hash: Mapped[str | None] = mapped_column(String(64))


class AlertRecord(Base):
    """One row per alert actually sent: kind + home + period is unique (exactly once)."""

    __tablename__ = "alert_records"
    __table_args__ = (UniqueConstraint("kind", "home_key", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    home_key: Mapped[str] = mapped_column(String(40))  # home id, or "all"
    period: Mapped[str] = mapped_column(String(40))  # e.g. 2026-01-14, 2026-W03
    sent_at: Mapped[datetime] = mapped_column()


class Forecast(Base):
    __tablename__ = "forecasts"
    __table_args__ = (UniqueConstraint("unit_id", "day", "model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    day: Mapped[date] = mapped_column(Date)
    prediction: Mapped[float] = mapped_column(Float)
    lower: Mapped[float] = mapped_column(Float)
    upper: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(String(40))
    fitted_at: Mapped[datetime] = mapped_column()


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    actor: Mapped[str] = mapped_column(String(120))  # a person's name, "system", "scheduler"
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column()
    after: Mapped[dict[str, Any] | None] = mapped_column()


class ConversationEntry(Base):
    __tablename__ = "conversation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(3))  # in / out
    text: Mapped[str] = mapped_column(Text)  # personal data redacted
    intent: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[float | None] = mapped_column(Float)
    latency_ms: Mapped[float | None] = mapped_column(Float)


class SchedulerLease(Base):
    """Lets one scheduler process at a time claim a periodic job run."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime] = mapped_column()


class StatusPost(Base):
    """A chat message showing an overtime request's live status (e.g. a Slack post), kept so
    the channel can rewrite it in place as people answer (Slack's chat.update)."""

    __tablename__ = "status_posts"
    __table_args__ = (UniqueConstraint("provider", "channel", "message_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("coverage_requests.id"), index=True)
    provider: Mapped[str] = mapped_column(String(20))  # "slack"
    channel: Mapped[str] = mapped_column(String(40))  # Slack conversation id (C..., D...)
    message_ref: Mapped[str] = mapped_column(String(40))  # Slack message ts
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # of what is shown now
    closed: Mapped[bool] = mapped_column(Boolean, default=False)  # final state shown
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime | None] = mapped_column()


# Tables whose models live in their capability's module: loaded here so Base.metadata (the
# migrations' schema check) always has every table. A plain import: safe while half-loaded.
import core.signin  # noqa: E402, F401, I001  (dash_links)
import core.conversation_state  # noqa: E402, F401, I001  (conversation_state)
import core.delivery_health  # noqa: E402, F401, I001  (channel_health)
import core.swaps.models  # noqa: E402, F401, I001  (swaps, swap_asks)
import core.rota.models  # noqa: E402, F401, I001  (rota_drafts)
