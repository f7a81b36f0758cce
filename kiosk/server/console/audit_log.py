"""The audit log for its readers (Art. 13, 18): one period of it, by kind, its export as a file,
and the raw chain for the browser to check every hash itself."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, get_args

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from kiosk.server import audit, departments
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import aware
from kiosk.server.console import web
from kiosk.server.console.web import Ctx, show
from kiosk.server.routes.staff import export_of
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix="/console", route_class=OneHopRoute)
AUDIT_ROLES = ("auditor", "supervisor")
_ACTIONS: tuple[str, ...] = get_args(s.StaffAction)
# The kinds of entry a reader can narrow the log to: the API's look-up purposes, the replies to
# complaints, and every other thing staff did.
AUDIT_KINDS: dict[str, tuple[str, ...]] = {
    "lookups": get_args(s.LookupPurpose),
    "replies": tuple(a for a in _ACTIONS if a.startswith("complaint_")),
    "actions": tuple(a for a in _ACTIONS if not a.startswith("complaint_")),
}
Day = Annotated[str, Query(max_length=10)]
CHAIN_PAGE = 1000


def _period(since: str, until: str) -> tuple[dt.datetime, dt.datetime, dt.date, dt.date]:
    """The days asked for (the last 30 by default, in order), and their first and after-last
    moments in the city's time."""
    today = dt.datetime.now(departments.LOCAL).date()
    try:
        start = dt.date.fromisoformat(since) if since else today - dt.timedelta(days=30)
        end = dt.date.fromisoformat(until) if until else today
    except ValueError:
        start, end = today - dt.timedelta(days=30), today
    end = max(start, end)
    local = departments.LOCAL
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=local),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=local),
        start,
        end,
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    ctx: Ctx,
    since: Day = "",
    until: Day = "",
    kind: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    with web.visit(request, ctx, AUDIT_ROLES) as (db, visitor):
        first, after, start, end = _period(since, until)
        export = export_of(db, first, after)
        entries = export.entries
        if kind in AUDIT_KINDS:
            entries = [e for e in entries if e.purpose in AUDIT_KINDS[kind]]
        return show(
            visitor,
            "audit.html",
            entries=entries,
            since=start.isoformat(),
            until=end.isoformat(),
            kind=kind if kind in AUDIT_KINDS else "",
            kinds=list(AUDIT_KINDS),
            chain_intact=export.chain_intact,
        )


@router.get("/audit/export")
def audit_export(request: Request, ctx: Ctx, since: Day = "", until: Day = "") -> Response:
    """The same export as the API's and `kiosk audit-log export`, as a file to keep."""
    with web.visit(request, ctx, AUDIT_ROLES) as (db, _visitor):
        first, after, start, end = _period(since, until)
        export = export_of(db, first, after)
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
    with web.visit(request, ctx, AUDIT_ROLES) as (db, _visitor):
        rows = db.scalars(
            select(m.AuditEntry)
            .where(m.AuditEntry.id > after)
            .order_by(m.AuditEntry.id)
            .limit(CHAIN_PAGE)
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
            "more": len(rows) == CHAIN_PAGE,
            "head": head.value if head is not None else audit.GENESIS,
        }
    return JSONResponse(json.loads(json.dumps(document)), headers={"Cache-Control": "no-store"})
