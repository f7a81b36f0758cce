"""The console's pages. Each page says which roles may see it; each form posts its CSRF token,
and each action a member of staff takes goes into the hash-chained audit log (Art. 16, 18).
A form takes effect at once and comes back to the page it was on, saying what happened."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.server import audit, complaint_desk, departments
from kiosk.server import models as m
from kiosk.server.auth import aware, utcnow
from kiosk.server.catalog_data import PUBLISHED
from kiosk.server.console import web
from kiosk.server.console.web import Visitor, check_form, form_of, redirect, render, require
from kiosk.server.context import Platform, platform
from kiosk.server.errors import ApiError
from kiosk.server.roles import ROLES
from kiosk.server.routes import catalog as catalog_routes
from kiosk.server.routes.kiosks import HEARTBEAT_EVERY_S
from kiosk.server.routes.staff import check_password, export_of, open_staff_session
from kiosk.server.security import hash_password, hash_secret

router = APIRouter(prefix="/console")
Ctx = Annotated[Platform, Depends(platform)]
Form = Annotated[dict[str, str], Depends(form_of)]
TRACKING = r"^C-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"
KIOSK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
ITEM_ID = r"^[a-z0-9-]{1,64}$"
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")

# Each role's first page, and the pages its menu shows.
HOME = {
    "department": "/console/inbox",
    "supervisor": "/console/inbox",
    "counter": "/console/calls",
    "operator": "/console/fleet",
    "auditor": "/console/audit",
}
INBOX_ROLES = ("department", "supervisor")
CALL_ROLES = ("counter", "supervisor", "operator", "department")
FLEET_ROLES = ("operator", "supervisor")
AUDIT_ROLES = ("auditor", "supervisor")


def _where(visitor: Visitor) -> str:
    return web.CONSOLE_PLACE


def _visitor(db: Session, request: Request, ctx: Platform, *roles: str) -> Visitor:
    visitor = web.signed_in(db, request, ctx)
    if roles:
        require(visitor, *roles)
    return visitor


# --- sign-in -----------------------------------------------------------------------------------


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
    response.set_cookie(
        web.LOGIN_COOKIE,
        token,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
        path="/console",
    )
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
    with ctx.db() as db:
        visitor = web.signed_in(db, request, ctx)
        check_form(visitor, form)
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


# --- complaints (Art. 16) ----------------------------------------------------------------------


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
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, *INBOX_ROLES)
        now = utcnow()
        rows = inbox_rows(db, visitor.staff, now)
        counts = complaint_desk.counts(db, now) if visitor.staff.role == "supervisor" else []
        return render(
            request,
            "inbox.html",
            language=visitor.language,
            visitor=visitor,
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
    tracking: Annotated[str, Path(pattern=TRACKING)],
    ctx: Ctx,
    done: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, *INBOX_ROLES)
        return _show_complaint(request, db, visitor, tracking, done=done)


def _show_complaint(
    request: Request,
    db: Session,
    visitor: Visitor,
    tracking: str,
    *,
    done: str = "",
    problem: str = "",
    status_code: int = 200,
) -> Response:
    row = _complaint(db, visitor, tracking)
    now = utcnow()
    item = db.get(m.CatalogItem, row.item) if row.item else None
    return render(
        request,
        "complaint.html",
        language=visitor.language,
        visitor=visitor,
        c=row,
        item=item,
        overdue=_overdue(row, now),
        own=complaint_desk.own(visitor.staff, row),
        open=row.status in complaint_desk.OPEN_STATUSES,
        departments=[d for d in departments.DEPARTMENTS if d != row.department],
        supervision=departments.SUPERVISION,
        done=done if done in ("reply", "extend", "pass") else "",
        problem=problem,
        status_code=status_code,
    )


def _act(
    request: Request,
    form: dict[str, str],
    ctx: Platform,
    tracking: str,
    action: str,
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, *INBOX_ROLES)
        check_form(visitor, form)
        row = _complaint(db, visitor, tracking)
        try:
            if action == "reply":
                text = form.get("reply", "").strip()
                if not text or len(text) > 2000:
                    return _show_complaint(
                        request,
                        db,
                        visitor,
                        tracking,
                        problem="console.complaint.reply_length",
                        status_code=422,
                    )
                complaint_desk.reply(
                    db, visitor.staff, row, text, where=_where(visitor), now=utcnow()
                )
            elif action == "extend":
                complaint_desk.extend(
                    db, visitor.staff, row, form.get("reason", "")[:400], where=_where(visitor)
                )
            else:
                complaint_desk.pass_to(
                    db, visitor.staff, row, form.get("department", ""), where=_where(visitor)
                )
        except complaint_desk.Refused as refusal:
            db.rollback()
            return _show_complaint(
                request, db, visitor, tracking, problem=_refusal_id(str(refusal)), status_code=403
            )
        if action == "pass" and not complaint_desk.may_see(visitor.staff, row):
            return redirect("/console/inbox")
    return redirect(f"/console/complaints/{tracking}?done={action}")


def _refusal_id(text: str) -> str:
    known = {
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
    return known.get(text, "console.complaint.not_yours")


@router.post("/complaints/{tracking}/reply")
def reply(
    request: Request, tracking: Annotated[str, Path(pattern=TRACKING)], form: Form, ctx: Ctx
) -> Response:
    return _act(request, form, ctx, tracking, "reply")


@router.post("/complaints/{tracking}/extend")
def extend(
    request: Request, tracking: Annotated[str, Path(pattern=TRACKING)], form: Form, ctx: Ctx
) -> Response:
    return _act(request, form, ctx, tracking, "extend")


@router.post("/complaints/{tracking}/pass")
def pass_on(
    request: Request, tracking: Annotated[str, Path(pattern=TRACKING)], form: Form, ctx: Ctx
) -> Response:
    return _act(request, form, ctx, tracking, "pass")


# --- calls for staff (Art. 10) -----------------------------------------------------------------


def _calls(db: Session) -> list[m.Kiosk]:
    return list(
        db.scalars(
            select(m.Kiosk)
            .where(m.Kiosk.assistance_requested.is_not(None))
            .order_by(m.Kiosk.assistance_requested)
        )
    )


@router.get("/calls", response_class=HTMLResponse)
def calls(request: Request, ctx: Ctx, done: Annotated[str, Query(max_length=64)] = "") -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, *CALL_ROLES)
        now = utcnow()
        return render(
            request,
            "calls.html",
            language=visitor.language,
            visitor=visitor,
            calls=[(k, web.ago(k.assistance_requested, now, visitor.language)) for k in _calls(db)],
            done=done,
        )


@router.get("/calls/list", response_class=HTMLResponse)
def calls_list(request: Request, ctx: Ctx) -> Response:
    """The list alone, for the page's script to refresh every few seconds."""
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, *CALL_ROLES)
        now = utcnow()
        return render(
            request,
            "calls_list.html",
            language=visitor.language,
            visitor=visitor,
            calls=[(k, web.ago(k.assistance_requested, now, visitor.language)) for k in _calls(db)],
        )


