"""A complaint, a report of the wrongs Art. 18 names, or a suggestion, as the platform holds it,
with the department's reply (Art. 16). A frozen value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

COMPLAINT_KINDS = ("complaint", "report", "suggestion")
COMPLAINT_CATEGORIES = ("service", "staff", "card", "kiosk", "privacy", "other")
COMPLAINT_STATES = ("received", "in_progress", "replied", "closed")


@dataclass(frozen=True, slots=True)
class ComplaintView:
    tracking_number: str
    kind: str
    # None when asked by the tracking number alone, outside the filer's session.
    category: str | None
    subject: str | None
    status: str
    created: dt.datetime
    reply: str | None
    replied: dt.datetime | None
