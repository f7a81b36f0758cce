"""Who is asking: the kiosk by its own key, the resident by a session token, staff by theirs.

Header extraction happens in async dependencies (no I/O, no thread hop); the checks against the
database run inside each endpoint's own worker thread, so a request costs one hop, not three.
Each dependency reads its headers itself rather than through one FastAPI security dependency
per header: FastAPI solves every dependency of every request anew, and three of them cost a
resident's request about a tenth of its time in this server. The OpenAPI document still
declares the headers as security schemes (`kiosk.server.routing.declares_security`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy import Row, Select, bindparam, select, update
from sqlalchemy.orm import Session

from kiosk.api_contract import (
    KIOSK_ID_HEADER,
    KIOSK_KEY_HEADER,
    SESSION_HEADER,
    STAFF_HEADER,
    Reason,
)
from kiosk.server import models as m
from kiosk.server.context import Platform
from kiosk.server.db import Database
from kiosk.server.errors import ApiError
from kiosk.server.routing import declares_security
from kiosk.server.security import hash_secret, same

# A session's last_seen is written at most this often: the idle timeout is minutes long, and
# a write per request would serialise every kiosk behind SQLite's single writer.
TOUCH_EVERY_S = 5.0

# The security schemes of the OpenAPI document: its name for each header.
_KIOSK = {"KioskId": KIOSK_ID_HEADER, "KioskKey": KIOSK_KEY_HEADER}
_RESIDENT = {**_KIOSK, "SessionToken": SESSION_HEADER}
_STAFF = {**_KIOSK, "StaffToken": STAFF_HEADER}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class KioskCredentials:
    kiosk_id: str | None
    kiosk_key: str | None


@dataclass(frozen=True, slots=True)
class ResidentCredentials:
    kiosk: KioskCredentials
    token: str | None


@dataclass(frozen=True, slots=True)
class StaffCredentials:
    kiosk: KioskCredentials
    token: str | None


def _kiosk(request: Request) -> KioskCredentials:
    # An empty header counts as none, as an absent one does: the checks refuse both alike.
    headers = request.headers
    return KioskCredentials(
        headers.get(KIOSK_ID_HEADER) or None, headers.get(KIOSK_KEY_HEADER) or None
    )


@declares_security(_KIOSK)
async def kiosk_credentials(request: Request) -> KioskCredentials:
    return _kiosk(request)


@declares_security(_RESIDENT)
async def resident_credentials(request: Request) -> ResidentCredentials:
    return ResidentCredentials(_kiosk(request), request.headers.get(SESSION_HEADER) or None)


@declares_security(_STAFF)
async def staff_credentials(request: Request) -> StaffCredentials:
    return StaffCredentials(_kiosk(request), request.headers.get(STAFF_HEADER) or None)


@dataclass(frozen=True, slots=True)
class KioskIdentity:
    id: str


_KIOSK_KEY = select(m.Kiosk.key_hash, m.Kiosk.enabled).where(m.Kiosk.id == bindparam("kiosk"))


def check_kiosk(db: Database, creds: KioskCredentials, ctx: Platform) -> KioskIdentity:
    if not creds.kiosk_id or not creds.kiosk_key or len(creds.kiosk_id) > 64:
        raise ApiError(401, Reason.KIOSK_UNAUTHENTICATED, "kiosk id and key are required")
    known = ctx.kiosks.get(creds.kiosk_id)
    if known is None:
        kiosk = db.execute(_KIOSK_KEY, {"kiosk": creds.kiosk_id}).first()
        if kiosk is None:
            raise ApiError(401, Reason.KIOSK_UNAUTHENTICATED, "unknown kiosk or wrong key")
        known = (kiosk.key_hash, kiosk.enabled)
        ctx.kiosks.put(creds.kiosk_id, *known)
    key_hash, enabled = known
    if not same(key_hash, hash_secret(creds.kiosk_key)):
        raise ApiError(401, Reason.KIOSK_UNAUTHENTICATED, "unknown kiosk or wrong key")
    if not enabled:
        raise ApiError(403, Reason.KIOSK_DISABLED, "this kiosk is switched off by its operator")
    return KioskIdentity(creds.kiosk_id)


_rs = m.ResidentSession
# Built once at import: this runs on every resident request, and building a statement (and its
# cache key) costs SQLAlchemy more time than PostgreSQL takes to run it.
SESSION_COLUMNS = (
    _rs.resident_id,
    _rs.card_id,
    _rs.kiosk_id,
    _rs.closed,
    _rs.last_seen,
    _rs.scope,
)
_SESSION_ROW = select(*SESSION_COLUMNS).where(_rs.token_hash == bindparam("token"))
_TOUCH = update(_rs).where(_rs.token_hash == bindparam("token")).values(last_seen=bindparam("at"))


@dataclass(frozen=True, slots=True)
class ResidentContext:
    """Whose session this is: every resident query is bound to resident_id (Art. 12, 13)."""

    resident_id: int
    card_id: int
    scope: str


def check_resident(
    db: Database,
    creds: ResidentCredentials,
    ctx: Platform,
    *,
    scopes: tuple[str, ...] = ("full",),
) -> ResidentContext:
    """The kiosk's key, then the resident's token, which is valid only from the same kiosk,
    while open and not idle, and only for what its scope allows: a session opened for a card
    that is not in service acts on the card's life and nothing else."""
    return check_resident_reading(db, creds, ctx, _SESSION_ROW, scopes=scopes)[0]