@router.post("/calls/{kiosk_id}/take")
def take_call(
    request: Request,
    kiosk_id: Annotated[str, Path(min_length=1, max_length=64)],
    form: Form,
    ctx: Ctx,
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, *CALL_ROLES)
        check_form(visitor, form)
        kiosk = db.get(m.Kiosk, kiosk_id)
        if kiosk is None:
            raise web.NotFound
        if kiosk.assistance_requested is not None:
            waited = int((utcnow() - aware(kiosk.assistance_requested)).total_seconds())
            kiosk.assistance_requested = None
            kiosk.assistance_screen = ""
            audit.append(
                db,
                staff_id=visitor.staff.id,
                kiosk_id=kiosk.id,
                resident_id=None,
                purpose="assistance_taken",
                fields=[f"waited_s:{max(0, waited)}"],
            )
    return redirect(f"/console/calls?done={kiosk_id}")


# --- the fleet (Art. 10, 12) -------------------------------------------------------------------


@router.get("/fleet", response_class=HTMLResponse)
def fleet(request: Request, ctx: Ctx) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, *FLEET_ROLES)
        return _fleet_page(request, db, visitor)


def _fleet_page(
    request: Request,
    db: Session,
    visitor: Visitor,
    *,
    enrolled: tuple[str, str] | None = None,
    problem: str = "",
    status_code: int = 200,
) -> Response:
    now = utcnow()
    rows = []
    for kiosk in db.scalars(select(m.Kiosk).order_by(m.Kiosk.id)):
        last = aware(kiosk.last_heartbeat) if kiosk.last_heartbeat else None
        # Silent for more than two heartbeats: something is wrong with it or its network.
        silent = last is None or now - last > dt.timedelta(seconds=2 * HEARTBEAT_EVERY_S)
        health = kiosk.health or {}
        rows.append(
            {
                "kiosk": kiosk,
                "last": web.ago(last, now, visitor.language) if last else "",
                "silent": silent and kiosk.enabled,
                "devices": health.get("devices") or {},
                "paper": health.get("paper", ""),
                "outbox": health.get("outbox_pending", ""),
                "version": health.get("software_version", ""),
            }
        )
    return render(
        request,
        "fleet.html",
        language=visitor.language,
        visitor=visitor,
        rows=rows,
        device_names=("card_reader", "printer", "scanner", "speech", "network"),
        enrolled=enrolled,
        problem=problem,
        status_code=status_code,
    )


