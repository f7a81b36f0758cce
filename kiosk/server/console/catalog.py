"""The catalog kiosks show and the notices on their first screen (Art. 15): an edit is a draft
until an operator publishes it, from a date; a notice runs between two dates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Unpack

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.server import departments
from kiosk.server import models as m
from kiosk.server.auth import utcnow
from kiosk.server.catalog_data import PUBLISHED
from kiosk.server.console import web
from kiosk.server.console.administration import record
from kiosk.server.console.web import Ctx, Form, Said, Visitor, redirect, show
from kiosk.server.routes import catalog as catalog_routes
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix="/console", route_class=OneHopRoute)
ITEM_ID = r"^[a-z0-9-]{1,64}$"
OPERATOR = ("operator",)
# Each text field of an item, and its longest.
ITEM_FIELDS = {
    "name_zh": 128,
    "name_en": 256,
    "where_zh": 256,
    "where_en": 512,
    "how_zh": 256,
    "how_en": 256,
}
NOTICE_FIELDS = {"title_zh": 64, "title_en": 128, "body_zh": 400, "body_en": 800}
Done = Annotated[str, Query(max_length=32)]


def _today() -> dt.date:
    return dt.datetime.now(departments.LOCAL).date()


def _categories(db: Session) -> list[m.CatalogCategory]:
    return list(db.scalars(select(m.CatalogCategory).order_by(m.CatalogCategory.number)))


def _texts(form: dict[str, str], limits: dict[str, int]) -> dict[str, str] | None:
    """The form's text fields, each given and within its length; None when one is not."""
    values = {name: form.get(name, "").strip() for name in limits}
    if any(not value or len(value) > limits[name] for name, value in values.items()):
        return None
    return values


@router.get("/catalog", response_class=HTMLResponse)
def catalog_page(request: Request, ctx: Ctx, done: Done = "") -> Response:
    with web.visit(request, ctx, OPERATOR) as (db, visitor):
        return _catalog_page(db, visitor, done=done)


def _catalog_page(db: Session, visitor: Visitor, **said: Unpack[Said]) -> Response:
    items = db.scalars(
        select(m.CatalogItem).order_by(m.CatalogItem.category, m.CatalogItem.position)
    )
    versions = db.scalars(select(m.CatalogVersion).order_by(m.CatalogVersion.id.desc()).limit(10))
    return show(
        visitor,
        "catalog_page.html",
        known=("saved", "published"),
        **said,
        categories=_categories(db),
        items=list(items),
        versions=list(versions),
        today=_today().isoformat(),
    )


def _item(db: Session, item_id: str) -> m.CatalogItem:
    item = db.get(m.CatalogItem, item_id)
    if item is None:
        raise web.NotFound
    return item


@router.get("/catalog/{item_id}", response_class=HTMLResponse)
def item_page(
    request: Request, item_id: Annotated[str, Path(pattern=ITEM_ID)], ctx: Ctx
) -> Response:
    with web.visit(request, ctx, OPERATOR) as (db, visitor):
        return _item_page(db, visitor, _item(db, item_id))


def _item_page(
    db: Session, visitor: Visitor, item: m.CatalogItem, **said: Unpack[Said]
) -> Response:
    return show(
        visitor,
        "item.html",
        **said,
        item=item,
        categories=_categories(db),
        departments=list(departments.DEPARTMENTS),
    )


@router.post("/catalog/{item_id}", response_class=HTMLResponse)
def save_item(
    request: Request, item_id: Annotated[str, Path(pattern=ITEM_ID)], form: Form, ctx: Ctx
) -> Response:
    with web.visit(request, ctx, OPERATOR, form) as (db, visitor):
        item = _item(db, item_id)
        values = _texts(form, ITEM_FIELDS)
        category = form.get("category", "")
        department = form.get("department", "")
        if (
            values is None
            or not category.isdigit()
            or db.get(m.CatalogCategory, int(category)) is None
            or department not in departments.DEPARTMENTS
        ):
            return _item_page(db, visitor, item, problem="console.catalog.invalid", status_code=422)
        keep_what_kiosks_show(db, visitor.staff.id)
        for name, value in values.items():
            setattr(item, name, value)
        item.category = int(category)
        item.department = department
        item.needs_financial_account = form.get("needs_financial_account") == "on"
        record(db, visitor.staff.id, "catalog_edit", item.id, where=web.CONSOLE_PLACE)
    return redirect("/console/catalog?done=saved")


