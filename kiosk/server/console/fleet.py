"""The kiosks in the halls (Art. 10, 12): residents' calls for staff, and the fleet's health,
enrolment and switching off."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Unpack

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.server import models as m
from kiosk.server.auth import aware, utcnow
from kiosk.server.console import web
from kiosk.server.console.administration import KIOSK_ID, enroll_kiosk, record
from kiosk.server.console.web import Ctx, Form, Said, Visitor, redirect, show
from kiosk.server.routes.kiosks import HEARTBEAT_EVERY_S, answer_call
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix="/console", route_class=OneHopRoute)
KioskId = Annotated[str, Path(min_length=1, max_length=64)]
CALL_ROLES = ("counter", "supervisor", "operator", "department")
FLEET_ROLES = ("operator", "supervisor")
DEVICES = ("card_reader", "printer", "scanner", "speech", "network")


def _calls(db: Session, visitor: Visitor) -> list[tuple[m.Kiosk, str]]:
    """The kiosks whose resident waits for staff, longest waiting first, with how long."""
    now = utcnow()
    waiting = db.scalars(
        select(m.Kiosk)
        .where(m.Kiosk.assistance_requested.is_not(None))
        .order_by(m.Kiosk.assistance_requested)
    )
    return [(k, web.ago(k.assistance_requested, now, visitor.language)) for k in waiting]


@router.get("/calls", response_class=HTMLResponse)
def calls(request: Request, ctx: Ctx, done: Annotated[str, Query(max_length=64)] = "") -> Response:
    with web.visit(request, ctx, CALL_ROLES) as (db, visitor):
        return show(visitor, "calls.html", done=done, known=None, calls=_calls(db, visitor))


@router.get("/calls/list", response_class=HTMLResponse)
def calls_list(request: Request, ctx: Ctx) -> Response:
    """The list alone, for the page's script to refresh every few seconds."""
    with web.visit(request, ctx, CALL_ROLES) as (db, visitor):
        return show(visitor, "calls_list.html", calls=_calls(db, visitor))


@router.post("/calls/{kiosk_id}/take")
def take_call(request: Request, kiosk_id: KioskId, form: Form, ctx: Ctx) -> Response:
    with web.visit(request, ctx, CALL_ROLES, form) as (db, visitor):
        kiosk = db.get(m.Kiosk, kiosk_id)
        if kiosk is None:
            raise web.NotFound
        answer_call(db, visitor.staff.id, kiosk)
    return redirect(f"/console/calls?done={kiosk_id}")


@router.get("/fleet", response_class=HTMLResponse)
def fleet(request: Request, ctx: Ctx) -> Response:
    with web.visit(request, ctx, FLEET_ROLES) as (db, visitor):
        return _fleet_page(db, visitor)


def _fleet_page(
    db: Session, visitor: Visitor, *, enrolled: tuple[str, str] | None = None, **said: Unpack[Said]
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
    return show(
        visitor,
        "fleet.html",
        **said,
        rows=rows,
        device_names=DEVICES,
        enrolled=enrolled,
    )


@router.post("/fleet/enroll", response_class=HTMLResponse)
def enroll(request: Request, form: Form, ctx: Ctx) -> Response:
    with web.visit(request, ctx, ("operator",), form) as (db, visitor):
        kiosk_id = form.get("kiosk_id", "").strip()
        place = form.get("place", "").strip()[:128]
        if not KIOSK_ID.match(kiosk_id) or not place:
            return _fleet_page(db, visitor, problem="console.fleet.bad_id", status_code=422)
        if db.get(m.Kiosk, kiosk_id) is not None:
            return _fleet_page(db, visitor, problem="console.fleet.taken", status_code=409)
        key = enroll_kiosk(db, kiosk_id, place)
        record(db, visitor.staff.id, "kiosk_enroll", kiosk_id, where=web.CONSOLE_PLACE)
        # The key is shown this once and never stored: the page is not cached (no-store).
        return _fleet_page(db, visitor, enrolled=(kiosk_id, key))


@router.post("/fleet/{kiosk_id}/disable")
def disable(request: Request, kiosk_id: KioskId, form: Form, ctx: Ctx) -> Response:
    with web.visit(request, ctx, ("operator",), form) as (db, visitor):
        kiosk = db.get(m.Kiosk, kiosk_id)
        if kiosk is None:
            raise web.NotFound
        if kiosk.enabled:
            kiosk.enabled = False
            record(db, visitor.staff.id, "kiosk_disable", kiosk.id, where=web.CONSOLE_PLACE)
        # This process's cache of kiosk keys forgets it now; other processes within its ttl.
        ctx.kiosks.put(kiosk.id, kiosk.key_hash, False)
    return redirect("/console/fleet")
