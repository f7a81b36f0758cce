"""Certificates of insured status, and their verification by the code printed on them.

Verification is public: whoever holds the paper (an employer, a school) checks the code and
sees what the platform issued, with the holder's name and ID number masked (Art. 12).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.api_contract import API_PREFIX, Reason
from kiosk.server import limits
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import aware, utcnow
from kiosk.server.errors import ApiError
from kiosk.server.routes.common import (
    RESIDENT_REFUSALS,
    client_address,
    latest_month,
    mask_id,
    mask_name,
    refusals,
    resident_session,
)
from kiosk.server.routes.params import Ctx, ResidentCreds
from kiosk.server.routes.records import summary_of
from kiosk.server.routing import OneHopRoute

router = APIRouter(
    prefix=f"{API_PREFIX}/certificates", tags=["certificates"], route_class=OneHopRoute
)

VALID_FOR = dt.timedelta(days=90)
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"


def new_code() -> str:
    text = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{text[:4]}-{text[4:8]}-{text[8:]}"


def _months_before(month: str, count: int) -> str:
    year, number = int(month[:4]), int(month[5:7])
    total = year * 12 + number - 1 - count
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


@router.post(
    "",
    status_code=201,
    response_model=s.Certificate,
    responses=RESIDENT_REFUSALS,
    summary="Issue a certificate of insured status for the session's resident",
)
def issue(
    body: s.CertificateRequest,
    creds: ResidentCreds,
    ctx: Ctx,
) -> s.Certificate:
    with ctx.db() as db:
        session = resident_session(db, ctx, creds)
        resident = db.get(m.Resident, session.resident_id)
        assert resident is not None
        newest = latest_month(db)
        period = _period(body)
        if period is not None and newest is not None:
            # A period that runs past the newest month held is judged at that month.
            newest = min(newest, period[1])
        insurances = []
        for item in _summary(db, resident.id, period):
            if body.insurances is not None and item.insurance not in body.insurances:
                continue
            if item.last_month is None:
                status = "never"
            elif newest is not None and item.last_month >= _months_before(newest, 2):
                status = "insured"
            else:
                status = "interrupted"
            insurances.append(
                s.CertificateInsurance(
                    insurance=item.insurance,
                    status=status,  # type: ignore[arg-type]
                    first_month=item.first_month,
                    last_month=item.last_month,
                    paid_months=item.paid_months,
                )
            )
        now = utcnow()
        certificate = s.Certificate(
            code=new_code(),
            kind=body.kind,
            issued=now,
            valid_until=(now + VALID_FOR).date(),
            holder_name=resident.name,
            holder_id_masked=mask_id(resident.ssn),
            insurances=insurances,
            first_month=period[0] if period else None,
            last_month=period[1] if period else None,
            demo=resident.demo,
        )
        db.add(
            m.Certificate(
                code=certificate.code,
                resident_id=resident.id,
                kind=body.kind,
                issued=now,
                valid_until=certificate.valid_until,
                content=certificate.model_dump(mode="json"),
            )
        )
        db.commit()
        return certificate


@router.get(
    "/{code}",
    response_model=s.CertificateCheck,
    responses=refusals(404, 422, 429),
    summary="Verify a certificate by the code printed on it (public)",
)
def verify(
    code: Annotated[str, Path(pattern=CODE_PATTERN, description="e.g. 7K3Q-9XW2-M4PD")],
    request: Request,
    ctx: Ctx,
) -> s.CertificateCheck:
    with ctx.db() as db:
        now = utcnow()
        limits.hit(
            db, "certificate_verify_client", client_address(request), now, ctx.settings.limits
        )
        limits.hit(db, "certificate_verify_target", code.upper(), now, ctx.settings.limits)
        row = db.scalar(select(m.Certificate).where(m.Certificate.code == code.upper()))
        if row is None:
            raise ApiError(404, Reason.CERTIFICATE_UNKNOWN, "no certificate has this code")
        content = s.Certificate.model_validate(row.content)
    return s.CertificateCheck(
        valid=row.valid_until >= utcnow().date(),
        code=row.code,
        kind=content.kind,
        issued=aware(row.issued),
        valid_until=row.valid_until,
        holder_name_masked=mask_name(content.holder_name),
        holder_id_masked=content.holder_id_masked,
        insurances=content.insurances,
        first_month=content.first_month,
        last_month=content.last_month,
        demo=content.demo,
    )


def _period(body: s.CertificateRequest) -> tuple[str, str] | None:
    if body.first_month is None and body.last_month is None:
        return None
    if body.first_month is None or body.last_month is None:
        raise ApiError(
            422,
            Reason.INVALID_REQUEST,
            "a period needs first_month and last_month",
            problems=[{"where": "body.first_month", "problem": "period incomplete"}],
        )
    # "From December back to January" names the same months as the other way round.
    first, last = sorted((body.first_month, body.last_month))
    return first, last


def _summary(
    db: Session, resident_id: int, period: tuple[str, str] | None
) -> list[s.InsuranceSummary]:
    """Per insurance, the months paid: over the whole record, or within the period asked for."""
    if period is None:
        return summary_of(db, resident_id)
    c = m.Contribution
    rows = db.execute(
        select(c.insurance, func.count(), func.min(c.month), func.max(c.month))
        .where(
            c.resident_id == resident_id,
            c.paid,
            c.month >= period[0],
            c.month <= period[1],
        )
        .group_by(c.insurance)
    ).all()
    found = {row[0]: row for row in rows}
    summary = []
    for item in summary_of(db, resident_id):
        row = found.get(item.insurance)
        summary.append(
            s.InsuranceSummary(
                insurance=item.insurance,
                paid_months=int(row[1]) if row else 0,
                unpaid_months=0,
                first_month=row[2] if row else None,
                last_month=row[3] if row else None,
                personal_total_fen=0,
            )
        )
    return summary
