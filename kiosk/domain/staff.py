"""The counter's side of the platform: a staff session, the resident's consent to one purpose's
look-up and what that look-up may show (Art. 13), the audit log of every look-up (Art. 18), and
a blocked PIN reset after staff checked the identity card. Frozen values; personal data in
them is never logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, get_args

from kiosk.domain.card import CardStatus
from kiosk.domain.card_requests import CardRequest
from kiosk.domain.complaints import ComplaintView
from kiosk.domain.records import InsuranceSummary

# The counter's purposes, in the order the staff console offers them; the platform's API
# states the same type, so both sides take it from here.
LookupPurpose = Literal[
    "card_service",
    "card_reissue",
    "contribution_inquiry",
    "medical_inquiry",
    "certificate_service",
    "complaint_handling",
]
LOOKUP_PURPOSES: tuple[LookupPurpose, ...] = get_args(LookupPurpose)
# What the audit log holds besides look-ups: a blocked PIN reset at a counter.
AUDIT_PURPOSES = (*LOOKUP_PURPOSES, "pin_reset")
CONSENT_STATES = ("pending", "granted", "refused", "expired")
STAFF_ROLES = ("counter", "supervisor", "auditor")


@dataclass(frozen=True, slots=True)
class StaffSession:
    token: str
    name: str
    role: str
    expires_in_s: int

    def __repr__(self) -> str:
        return f"StaffSession(role={self.role!r})"


@dataclass(frozen=True, slots=True)
class LookupCard:
    number_masked: str
    status: CardStatus
    financial_account_active: bool
    expires: dt.date
    requests: tuple[CardRequest, ...]


@dataclass(frozen=True, slots=True)
class LookupCertificate:
    code: str
    kind: str
    issued: dt.datetime
    valid_until: dt.date


@dataclass(frozen=True, slots=True)
class LookupResult:
    """What one purpose-bound look-up may show (Art. 13). Personal data: never logged."""

    audit_id: int
    purpose: str
    fields: tuple[str, ...]
    name: str
    id_number: str | None
    card: LookupCard | None
    contributions: tuple[InsuranceSummary, ...] | None
    medical_balance_fen: int | None
    certificates: tuple[LookupCertificate, ...] | None
    complaints: tuple[ComplaintView, ...] | None

    def __repr__(self) -> str:
        return f"LookupResult(audit_id={self.audit_id}, purpose={self.purpose!r})"


@dataclass(frozen=True, slots=True)
class ConsentView:
    """A member of staff's request to look the resident up, as the platform holds it."""

    id: str
    purpose: str
    fields: tuple[str, ...]
    status: str
    staff_name: str
    staff_username: str
    asked: dt.datetime
    expires: dt.datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: dt.datetime
    staff: str
    kiosk_id: str
    resident_ref: str
    purpose: str
    fields: tuple[str, ...]
    consent_id: str
    hash: str
    prev_hash: str


@dataclass(frozen=True, slots=True)
class AuditLog:
    entries: tuple[AuditEntry, ...]
    chain_intact: bool


@dataclass(frozen=True, slots=True)
class PinResetTicket:
    """Staff checked the identity card: the chip may take a new PIN. Names masked."""

    reset_id: str
    holder_name_masked: str
    card_number_masked: str
