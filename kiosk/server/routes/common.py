"""What several areas share: refusal docs for OpenAPI, masking, submissions made exactly once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel
from sqlalchemy import ColumnElement, ScalarSelect, SQLColumnExpression, select
from sqlalchemy.orm import Session

from kiosk.api_contract import Reason
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import ResidentContext, ResidentCredentials, aware, check_resident, utcnow
from kiosk.server.context import Platform
from kiosk.server.db import Database
from kiosk.server.errors import ApiError
from kiosk.server.security import hash_secret

T = TypeVar("T", m.Complaint, m.CardRequest)
# A resident's own rows: what they filed, paid, used and were given.
Own = TypeVar(
    "Own",
    m.CardRequest,
    m.Certificate,
    m.CardUse,
    m.Complaint,
    m.MedicalTransaction,
    m.PensionPayment,
    m.Subsidy,
)

# A delivery grant lets the outbox deliver for this long after the resident has left: the
# platform may be away for a long weekend.
GRANT_VALID = dt.timedelta(days=7)

_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    described = {
        401: "kiosk_unauthenticated, session_required, session_expired, staff_unauthenticated",
        403: "kiosk_disabled, staff_forbidden, staff_locked, consent_not_granted,"
        " card_not_in_service",
        404: "not found: see the reason code",
        409: "request_not_allowed, idempotency_conflict, consent_answered",
        422: "invalid_request",
        429: "too_many_requests: Retry-After says when to try again",
    }
    return {code: {"model": s.ErrorAnswer, "description": described[code]} for code in codes}


RESIDENT_REFUSALS = refusals(401, 403, 422)


def replayed(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """The 200 of a submission sent again with the same Idempotency-Key: the first answer."""
    return {
        200: {
            "model": model,
            "description": "sent before with this Idempotency-Key: the first answer, filed once",
        }
    }


def client_address(request: Request) -> str:
    """Who asks a public endpoint, for its rate limit. Behind a load balancer this is the
    balancer's address unless the server trusts its X-Forwarded-For (`kiosk server
    --trusted-proxy`), which uvicorn then puts here."""
    return request.client.host if request.client is not None else "unknown"


def mask_id(ssn: str) -> str:
    return ssn[:4] + "*" * (len(ssn) - 8) + ssn[-4:] if len(ssn) > 8 else "*" * len(ssn)


def mask_number(number: str) -> str:
    return number[:2] + "*" * (len(number) - 4) + number[-2:] if len(number) > 4 else number


def mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name


def resident_session(
    db: Database,
    ctx: Platform,
    creds: ResidentCredentials,
    *,
    scopes: tuple[str, ...] = ("full",),
) -> ResidentContext:
    return check_resident(db, creds, ctx, scopes=scopes)


def idempotency_key(value: str | None) -> str:
    if value is None or not _IDEMPOTENCY_KEY.match(value):
        raise ApiError(
            422,
            Reason.INVALID_REQUEST,
            "header Idempotency-Key: 16-64 letters, digits, - or _ are required",
            problems=[{"where": "header.Idempotency-Key", "problem": "missing or malformed"}],
        )
    return value


def request_hash(kind: str, body: BaseModel) -> str:
    data = body.model_dump(mode="json")
    text = json.dumps([kind, data], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def replay(db: Session, model: type[T], kiosk_id: str, key: str, digest: str) -> T | None:
    """The earlier result of this very submission, if the platform has it already."""
    row = db.scalar(select(model).where(model.kiosk_id == kiosk_id, model.idempotency_key == key))
    if row is not None and row.request_hash != digest:
        raise ApiError(
            409, Reason.IDEMPOTENCY_CONFLICT, "this idempotency key was used for another request"
        )
    return row


def submission(
    db: Session, model: type[T], kiosk_id: str, key: str | None, kind: str, body: BaseModel
) -> tuple[str, str, T | None]:
    """What every submission made exactly once starts with: its Idempotency-Key, checked; the
    digest of what it asks; and the row filed for it before, if the platform has one."""
    idem = idempotency_key(key)
    digest = request_hash(kind, body)
    return idem, digest, replay(db, model, kiosk_id, idem, digest)


def repeated(response: Response, earlier: T) -> T:
    """A repeat of a submission is answered 200 with what was filed first, not 201."""
    response.status_code = 200
    return earlier


def insert_once(db: Session, row: T, kiosk_id: str, key: str, digest: str) -> T | None:
    """Stores a new submission; None if stored, else the twin that won the race to store it.

    The same submission can arrive twice at once (a kiosk retrying while its first try is still
    in flight): the unique idempotency key lets one in, and the other answers as it did.
    """
    from sqlalchemy.exc import IntegrityError

    db.add(row)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        earlier = replay(db, type(row), kiosk_id, key, digest)
        if earlier is None:
            raise
        return earlier
    return None


def submitter(
    db: Session,
    ctx: Platform,
    creds: ResidentCredentials,
    idempotency_key: str,
    grant: str | None,
    *,
    scopes: tuple[str, ...] = ("full",),
) -> int:
    """The resident a submission comes from: the live session's, or the one who gave the
    delivery grant for exactly this submission while their session was live.

    A closed, idle or other kiosk's session files nothing; the outbox, delivering after the
    resident has left, shows the grant instead, which names this submission's key and is used
    up with it. The grant is marked used in the caller's transaction, beside the new row.
    """
    kiosk_id = creds.kiosk.kiosk_id or ""
    if grant:
        row = db.get(m.DeliveryGrant, hash_secret(grant))
        if (
            row is None
            or row.kiosk_id != kiosk_id
            or row.idempotency_key != idempotency_key
            or aware(row.expires) < utcnow()
            or row.scope not in scopes
        ):
            raise ApiError(
                401, Reason.SESSION_EXPIRED, "the delivery grant is unknown, used or expired"
            )
        row.used = utcnow()
        return row.resident_id
    session = check_resident(db, creds, ctx, scopes=scopes)
    return session.resident_id


# Which card is a resident's own now: the newest issued.
_NEWEST_FIRST = m.Card.issued.desc()


def newest_card_id(resident: SQLColumnExpression[int]) -> ScalarSelect[int]:
    """The id of the resident's newest card, as a subquery of a larger statement."""
    return (
        select(m.Card.id)
        .where(m.Card.resident_id == resident)
        .order_by(_NEWEST_FIRST)
        .limit(1)
        # The outer statement joins cards too: this reads its own.
        .correlate_except(m.Card)
        .scalar_subquery()
    )


def current_card(db: Session, resident_id: int) -> m.Card:
    card = db.scalar(
        select(m.Card).where(m.Card.resident_id == resident_id).order_by(_NEWEST_FIRST)
    )
    if card is None:  # pragma: no cover - every resident has a card
        raise ApiError(404, Reason.CARD_UNKNOWN, "no card is on record")
    return card


def latest_month(db: Session) -> str | None:
    """The newest month the platform holds contributions for: "now" for insured status."""
    from sqlalchemy import func

    value: str | None = db.scalar(select(func.max(m.Contribution.month)))
    return value


def newest(
    db: Session,
    kind: type[Own],
    resident_id: int,
    *order: ColumnElement[Any],
    limit: int,
    where: Sequence[ColumnElement[bool]] = (),
) -> Sequence[Own]:
    """The resident's own rows of one kind, in this order (newest first), at most `limit`."""
    query = select(kind).where(kind.resident_id == resident_id, *where)
    return db.scalars(query.order_by(*order).limit(limit)).all()