def check_resident_reading(
    db: Database,
    creds: ResidentCredentials,
    ctx: Platform,
    statement: Select[*tuple[Any, ...]],
    *,
    scopes: tuple[str, ...] = ("full",),
) -> tuple[ResidentContext, Row[Any]]:
    """check_resident with a statement that reads the session's row (SESSION_COLUMNS, by the
    token's hash as `token`) and, in the same round trip, what the request answers with: one
    statement fewer for a request that needs only one more row."""
    kiosk = check_kiosk(db, creds.kiosk, ctx)
    if not creds.token:
        raise ApiError(401, Reason.SESSION_REQUIRED, "a resident session token is required")
    token_hash = hash_secret(creds.token)
    # Plain columns, not an ORM object: this runs on every resident request.
    row = db.execute(statement, {"token": token_hash}).first()
    now = utcnow()
    idle_s = (now - aware(row.last_seen)).total_seconds() if row is not None else 0.0
    if (
        row is None
        or row.closed
        or row.kiosk_id != kiosk.id
        or idle_s > ctx.settings.session_idle_s
    ):
        raise ApiError(401, Reason.SESSION_EXPIRED, "the session has ended; please start again")
    if row.scope not in scopes:
        raise ApiError(
            403,
            Reason.CARD_NOT_IN_SERVICE,
            "this session may only act on the card's life: the card is not in service",
        )
    if idle_s > TOUCH_EVERY_S:
        db.execute(_TOUCH, {"token": token_hash, "at": now})
        db.commit()
    return ResidentContext(row.resident_id, row.card_id, row.scope), row


def check_staff(db: Session, creds: StaffCredentials, ctx: Platform) -> m.Staff:
    kiosk = check_kiosk(db, creds.kiosk, ctx)
    if not creds.token:
        raise ApiError(401, Reason.STAFF_UNAUTHENTICATED, "a staff token is required")
    return staff_of_session(db, creds.token, kiosk.id, ctx)


def staff_of_session(db: Session, token: str, opened_at: str, ctx: Platform) -> m.Staff:
    """The member of staff whose session this token is, opened at that kiosk (or the staff
    console); refused once the session was closed or idle too long, or the account disabled."""
    idle_timeout_s = ctx.settings.staff_idle_s
    session = db.get(m.StaffSession, hash_secret(token))
    now = utcnow()
    if (
        session is None
        or session.closed
        or session.kiosk_id != opened_at
        or (now - aware(session.last_seen)).total_seconds() > idle_timeout_s
    ):
        raise ApiError(401, Reason.STAFF_UNAUTHENTICATED, "the staff session has ended")
    if (now - aware(session.last_seen)).total_seconds() > TOUCH_EVERY_S:
        session.last_seen = now
        db.commit()
    staff = db.get(m.Staff, session.staff_id)
    if staff is None or staff.disabled:
        raise ApiError(401, Reason.STAFF_UNAUTHENTICATED, "the staff session has ended")
    return staff
