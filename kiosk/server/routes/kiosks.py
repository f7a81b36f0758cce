"""Kiosk heartbeats: device health for the operators of a fleet (Art. 10, 12: the service
channels and their safety are the department's to keep working)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy.orm import Session

from kiosk.api_contract import API_PREFIX
from kiosk.server import audit
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import KioskCredentials, aware, check_kiosk, utcnow
from kiosk.server.context import Platform
from kiosk.server.routes.common import refusals
from kiosk.server.routes.params import Ctx
from kiosk.server.routes.params import KioskCreds as Creds
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix=f"{API_PREFIX}/kiosks", tags=["kiosks"], route_class=OneHopRoute)

HEARTBEAT_EVERY_S = 60
F = TypeVar("F", bound=Callable[..., Any])


def _report(path: str, model: type[BaseModel], summary: str) -> Callable[[F], F]:
    """A route by which a kiosk reports something about itself."""
    return router.post(
        path, response_model=model, responses=refusals(401, 403, 422), summary=summary
    )


@contextmanager
def _this_kiosk(
    db: Session, creds: KioskCredentials, ctx: Platform
) -> Iterator[tuple[m.Kiosk, dt.datetime]]:
    """The kiosk that is calling and the time it reports at; what it reports is kept when the
    report is done."""
    identity = check_kiosk(db, creds, ctx)
    kiosk = db.get(m.Kiosk, identity.id)
    assert kiosk is not None  # checked just now
    yield kiosk, utcnow()
    db.commit()


@_report("/heartbeat", s.HeartbeatAck, "Report this kiosk's device health")
def heartbeat(body: s.Heartbeat, creds: Creds, ctx: Ctx) -> s.HeartbeatAck:
    with ctx.db() as db, _this_kiosk(db, creds, ctx) as (kiosk, now):
        kiosk.last_heartbeat = now
        kiosk.health = body.model_dump(mode="json", exclude_none=True)
    return s.HeartbeatAck(server_time=now, next_heartbeat_s=HEARTBEAT_EVERY_S)


@_report("/assistance", s.AssistanceAck, "A resident at this kiosk calls for staff (呼叫工作人员)")
def request_assistance(body: s.AssistanceRequest, creds: Creds, ctx: Ctx) -> s.AssistanceAck:
    # Art. 10: help within reach of every resident; the staff side sees it on the fleet view.
    with ctx.db() as db, _this_kiosk(db, creds, ctx) as (kiosk, now):
        kiosk.assistance_requested = now
        kiosk.assistance_screen = body.screen
    return s.AssistanceAck(requested_at=now)


def answer_call(db: Session, staff_id: int, kiosk: m.Kiosk) -> None:
    """A member of staff has gone to the resident who called from this kiosk, at the counter's
    console or the staff console alike."""
    if kiosk.assistance_requested is None:
        return
    waited = int((utcnow() - aware(kiosk.assistance_requested)).total_seconds())
    kiosk.assistance_requested = None
    kiosk.assistance_screen = ""
    # Who went, and how long the resident waited: a call left unanswered is evidence too.
    audit.append(
        db,
        staff_id=staff_id,
        kiosk_id=kiosk.id,
        resident_id=None,
        purpose="assistance_taken",
        fields=[f"waited_s:{max(0, waited)}"],
    )
