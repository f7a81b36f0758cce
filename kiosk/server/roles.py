"""Which staff role may call which staff operation: the one table, read by every staff route
and printed in docs/platform.md ("Staff roles"), which a test keeps in step with it.

Counter staff serve the resident in front of them, with consent (Art. 13); supervisors may do
what counter staff do and oversee the fleet and the look-up log; auditors read the log and
nothing else (Art. 18: whoever checks the look-ups must not be able to make them). A department
clerk answers the complaints routed to its department; an operator runs the fleet, the catalog
and the accounts (the staff console, kiosk.server.console), and neither looks residents up.
"""

from __future__ import annotations

from kiosk.api_contract import Reason
from kiosk.server import models as m
from kiosk.server.refusal import ApiError

ROLES = ("counter", "supervisor", "auditor", "department", "operator")

# operation (the route's name) -> the roles that may call it. Signing out is open to every role.
OPERATIONS: dict[str, frozenset[str]] = {
    "ask_consent": frozenset({"counter", "supervisor"}),
    "consent_state": frozenset({"counter", "supervisor"}),
    "lookup": frozenset({"counter", "supervisor"}),
    # A department answers the complaints routed to it (kiosk.server.complaint_desk decides
    # which, and that nobody answers one about themselves: Art. 16, 18).
    "reply": frozenset({"counter", "supervisor", "department"}),
    "answer_assistance": frozenset({"counter", "supervisor", "department", "operator"}),
    "check_identity": frozenset({"counter", "supervisor"}),  # a blocked PIN's reset
    "outcome": frozenset({"counter", "supervisor"}),  # whether the chip took the new PIN
    "fleet": frozenset({"supervisor", "operator"}),
    "audit_log": frozenset({"supervisor", "auditor"}),
    "audit_export": frozenset({"supervisor", "auditor"}),
}


def require(staff: m.Staff, operation: str) -> None:
    if staff.role not in OPERATIONS[operation]:
        raise ApiError(403, Reason.STAFF_FORBIDDEN, f"the {staff.role} role may not do this")
