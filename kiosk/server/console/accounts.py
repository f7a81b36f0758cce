"""Staff accounts: who may sign in, in which role. The console's operators and `kiosk staff`
at the command line make and disable them the same way, each in the audit log (Art. 18)."""

from __future__ import annotations

import re
from typing import Annotated, Unpack

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.server import departments
from kiosk.server import models as m
from kiosk.server.console import web
from kiosk.server.console.web import Ctx, Form, Said, Visitor, redirect, show
from kiosk.server.roles import ROLES
from kiosk.server.routing import OneHopRoute
from kiosk.server.security import hash_password

router = APIRouter(prefix="/console", route_class=OneHopRoute)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
OPERATOR = ("operator",)


class AccountProblem(ValueError):
    pass


def _problem_with(db: Session, username: str, role: str, department: str, password: str) -> str:
    """What is wrong with a new account, in a sentence; empty when nothing is."""
    if not USERNAME.match(username):
        return "a username is 3-64 lower-case letters, digits, '.', '_' or '-'"
    if role not in ROLES:
        return f"the role is one of {', '.join(ROLES)}"
    if (role == "department") != bool(department):
        return "a department account names its department, and only it"
    if department and department not in departments.DEPARTMENTS:
        return f"no department has the code {department!r}"
    if len(password) < 12 or len(password) > 128:
        return "a password is 12 to 128 characters"
    if db.scalar(select(m.Staff).where(m.Staff.username == username)) is not None:
        return f"the username {username} is taken"
    return ""


def add_staff(
    db: Session,
    *,
    by: int | None,
    username: str,
    role: str,
    department: str,
    password: str,
    name: str = "",
    where: str,
) -> m.Staff:
    """A new staff account that can sign in at once. by: who made it (None: the command line,
    whose operator has the database itself)."""
    problem = _problem_with(db, username, role, department, password)
    if problem:
        raise AccountProblem(problem)
    staff = m.Staff(
        username=username,
        password_hash=hash_password(password),
        name=name or username,
        role=role,
        department=department,
        demo=False,
        disabled=False,
    )
    db.add(staff)
    db.flush()
    made = [username, role, *([department] if department else [])]
    web.record(db, by if by is not None else staff.id, "staff_add", *made, where=where)
    return staff


def disable_staff(db: Session, *, by: int | None, staff: m.Staff, where: str) -> None:
    staff.disabled = True
    for session in db.scalars(
        select(m.StaffSession).where(
            m.StaffSession.staff_id == staff.id, m.StaffSession.closed.is_(False)
        )
    ):
        session.closed = True
    web.record(db, by if by is not None else staff.id, "staff_disable", staff.username, where=where)


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
