"""Overtime outreach: preferences, eligibility, explainable ranking, ranked waves of offers
where the first YES wins, sickness and gap triggers, and fairness reporting.

Public entry points (each opens its own unit of work unless it takes one):

- ``request_cover(core, RequestCover(...), actor)``: open a request, text the first wave
- ``preview_cover(core, home_id, day, shift_type, role, profile)``: the ranking, nothing sent
- ``advance_outreach(core)``: scheduled work (due waves, deadlines)
- ``accept_offer``, ``decline_offer``, ``record_decline_reason``, ``cancel_request``
- ``withdraw_offer``, ``reopen_request``, ``claim_shift``, ``open_shifts``
- ``book_agency``, ``agency_totals``, ``send_reminders`` (scheduled)
- ``report_sickness(core, ReportSickness(...))``, ``cover_gaps(core, start, end)``
- ``change_preferences(uow, ChangePreferences(...), actor)``, ``view_preferences``
- ``overtime_fairness(session, today, days, home_ids)``, ``overtime_profile(...)``
- ``request_summary``, ``find_requests``, ``settings_for``, ``with_overtime``
- what chat asks (``core.overtime.queries``): ``cover_home``, ``follow_requests``,
  ``pending_requests``, ``fairness_for``, ``profile_for``; ``preferences_of`` and
  ``update_preferences`` (``core.overtime.preferences``), ``record_agency``
  (``core.overtime.agency``), the Slack status cards (``core.overtime.status_cards``)

Answers to offers carry a ``RequestBrief`` (no offer list); ``request_summary`` has them all.
"""

from core.overtime.config import OvertimeSettings, settings_for, with_overtime
from core.overtime.eligibility import Candidate, Exclusion, ShiftSpec, evaluate, shift_spec
from core.overtime.outreach import (
    AcceptOffer,
    AnswerResult,
    BookAgency,
    CancelRequest,
    ClaimShift,
    DeclineOffer,
    OpenShift,
    OutreachResult,
    ReopenRequest,
    ReportSickness,
    RequestCover,
    RequestSummary,
    SicknessResult,
    WithdrawOffer,
    accept_offer,
    advance_outreach,
    agency_totals,
    book_agency,
    cancel_request,
    claim_shift,
    cover_gaps,
    decline_offer,
    find_requests,
    on_message_failed,
    open_shifts,
    parse_ref,
    preview_cover,
    record_decline_reason,
    ref_of,
    reopen_request,
    report_sickness,
    request_cover,
    request_summary,
    send_reminders,
    withdraw_offer,
)
from core.overtime.preferences import ChangePreferences, change_preferences, view_preferences
from core.overtime.ranking import RankedCandidate, Ranking, rank_shift
from core.overtime.reports import gini, overtime_fairness, overtime_profile

__all__ = [
    "AcceptOffer",
    "AnswerResult",
    "CancelRequest",
    "Candidate",
    "ChangePreferences",
    "DeclineOffer",
    "Exclusion",
    "OutreachResult",
    "OvertimeSettings",
    "RankedCandidate",
    "Ranking",
    "ReportSickness",
    "RequestCover",
    "RequestSummary",
    "ShiftSpec",
    "SicknessResult",
    "accept_offer",
    "advance_outreach",
    "cancel_request",
    "change_preferences",
    "cover_gaps",
    "decline_offer",
    "evaluate",
    "find_requests",
    "gini",
    "on_message_failed",
    "overtime_fairness",
    "overtime_profile",
    "parse_ref",
    "preview_cover",
    "rank_shift",
    "record_decline_reason",
    "ref_of",
    "report_sickness",
    "request_cover",
    "request_summary",
    "settings_for",
    "shift_spec",
    "with_overtime",
    "view_preferences",
    "BookAgency",
    "ClaimShift",
    "OpenShift",
    "ReopenRequest",
    "WithdrawOffer",
    "agency_totals",
    "book_agency",
    "claim_shift",
    "open_shifts",
    "reopen_request",
    "send_reminders",
    "withdraw_offer",
]