def _new_version(db: Session, staff_id: int, day: dt.date) -> m.CatalogVersion:
    """The draft as it stands, as what kiosks show from that day."""
    categories = catalog_routes.draft(db)
    version = m.CatalogVersion(
        published=day,
        content={"categories": [c.model_dump(mode="json") for c in categories]},
        made=utcnow(),
        staff_id=staff_id,
    )
    db.add(version)
    db.flush()
    return version


def keep_what_kiosks_show(db: Session, staff_id: int) -> None:
    """Before the first edit, freeze the catalog kiosks show now (published on the regulation's
    date): an edit is a draft, which kiosks see only once an operator publishes it."""
    if db.scalar(select(m.CatalogVersion.id).limit(1)) is None:
        _new_version(db, staff_id, dt.datetime.fromisoformat(PUBLISHED).date())


@router.post("/catalog-publish", response_class=HTMLResponse)
def publish(request: Request, form: Form, ctx: Ctx) -> Response:
    with web.visit(request, ctx, OPERATOR, form) as (db, visitor):
        try:
            day = dt.date.fromisoformat(form.get("published", ""))
        except ValueError:
            return _catalog_page(db, visitor, problem="console.catalog.bad_date", status_code=422)
        version = _new_version(db, visitor.staff.id, day)
        record(
            db,
            visitor.staff.id,
            "catalog_publish",
            f"version:{version.id}",
            f"from:{day.isoformat()}",
            where=web.CONSOLE_PLACE,
        )
    catalog_routes.forget(ctx)
    return redirect("/console/catalog?done=published")


@router.get("/notices", response_class=HTMLResponse)
def notices(request: Request, ctx: Ctx, done: Done = "") -> Response:
    with web.visit(request, ctx, OPERATOR) as (db, visitor):
        return _notices_page(db, visitor, done=done)


def _notices_page(
    db: Session, visitor: Visitor, *, values: dict[str, str] | None = None, **said: Unpack[Said]
) -> Response:
    today = _today()
    rows = db.scalars(select(m.Notice).order_by(m.Notice.starts.desc(), m.Notice.id.desc()))
    return show(
        visitor,
        "notices.html",
        known=("published", "withdrawn"),
        **said,
        rows=[(n, n.starts <= today <= n.ends and not n.withdrawn) for n in rows],
        today=today.isoformat(),
        values=values or {},
    )


def _dates(form: dict[str, str]) -> tuple[dt.date, dt.date] | None:
    """The notice's first and last day, in order; None when either is not a date."""
    try:
        starts = dt.date.fromisoformat(form.get("starts", ""))
        ends = dt.date.fromisoformat(form.get("ends", ""))
    except ValueError:
        return None
    return (starts, ends) if starts <= ends else None


@router.post("/notices", response_class=HTMLResponse)
def add_notice(request: Request, form: Form, ctx: Ctx) -> Response:
    with web.visit(request, ctx, OPERATOR, form) as (db, visitor):
        values = _texts(form, NOTICE_FIELDS)
        period = _dates(form)
        if values is None or period is None:
            typed = {k: form.get(k, "").strip() for k in NOTICE_FIELDS}
            return _notices_page(
                db,
                visitor,
                problem="console.notices.invalid",
                values={**typed, "starts": form.get("starts", ""), "ends": form.get("ends", "")},
                status_code=422,
            )
        starts, ends = period
        notice = m.Notice(
            **values, starts=starts, ends=ends, made=utcnow(), staff_id=visitor.staff.id
        )
        notice.withdrawn = False
        db.add(notice)
        db.flush()
        record(
            db,
            visitor.staff.id,
            "notice_publish",
            f"notice:{notice.id}",
            f"from:{starts}",
            f"to:{ends}",
            where=web.CONSOLE_PLACE,
        )
    catalog_routes.forget(ctx)
    return redirect("/console/notices?done=published")


@router.post("/notices/{notice_id}/withdraw")
def withdraw_notice(
    request: Request, notice_id: Annotated[int, Path(ge=1)], form: Form, ctx: Ctx
) -> Response:
    with web.visit(request, ctx, OPERATOR, form) as (db, visitor):
        notice = db.get(m.Notice, notice_id)
        if notice is None:
            raise web.NotFound
        notice.withdrawn = True
        record(
            db,
            visitor.staff.id,
            "notice_publish",
            f"notice:{notice.id}",
            "withdrawn",
            where=web.CONSOLE_PLACE,
        )
    catalog_routes.forget(ctx)
    return redirect("/console/notices?done=withdrawn")
