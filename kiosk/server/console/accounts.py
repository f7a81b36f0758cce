"""The staff accounts page: who may sign in, in which role. The console's operators and
`kiosk staff` at the command line make and disable accounts by the same rules
(kiosk.server.console.administration), each in the audit log (Art. 18)."""

from __future__ import annotations

from typing import Annotated, Unpack

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.server import departments
from kiosk.server import models as m
from kiosk.server.console import web
from kiosk.server.console.administration import AccountProblem, add_staff, disable_staff
from kiosk.server.console.web import Ctx, Form, Said, Visitor, redirect, show
from kiosk.server.roles import ROLES
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix="/console", route_class=OneHopRoute)
OPERATOR = ("operator",)


@router.get("/staff", response_class=HTMLResponse)
def staff_page(
    request: Request, ctx: Ctx, done: Annotated[str, Query(max_length=32)] = ""
) -> Response:
    with web.visit(request, ctx, OPERATOR) as (db, visitor):
        return _staff_page(db, visitor, done=done)


def _staff_page(db: Session, visitor: Visitor, **said: Unpack[Said]) -> Response:
    return show(
        visitor,
        "staff.html",
        known=("added", "disabled"),
        **said,
        rows=list(db.scalars(select(m.Staff).order_by(m.Staff.username))),
        roles=ROLES,
        departments=list(departments.DEPARTMENTS),
    )


@router.post("/staff", response_class=HTMLResponse)
def staff_add(request: Request, form: Form, ctx: Ctx) -> Response:
    with web.visit(request, ctx, OPERATOR, form) as (db, visitor):
        role = form.get("role", "")
        try:
            add_staff(
                db,
                by=visitor.staff.id,
                username=form.get("username", "").strip(),
                role=role,
                department=form.get("department", "") if role == "department" else "",
                password=form.get("password", ""),
                name=form.get("name", "").strip()[:64],
                where=web.CONSOLE_PLACE,
            )
        except AccountProblem:
            db.rollback()
            return _staff_page(db, visitor, problem="console.staff.invalid", status_code=422)
    return redirect("/console/staff?done=added")


@router.post("/staff/{username}/disable")
def staff_disable(
    request: Request,
    username: Annotated[str, Path(min_length=1, max_length=64)],
    form: Form,
    ctx: Ctx,
) -> Response:
    with web.visit(request, ctx, OPERATOR, form) as (db, visitor):
        staff = db.scalar(select(m.Staff).where(m.Staff.username == username))
        if staff is None:
            raise web.NotFound
        if staff.id == visitor.staff.id:
            return _staff_page(db, visitor, problem="console.staff.self", status_code=409)
        if not staff.disabled:
            disable_staff(db, by=visitor.staff.id, staff=staff, where=web.CONSOLE_PLACE)
    return redirect("/console/staff?done=disabled")
