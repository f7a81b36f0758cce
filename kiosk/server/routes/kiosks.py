"""Kiosk heartbeats: device health for the operators of a fleet (Art. 10, 12: the service
channels and their safety are the department's to keep working)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from kiosk.api_contract import API_PREFIX
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import KioskCredentials, check_kiosk, kiosk_credentials, utcnow
from kiosk.server.context import Platform, platform
from kiosk.server.routes.common import refusals

router = APIRouter(prefix=f"{API_PREFIX}/kiosks", tags=["kiosks"])

HEARTBEAT_EVERY_S = 60


@router.post(
    "/heartbeat",
    response_model=s.HeartbeatAck,
    responses=refusals(401, 403, 422),
    summary="Report this kiosk's device health",
)
def heartbeat(
    body: s.Heartbeat,
    creds: Annotated[KioskCredentials, Depends(kiosk_credentials)],
    ctx: Annotated[Platform, Depends(platform)],
) -> s.HeartbeatAck:
    with ctx.db() as db:
        identity = check_kiosk(db, creds, ctx)
        kiosk = db.get(m.Kiosk, identity.id)
        assert kiosk is not None  # checked just now
        now = utcnow()
        kiosk.last_heartbeat = now
        kiosk.health = body.model_dump(mode="json", exclude_none=True)
        db.commit()
    return s.HeartbeatAck(server_time=now, next_heartbeat_s=HEARTBEAT_EVERY_S)


@router.post(
    "/assistance",
    response_model=s.AssistanceAck,
    responses=refusals(401, 403, 422),
    summary="A resident at this kiosk calls for staff (呼叫工作人员)",
)
def request_assistance(
    body: s.AssistanceRequest,
    creds: Annotated[KioskCredentials, Depends(kiosk_credentials)],
    ctx: Annotated[Platform, Depends(platform)],
) -> s.AssistanceAck:
    # Art. 10: help within reach of every resident; the staff side sees it on the fleet view.
    with ctx.db() as db:
        identity = check_kiosk(db, creds, ctx)
        kiosk = db.get(m.Kiosk, identity.id)
        assert kiosk is not None  # checked just now
        now = utcnow()
        kiosk.assistance_requested = now
        kiosk.assistance_screen = body.screen
        db.commit()
    return s.AssistanceAck(requested_at=now)
