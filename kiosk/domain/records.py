"""A resident's records as the platform states them: contributions by insurance, the medical
account, pension payments, subsidies, card use, and the certificates of insured status.

Frozen values. Money is in fen (integer cents), as on the wire: the screen formats it, nothing
rounds it. Personal data: shown and printed, never logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.domain.catalog import LocalText

INSURANCES = ("pension", "medical", "unemployment", "work_injury", "maternity")
MEDICAL_KINDS = ("credit", "outpatient", "pharmacy", "inpatient")
CARD_USE_KINDS = ("bus", "metro", "library", "museum", "hospital")
CERTIFICATE_STATUSES = ("insured", "interrupted", "never")


@dataclass(frozen=True, slots=True)
class ContributionMonth:
    month: str
    insurance: str
    base_fen: int
    personal_fen: int
    employer_fen: int
    paid: bool
    employer: str


@dataclass(frozen=True, slots=True)
class InsuranceSummary:
    insurance: str
    paid_months: int
    unpaid_months: int
    first_month: str | None
    last_month: str | None
    personal_total_fen: int


@dataclass(frozen=True, slots=True)
class Contributions:
    summary: tuple[InsuranceSummary, ...]
    months: tuple[ContributionMonth, ...]


@dataclass(frozen=True, slots=True)
class MedicalTransaction:
    at: dt.datetime
    kind: str
    amount_fen: int
    balance_fen: int
    place: str


@dataclass(frozen=True, slots=True)
class MedicalAccount:
    balance_fen: int
    transactions: tuple[MedicalTransaction, ...]


@dataclass(frozen=True, slots=True)
class PensionPayment:
    month: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class SubsidyPayment:
    paid_on: dt.date
    program: LocalText
    department: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class CardUse:
    at: dt.datetime
    kind: str
    place: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class CertificateInsurance:
    insurance: str
    status: str  # insured, interrupted, never
    first_month: str | None
    last_month: str | None
    paid_months: int


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate of insured status. Personal data: printed, never logged."""

    code: str
    kind: str
    issued: dt.datetime
    valid_until: dt.date
    holder_name: str
    holder_id_masked: str
    insurances: tuple[CertificateInsurance, ...]
    demo: bool
    # The period stated, when the resident chose one ("YYYY-MM"); None: the whole record.
    first_month: str | None = None
    last_month: str | None = None

    def __repr__(self) -> str:
        return f"Certificate(code={self.code!r})"


@dataclass(frozen=True, slots=True)
class CertificateCheck:
    valid: bool
    code: str
    kind: str
    issued: dt.datetime
    valid_until: dt.date
    holder_name_masked: str
    holder_id_masked: str
    insurances: tuple[CertificateInsurance, ...]
    demo: bool
