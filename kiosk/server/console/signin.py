"""Signing in and out of the console, and its language. Sign-in goes through the API's own
check, so the console shares its lock-out and rate limits (Art. 13)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from kiosk.server import models as m
from kiosk.server.console import web
from kiosk.server.console.web import Ctx, Form, redirect, render
from kiosk.server.errors import ApiError
from kiosk.server.routes.staff import check_password, open_staff_session
from kiosk.server.routing import OneHopRoute
from kiosk.server.security import hash_secret

router = APIRouter(prefix="/console", route_class=OneHopRoute)

# Each role's first page.
HOME = {
    "department": "/console/inbox",
    "supervisor": "/console/inbox",
    "counter": "/console/calls",
    "operator": "/console/fleet",
    "auditor": "/console/audit",
}


@router.get("/", response_class=HTMLResponse)
def start(request: Request, ctx: Ctx) -> Response:
    with ctx.db() as db:
        try:
            visitor = web.signed_in(db, request, ctx)
        except web.NotSignedIn:
            return _login_page(request)
        return redirect(HOME.get(visitor.staff.role, "/console/login"))


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    return _login_page(request)


def _login_page(request: Request, problem: str = "", status_code: int = 200) -> Response:
    token = web.new_login_token()
    response = render(
        request,
        "login.html",
        language=web.language_of(request),
        csrf=token,
        problem=problem,
        status_code=status_code,
    )
    web.set_session(response, request, token, cookie=web.LOGIN_COOKIE)
    return response


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, form: Form, ctx: Ctx) -> Response:
    expected = request.cookies.get(web.LOGIN_COOKIE, "")
    if not expected or not secrets.compare_digest(form.get("csrf_token", ""), expected):
        return _login_page(request, "console.login.expired", 403)
    username, password = form.get("username", "")[:64], form.get("password", "")[:128]
    if not username or not password:
        return _login_page(request, "console.login.wrong", 401)
    with ctx.db() as db:
        try:
            staff = check_password(db, username, password, ctx, place=web.CONSOLE_PLACE)
        except ApiError as refusal:
            # Locked (403), or too many tries from here or for this name (429).
            locked = refusal.status in (403, 429)
            return _login_page(
                request, "console.login.locked" if locked else "console.login.wrong", refusal.status
            )
        token = open_staff_session(db, staff, place=web.CONSOLE_PLACE)
        response = redirect(HOME.get(staff.role, "/console/"))
    web.set_session(response, request, token)
    response.delete_cookie(web.LOGIN_COOKIE, path="/console")
    return response


@router.post("/logout")
def logout(request: Request, form: Form, ctx: Ctx) -> Response:
    with web.visit(request, ctx, form=form) as (db, visitor):
        session = db.get(m.StaffSession, hash_secret(visitor.token))
        if session is not None:
            session.closed = True
            db.commit()
    response = redirect("/console/login")
    web.clear_session(response)
    return response


@router.get("/language/{language}")
def language(
    language: Annotated[str, Path(pattern=r"^(zh_CN|en)$")],
    next_page: Annotated[str, Query(alias="next", max_length=200)] = "/console/",
) -> Response:
    # Only back into the console: the switch must not send anyone elsewhere.
    target = (
        next_page if next_page.startswith("/console/") and "//" not in next_page else "/console/"
    )
    response = redirect(target)
    response.set_cookie(
        web.LANGUAGE_COOKIE, language, samesite="strict", path="/console", max_age=365 * 86400
    )
    return response
