"""Opening and closing a resident's session: by card with a PIN proven on chip, or by e-code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Response
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from kiosk.api_contract import API_PREFIX, Reason
from kiosk.server import limits
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import (
    KioskCredentials,
    ResidentCredentials,
    aware,
    check_kiosk,
    check_resident,
    kiosk_credentials,
    resident_credentials,
    utcnow,
)
from kiosk.server.context import Platform, platform
from kiosk.server.errors import ApiError
from kiosk.server.routes.common import GRANT_VALID, newest_card_id, refusals
from kiosk.server.routing import OneHopRoute
from kiosk.server.security import hash_secret, new_token

router = APIRouter(prefix=API_PREFIX, tags=["sessions"], route_class=OneHopRoute)

# A card in any other status may not open a full session by card (Art. 2: the card's life);
# these may open one that acts on the card's life only, once the chip took the PIN.
_SERVICEABLE = "normal"
_CARD_LIFE_ONLY = ("temporarily_lost", "lost", "expired")

_rs = m.ResidentSession
# The statements of every resident's sign-in and sign-out, built once at import: building one
# (and its cache key) costs SQLAlchemy more than PostgreSQL takes to run it.
# Each sign-in reads whom it is for in one statement, with the resident's name and (by e-code)
# the newest card: a statement costs this server more than PostgreSQL takes to run a join.
_CARD = (
    select(
        m.Card.id,
        m.Card.number,
        m.Card.status,
        m.Card.resident_id,
        m.Card.financial_account_active,
        m.Resident.name,
    )
    .join(m.Resident, m.Resident.id == m.Card.resident_id)
    .where(m.Card.identifier == bindparam("identifier"))
)
_e = m.ECode
_ECODE = (
    select(
        _e.resident_id,
        _e.expires,
        m.Resident.name,
        m.Card.id,
        m.Card.number,
        m.Card.status,
        m.Card.financial_account_active,
    )
    .join(m.Resident, m.Resident.id == _e.resident_id)
    .outerjoin(m.Card, m.Card.id == newest_card_id(_e.resident_id))
    .where(_e.code_hash == bindparam("code"))
)
_NEW_SESSION = insert(_rs)
# Only this kiosk's own open session closes; one already closed, or unknown, matches nothing,
# which is the same answer.
_CLOSE = (
    update(_rs)
    .where(_rs.token_hash == bindparam("token"), _rs.kiosk_id == bindparam("kiosk"))
    .where(_rs.closed.is_(False))
    .values(closed=True)
)

_REFUSALS = {
    401: {"model": s.ErrorAnswer, "description": "kiosk_unauthenticated"},
    403: {"model": s.ErrorAnswer, "description": "card_not_in_service, kiosk_disabled"},
    404: {"model": s.ErrorAnswer, "description": "card_unknown, ecode_invalid"},
    422: {"model": s.ErrorAnswer, "description": "invalid_request, pin_not_verified"},
    429: {"model": s.ErrorAnswer, "description": "too_many_requests (e-code sign-ins)"},
}


@router.post(
    "/sessions",
    status_code=201,
    response_model=s.SessionOpened,
    responses=_REFUSALS,  # type: ignore[arg-type]
    summary="Open a resident session by card (PIN proven on chip) or by e-code",
)
def open_session(
    body: Annotated[s.OpenSession, Body()],
    creds: Annotated[KioskCredentials, Depends(kiosk_credentials)],
    ctx: Annotated[Platform, Depends(platform)],
) -> s.SessionOpened:
    # Every write here is one statement (the sign-in's count, the session's row), and what is
    # read in between may be read outside a transaction: no BEGIN/COMMIT round trips.
    with ctx.rows() as db:
        kiosk = check_kiosk(db, creds, ctx)
        if isinstance(body, s.OpenByCard):
            if not body.pin_verified_on_chip:
                raise ApiError(
                    422, Reason.PIN_NOT_VERIFIED, "the card's PIN must be verified on the chip"
                )
            card = db.execute(_CARD, {"identifier": body.card_identifier.upper()}).first()
            if card is None or card.number != body.card_number:
                raise ApiError(404, Reason.CARD_UNKNOWN, "the platform does not know this card")
            scope = "full"
            if card.status != _SERVICEABLE and (
                body.scope == "card_life" and card.status in _CARD_LIFE_ONLY
            ):
                scope = "card_life"
            elif card.status != _SERVICEABLE:
                raise ApiError(
                    403,
                    Reason.CARD_NOT_IN_SERVICE,
                    f"this card is {card.status.replace('_', ' ')}",
                    card_status=card.status,
                )
            resident_id, method = card.resident_id, "card"
        else:
            # The e-code stands for the electronic card, not the plastic one: a resident whose
            # card is reported lost can still sign in with it, see the status and act on it.
            limits.hit(db, "ecode_signin_kiosk", kiosk.id, utcnow(), ctx.settings.limits)
            scope = "full"
            card = db.execute(_ECODE, {"code": hash_secret(body.ecode)}).first()
            if card is None or (card.expires is not None and aware(card.expires) < utcnow()):
                raise ApiError(404, Reason.ECODE_INVALID, "the e-code is unknown or expired")
            resident_id, method = card.resident_id, "ecode"
            if card.id is None:
                raise ApiError(404, Reason.CARD_UNKNOWN, "no card is on record for this e-code")
            if card.status == "cancelled":
                raise ApiError(
                    403,
                    Reason.CARD_NOT_IN_SERVICE,
                    "this card is cancelled",
                    card_status="cancelled",
                )
        token = new_token()
        now = utcnow()
        db.execute(
            _NEW_SESSION,
            {
                "token_hash": hash_secret(token),
                "resident_id": resident_id,
                "card_id": card.id,
                "kiosk_id": kiosk.id,
                "method": method,
                "opened": now,
                "last_seen": now,
                "closed": False,
                "scope": scope,
            },
        )
        db.commit()
        return s.SessionOpened(
            token=token,
            name=card.name,
            card_status=card.status,  # type: ignore[arg-type]
            financial_account_active=card.financial_account_active,
            expires_in_s=ctx.settings.session_idle_s,
            scope=scope,  # type: ignore[arg-type]
        )


@router.delete(
    "/sessions/current",
    status_code=204,
    responses={
        401: {"model": s.ErrorAnswer, "description": "kiosk_unauthenticated, session_required"},
        403: {"model": s.ErrorAnswer, "description": "kiosk_disabled"},
    },
    summary="End the resident's session; ending an ended session is not an error",
)
def close_session(
    creds: Annotated[ResidentCredentials, Depends(resident_credentials)],
    ctx: Annotated[Platform, Depends(platform)],
) -> Response:
    with ctx.rows() as db:
        kiosk = check_kiosk(db, creds.kiosk, ctx)
        if not creds.token:
            raise ApiError(
                401, Reason.SESSION_REQUIRED, "which session? X-Session-Token is missing"
            )
        db.execute(_CLOSE, {"token": hash_secret(creds.token), "kiosk": kiosk.id})
        db.commit()
    return Response(status_code=204)


@router.post(
    "/sessions/current/delivery-grants",
    status_code=201,
    response_model=s.DeliveryGrants,
    responses=refusals(401, 403, 409, 422),
    summary="Leave for the outbox to deliver these submissions after the resident has left",
)
def delivery_grants(
    body: s.GrantRequest,
    creds: Annotated[ResidentCredentials, Depends(resident_credentials)],
    ctx: Annotated[Platform, Depends(platform)],
) -> s.DeliveryGrants:
    """Asked while the session is live, for the idempotency keys the kiosk will file under.

    Each grant files the one submission with its key, from this kiosk, within GRANT_VALID, and
    only what the session itself may file. Asked again for the same key (an answer lost on the
    way), the old grant is replaced: only the newest works.
    """
    with ctx.db() as db:
        session = check_resident(db, creds, ctx, scopes=("full", "card_life"))
        kiosk_id = creds.kiosk.kiosk_id or ""
        now = utcnow()
        expires = now + GRANT_VALID
        grant = m.DeliveryGrant
        answers = []
        for key in dict.fromkeys(body.idempotency_keys):
            held = db.scalar(
                select(grant).where(grant.kiosk_id == kiosk_id, grant.idempotency_key == key)
            )
            if held is not None and (held.resident_id != session.resident_id or held.used):
                raise ApiError(
                    409, Reason.IDEMPOTENCY_CONFLICT, "this idempotency key has a grant already"
                )
            db.execute(
                delete(grant)
                .where(grant.kiosk_id == kiosk_id, grant.idempotency_key == key)
                .execution_options(synchronize_session=False)
            )
            value = new_token()
            db.add(
                grant(
                    grant_hash=hash_secret(value),
                    kiosk_id=kiosk_id,
                    idempotency_key=key,
                    resident_id=session.resident_id,
                    scope=session.scope,
                    created=now,
                    expires=expires,
                    used=None,
                )
            )
            answers.append(s.DeliveryGrant(idempotency_key=key, grant=value, expires=expires))
        try:
            db.commit()
        except IntegrityError:  # the same key asked at the same moment on another process
            db.rollback()
            raise ApiError(
                409, Reason.IDEMPOTENCY_CONFLICT, "this idempotency key has a grant already"
            ) from None
        return s.DeliveryGrants(grants=answers)
