"""The complaints a department answers, and the supervisors' view of them all (Art. 16): the
inbox, one complaint, and its reply, extension or passing on."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Unpack

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.server import complaint_desk, departments
from kiosk.server import models as m
from kiosk.server.auth import aware, utcnow
from kiosk.server.console import web
from kiosk.server.console.web import Ctx, Form, Said, Visitor, redirect, show
from kiosk.server.context import Platform
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix="/console", route_class=OneHopRoute)
TRACKING = r"^C-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"
Tracking = Annotated[str, Path(pattern=TRACKING)]
INBOX_ROLES = ("department", "supervisor")
# What each refusal of the complaint desk says to the member of staff.
REFUSALS = {
    "this complaint is not for your department": "console.complaint.not_yours",
    "this complaint is about you or your department: a supervisor answers it": (
        "console.complaint.own"
    ),
    "this complaint has had its one extension": "console.complaint.extended_once",
    "this complaint is already answered": "console.complaint.answered",
    "give the reason for more time": "console.complaint.reason_needed",
    "no such department": "console.complaint.no_department",
    "the complaint is already with that department": "console.complaint.same_department",
    "this complaint is about that department: a supervisor answers it": (
        "console.complaint.about_that"
    ),
}


def _overdue(row: m.Complaint, now: dt.datetime) -> bool:
    return (
        row.status in complaint_desk.OPEN_STATUSES and row.due is not None and now > aware(row.due)
    )


def inbox_rows(db: Session, staff: m.Staff, now: dt.datetime) -> list[m.Complaint]:
    """The complaints this member of staff handles: overdue first, then by their deadline,
    answered ones last."""
    query = select(m.Complaint)
    if staff.role == "department":
        query = query.where(m.Complaint.department == staff.department)
    rows = list(db.scalars(query.order_by(m.Complaint.created.desc()).limit(500)))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def order(row: m.Complaint) -> tuple[int, dt.datetime]:
        if _overdue(row, now):
            return (0, aware(row.due) if row.due else far)
        if row.status in complaint_desk.OPEN_STATUSES:
            return (1, aware(row.due) if row.due else far)
        return (2, far - (aware(row.created) - dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))

    return sorted(rows, key=order)


@router.get("/inbox", response_class=HTMLResponse)
def inbox(request: Request, ctx: Ctx) -> Response:
    with web.visit(request, ctx, INBOX_ROLES) as (db, visitor):
        now = utcnow()
        rows = inbox_rows(db, visitor.staff, now)
        counts = complaint_desk.counts(db, now) if visitor.staff.role == "supervisor" else []
        return show(
            visitor,
            "inbox.html",
            rows=[(r, _overdue(r, now), complaint_desk.own(visitor.staff, r)) for r in rows],
            counts=counts,
        )


def _complaint(db: Session, visitor: Visitor, tracking: str) -> m.Complaint:
    row = db.scalar(select(m.Complaint).where(m.Complaint.tracking_number == tracking))
    if row is None or not complaint_desk.may_see(visitor.staff, row):
        raise web.NotFound
    return row


@router.get("/complaints/{tracking}", response_class=HTMLResponse)
def complaint_page(
    request: Request,
    tracking: Tracking,
    ctx: Ctx,
    done: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    with web.visit(request, ctx, INBOX_ROLES) as (db, visitor):
        return _show_complaint(db, visitor, tracking, done=done)


def _show_complaint(db: Session, visitor: Visitor, tracking: str, **said: Unpack[Said]) -> Response:
    row = _complaint(db, visitor, tracking)
    item = db.get(m.CatalogItem, row.item) if row.item else None
    return show(
        visitor,
        "complaint.html",
        known=("reply", "extend", "pass"),
        **said,
        c=row,
        item=item,
        overdue=_overdue(row, utcnow()),
        own=complaint_desk.own(visitor.staff, row),
        open=row.status in complaint_desk.OPEN_STATUSES,
        departments=[d for d in departments.DEPARTMENTS if d != row.department],
        supervision=departments.SUPERVISION,
    )


def _act(
    request: Request, form: dict[str, str], ctx: Platform, tracking: str, action: str
) -> Response:
    with web.visit(request, ctx, INBOX_ROLES, form) as (db, visitor):
        row = _complaint(db, visitor, tracking)
        where = web.CONSOLE_PLACE
        try:
            if action == "reply":
                text = form.get("reply", "").strip()
                if not text or len(text) > 2000:
                    return _show_complaint(
                        db,
                        visitor,
                        tracking,
                        problem="console.complaint.reply_length",
                        status_code=422,
                    )
                complaint_desk.reply(db, visitor.staff, row, text, where=where, now=utcnow())
            elif action == "extend":
                reason = form.get("reason", "")[:400]
                complaint_desk.extend(db, visitor.staff, row, reason, where=where)
            else:
                department = form.get("department", "")
                complaint_desk.pass_to(db, visitor.staff, row, department, where=where)
        except complaint_desk.Refused as refusal:
            db.rollback()
            problem = REFUSALS.get(str(refusal), "console.complaint.not_yours")
            return _show_complaint(db, visitor, tracking, problem=problem, status_code=403)
        if action == "pass" and not complaint_desk.may_see(visitor.staff, row):
            return redirect("/console/inbox")
    return redirect(f"/console/complaints/{tracking}?done={action}")


@router.post("/complaints/{tracking}/reply")
def reply(request: Request, tracking: Tracking, form: Form, ctx: Ctx) -> Response:
    return _act(request, form, ctx, tracking, "reply")


@router.post("/complaints/{tracking}/extend")
def extend(request: Request, tracking: Tracking, form: Form, ctx: Ctx) -> Response:
    return _act(request, form, ctx, tracking, "extend")


@router.post("/complaints/{tracking}/pass")
def pass_on(request: Request, tracking: Tracking, form: Form, ctx: Ctx) -> Response:
    return _act(request, form, ctx, tracking, "pass")
