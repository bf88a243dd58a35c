"""Coverage requests and outreach, by job: the commands and results (``commands``), reading
and locking (``records``), opening and cancelling requests (``request``), waves and the
scheduler's work (``waves``), YES, NO, withdrawals and claims (``answers``), who is told
(``notices``), the sickness and gap triggers (``triggers``), the agency step (``agency``),
reminders (``reminders``) and open shifts staff may pick up (``open_shifts``).
This module gathers their public names.
"""

from __future__ import annotations

from core.overtime.agency import agency_totals, book_agency
from core.overtime.answers import (
    accept_offer,
    awaiting_reason,
    claim_shift,
    decline_offer,
    record_decline_reason,
    reopen_request,
    withdraw_offer,
)
from core.overtime.commands import (
    NEXT_STEP,
    AcceptOffer,
    AnswerResult,
    BookAgency,
    CancelRequest,
    ClaimShift,
    DeclineOffer,
    OfferSummary,
    OpenShift,
    OutreachResult,
    ReopenRequest,
    ReportSickness,
    RequestCover,
    RequestSummary,
    SicknessResult,
    WithdrawOffer,
    parse_ref,
    ref_of,
)
from core.overtime.open_shifts import open_shifts
from core.overtime.records import find_requests, preview_cover, request_summary
from core.overtime.reminders import send_reminders
from core.overtime.request import (
    cancel_request,
    covered_by,
    open_request,
    pick_unit,
    request_cover,
)
from core.overtime.triggers import cover_gaps, report_sickness
from core.overtime.waves import (
    Wave,
    advance_outreach,
    close_unfilled,
    on_message_failed,
    send_wave,
)

__all__ = [
    "NEXT_STEP",
    "AcceptOffer",
    "AnswerResult",
    "CancelRequest",
    "DeclineOffer",
    "OfferSummary",
    "OutreachResult",
    "ReportSickness",
    "RequestCover",
    "RequestSummary",
    "SicknessResult",
    "Wave",
    "accept_offer",
    "advance_outreach",
    "awaiting_reason",
    "cancel_request",
    "close_unfilled",
    "cover_gaps",
    "decline_offer",
    "find_requests",
    "on_message_failed",
    "open_request",
    "parse_ref",
    "pick_unit",
    "preview_cover",
    "record_decline_reason",
    "ref_of",
    "report_sickness",
    "request_cover",
    "request_summary",
    "send_wave",
    "BookAgency",
    "ClaimShift",
    "OpenShift",
    "ReopenRequest",
    "WithdrawOffer",
    "agency_totals",
    "book_agency",
    "claim_shift",
    "covered_by",
    "open_shifts",
    "reopen_request",
    "send_reminders",
    "withdraw_offer",
]
