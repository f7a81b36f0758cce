"""Complaints, reports and suggestions (Art. 16), each with a tracking number and the reply.

Anyone may make a suggestion, so suggestions may be anonymous; a complaint or a report is
answered to the person who made it (Art. 16, second paragraph), so it needs one.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.api_contract import API_PREFIX, GRANT_HEADER, Reason, tracking_number
from kiosk.server import complaint_desk, limits
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import aware, check_kiosk, utcnow
from kiosk.server.errors import ApiError
from kiosk.server.routes.common import (
    RESIDENT_REFUSALS,
    insert_once,
    newest,
    refusals,
    repeated,
    replayed,
    resident_session,
    submission,
    submitter,
)
from kiosk.server.routes.params import Ctx, IdemKey, ResidentCreds
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix=f"{API_PREFIX}/complaints", tags=["complaints"], route_class=OneHopRoute)

TRACKING_PATTERN = r"^C-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"
# The numbers each contact kind takes (the keypad has no dash): a mobile, or a landline with its
# area code.
CONTACT_PATTERNS = {kind: re.compile(pattern) for kind, pattern in s.CONTACT_PATTERNS.items()}


def _check_contact(body: s.ComplaintIn) -> None:
    """The contact fits its kind; "none" carries no number. The number itself is never echoed."""
    kind = body.contact_kind
    if kind is None:
        return
    if kind == "none":
        problem = "no contact goes with contact_kind none" if body.contact else None
    else:
        pattern = CONTACT_PATTERNS[kind]
        fits = body.contact is not None and pattern.fullmatch(body.contact) is not None
        problem = None if fits else f"not a {kind} number"
    if body.anonymous:
        problem = "an anonymous suggestion has no contact kind"
    if problem is not None:
        raise ApiError(
            422,
            Reason.INVALID_REQUEST,
            f"body.contact: {problem}",
            problems=[{"where": "body.contact", "problem": problem}],
        )


def stage(row: m.Complaint) -> s.ComplaintView:
    """What the tracking number alone shows: that it exists, and how far it has got."""
    return s.ComplaintView(
        tracking_number=row.tracking_number,
        kind=row.kind,  # type: ignore[arg-type]
        category=None,
        subject=None,
        status=row.status,  # type: ignore[arg-type]
        created=aware(row.created),
        reply=None,
        replied=aware(row.replied) if row.replied else None,
        shown_to_filer=False,
    )


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


def by_number(db: Session, tracking: str) -> m.Complaint:
    """The complaint a tracking number names, for its filer, whoever holds the slip, or staff."""
    row = db.scalar(select(m.Complaint).where(m.Complaint.tracking_number == tracking))
    if row is None:
        raise ApiError(404, Reason.TRACKING_UNKNOWN, "no complaint has this number")
    return row


@router.post(
    "",
    status_code=201,
    response_model=s.ComplaintView,
    responses={**refusals(401, 403, 404, 409, 422), **replayed(s.ComplaintView)},
    summary="File a complaint, report or suggestion; a repeat with the same key is answered once",
)
def file_complaint(
    body: s.ComplaintIn,
    creds: ResidentCreds,
    ctx: Ctx,
    response: Response,
    key: IdemKey,
    grant: Annotated[
        str | None,
        Header(
            alias=GRANT_HEADER,
            max_length=128,
            description="instead of X-Session-Token once the resident has left: the delivery"
            " grant for this Idempotency-Key",
        ),
    ] = None,
) -> s.ComplaintView:
    if body.anonymous and body.kind != "suggestion":
        raise ApiError(
            422,
            Reason.INVALID_REQUEST,
            "only a suggestion may be anonymous; a complaint is answered to its author",
            problems=[{"where": "body.anonymous", "problem": "allowed for suggestions only"}],
        )
    _check_contact(body)
    with ctx.db() as db:
        kiosk = check_kiosk(db, creds.kiosk, ctx)
        idem, digest, earlier = submission(db, m.Complaint, kiosk.id, key, "complaint", body)
        if earlier is not None:
            return view(repeated(response, earlier))
        # An anonymous suggestion names nobody: anyone at a kiosk may make one (Art. 16).
        resident_id = None if body.anonymous else submitter(db, ctx, creds, idem, grant)
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
            # An item the catalog no longer has (a kiosk's offline copy may be older) is
            # dropped, and the topic routes the complaint: it is not refused for that.
            item=body.item if body.item and db.get(m.CatalogItem, body.item) else "",
        )
        # Art. 16: to the department that must answer it, with the day it must answer by.
        complaint_desk.route_new(db, row, idle_s=ctx.settings.staff_idle_s, now=now)
        earlier = insert_once(db, row, kiosk.id, idem, digest)
        if earlier is not None:
            return view(repeated(response, earlier))
        return view(row)


@router.get("", response_model=s.ComplaintList, responses=RESIDENT_REFUSALS)
def my_complaints(creds: ResidentCreds, ctx: Ctx) -> s.ComplaintList:
    with ctx.statements() as db:
        session = resident_session(db, ctx, creds)
        rows = newest(db, m.Complaint, session.resident_id, m.Complaint.created.desc(), limit=50)
        return s.ComplaintList(complaints=[view(r) for r in rows])


@router.get(
    "/{tracking}",
    response_model=s.ComplaintView,
    responses=refusals(401, 403, 404, 422, 429),
    summary="A complaint by its tracking number: whole in the filer's own session, else only"
    " whether it exists and its stage",
)
def complaint_status(
    tracking: Annotated[str, Path(pattern=TRACKING_PATTERN)],
    creds: ResidentCreds,
    ctx: Ctx,
) -> s.ComplaintView:
    """The subject and the reply are the filer's (Art. 12): a slip found on the floor tells its
    finder only that the complaint exists and how far it has got."""
    with ctx.db() as db:
        kiosk = check_kiosk(db, creds.kiosk, ctx)
        now = utcnow()
        limits.hit(db, "complaint_lookup_kiosk", kiosk.id, now, ctx.settings.limits)
        limits.hit(db, "complaint_lookup_target", tracking, now, ctx.settings.limits)
        resident_id = resident_session(db, ctx, creds).resident_id if creds.token else None
        row = by_number(db, tracking)
        if resident_id is not None and row.resident_id == resident_id:
            return view(row)
        return stage(row)
