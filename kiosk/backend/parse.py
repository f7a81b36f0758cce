"""The platform's answers read into domain values: records, certificates, the card's requests,
complaints, staff answers. Every field is checked against the contract (kiosk.backend.wire);
anything else is PlatformAnswerInvalid.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from kiosk.backend.wire import Obj
from kiosk.domain.card import CardStatus
from kiosk.domain.card_requests import (
    PROGRESS_STEPS,
    REQUEST_KINDS,
    REQUEST_STATUSES,
    CardRequest,
    CardView,
    DemoLossCode,
    LossCodeSent,
    LossReported,
    ProgressStep,
)
from kiosk.domain.catalog import LocalText
from kiosk.domain.complaints import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_KINDS,
    COMPLAINT_STATES,
    ComplaintView,
)
from kiosk.domain.errors import PlatformAnswerInvalid
from kiosk.domain.records import (
    CARD_USE_KINDS,
    CERTIFICATE_STATUSES,
    INSURANCES,
    MEDICAL_KINDS,
    CardUse,
    Certificate,
    CertificateCheck,
    CertificateInsurance,
    ContributionMonth,
    Contributions,
    InsuranceSummary,
    MedicalAccount,
    MedicalTransaction,
    PensionPayment,
    SubsidyPayment,
)
from kiosk.domain.session import ResidentSession
from kiosk.domain.staff import (
    AUDIT_PURPOSES,
    CONSENT_STATES,
    LOOKUP_PURPOSES,
    STAFF_ROLES,
    AuditEntry,
    AuditLog,
    ConsentView,
    LookupCard,
    LookupCertificate,
    LookupResult,
    PinResetTicket,
    StaffSession,
)


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


def _named(obj: Obj, key: str) -> str:
    """An employer, a department or a place as the platform names it: empty when it has none."""
    return obj.text(key, empty=True, max_len=200)


def _local(obj: Obj) -> LocalText:
    return LocalText(zh=obj.text("zh", max_len=1000), en=obj.text("en", max_len=2000))


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
                employer=_named(x, "employer"),
            )
            for x in data.items("months")
        ),
    )


def parse_medical(data: Obj) -> MedicalAccount:
    return MedicalAccount(
        balance_fen=data.number("balance_fen"),
        transactions=tuple(
            MedicalTransaction(
                at=x.moment("at"),
                kind=one_of(x, "kind", MEDICAL_KINDS),
                amount_fen=x.number("amount_fen"),
                balance_fen=x.number("balance_fen"),
                place=_named(x, "place"),
            )
            for x in data.items("transactions")
        ),
    )


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
            department=_named(x, "department"),
            amount_fen=x.number("amount_fen", low=0),
        )
        for x in data.items("subsidies")
    )


def parse_card_uses(data: Obj) -> tuple[CardUse, ...]:
    return tuple(
        CardUse(
            at=x.moment("at"),
            kind=one_of(x, "kind", CARD_USE_KINDS),
            place=_named(x, "place"),
            amount_fen=x.number("amount_fen", low=0),
        )
        for x in data.items("uses")
    )


def _cert_insurances(data: Obj) -> tuple[CertificateInsurance, ...]:
    return tuple(
        CertificateInsurance(
            insurance=one_of(x, "insurance", INSURANCES),
            status=one_of(x, "status", CERTIFICATE_STATUSES),
            first_month=_month(x, "first_month"),
            last_month=_month(x, "last_month"),
            paid_months=x.number("paid_months", low=0),
        )
        for x in data.items("insurances", max_items=10)
    )


class _Issued(TypedDict):
    code: str
    kind: str
    issued: dt.datetime
    valid_until: dt.date


def _issued(x: Obj) -> _Issued:
    """What every answer about a certificate states first: which it is and how long it holds."""
    return {
        "code": x.text("code", max_len=32),
        "kind": x.text("kind", max_len=32),
        "issued": x.moment("issued"),
        "valid_until": x.day("valid_until"),
    }


def parse_certificate(data: Obj) -> Certificate:
    return Certificate(
        **_issued(data),
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
        **_issued(data),
        holder_name_masked=data.text("holder_name_masked", max_len=200),
        holder_id_masked=data.text("holder_id_masked", max_len=32),
        insurances=_cert_insurances(data),
        demo=data.flag("demo"),
    )


def parse_card_request(x: Obj) -> CardRequest:
    return CardRequest(
        tracking_number=x.text("tracking_number", max_len=32),
        kind=one_of(x, "kind", REQUEST_KINDS),
        status=one_of(x, "status", REQUEST_STATUSES),
        created=x.moment("created"),
        card_status=x.choice("card_status", CardStatus),
        progress=tuple(
            ProgressStep(
                step=one_of(p, "step", PROGRESS_STEPS),
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
                LookupCertificate(**_issued(x)) for x in data.items("certificates", max_items=100)
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


def parse_pin_reset(x: Obj) -> PinResetTicket:
    return PinResetTicket(
        reset_id=x.text("reset_id", max_len=32),
        holder_name_masked=x.text("holder_name_masked", empty=True, max_len=64),
        card_number_masked=x.text("card_number_masked", empty=True, max_len=32),
    )


def parse_staff_session(data: Obj) -> StaffSession:
    return StaffSession(
        token=data.text("token", max_len=512),
        name=data.text("name", max_len=200),
        role=one_of(data, "role", STAFF_ROLES),
        expires_in_s=data.number("expires_in_s", low=0),
    )


def parse_session(data: Obj) -> ResidentSession:
    return ResidentSession(
        token=data.text("token", max_len=512),
        name=data.text("name", max_len=200),
        card_status=data.choice("card_status", CardStatus),
        financial_account_active=data.flag("financial_account_active"),
        expires_in_s=data.number("expires_in_s", low=0),
    )
