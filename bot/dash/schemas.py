"""The JSON the API returns, as pydantic models: they document ``/api/openapi.json`` and the
tests check every response against them (extra fields are allowed, never missing ones)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Doc(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


FROM = Field(alias="from", description="first day (ISO date)")


class Error(_Doc):
    error: str
    status: int


class HomeRef(_Doc):
    id: int
    name: str


class Me(_Doc):
    person_id: int
    name: str
    kind: str
    homes: list[HomeRef]
    all_homes: bool


# ---- overview ---------------------------------------------------------------------------------


class OpenOutreach(_Doc):
    id: int
    ref: str
    home: str
    home_id: int
    unit: str | None
    date: str
    shift_type: str
    role: str
    wave: int
    asked: int
    waiting: int
    declined: int
    no_response: int
    next_wave_at: str | None
    deadline_at: str | None
    open_minutes: float | None
    state: str


class GapDay(_Doc):
    date: str
    short: int


class GapHome(_Doc):
    home: str
    home_id: int
    short: int


class Gap(_Doc):
    date: str
    home: str
    home_id: int | None
    unit: str
    shift_type: str
    role: str
    required: int
    rostered: int
    short: int


class Gaps(_Doc):
    from_: str = FROM
    to: str
    total: int
    by_day: list[GapDay]
    by_home: list[GapHome]
    rows: list[Gap]


class Fill(_Doc):
    days: int
    requests: int
    filled: int
    unfilled: int
    agency: int
    cancelled: int
    pending: int
    fill_rate: float | None
    median_minutes_to_fill: float | None


class AgencyRole(_Doc):
    role: str
    shifts: int
    hours: float
    rate: float
    cost: float


class Agency(_Doc):
    days: int
    shifts: int
    hours: float
    cost: float
    by_role: list[AgencyRole]
    currency: str
    estimated: bool


class FairnessSummary(_Doc):
    days: int
    gini: float
    willing_staff: int
    with_overtime: int
    total_hours: float


class Responder(_Doc):
    person_id: int
    name: str
    offers: int
    accepted: int
    median_response_minutes: float | None


class Overview(_Doc):
    scope: str
    homes: list[HomeRef]
    home: str | None
    home_id: int | None
    today: str
    now: str
    open_outreach: list[OpenOutreach]
    gaps: Gaps
    fill: list[Fill]
    agency: list[Agency]
    fairness: FairnessSummary
    top_responders: list[Responder]


# ---- ranking and requests ---------------------------------------------------------------------


class Component(_Doc):
    name: str
    label: str
    points: float
    weight: float
    why: str


class Eligible(_Doc):
    rank: int
    person_id: int
    name: str
    role: str
    home: str
    score: float
    can_open: bool
    components: list[Component]


class Reason(_Doc):
    code: str
    text: str


class Excluded(_Doc):
    person_id: int
    name: str
    home: str
    can_open: bool
    reasons: list[Reason]


class Ranking(_Doc):
    home: str
    home_id: int
    date: str
    shift_type: str
    role: str
    request_id: int | None
    starts_at: str
    hours: float
    profile: str
    weights: dict[str, float]
    labels: dict[str, str]
    eligible: list[Eligible]
    excluded: list[Excluded]
    exclusion_counts: dict[str, int]
    other_roles: int
    elapsed_ms: float


class RequestOffer(_Doc):
    person_id: int
    name: str
    response: str
    contacted_at: str
    responded_at: str | None
    response_minutes: float | None
    wave: int
    score: float
    channel: str


class RequestDetail(_Doc):
    id: int
    ref: str
    status: str
    home: str
    home_id: int
    date: str
    shift_type: str
    role: str
    wave: int
    created_at: str
    deadline_at: str
    next_wave_at: str | None
    filled_by: str | None
    time_to_fill_minutes: float | None
    offers: list[RequestOffer]


# ---- fairness and people ------------------------------------------------------------------------


class FairPerson(_Doc):
    person_id: int
    name: str
    role: str | None
    home: str
    hours: float
    offers: int
    accepted: int
    declined: int
    no_response: int
    flag: str | None


class Fairness(_Doc):
    days: int
    from_: str = FROM
    to: str
    home_id: int | None
    homes: list[HomeRef]
    gini: float
    willing_staff: int
    with_overtime: int
    total_hours: float
    mean_hours: float
    mean_offers: float
    over_factor: float
    under_factor: float
    over_used: int
    under_used: int
    people: list[FairPerson]


class PersonOffer(_Doc):
    request_id: int
    ref: str
    date: str
    shift_type: str
    role: str
    home: str
    home_id: int
    response: str
    contacted_at: str | None
    responded_at: str | None
    response_minutes: float | None
    score: float
    reason: str | None
    wave: int


class MonthHours(_Doc):
    month: str
    hours: float


class PersonRecord(_Doc):
    person_id: int
    name: str
    role: str | None
    home: str | None
    home_id: int | None
    kind: str
    preferences: dict[str, object]
    offers: int
    accepted: int
    declined: int
    no_response: int
    acceptance_rate: float | None
    avg_response_minutes: float | None
    median_response_minutes: float | None
    overtime_shifts: int
    overtime_hours: float
    window_days: int
    hours_in_window: float
    shifts_in_window: int
    offers_in_window: list[PersonOffer]
    answers_in_window: dict[str, int]
    hours_by_month: list[MonthHours]


# ---- forecast and rota --------------------------------------------------------------------------


class HistoryDay(_Doc):
    date: str
    shifts: int


class ForecastDay(_Doc):
    date: str
    unit: str
    prediction: float
    lower: float
    upper: float
    rostered: int
    expected_short: float
    short_at_upper: int
    model_version: str


class UnitForecast(_Doc):
    unit_id: int
    unit: str
    kind: str
    character: str
    history: list[HistoryDay]
    forecast: list[ForecastDay]
    model_version: str | None


class Forecast(_Doc):
    home: str
    home_id: int
    from_: str = FROM
    to: str
    history_days: int
    has_forecast: bool
    units: list[UnitForecast]


class DraftRow(_Doc):
    ref: int
    from_: str = FROM
    to: str
    status: str
    objective: float | None
    gap_pct: float | None
    created_at: str
    created_by: str
    published: bool


class RotaDrafts(_Doc):
    home: str
    home_id: int
    drafts: list[DraftRow]


class Measure(_Doc):
    measure: str
    current: float | int | str | None
    draft: float | int | str | None


class RotaRow(_Doc):
    date: str
    unit: str
    shift_type: str
    current: list[str]
    draft: list[str]
    added: list[str]
    removed: list[str]
    draft_short: int


class RotaCompare(DraftRow):
    home: str
    home_id: int
    days: list[str]
    changed: int
    measures: list[Measure]
    rows: list[RotaRow]
