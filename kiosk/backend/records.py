"""What the platform tells a kiosk beyond the session and the catalog: records, certificates, the
card's requests, complaints, staff answers. Frozen values, parsed from checked JSON.

Money is in fen (integer cents), as on the wire: the screen formats it, nothing rounds it.
These live beside the client until the flows need them in kiosk.domain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.backend.wire import Obj
from kiosk.domain.card import CardStatus
from kiosk.domain.catalog import LocalText
from kiosk.domain.errors import PlatformAnswerInvalid

INSURANCES = ("pension", "medical", "unemployment", "work_injury", "maternity")
MEDICAL_KINDS = ("credit", "outpatient", "pharmacy", "inpatient")
CARD_USE_KINDS = ("bus", "metro", "library", "museum", "hospital")
REQUEST_KINDS = ("loss_report", "loss_lifting", "reissue", "replacement")
COMPLAINT_KINDS = ("complaint", "report", "suggestion")
COMPLAINT_CATEGORIES = ("service", "staff", "card", "kiosk", "privacy", "other")
COMPLAINT_STATES = ("received", "in_progress", "replied", "closed")
# The counter's purposes (issue 8), in the order the staff console offers them.
LOOKUP_PURPOSES = (
    "card_service",
    "card_reissue",
    "contribution_inquiry",
    "medical_inquiry",
    "certificate_service",
    "complaint_handling",
)
# What the audit log holds besides look-ups: a blocked PIN reset at a counter.
AUDIT_PURPOSES = (*LOOKUP_PURPOSES, "pin_reset")
CONSENT_STATES = ("pending", "granted", "refused", "expired")
STAFF_ROLES = ("counter", "supervisor", "auditor")


def one_of(obj: Obj, key: str, allowed: tuple[str, ...]) -> str:
    value = obj.text(key, max_len=64)
    if value not in allowed:
        raise PlatformAnswerInvalid(f"{key}: unexpected value")
    return value


def _month(obj: Obj, key: str) -> str | None:
    value = obj.opt_text(key, max_len=7)
    if value is not None and (
        len(value) != 7 or value[4] != "-" or not value.replace("-", "").isdigit()
    ):
        raise PlatformAnswerInvalid(f"{key}: expected YYYY-MM")
    return value


def _local(obj: Obj) -> LocalText:
    return LocalText(zh=obj.text("zh", max_len=1000), en=obj.text("en", max_len=2000))


# --- records --------------------------------------------------------------------------------


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


def parse_summary(x: Obj) -> InsuranceSummary:
    return InsuranceSummary(
        insurance=one_of(x, "insurance", INSURANCES),
        paid_months=x.number("paid_months", low=0),
        unpaid_months=x.number("unpaid_months", low=0),
        first_month=_month(x, "first_month"),
        last_month=_month(x, "last_month"),
        personal_total_fen=x.number("personal_total_fen"),
    )


def parse_contributions(data: Obj) -> Contributions:
    return Contributions(
        summary=tuple(parse_summary(x) for x in data.items("summary")),
        months=tuple(
            ContributionMonth(
                month=_month(x, "month") or "",
                insurance=one_of(x, "insurance", INSURANCES),
                base_fen=x.number("base_fen", low=0),
                personal_fen=x.number("personal_fen", low=0),
                employer_fen=x.number("employer_fen", low=0),
                paid=x.flag("paid"),
                employer=x.text("employer", empty=True, max_len=200),
            )
            for x in data.items("months")
        ),
    )


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


def parse_medical(data: Obj) -> MedicalAccount:
    return MedicalAccount(
        balance_fen=data.number("balance_fen"),
        transactions=tuple(
            MedicalTransaction(
                at=x.moment("at"),
                kind=one_of(x, "kind", MEDICAL_KINDS),
                amount_fen=x.number("amount_fen"),
                balance_fen=x.number("balance_fen"),
                place=x.text("place", empty=True, max_len=200),
            )
            for x in data.items("transactions")
        ),
    )


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


def parse_pension(data: Obj) -> tuple[PensionPayment, ...]:
    return tuple(
        PensionPayment(_month(x, "month") or "", x.number("amount_fen", low=0))
        for x in data.items("payments")
    )


def parse_subsidies(data: Obj) -> tuple[SubsidyPayment, ...]:
    return tuple(
        SubsidyPayment(
            paid_on=x.day("paid_on"),
            program=_local(x.child("program")),
            department=x.text("department", empty=True, max_len=200),
            amount_fen=x.number("amount_fen", low=0),
        )
        for x in data.items("subsidies")
    )


def parse_card_uses(data: Obj) -> tuple[CardUse, ...]:
    return tuple(
        CardUse(
            at=x.moment("at"),
            kind=one_of(x, "kind", CARD_USE_KINDS),
            place=x.text("place", empty=True, max_len=200),
            amount_fen=x.number("amount_fen", low=0),
        )
        for x in data.items("uses")
    )


# --- certificates ---------------------------------------------------------------------------


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


def _cert_insurances(data: Obj) -> tuple[CertificateInsurance, ...]:
    return tuple(
        CertificateInsurance(
            insurance=one_of(x, "insurance", INSURANCES),
            status=one_of(x, "status", ("insured", "interrupted", "never")),
            first_month=_month(x, "first_month"),
            last_month=_month(x, "last_month"),
            paid_months=x.number("paid_months", low=0),
        )
        for x in data.items("insurances", max_items=10)
    )


def parse_certificate(data: Obj) -> Certificate:
    return Certificate(
        code=data.text("code", max_len=32),
        kind=data.text("kind", max_len=32),
        issued=data.moment("issued"),
        valid_until=data.day("valid_until"),
        holder_name=data.text("holder_name", max_len=200),
        holder_id_masked=data.text("holder_id_masked", max_len=32),
        insurances=_cert_insurances(data),
        demo=data.flag("demo"),
        first_month=data.opt_text("first_month", max_len=7),
        last_month=data.opt_text("last_month", max_len=7),
    )


def parse_certificate_check(data: Obj) -> CertificateCheck:
    return CertificateCheck(
        valid=data.flag("valid"),
        code=data.text("code", max_len=32),
        kind=data.text("kind", max_len=32),
        issued=data.moment("issued"),
        valid_until=data.day("valid_until"),
        holder_name_masked=data.text("holder_name_masked", max_len=200),
        holder_id_masked=data.text("holder_id_masked", max_len=32),
        insurances=_cert_insurances(data),
        demo=data.flag("demo"),
    )


# --- the card's life ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgressStep:
    step: str
    done: bool
    at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CardRequest:
    tracking_number: str
    kind: str
    status: str  # completed, in_progress
    created: dt.datetime
    card_status: CardStatus
    progress: tuple[ProgressStep, ...]


@dataclass(frozen=True, slots=True)
class CardView:
    number_masked: str
    status: CardStatus
    financial_account_active: bool  # Art. 19
    issued: dt.date
    expires: dt.date
    requests: tuple[CardRequest, ...]


def parse_card_request(x: Obj) -> CardRequest:
    return CardRequest(
        tracking_number=x.text("tracking_number", max_len=32),
        kind=one_of(x, "kind", REQUEST_KINDS),
        status=one_of(x, "status", ("completed", "in_progress")),
        created=x.moment("created"),
        card_status=x.choice("card_status", CardStatus),
        progress=tuple(
            ProgressStep(
                step=one_of(
                    p,
                    "step",
                    ("submitted", "reviewed", "in_production", "ready_for_pickup", "completed"),
                ),
                done=p.flag("done"),
                at=p.opt_moment("at"),
            )
            for p in x.items("progress", max_items=20)
        ),
    )


def parse_card(data: Obj) -> CardView:
    return CardView(
        number_masked=data.text("number_masked", max_len=32),
        status=data.choice("status", CardStatus),
        financial_account_active=data.flag("financial_account_active"),
        issued=data.day("issued"),
        expires=data.day("expires"),
        requests=tuple(parse_card_request(x) for x in data.items("requests", max_items=100)),
    )


# --- complaints -----------------------------------------------------------------------------


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


def parse_complaint(x: Obj) -> ComplaintView:
    return ComplaintView(
        tracking_number=x.text("tracking_number", max_len=32),
        kind=one_of(x, "kind", COMPLAINT_KINDS),
        category=one_of(x, "category", COMPLAINT_CATEGORIES) if x.has("category") else None,
        subject=x.opt_text("subject", max_len=200),
        status=one_of(x, "status", COMPLAINT_STATES),
        created=x.moment("created"),
        reply=x.opt_text("reply", max_len=4000),
        replied=x.opt_moment("replied"),
    )


# --- staff ----------------------------------------------------------------------------------


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


def parse_lookup(data: Obj) -> LookupResult:
    card = None
    if data.has("card"):
        c = data.child("card")
        card = LookupCard(
            number_masked=c.text("number_masked", max_len=32),
            status=c.choice("status", CardStatus),
            financial_account_active=c.flag("financial_account_active"),
            expires=c.day("expires"),
            requests=tuple(parse_card_request(x) for x in c.items("requests", max_items=100)),
        )
    return LookupResult(
        audit_id=data.number("audit_id", low=0),
        purpose=one_of(data, "purpose", LOOKUP_PURPOSES),
        fields=data.texts("fields"),
        name=data.text("name", max_len=200),
        id_number=data.opt_text("id_number", max_len=32),
        card=card,
        contributions=(
            tuple(parse_summary(x) for x in data.items("contributions"))
            if data.has("contributions")
            else None
        ),
        medical_balance_fen=data.number("medical_balance_fen")
        if data.has("medical_balance_fen")
        else None,
        certificates=(
            tuple(
                LookupCertificate(
                    code=x.text("code", max_len=32),
                    kind=x.text("kind", max_len=32),
                    issued=x.moment("issued"),
                    valid_until=x.day("valid_until"),
                )
                for x in data.items("certificates", max_items=100)
            )
            if data.has("certificates")
            else None
        ),
        complaints=(
            tuple(parse_complaint(x) for x in data.items("complaints"))
            if data.has("complaints")
            else None
        ),
    )


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


def parse_consent(x: Obj) -> ConsentView:
    return ConsentView(
        id=x.text("id", max_len=32),
        purpose=one_of(x, "purpose", LOOKUP_PURPOSES),
        fields=x.texts("fields"),
        status=one_of(x, "status", CONSENT_STATES),
        staff_name=x.text("staff_name", empty=True, max_len=64),
        staff_username=x.text("staff_username", empty=True, max_len=64),
        asked=x.moment("asked"),
        expires=x.moment("expires"),
    )


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


def parse_audit(data: Obj) -> AuditLog:
    return AuditLog(
        entries=tuple(
            AuditEntry(
                id=x.number("id", low=0),
                at=x.moment("at"),
                staff=x.text("staff", max_len=64),
                kiosk_id=x.text("kiosk_id", empty=True, max_len=64),
                resident_ref=x.text("resident_ref", max_len=32),
                purpose=one_of(x, "purpose", AUDIT_PURPOSES),
                fields=x.texts("fields"),
                consent_id=x.text("consent_id", empty=True, max_len=32),
                hash=x.text("hash", max_len=64),
                prev_hash=x.text("prev_hash", max_len=64),
            )
            for x in data.items("entries", max_items=1000)
        ),
        chain_intact=data.flag("chain_intact"),
    )


# --- a loss report without the card (Art. 2) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class LossCodeSent:
    """The platform's answer to "send a code": the same whether or not it knows the ID."""

    request_id: str
    expires_in_s: int
    digits: int

    def __repr__(self) -> str:
        return "LossCodeSent(<request>)"


