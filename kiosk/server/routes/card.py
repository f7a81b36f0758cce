"""The card's life (Art. 2): status, the financial account (Art. 19), loss report and lifting,
reissue and replacement with their progress.

Submissions are made exactly once: each carries an Idempotency-Key; the platform answers a
repeat with the first answer, and derives the tracking number from the key, so the kiosk can
tell the resident the number even before the platform has heard of the request.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.backend.contract import API_PREFIX, IDEMPOTENCY_HEADER, Reason, tracking_number
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import (
    KioskCredentials,
    ResidentCredentials,
    aware,
    check_kiosk,
    kiosk_credentials,
    resident_credentials,
    utcnow,
)
from kiosk.server.context import Platform, platform
from kiosk.server.errors import ApiError
from kiosk.server.routes.common import (
    RESIDENT_REFUSALS,
    current_card,
    filer,
    idempotency_key,
    insert_once,
    mask_number,
    refusals,
    replay,
    request_hash,
    resident_session,
)

router = APIRouter(prefix=f"{API_PREFIX}/card", tags=["card"])

Creds = Annotated[ResidentCredentials, Depends(resident_credentials)]
Ctx = Annotated[Platform, Depends(platform)]
IdemKey = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        description="16-64 characters, unique per submission; a repeat gets the first answer",
    ),
]
SUBMIT_REFUSALS = refusals(401, 403, 404, 409, 422)

# How a reissue or replacement moves along; the demo platform advances it by the clock.
_TIMELINE = (
    ("submitted", dt.timedelta(0)),
    ("reviewed", dt.timedelta(minutes=10)),
    ("in_production", dt.timedelta(days=1)),
    ("ready_for_pickup", dt.timedelta(days=5)),
)


def view(row: m.CardRequest, now: dt.datetime | None = None) -> s.CardRequest:
    now = now or utcnow()
    created = aware(row.created)
    if row.kind in ("reissue", "replacement"):
        steps = [
            s.ProgressStep(step=name, done=created + offset <= now, at=created + offset)  # type: ignore[arg-type]
            for name, offset in _TIMELINE
        ]
    else:
        steps = [
            s.ProgressStep(step="submitted", done=True, at=created),
            s.ProgressStep(step="completed", done=True, at=created),
        ]
    return s.CardRequest(
        tracking_number=row.tracking_number,
        kind=row.kind,  # type: ignore[arg-type]
        status="completed" if all(step.done for step in steps) else "in_progress",
        created=created,
        card_status=str(row.details.get("card_status_after", "normal")),  # type: ignore[arg-type]
        progress=steps,
    )


@router.get("", response_model=s.CardView, responses=RESIDENT_REFUSALS)
def card_status(creds: Creds, ctx: Ctx) -> s.CardView:
    with ctx.db() as db:
        session = resident_session(db, ctx, creds)
        card = current_card(db, session.resident_id)
        rows = db.scalars(
            select(m.CardRequest)
            .where(m.CardRequest.resident_id == session.resident_id)
            .order_by(m.CardRequest.created.desc())
            .limit(20)
        ).all()
        now = utcnow()
        return s.CardView(
            number_masked=mask_number(card.number),
            status=card.status,  # type: ignore[arg-type]
            financial_account_active=card.financial_account_active,
            issued=card.issued,
            expires=card.expires,
            requests=[view(r, now) for r in rows],
        )


@router.get(
    "/requests/{tracking}",
    response_model=s.CardRequest,
    responses=refusals(401, 403, 404, 422),
    summary="A card request's progress by its tracking number",
)
def request_progress(
    tracking: Annotated[str, Path(pattern=r"^R-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")],
    creds: Annotated[KioskCredentials, Depends(kiosk_credentials)],
    ctx: Ctx,
) -> s.CardRequest:
    with ctx.db() as db:
        check_kiosk(db, creds, ctx)
        row = db.scalar(select(m.CardRequest).where(m.CardRequest.tracking_number == tracking))
        if row is None:
            raise ApiError(404, Reason.TRACKING_UNKNOWN, "no card request has this number")
        return view(row)


def _submit(
    db: Session,
    ctx: Platform,
    creds: ResidentCredentials,
    key_header: str | None,
    response: Response,
    kind: str,
    body: Any,
    change: Any,
) -> s.CardRequest:
    kiosk = check_kiosk(db, creds.kiosk, ctx)
    key = idempotency_key(key_header)
    digest = request_hash(kind, body)
    earlier = replay(db, m.CardRequest, kiosk.id, key, digest)
    if earlier is not None:
        response.status_code = 200
        return view(earlier)
    resident_id = filer(db, kiosk.id, creds.token, body.filed_by)
    assert resident_id is not None
    card = current_card(db, resident_id)
    open_request = db.scalar(
        select(m.CardRequest).where(
            m.CardRequest.card_id == card.id,
            m.CardRequest.kind.in_(("reissue", "replacement")),
        )
    )
    details: dict[str, object] = change(card, open_request)
    now = utcnow()
    card.status_changed = now
    row = m.CardRequest(
        tracking_number=tracking_number("R", kiosk.id, key),
        resident_id=resident_id,
        card_id=card.id,
        kind=kind,
        status="submitted",
        created=now,
        updated=now,
        details={**details, "card_status_after": card.status},
        kiosk_id=kiosk.id,
        idempotency_key=key,
        request_hash=digest,
    )
    earlier = insert_once(db, row, kiosk.id, key, digest)
    if earlier is not None:
        response.status_code = 200
        return view(earlier)
    return view(row, now)


def _not_allowed(detail: str) -> ApiError:
    return ApiError(409, Reason.REQUEST_NOT_ALLOWED, detail)


@router.post(
    "/loss-report",
    status_code=201,
    response_model=s.CardRequest,
    responses=SUBMIT_REFUSALS,
    summary="Report the card lost: temporarily (held) or formally",
)
def report_loss(
    body: s.LossReport, creds: Creds, ctx: Ctx, response: Response, key: IdemKey = None
) -> s.CardRequest:
    def change(card: m.Card, _open: m.CardRequest | None) -> dict[str, object]:
        allowed = ("normal", "temporarily_lost") if body.kind == "formal" else ("normal",)
        if card.status not in allowed:
            raise _not_allowed(
                f"a card that is {card.status} cannot be reported {body.kind}ly lost"
            )
        card.status = "lost" if body.kind == "formal" else "temporarily_lost"
        return {"loss": body.kind}

    with ctx.db() as db:
        return _submit(db, ctx, creds, key, response, "loss_report", body, change)


@router.post(
    "/loss-lifting",
    status_code=201,
    response_model=s.CardRequest,
    responses=SUBMIT_REFUSALS,
    summary="Lift a loss report: the card was found",
)
def lift_loss(
    body: s.LossLifting, creds: Creds, ctx: Ctx, response: Response, key: IdemKey = None
) -> s.CardRequest:
    def change(card: m.Card, open_request: m.CardRequest | None) -> dict[str, object]:
        if card.status not in ("temporarily_lost", "lost"):
            raise _not_allowed("only a card reported lost can have the report lifted")
        if open_request is not None and open_request.kind == "reissue":
            raise _not_allowed("a new card is already being made for this loss")
        card.status = "normal"
        return {}

    with ctx.db() as db:
        return _submit(db, ctx, creds, key, response, "loss_lifting", body, change)


@router.post(
    "/reissue",
    status_code=201,
    response_model=s.CardRequest,
    responses=SUBMIT_REFUSALS,
    summary="Ask for a new card in place of a lost one (补领)",
)
def reissue(
    body: s.ReissueRequest, creds: Creds, ctx: Ctx, response: Response, key: IdemKey = None
) -> s.CardRequest:
    def change(card: m.Card, open_request: m.CardRequest | None) -> dict[str, object]:
        if card.status not in ("temporarily_lost", "lost"):
            raise _not_allowed("report the card lost first; a reissue replaces a lost card")
        if open_request is not None:
            raise _not_allowed("a new card is already being made")
        card.status = "lost"  # a reissue makes the loss formal: the old card stops for good
        return {"pickup": body.pickup}

    with ctx.db() as db:
        return _submit(db, ctx, creds, key, response, "reissue", body, change)


@router.post(
    "/replacement",
    status_code=201,
    response_model=s.CardRequest,
    responses=SUBMIT_REFUSALS,
    summary="Ask for a new card in exchange for this one (换领): damaged, expired, data changed",
)
def replace(
    body: s.ReplacementRequest, creds: Creds, ctx: Ctx, response: Response, key: IdemKey = None
) -> s.CardRequest:
    def change(card: m.Card, open_request: m.CardRequest | None) -> dict[str, object]:
        if card.status not in ("normal", "expired"):
            raise _not_allowed(f"a card that is {card.status} cannot be exchanged")
        if open_request is not None:
            raise _not_allowed("a new card is already being made")
        return {"reason": body.reason, "pickup": body.pickup}

    with ctx.db() as db:
        return _submit(db, ctx, creds, key, response, "replacement", body, change)