@router.post("/fleet/enroll", response_class=HTMLResponse)
def enroll(request: Request, form: Form, ctx: Ctx) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        check_form(visitor, form)
        kiosk_id = form.get("kiosk_id", "").strip()
        place = form.get("place", "").strip()[:128]
        if not KIOSK_ID.match(kiosk_id) or not place:
            return _fleet_page(
                request, db, visitor, problem="console.fleet.bad_id", status_code=422
            )
        if db.get(m.Kiosk, kiosk_id) is not None:
            return _fleet_page(request, db, visitor, problem="console.fleet.taken", status_code=409)
        key = enroll_kiosk(db, visitor.staff.id, kiosk_id, place, where=_where(visitor))
        # The key is shown this once and never stored: the page is not cached (no-store).
        return _fleet_page(request, db, visitor, enrolled=(kiosk_id, key))


def enroll_kiosk(db: Session, staff_id: int, kiosk_id: str, place: str, *, where: str) -> str:
    """A new kiosk with a fresh key; the key is returned once, only its hash is kept."""
    key = secrets.token_urlsafe(24)
    db.add(m.Kiosk(id=kiosk_id, key_hash=hash_secret(key), label=place, enabled=True))
    db.flush()
    audit.append(
        db,
        staff_id=staff_id,
        kiosk_id=where,
        resident_id=None,
        purpose="kiosk_enroll",
        fields=[kiosk_id],
    )
    return key


def disable_kiosk(db: Session, staff_id: int, kiosk: m.Kiosk, *, where: str) -> None:
    kiosk.enabled = False
    audit.append(
        db,
        staff_id=staff_id,
        kiosk_id=where,
        resident_id=None,
        purpose="kiosk_disable",
        fields=[kiosk.id],
    )


