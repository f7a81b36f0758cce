"""What several areas share: refusal docs for OpenAPI, masking, submissions made exactly once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.backend.contract import Reason
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import ResidentContext, ResidentCredentials, aware, check_resident, utcnow
from kiosk.server.context import Platform
from kiosk.server.errors import ApiError
from kiosk.server.security import hash_secret

T = TypeVar("T", m.Complaint, m.CardRequest)

# A session that has ended may still file what the kiosk queued during it, for this long:
# the outbox delivers when the platform is back, which may be after the resident has left.
SUBMIT_GRACE = dt.timedelta(days=7)

_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    described = {
        401: "kiosk_unauthenticated, session_required, session_expired, staff_unauthenticated",
        403: "kiosk_disabled, staff_forbidden, staff_locked, consent_not_granted,"
        " card_not_in_service",
        404: "not found: see the reason code",
        409: "request_not_allowed, idempotency_conflict, consent_answered",
        422: "invalid_request",
    }
    return {code: {"model": s.ErrorAnswer, "description": described[code]} for code in codes}


RESIDENT_REFUSALS = refusals(401, 403, 422)


def mask_id(ssn: str) -> str:
    return ssn[:4] + "*" * (len(ssn) - 8) + ssn[-4:] if len(ssn) > 8 else "*" * len(ssn)


def mask_number(number: str) -> str:
    return number[:2] + "*" * (len(number) - 4) + number[-2:] if len(number) > 4 else number


def mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name


def resident_session(db: Session, ctx: Platform, creds: ResidentCredentials) -> ResidentContext:
    return check_resident(db, creds, ctx)


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
    data = body.model_dump(mode="json", exclude={"filed_by"})
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


def filer(
    db: Session,
    kiosk_id: str,
    token: str | None,
    filed_by: s.FiledBy | None,
    *,
    anonymous_ok: bool = False,
) -> int | None:
    """The resident a submission comes from: by session (live or lately ended), by card, or none.

    The card path is for what the kiosk queued while the platform was away: the kiosk read the
    card and the chip accepted the PIN, so the kiosk vouches with its own key (Art. 2).
    """
    if token:
        session = db.get(m.ResidentSession, hash_secret(token))
        if (
            session is None
            or session.kiosk_id != kiosk_id
            or utcnow() - aware(session.last_seen) > SUBMIT_GRACE
        ):
            raise ApiError(401, Reason.SESSION_EXPIRED, "the session is unknown or too old")
        return session.resident_id
    if filed_by is not None:
        if not filed_by.pin_verified_on_chip:
            raise ApiError(422, Reason.PIN_NOT_VERIFIED, "the card's PIN must be verified on chip")
        card = db.scalar(
            select(m.Card).where(m.Card.identifier == filed_by.card_identifier.upper())
        )
        if card is None or card.number != filed_by.card_number:
            raise ApiError(404, Reason.CARD_UNKNOWN, "the platform does not know this card")
        return card.resident_id
    if anonymous_ok:
        return None
    raise ApiError(
        401, Reason.SESSION_REQUIRED, "a resident session or the resident's card is needed"
    )


def current_card(db: Session, resident_id: int) -> m.Card:
    card = db.scalar(
        select(m.Card).where(m.Card.resident_id == resident_id).order_by(m.Card.issued.desc())
    )
    if card is None:  # pragma: no cover - every resident has a card
        raise ApiError(404, Reason.CARD_UNKNOWN, "no card is on record")
    return card


def latest_month(db: Session) -> str | None:
    """The newest month the platform holds contributions for: "now" for insured status."""
    from sqlalchemy import func

    value: str | None = db.scalar(select(func.max(m.Contribution.month)))
    return value
