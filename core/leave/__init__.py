"""Leave: requests decided at once by configurable rules, manager decisions, balances.

Public entry points (see each module):

- ``request_leave(core, RequestLeave(...))`` -> ``LeaveOutcome`` (APPROVED or MANUAL_REVIEW)
- ``decide_leave(core, DecideLeave(...), scope)`` -> ``Decision`` (manager approve / deny)
- ``cancel_leave(core, CancelLeave(ref))`` -> ``Decision`` (days go back to the balance)
- ``balance_for(core, person_id)`` / ``leave_balance(session, ...)`` -> ``LeaveBalance``
- ``list_leave(session, status=...)``, ``awaiting_decision(core, scope)`` -> ``[LeaveView]``
- ``LeaveRules`` (``STAFFBOT_LEAVE_*`` settings), ``evaluate`` (the rules themselves)
- ``core.leave.safety.unsafe_auto_approvals`` - the independent cover checker
"""

from core.leave.balance import LeaveBalance, leave_balance, leave_days
from core.leave.config import LeaveRules, load_leave_rules
from core.leave.rules import LeaveAsk, RuleResult, evaluate
from core.leave.service import (
    AUTO_APPROVED,
    CancelLeave,
    DecideLeave,
    Decision,
    LeaveOutcome,
    LeaveView,
    RequestLeave,
    awaiting_decision,
    balance_for,
    cancel_leave,
    decide_leave,
    list_leave,
    parse_status,
    request_leave,
    review_actions,
)

__all__ = [
    "AUTO_APPROVED",
    "CancelLeave",
    "DecideLeave",
    "Decision",
    "LeaveAsk",
    "LeaveBalance",
    "LeaveOutcome",
    "LeaveRules",
    "LeaveView",
    "RequestLeave",
    "RuleResult",
    "awaiting_decision",
    "balance_for",
    "cancel_leave",
    "decide_leave",
    "evaluate",
    "leave_balance",
    "leave_days",
    "list_leave",
    "load_leave_rules",
    "parse_status",
    "request_leave",
    "review_actions",
]