@router.post("/fleet/{kiosk_id}/disable")
def disable(
    request: Request,
    kiosk_id: Annotated[str, Path(min_length=1, max_length=64)],
    form: Form,
    ctx: Ctx,
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        check_form(visitor, form)
        kiosk = db.get(m.Kiosk, kiosk_id)
        if kiosk is None:
            raise web.NotFound
        if kiosk.enabled:
            disable_kiosk(db, visitor.staff.id, kiosk, where=_where(visitor))
        # This process's cache of kiosk keys forgets it now; other processes within its ttl.
        ctx.kiosks.put(kiosk.id, kiosk.key_hash, False)
    return redirect("/console/fleet")


# --- the catalog and notices (Art. 15) ---------------------------------------------------------


@router.get("/catalog", response_class=HTMLResponse)
def catalog_page(
    request: Request, ctx: Ctx, done: Annotated[str, Query(max_length=32)] = ""
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        return _catalog_page(request, db, visitor, done=done)


def _catalog_page(
    request: Request,
    db: Session,
    visitor: Visitor,
    *,
    done: str = "",
    problem: str = "",
    status_code: int = 200,
) -> Response:
    categories = list(db.scalars(select(m.CatalogCategory).order_by(m.CatalogCategory.number)))
    items = list(
        db.scalars(select(m.CatalogItem).order_by(m.CatalogItem.category, m.CatalogItem.position))
    )
    versions = list(
        db.scalars(select(m.CatalogVersion).order_by(m.CatalogVersion.id.desc()).limit(10))
    )
    return render(
        request,
        "catalog_page.html",
        language=visitor.language,
        visitor=visitor,
        categories=categories,
        items=items,
        versions=versions,
        today=dt.datetime.now(departments.LOCAL).date().isoformat(),
        done=done if done in ("saved", "published") else "",
        problem=problem,
        status_code=status_code,
    )


ITEM_FIELDS = ("name_zh", "name_en", "where_zh", "where_en", "how_zh", "how_en")


@router.get("/catalog/{item_id}", response_class=HTMLResponse)
def item_page(
    request: Request, item_id: Annotated[str, Path(pattern=ITEM_ID)], ctx: Ctx
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        item = db.get(m.CatalogItem, item_id)
        if item is None:
            raise web.NotFound
        return _item_page(request, db, visitor, item)


def _item_page(
    request: Request,
    db: Session,
    visitor: Visitor,
    item: m.CatalogItem,
    *,
    problem: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "item.html",
        language=visitor.language,
        visitor=visitor,
        item=item,
        categories=list(db.scalars(select(m.CatalogCategory).order_by(m.CatalogCategory.number))),
        departments=list(departments.DEPARTMENTS),
        problem=problem,
        status_code=status_code,
    )


@router.post("/catalog/{item_id}", response_class=HTMLResponse)
def save_item(
    request: Request, item_id: Annotated[str, Path(pattern=ITEM_ID)], form: Form, ctx: Ctx
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        check_form(visitor, form)
        item = db.get(m.CatalogItem, item_id)
        if item is None:
            raise web.NotFound
        values = {name: form.get(name, "").strip() for name in ITEM_FIELDS}
        limits = {"name_zh": 128, "name_en": 256, "where_zh": 256, "where_en": 512}
        category = form.get("category", "")
        department = form.get("department", "")
        if (
            any(not v or len(v) > limits.get(k, 256) for k, v in values.items())
            or not category.isdigit()
            or db.get(m.CatalogCategory, int(category)) is None
            or department not in departments.DEPARTMENTS
        ):
            return _item_page(
                request, db, visitor, item, problem="console.catalog.invalid", status_code=422
            )
        keep_what_kiosks_show(db, visitor.staff.id)
        for name, value in values.items():
            setattr(item, name, value)
        item.category = int(category)
        item.department = department
        item.needs_financial_account = form.get("needs_financial_account") == "on"
        audit.append(
            db,
            staff_id=visitor.staff.id,
            kiosk_id=_where(visitor),
            resident_id=None,
            purpose="catalog_edit",
            fields=[item.id],
        )
    return redirect("/console/catalog?done=saved")


def keep_what_kiosks_show(db: Session, staff_id: int) -> None:
    """Before the first edit, freeze the catalog kiosks show now (published on the regulation's
    date): an edit is a draft, which kiosks see only once an operator publishes it."""
    if db.scalar(select(m.CatalogVersion.id).limit(1)) is not None:
        return
    since = dt.datetime.fromisoformat(PUBLISHED).date()
    categories = catalog_routes.draft(db)
    db.add(
        m.CatalogVersion(
            published=since,
            content={"categories": [c.model_dump(mode="json") for c in categories]},
            made=utcnow(),
            staff_id=staff_id,
        )
    )
    db.flush()


@router.post("/catalog-publish", response_class=HTMLResponse)
def publish(request: Request, form: Form, ctx: Ctx) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        check_form(visitor, form)
        try:
            day = dt.date.fromisoformat(form.get("published", ""))
        except ValueError:
            return _catalog_page(
                request, db, visitor, problem="console.catalog.bad_date", status_code=422
            )
        publish_catalog(db, visitor.staff.id, day, where=_where(visitor))
    catalog_routes.forget(ctx)
    return redirect("/console/catalog?done=published")


def publish_catalog(db: Session, staff_id: int, day: dt.date, *, where: str) -> m.CatalogVersion:
    categories = catalog_routes.draft(db)
    version = m.CatalogVersion(
        published=day,
        content={"categories": [c.model_dump(mode="json") for c in categories]},
        made=utcnow(),
        staff_id=staff_id,
    )
    db.add(version)
    db.flush()
    audit.append(
        db,
        staff_id=staff_id,
        kiosk_id=where,
        resident_id=None,
        purpose="catalog_publish",
        fields=[f"version:{version.id}", f"from:{day.isoformat()}"],
    )
    return version


NOTICE_FIELDS = {"title_zh": 64, "title_en": 128, "body_zh": 400, "body_en": 800}


@router.get("/notices", response_class=HTMLResponse)
def notices(
    request: Request, ctx: Ctx, done: Annotated[str, Query(max_length=32)] = ""
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        return _notices_page(request, db, visitor, done=done)


def _notices_page(
    request: Request,
    db: Session,
    visitor: Visitor,
    *,
    done: str = "",
    problem: str = "",
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    today = dt.datetime.now(departments.LOCAL).date()
    rows = list(db.scalars(select(m.Notice).order_by(m.Notice.starts.desc(), m.Notice.id.desc())))
    return render(
        request,
        "notices.html",
        language=visitor.language,
        visitor=visitor,
        rows=[(n, n.starts <= today <= n.ends and not n.withdrawn) for n in rows],
        today=today.isoformat(),
        done=done if done in ("published", "withdrawn") else "",
        problem=problem,
        values=values or {},
        status_code=status_code,
    )


@router.post("/notices", response_class=HTMLResponse)
def add_notice(request: Request, form: Form, ctx: Ctx) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        check_form(visitor, form)
        values = {k: form.get(k, "").strip() for k in NOTICE_FIELDS}
        starts: dt.date | None
        ends: dt.date | None
        try:
            starts = dt.date.fromisoformat(form.get("starts", ""))
            ends = dt.date.fromisoformat(form.get("ends", ""))
        except ValueError:
            starts = ends = None
        if (
            starts is None
            or ends is None
            or ends < starts
            or any(not v or len(v) > NOTICE_FIELDS[k] for k, v in values.items())
        ):
            return _notices_page(
                request,
                db,
                visitor,
                problem="console.notices.invalid",
                values={**values, "starts": form.get("starts", ""), "ends": form.get("ends", "")},
                status_code=422,
            )
        notice = m.Notice(
            **values, starts=starts, ends=ends, made=utcnow(), staff_id=visitor.staff.id
        )
        notice.withdrawn = False
        db.add(notice)
        db.flush()
        audit.append(
            db,
            staff_id=visitor.staff.id,
            kiosk_id=_where(visitor),
            resident_id=None,
            purpose="notice_publish",
            fields=[f"notice:{notice.id}", f"from:{starts}", f"to:{ends}"],
        )
    catalog_routes.forget(ctx)
    return redirect("/console/notices?done=published")


@router.post("/notices/{notice_id}/withdraw")
def withdraw_notice(
    request: Request, notice_id: Annotated[int, Path(ge=1)], form: Form, ctx: Ctx
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        check_form(visitor, form)
        notice = db.get(m.Notice, notice_id)
        if notice is None:
            raise web.NotFound
        notice.withdrawn = True
        audit.append(
            db,
            staff_id=visitor.staff.id,
            kiosk_id=_where(visitor),
            resident_id=None,
            purpose="notice_publish",
            fields=[f"notice:{notice.id}", "withdrawn"],
        )
    catalog_routes.forget(ctx)
    return redirect("/console/notices?done=withdrawn")


# --- staff accounts ----------------------------------------------------------------------------


@router.get("/staff", response_class=HTMLResponse)
def staff_page(
    request: Request, ctx: Ctx, done: Annotated[str, Query(max_length=32)] = ""
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        return _staff_page(request, db, visitor, done=done)


def _staff_page(
    request: Request,
    db: Session,
    visitor: Visitor,
    *,
    done: str = "",
    problem: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "staff.html",
        language=visitor.language,
        visitor=visitor,
        rows=list(db.scalars(select(m.Staff).order_by(m.Staff.username))),
        roles=ROLES,
        departments=list(departments.DEPARTMENTS),
        done=done if done in ("added", "disabled") else "",
        problem=problem,
        status_code=status_code,
    )


class AccountProblem(ValueError):
    pass


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
    if not USERNAME.match(username):
        raise AccountProblem("a username is 3-64 lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise AccountProblem(f"the role is one of {', '.join(ROLES)}")
    if (role == "department") != bool(department):
        raise AccountProblem("a department account names its department, and only it")
    if department and department not in departments.DEPARTMENTS:
        raise AccountProblem(f"no department has the code {department!r}")
    if len(password) < 12 or len(password) > 128:
        raise AccountProblem("a password is 12 to 128 characters")
    if db.scalar(select(m.Staff).where(m.Staff.username == username)) is not None:
        raise AccountProblem(f"the username {username} is taken")
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
    audit.append(
        db,
        staff_id=by if by is not None else staff.id,
        kiosk_id=where,
        resident_id=None,
        purpose="staff_add",
        fields=[username, role, *([department] if department else [])],
    )
    return staff


def disable_staff(db: Session, *, by: int | None, staff: m.Staff, where: str) -> None:
    staff.disabled = True
    for session in db.scalars(
        select(m.StaffSession).where(
            m.StaffSession.staff_id == staff.id, m.StaffSession.closed.is_(False)
        )
    ):
        session.closed = True
    audit.append(
        db,
        staff_id=by if by is not None else staff.id,
        kiosk_id=where,
        resident_id=None,
        purpose="staff_disable",
        fields=[staff.username],
    )


@router.post("/staff", response_class=HTMLResponse)
def staff_add(request: Request, form: Form, ctx: Ctx) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        check_form(visitor, form)
        try:
            add_staff(
                db,
                by=visitor.staff.id,
                username=form.get("username", "").strip(),
                role=form.get("role", ""),
                department=form.get("department", "") if form.get("role") == "department" else "",
                password=form.get("password", ""),
                name=form.get("name", "").strip()[:64],
                where=_where(visitor),
            )
        except AccountProblem:
            db.rollback()
            return _staff_page(
                request, db, visitor, problem="console.staff.invalid", status_code=422
            )
    return redirect("/console/staff?done=added")


@router.post("/staff/{username}/disable")
def staff_disable(
    request: Request,
    username: Annotated[str, Path(min_length=1, max_length=64)],
    form: Form,
    ctx: Ctx,
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, "operator")
        check_form(visitor, form)
        staff = db.scalar(select(m.Staff).where(m.Staff.username == username))
        if staff is None:
            raise web.NotFound
        if staff.id == visitor.staff.id:
            return _staff_page(request, db, visitor, problem="console.staff.self", status_code=409)
        if not staff.disabled:
            disable_staff(db, by=visitor.staff.id, staff=staff, where=_where(visitor))
    return redirect("/console/staff?done=disabled")


# --- the audit log (Art. 13, 18) ---------------------------------------------------------------

AUDIT_KINDS = {
    "lookups": (
        "card_service",
        "card_reissue",
        "contribution_inquiry",
        "medical_inquiry",
        "certificate_service",
        "complaint_handling",
    ),
    "replies": ("complaint_reply", "complaint_extend", "complaint_pass"),
    "actions": (
        "assistance_taken",
        "kiosk_enroll",
        "kiosk_disable",
        "catalog_edit",
        "catalog_publish",
        "notice_publish",
        "staff_add",
        "staff_disable",
    ),
}


def _period(since: str, until: str) -> tuple[dt.date, dt.date]:
    today = dt.datetime.now(departments.LOCAL).date()
    try:
        start = dt.date.fromisoformat(since) if since else today - dt.timedelta(days=30)
        end = dt.date.fromisoformat(until) if until else today
    except ValueError:
        start, end = today - dt.timedelta(days=30), today
    return start, max(start, end)


def _moments(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    local = departments.LOCAL
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=local),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=local),
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    ctx: Ctx,
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    kind: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    with ctx.db() as db:
        visitor = _visitor(db, request, ctx, *AUDIT_ROLES)
        start, end = _period(since, until)
        export = export_of(db, *_moments(start, end))
        entries = export.entries
        if kind in AUDIT_KINDS:
            entries = [e for e in entries if e.purpose in AUDIT_KINDS[kind]]
        return render(
            request,
            "audit.html",
            language=visitor.language,
            visitor=visitor,
            entries=entries,
            since=start.isoformat(),
            until=end.isoformat(),
            kind=kind if kind in AUDIT_KINDS else "",
            kinds=list(AUDIT_KINDS),
            chain_intact=export.chain_intact,
        )


@router.get("/audit/export")
def audit_export(
    request: Request,
    ctx: Ctx,
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """The same export as the API's and `kiosk audit-log export`, as a file to keep."""
    with ctx.db() as db:
        _visitor(db, request, ctx, *AUDIT_ROLES)
        start, end = _period(since, until)
        export = export_of(db, *_moments(start, end))
    body = export.model_dump_json(indent=2)
    name = f"audit-{start.isoformat()}-{end.isoformat()}.json"
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/audit/chain")
def audit_chain(request: Request, ctx: Ctx, after: Annotated[int, Query(ge=0)] = 0) -> Response:
    """The raw chain, a page at a time, for the browser to recompute every hash itself: the
    check does not rest on the server's word."""
    with ctx.db() as db:
        _visitor(db, request, ctx, *AUDIT_ROLES)
        rows = db.scalars(
            select(m.AuditEntry)
            .where(m.AuditEntry.id > after)
            .order_by(m.AuditEntry.id)
            .limit(1000)
        ).all()
        head = db.get(m.Meta, audit.HEAD_KEY)
        entries = [
            {
                "id": r.id,
                "at": aware(r.at).astimezone(dt.UTC).isoformat(timespec="microseconds"),
                "staff_id": r.staff_id,
                "kiosk_id": r.kiosk_id,
                "resident_id": r.resident_id,
                "purpose": r.purpose,
                "fields": r.fields,
                "consent_id": r.consent_id or "",
                "prev_hash": r.prev_hash,
                "hash": r.hash,
            }
            for r in rows
        ]
        document = {
            "entries": entries,
            "more": len(rows) == 1000,
            "head": head.value if head is not None else audit.GENESIS,
        }
    return JSONResponse(json.loads(json.dumps(document)), headers={"Cache-Control": "no-store"})
