"""The demo platform's stand-in for a phone: the last one-time code it "texted".

Mounted only when the platform serves a throwaway copy of the demo data (kiosk server
--fresh-demo, which the embedded demo platform uses), and left out of the contract: a real
platform texts the code to the phone on record and has no such route.
"""

from __future__ import annotations

from fastapi import APIRouter

from kiosk.api_contract import API_PREFIX, Reason
from kiosk.server import schemas as s
from kiosk.server.auth import check_kiosk
from kiosk.server.errors import ApiError
from kiosk.server.phone import DemoPhone
from kiosk.server.routes.params import Ctx, KioskCreds
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix=f"{API_PREFIX}/demo", tags=["demo"], route_class=OneHopRoute)


@router.get("/loss-code", response_model=s.DemoLossCode)
def last_loss_code(
    creds: KioskCreds,
    ctx: Ctx,
) -> s.DemoLossCode:
    with ctx.db() as db:
        check_kiosk(db, creds, ctx)
    phone = ctx.phone
    sent = phone.last() if isinstance(phone, DemoPhone) else None
    if sent is None:
        raise ApiError(404, Reason.NOT_FOUND, "no code has been sent yet")
    return s.DemoLossCode(phone_masked=sent.phone_masked, code=sent.code, expires=sent.expires)
