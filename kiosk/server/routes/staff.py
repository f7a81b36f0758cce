"""Staff at the counter: login, look-ups bound to a purpose, the audit log, complaint replies,
and the fleet's health.

A look-up names its purpose, and the answer holds only what that purpose needs (Art. 13: no
looking at what the service does not need). Every look-up is written to the audit log before
its answer leaves (Art. 18).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy import select

from kiosk.backend.contract import API_PREFIX, Reason
from kiosk.server import audit
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import (
    KioskCredentials,
    StaffCredentials,
    aware,
    check_kiosk,
    check_staff,
    kiosk_credentials,
    staff_credentials,
    utcnow,
)
from kiosk.server.context import Platform, platform
from kiosk.server.errors import ApiError
from kiosk.server.routes import card as card_routes
from kiosk.server.routes import complaints as complaint_routes
from kiosk.server.routes.common import current_card, mask_number, refusals
from kiosk.server.routes.records import summary_of
from kiosk.server.security import hash_password, hash_secret, new_token, verify_password

router = APIRouter(prefix=f"{API_PREFIX}/staff", tags=["staff"])

Creds = Annotated[StaffCredentials, Depends(staff_credentials)]
Ctx = Annotated[Platform, Depends(platform)]
STAFF_REFUSALS = refusals(401, 403, 404, 422)

# What each purpose may see. Nothing else is read, so nothing else can leak (Art. 13).
PURPOSE_FIELDS: dict[str, list[str]] = {
    "card_service": ["name", "card"],
    "contribution_inquiry": ["name", "contributions"],
    "medical_inquiry": ["name", "medical_balance"],
    "complaint_handling": ["name", "complaints"],
}
# A login attempt for an unknown user still pays for one hash, so timing does not tell
# which usernames exist.
_DUMMY_HASH = hash_password("not-a-password", salt=b"0123456789abcdef")


def _require(staff: m.Staff, *roles: str) -> None:
    if staff.role not in roles:
        raise ApiError(403, Reason.STAFF_FORBIDDEN, f"the {staff.role} role may not do this")


@router.post(
    "/sessions",
    status_code=201,
    response_model=s.StaffSessionOpened,
    responses=refusals(401, 403, 422),
    summary="Staff login at a counter console",
)
def login(
    body: s.StaffLogin, creds: Annotated[KioskCredentials, Depends(kiosk_credentials)], ctx: Ctx
) -> s.StaffSessionOpened:
    with ctx.db() as db:
        kiosk = check_kiosk(db, creds, ctx)
        staff = db.scalar(select(m.Staff).where(m.Staff.username == body.username))
        stored = staff.password_hash if staff is not None else _DUMMY_HASH
        if not verify_password(body.password, stored) or staff is None:
            raise ApiError(401, Reason.STAFF_UNAUTHENTICATED, "wrong username or password")
        token = new_token()
        now = utcnow()
        db.add(
            m.StaffSession(
                token_hash=hash_secret(token),
                staff_id=staff.id,
                kiosk_id=kiosk.id,
                opened=now,
                last_seen=now,
                closed=False,
            )
        )
        db.commit()
        return s.StaffSessionOpened(
            token=token,
            name=staff.name,
            role=staff.role,  # type: ignore[arg-type]
            expires_in_s=ctx.settings.staff_idle_s,
        )


@router.delete("/sessions/current", status_code=204, responses=refusals(401, 403))
def logout(creds: Creds, ctx: Ctx) -> Response:
    with ctx.db() as db:
        check_kiosk(db, creds.kiosk, ctx)
        if not creds.token:
            raise ApiError(401, Reason.STAFF_UNAUTHENTICATED, "X-Staff-Token is missing")
        session = db.get(m.StaffSession, hash_secret(creds.token))
        if session is not None and not session.closed:
            session.closed = True
            db.commit()
    return Response(status_code=204)


@router.post(
    "/lookups",
    response_model=s.LookupResult,
    responses=STAFF_REFUSALS,
    summary="Look a resident up for one purpose; the look-up is written to the audit log",
)
def lookup(body: s.Lookup, creds: Creds, ctx: Ctx) -> s.LookupResult:
    if (body.card_number is None) == (body.ssn is None):
        raise ApiError(
            422,
            Reason.INVALID_REQUEST,
            "give exactly one of card_number and ssn",
            problems=[{"where": "body", "problem": "exactly one of card_number, ssn"}],
        )
    with ctx.db() as db:
        staff = check_staff(db, creds, ctx)
        _require(staff, "counter", "supervisor")
        if body.card_number is not None:
            found = db.scalar(select(m.Card).where(m.Card.number == body.card_number))
            resident = db.get(m.Resident, found.resident_id) if found is not None else None
        else:
            resident = db.scalar(
                select(m.Resident).where(m.Resident.ssn == (body.ssn or "").upper())
            )
        if resident is None:
            raise ApiError(404, Reason.RESIDENT_UNKNOWN, "no resident matches")
        fields = PURPOSE_FIELDS[body.purpose]
        entry = audit.append(
            db,
            staff_id=staff.id,
            kiosk_id=creds.kiosk.kiosk_id or "",
            resident_id=resident.id,
            purpose=body.purpose,
            fields=fields,
        )
        result = s.LookupResult(audit_id=entry.id, purpose=body.purpose, name=resident.name)
        if "card" in fields:
            card = current_card(db, resident.id)
            requests = db.scalars(
                select(m.CardRequest)
                .where(m.CardRequest.resident_id == resident.id)
                .order_by(m.CardRequest.created.desc())
                .limit(20)
            ).all()
            result.card = s.LookupCard(
                number_masked=mask_number(card.number),
                status=card.status,  # type: ignore[arg-type]
                financial_account_active=card.financial_account_active,
                expires=card.expires,
                requests=[card_routes.view(r) for r in requests],
            )
        if "contributions" in fields:
            result.contributions = summary_of(db, resident.id)
        if "medical_balance" in fields:
            last = db.scalar(
                select(m.MedicalTransaction)
                .where(m.MedicalTransaction.resident_id == resident.id)
                .order_by(m.MedicalTransaction.at.desc(), m.MedicalTransaction.id.desc())
                .limit(1)
            )
            result.medical_balance_fen = last.balance_fen if last is not None else 0
        if "complaints" in fields:
            rows_c = db.scalars(
                select(m.Complaint)
                .where(m.Complaint.resident_id == resident.id)
                .order_by(m.Complaint.created.desc())
                .limit(50)
            ).all()
            result.complaints = [complaint_routes.view(r) for r in rows_c]
        return result


@router.get(
    "/audit",
    response_model=s.AuditLog,
    responses=STAFF_REFUSALS,
    summary="The look-up log, newest first, and whether its hash chain is intact",
)
def audit_log(
    creds: Creds,
    ctx: Ctx,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> s.AuditLog:
    with ctx.db() as db:
        staff = check_staff(db, creds, ctx)
        _require(staff, "auditor", "supervisor")
        names = {row.id: row.username for row in db.scalars(select(m.Staff))}
        rows = db.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(limit)).all()
        return s.AuditLog(
            entries=[
                s.AuditEntry(
                    id=r.id,
                    at=aware(r.at),
                    staff=names.get(r.staff_id, "?"),
                    kiosk_id=r.kiosk_id,
                    resident_ref=f"R{r.resident_id:07d}",
                    purpose=r.purpose,  # type: ignore[arg-type]
                    fields=r.fields.split(",") if r.fields else [],
                    hash=r.hash,
                    prev_hash=r.prev_hash,
                )
                for r in rows
            ],
            chain_intact=audit.intact(db),
        )


@router.post(
    "/complaints/{tracking}/reply",
    response_model=s.ComplaintView,
    responses=STAFF_REFUSALS,
    summary="The department's reply to a complaint, fed back to its author (Art. 16)",
)
def reply(
    tracking: Annotated[str, Path(pattern=complaint_routes.TRACKING_PATTERN)],
    body: s.ComplaintReply,
    creds: Creds,
    ctx: Ctx,
) -> s.ComplaintView:
    with ctx.db() as db:
        staff = check_staff(db, creds, ctx)
        _require(staff, "counter", "supervisor")
        row = db.scalar(select(m.Complaint).where(m.Complaint.tracking_number == tracking))
        if row is None:
            raise ApiError(404, Reason.TRACKING_UNKNOWN, "no complaint has this number")
        row.reply = body.reply
        row.replied = utcnow()
        row.status = "closed" if body.close else "replied"
        db.commit()
        return complaint_routes.view(row)


@router.get(
    "/kiosks",
    response_model=s.Fleet,
    responses=STAFF_REFUSALS,
    summary="The fleet: each kiosk's last heartbeat and device health",
)
def fleet(creds: Creds, ctx: Ctx) -> s.Fleet:
    from kiosk.server.routes.kiosks import HEARTBEAT_EVERY_S

    with ctx.db() as db:
        staff = check_staff(db, creds, ctx)
        _require(staff, "supervisor")
        now = utcnow()
        kiosks = []
        for kiosk in db.scalars(select(m.Kiosk).order_by(m.Kiosk.id)):
            last = aware(kiosk.last_heartbeat) if kiosk.last_heartbeat else None
            kiosks.append(
                s.KioskStatus(
                    id=kiosk.id,
                    label=kiosk.label,
                    enabled=kiosk.enabled,
                    online=last is not None
                    and now - last < dt.timedelta(seconds=3 * HEARTBEAT_EVERY_S),
                    last_heartbeat=last,
                    health=s.Heartbeat.model_validate(kiosk.health) if kiosk.health else None,
                    assistance_requested=aware(kiosk.assistance_requested)
                    if kiosk.assistance_requested
                    else None,
                    assistance_screen=kiosk.assistance_screen or None,
                )
            )
        return s.Fleet(kiosks=kiosks)


@router.delete(
    "/kiosks/{kiosk_id}/assistance",
    status_code=204,
    responses=STAFF_REFUSALS,
    summary="A member of staff has gone to the resident who called",
)
def answer_assistance(
    kiosk_id: Annotated[str, Path(min_length=1, max_length=64)], creds: Creds, ctx: Ctx
) -> Response:
    with ctx.db() as db:
        check_staff(db, creds, ctx)
        kiosk = db.get(m.Kiosk, kiosk_id)
        if kiosk is None:
            raise ApiError(404, Reason.NOT_FOUND, "no kiosk has this id")
        kiosk.assistance_requested = None
        kiosk.assistance_screen = ""
        db.commit()
    return Response(status_code=204)
