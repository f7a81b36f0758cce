"""Complaints, reports and suggestions (Art. 16), each with a tracking number and the reply.

Anyone may make a suggestion, so suggestions may be anonymous; a complaint or a report is
answered to the person who made it (Art. 16, second paragraph), so it needs one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Response
from sqlalchemy import select

from kiosk.backend.contract import API_PREFIX, IDEMPOTENCY_HEADER, Reason, tracking_number
from kiosk.server import complaint_desk
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import (
    KioskCredentials,
    ResidentCredentials,
    aware,
    check_kiosk,
    kiosk_credentials,
    resident_credentials,
    utcnow,
)
from kiosk.server.context import Platform, platform
from kiosk.server.errors import ApiError
from kiosk.server.routes.common import (
    RESIDENT_REFUSALS,
    filer,
    idempotency_key,
    insert_once,
    refusals,
    replay,
    request_hash,
    resident_session,
)

router = APIRouter(prefix=f"{API_PREFIX}/complaints", tags=["complaints"])

Ctx = Annotated[Platform, Depends(platform)]
TRACKING_PATTERN = r"^C-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"


def view(row: m.Complaint) -> s.ComplaintView:
    return s.ComplaintView(
        tracking_number=row.tracking_number,
        kind=row.kind,  # type: ignore[arg-type]
        category=row.category,  # type: ignore[arg-type]
        subject=row.subject,
        status=row.status,  # type: ignore[arg-type]
        created=aware(row.created),
        reply=row.reply,
        replied=aware(row.replied) if row.replied else None,
        department=row.department or None,
        due=aware(row.due) if row.due else None,
    )


@router.post(
    "",
    status_code=201,
    response_model=s.ComplaintView,
    responses=refusals(401, 403, 404, 409, 422),
    summary="File a complaint, report or suggestion; a repeat with the same key is answered once",
)
def file_complaint(
    body: s.ComplaintIn,
    creds: Annotated[ResidentCredentials, Depends(resident_credentials)],
    ctx: Ctx,
    response: Response,
    key: Annotated[str | None, Header(alias=IDEMPOTENCY_HEADER)] = None,
) -> s.ComplaintView:
    if body.anonymous and body.kind != "suggestion":
        raise ApiError(
            422,
            Reason.INVALID_REQUEST,
            "only a suggestion may be anonymous; a complaint is answered to its author",
            problems=[{"where": "body.anonymous", "problem": "allowed for suggestions only"}],
        )
    with ctx.db() as db:
        kiosk = check_kiosk(db, creds.kiosk, ctx)
        idem = idempotency_key(key)
        digest = request_hash("complaint", body)
        earlier = replay(db, m.Complaint, kiosk.id, idem, digest)
        if earlier is not None:
            response.status_code = 200
            return view(earlier)
        resident_id = None if body.anonymous else filer(db, kiosk.id, creds.token, body.filed_by)
        if body.item is not None and db.get(m.CatalogItem, body.item) is None:
            raise ApiError(
                422,
                Reason.INVALID_REQUEST,
                "no catalog item has this id",
                problems=[{"where": "body.item", "problem": "not in the catalog"}],
            )
        now = utcnow()
        row = m.Complaint(
            tracking_number=tracking_number("C", kiosk.id, idem),
            resident_id=resident_id,
            kind=body.kind,
            category=body.category,
            subject=body.subject,
            text=body.text,
            contact=None if body.anonymous else body.contact,
            status="received",
            created=now,
            kiosk_id=kiosk.id,
            idempotency_key=idem,
            request_hash=digest,
            item=body.item or "",
        )
        # Art. 16: to the department that must answer it, with the day it must answer by.
        complaint_desk.route_new(db, row, idle_s=ctx.settings.staff_idle_s, now=now)
        earlier = insert_once(db, row, kiosk.id, idem, digest)
        if earlier is not None:
            response.status_code = 200
            return view(earlier)
        return view(row)


@router.get("", response_model=s.ComplaintList, responses=RESIDENT_REFUSALS)
def my_complaints(
    creds: Annotated[ResidentCredentials, Depends(resident_credentials)], ctx: Ctx
) -> s.ComplaintList:
    with ctx.db() as db:
        session = resident_session(db, ctx, creds)
        rows = db.scalars(
            select(m.Complaint)
            .where(m.Complaint.resident_id == session.resident_id)
            .order_by(m.Complaint.created.desc())
            .limit(50)
        ).all()
        return s.ComplaintList(complaints=[view(r) for r in rows])


@router.get(
    "/{tracking}",
    response_model=s.ComplaintView,
    responses=refusals(401, 403, 404, 422),
    summary="A complaint's status and the department's reply, by its tracking number",
)
def complaint_status(
    tracking: Annotated[str, Path(pattern=TRACKING_PATTERN)],
    creds: Annotated[KioskCredentials, Depends(kiosk_credentials)],
    ctx: Ctx,
) -> s.ComplaintView:
    with ctx.db() as db:
        check_kiosk(db, creds, ctx)
        row = db.scalar(select(m.Complaint).where(m.Complaint.tracking_number == tracking))
        if row is None:
            raise ApiError(404, Reason.TRACKING_UNKNOWN, "no complaint has this number")
        return view(row)
