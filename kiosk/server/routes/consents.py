"""The resident's side of a look-up at the counter: see who asks to see what and why, and answer.

The member of staff asks for one purpose (kiosk.server.routes.staff). The resident, signed in at
the same counter's customer window by card and PIN or by e-code, is shown the request as the
platform holds it (the staff member's name and id, the purpose, the fields) and grants or
refuses it (Art. 13). A grant binds the consent to this resident and this session: it lasts
until consent_ttl_s has passed or the session ends, whichever comes first.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session

from kiosk.api_contract import API_PREFIX, Reason
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import ResidentCredentials, utcnow
from kiosk.server.errors import ApiError
from kiosk.server.routes.common import refusals, resident_session
from kiosk.server.routes.params import Ctx
from kiosk.server.routes.params import ResidentCreds as Creds
from kiosk.server.routes.staff import consent_status, consent_view
from kiosk.server.routing import OneHopRoute
from kiosk.server.security import hash_secret

router = APIRouter(prefix=f"{API_PREFIX}/consents", tags=["consents"], route_class=OneHopRoute)

ConsentId = Annotated[str, Path(min_length=1, max_length=32)]


def _at_this_counter(consent_id: str, creds: ResidentCredentials, db: Session) -> m.Consent:
    consent = db.get(m.Consent, consent_id)
    if consent is None or consent.kiosk_id != creds.kiosk.kiosk_id:
        raise ApiError(404, Reason.CONSENT_UNKNOWN, "no consent request with this id here")
    return consent


@router.get(
    "/{consent_id}",
    response_model=s.ConsentView,
    responses=refusals(401, 403, 404, 422),
    summary="The request as the resident is shown it: who asks, for what, to see which fields",
)
def show(consent_id: ConsentId, creds: Creds, ctx: Ctx) -> s.ConsentView:
    with ctx.db() as db:
        resident_session(db, ctx, creds)
        return consent_view(db, _at_this_counter(consent_id, creds, db))


@router.post(
    "/{consent_id}/answer",
    response_model=s.ConsentView,
    responses=refusals(401, 403, 404, 409, 422),
    summary="The resident grants or refuses the request",
)
def answer(consent_id: ConsentId, body: s.ConsentAnswer, creds: Creds, ctx: Ctx) -> s.ConsentView:
    with ctx.db() as db:
        resident = resident_session(db, ctx, creds)
        consent = _at_this_counter(consent_id, creds, db)
        now = utcnow()
        status = consent_status(consent, now)
        if status == "expired":
            raise ApiError(403, Reason.CONSENT_NOT_GRANTED, "the request has expired")
        if status != "pending":
            raise ApiError(409, Reason.CONSENT_ANSWERED, "this request has been answered already")
        consent.answered = now
        if body.granted:
            consent.status = "granted"
            consent.resident_id = resident.resident_id
            consent.session_hash = hash_secret(creds.token or "")
            consent.expires = now + dt.timedelta(seconds=ctx.settings.consent_ttl_s)
        else:
            consent.status = "refused"
        db.commit()
        return consent_view(db, consent)