@dataclass(frozen=True, slots=True)
class LossReported:
    request: CardRequest
    holder_name_masked: str
    card_number_masked: str


@dataclass(frozen=True, slots=True)
class DemoLossCode:
    """The demo platform's stand-in for the text message, for the dev panel only."""

    phone_masked: str
    code: str

    def __repr__(self) -> str:
        return "DemoLossCode(<one-time code>)"


def parse_loss_code_sent(data: Obj) -> LossCodeSent:
    return LossCodeSent(
        request_id=data.text("request_id", max_len=64),
        expires_in_s=data.number("expires_in_s", low=1, high=86400),
        digits=data.number("digits", low=4, high=10),
    )


def parse_loss_reported(data: Obj) -> LossReported:
    return LossReported(
        request=parse_card_request(data.child("request")),
        holder_name_masked=data.text("holder_name_masked", max_len=200),
        card_number_masked=data.text("card_number_masked", max_len=32),
    )


def parse_demo_loss_code(data: Obj) -> DemoLossCode:
    return DemoLossCode(
        phone_masked=data.text("phone_masked", max_len=32), code=data.text("code", max_len=10)
    )


@dataclass(frozen=True, slots=True)
class PinResetTicket:
    """Staff checked the identity card: the chip may take a new PIN. Names masked."""

    reset_id: str
    holder_name_masked: str
    card_number_masked: str


def parse_pin_reset(x: Obj) -> PinResetTicket:
    return PinResetTicket(
        reset_id=x.text("reset_id", max_len=32),
        holder_name_masked=x.text("holder_name_masked", empty=True, max_len=64),
        card_number_masked=x.text("card_number_masked", empty=True, max_len=32),
    )
