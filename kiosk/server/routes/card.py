"""The card's life (Art. 2): status, the financial account (Art. 19), loss report and lifting,
reissue and replacement with their progress.

Submissions are made exactly once: each carries an Idempotency-Key; the platform answers a
repeat with the first answer, and derives the tracking number from the key, so the kiosk can
tell the resident the number even before the platform has heard of the request.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeAlias, TypeVar, get_type_hints

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel
from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from kiosk.api_contract import API_PREFIX, Reason, tracking_number
from kiosk.domain.card import CardAction, allows
from kiosk.server import limits
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import (
    SESSION_COLUMNS,
    aware,
    check_kiosk,
    check_resident_reading,
    utcnow,
)
from kiosk.server.db import Database
from kiosk.server.errors import ApiError
from kiosk.server.routes.common import (
    RESIDENT_REFUSALS,
    client_address,
    current_card,
    insert_once,
    mask_name,
    mask_number,
    newest_card_id,
    refusals,
    repeated,
    replay,
    replayed,
    submission,
    submitter,
)
from kiosk.server.routes.params import Ctx, Grant, IdemKey, KioskCreds
from kiosk.server.routes.params import ResidentCreds as Creds
from kiosk.server.routing import OneHopRoute
from kiosk.server.security import keyed, same

router = APIRouter(prefix=f"{API_PREFIX}/card", tags=["card"], route_class=OneHopRoute)

SUBMIT_REFUSALS = {**refusals(401, 403, 404, 409, 422), **replayed(s.CardRequest)}
# The card's life may be acted on from a session opened for a card not in service.
CARD_LIFE = ("full", "card_life")

# How a reissue or replacement moves along; the demo platform advances it by the clock.
_TIMELINE = (
    ("submitted", dt.timedelta(0)),
    ("reviewed", dt.timedelta(minutes=10)),
    ("in_production", dt.timedelta(days=1)),
    ("ready_for_pickup", dt.timedelta(days=5)),
)


# What a request's view needs of it, read as plain columns where only the view is wanted.
RequestRow = Row[str, str, dt.datetime, dict[str, object]]


def view(row: m.CardRequest | RequestRow, now: dt.datetime | None = None) -> s.CardRequest:
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


_request = m.CardRequest
# Built once at import: a resident's visit reads the card every time (see auth._SESSION_ROW).
_RECENT_REQUESTS = (
    select(_request.tracking_number, _request.kind, _request.created, _request.details)
    .where(_request.resident_id == bindparam("resident"))
    .order_by(_request.created.desc())
    .limit(20)
)


# The card view reads the session and the resident's newest card in one statement.
_SESSION_AND_CARD = (
    select(
        *SESSION_COLUMNS,
        m.Card.number,
        m.Card.status,
        m.Card.financial_account_active,
        m.Card.issued,
        m.Card.expires,
    )
    .outerjoin(m.Card, m.Card.id == newest_card_id(m.ResidentSession.resident_id))
    .where(m.ResidentSession.token_hash == bindparam("token"))
)


def requests_of(db: Database, resident_id: int) -> Sequence[RequestRow]:
    """The resident's last twenty requests about their card, newest first."""
    return db.execute(_RECENT_REQUESTS, {"resident": resident_id}).all()


@router.get("", response_model=s.CardView, responses=RESIDENT_REFUSALS)
def card_status(creds: Creds, ctx: Ctx) -> s.CardView:
    with ctx.rows() as db:
        session, card = check_resident_reading(db, creds, ctx, _SESSION_AND_CARD, scopes=CARD_LIFE)
        if card.number is None:  # pragma: no cover - every resident has a card
            raise ApiError(404, Reason.CARD_UNKNOWN, "no card is on record")
        rows = requests_of(db, session.resident_id)
        now = utcnow()
        return s.CardView(
            number_masked=mask_number(card.number),
            status=card.status,
            financial_account_active=card.financial_account_active,
            issued=card.issued,
            expires=card.expires,
            requests=[view(r, now) for r in rows],
        )


@router.get(
    "/requests/{tracking}",
    response_model=s.CardRequest,
    responses=refusals(404, 422, 429),
    summary="A card request's progress by its tracking number (public: the slip's QR code)",
)
def request_progress(
    tracking: Annotated[str, Path(pattern=r"^R-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")],
    request: Request,
    ctx: Ctx,
) -> s.CardRequest:
    """Whoever holds the slip follows the request on a phone, as a certificate is verified:
    the number is random (60 bits), and the answer names no one (kind, steps, card status)."""
    with ctx.db() as db:
        now = utcnow()
        limits.hit(
            db, "card_request_lookup_client", client_address(request), now, ctx.settings.limits
        )
        limits.hit(db, "card_request_lookup_target", tracking, now, ctx.settings.limits)
        row = db.scalar(select(m.CardRequest).where(m.CardRequest.tracking_number == tracking))
        if row is None:
            raise ApiError(404, Reason.TRACKING_UNKNOWN, "no card request has this number")
        return view(row)


def _file(
    db: Session,
    kiosk_id: str,
    card: m.Card,
    resident_id: int,
    kind: str,
    details: dict[str, object],
    key: str,
    digest: str,
    now: dt.datetime,
) -> tuple[m.CardRequest, bool]:
    """The request filed, with whether it is new: False when its twin, sent at the same
    moment, filed first (that one is the answer then)."""
    card.status_changed = now
    row = m.CardRequest(
        tracking_number=tracking_number("R", kiosk_id, key),
        resident_id=resident_id,
        card_id=card.id,
        kind=kind,
        status="submitted",
        created=now,
        updated=now,
        details={**details, "card_status_after": card.status},
        kiosk_id=kiosk_id,
        idempotency_key=key,
        request_hash=digest,
    )
    earlier = insert_once(db, row, kiosk_id, key, digest)
    return (row, True) if earlier is None else (earlier, False)


Body = TypeVar("Body", bound=BaseModel)
Details: TypeAlias = dict[str, object]
# What a request does to the card, given its body, the card, and the reissue or replacement
# still open for the card if any: the details the row keeps, or a refusal.
Change: TypeAlias = Callable[[Body, m.Card, m.CardRequest | None], Details]


def _card_request(path: str, kind: str) -> Callable[[Change[Body]], Change[Body]]:
    """Declare POST /card/{path} for the change that it makes to the card: the requests about
    the card's life are filed alike, exactly once, and differ only in that change. The route
    is named as the change, summed up by its docstring, and takes the body it is written for."""

    def declare(change: Change[Body]) -> Change[Body]:
        def submit(
            body: BaseModel,
            creds: Creds,
            ctx: Ctx,
            response: Response,
            key: IdemKey,
            grant: Grant = None,
        ) -> s.CardRequest:
            with ctx.db() as db:
                kiosk = check_kiosk(db, creds.kiosk, ctx)
                idem, digest, earlier = submission(db, m.CardRequest, kiosk.id, key, kind, body)
                if earlier is not None:
                    return view(repeated(response, earlier))
                resident_id = submitter(db, ctx, creds, idem, grant, scopes=CARD_LIFE)
                card = current_card(db, resident_id)
                pending = db.scalar(
                    select(m.CardRequest).where(
                        m.CardRequest.card_id == card.id,
                        m.CardRequest.kind.in_(("reissue", "replacement")),
                    )
                )
                details = change(body, card, pending)  # type: ignore[arg-type]
                now = utcnow()
                row, new = _file(db, kiosk.id, card, resident_id, kind, details, idem, digest, now)
                return view(row, now) if new else view(repeated(response, row))

        # FastAPI reads the body's model from the endpoint's annotation: the change's own.
        submit.__annotations__["body"] = get_type_hints(change)["body"]
        router.add_api_route(
            path,
            submit,
            methods=["POST"],
            status_code=201,
            response_model=s.CardRequest,
            responses=SUBMIT_REFUSALS,
            summary=change.__doc__,
            name=change.__name__,
        )
        return change

    return declare


def _not_allowed(detail: str) -> ApiError:
    return ApiError(409, Reason.REQUEST_NOT_ALLOWED, detail)


@_card_request("/loss-report", "loss_report")
def report_loss(body: s.LossReport, card: m.Card, _pending: m.CardRequest | None) -> Details:
    """Report the card lost: temporarily (held) or formally"""
    action = CardAction.FORMAL_LOSS if body.kind == "formal" else CardAction.TEMPORARY_LOSS
    if not allows(card.status, action):
        raise _not_allowed(f"a card that is {card.status} cannot be reported {body.kind}ly lost")
    card.status = "lost" if body.kind == "formal" else "temporarily_lost"
    return {"loss": body.kind}


@_card_request("/loss-lifting", "loss_lifting")
def lift_loss(body: s.LossLifting, card: m.Card, pending: m.CardRequest | None) -> Details:
    """Lift a loss report: the card was found"""
    if not allows(card.status, CardAction.LOSS_LIFTING):
        raise _not_allowed("only a card reported temporarily lost can have the report lifted")
    if pending is not None and pending.kind == "reissue":
        raise _not_allowed("a new card is already being made for this loss")
    card.status = "normal"
    return {}


@_card_request("/reissue", "reissue")
def reissue(body: s.ReissueRequest, card: m.Card, pending: m.CardRequest | None) -> Details:
    """Ask for a new card in place of a lost one (补领)"""
    if not allows(card.status, CardAction.REISSUE):
        raise _not_allowed("report the card lost first; a reissue replaces a lost card")
    if pending is not None:
        raise _not_allowed("a new card is already being made")
    card.status = "lost"  # a reissue makes the loss formal: the old card stops for good
    return {"pickup": body.pickup}


@_card_request("/replacement", "replacement")
def replace(body: s.ReplacementRequest, card: m.Card, pending: m.CardRequest | None) -> Details:
    """Ask for a new card in exchange for this one (换领): damaged, expired, data changed"""
    if not allows(card.status, CardAction.REPLACEMENT):
        raise _not_allowed(f"a card that is {card.status} cannot be exchanged")
    if pending is not None:
        raise _not_allowed("a new card is already being made")
    return {"reason": body.reason, "pickup": body.pickup}


# --- a loss report without the card: by ID number and a code sent to the phone on record ------

CODE_DIGITS = 6
CODE_VALID = dt.timedelta(minutes=5)
CODE_TRIES = 5
# The rows go after a day (kiosk.server.retention); the limits on asking are in kiosk.server.limits.
_CODE_REFUSALS: dict[int | str, dict[str, Any]] = refusals(401, 403, 422, 429)
_CONFIRM_REFUSALS: dict[int | str, dict[str, Any]] = {
    **refusals(401, 409, 422, 429),
    **replayed(s.LossReported),
    403: {
        "model": s.ErrorAnswer,
        "description": "loss_code_wrong (try again), loss_code_expired (ask anew), kiosk_disabled",
    },
}


@router.post(
    "/loss-report/code",
    status_code=202,
    response_model=s.LossCodeSent,
    responses=_CODE_REFUSALS,
    summary="Send a one-time code to the phone on record, to report the card lost by ID number",
)
def request_loss_code(body: s.LossCodeRequest, creds: KioskCreds, ctx: Ctx) -> s.LossCodeSent:
    """The answer is the same whether or not the platform knows the ID number: a stranger at
    the kiosk learns nothing about who is insured. Only the phone on record gets the code.

    ID numbers are few enough to guess from a plain hash: rows and limits name them by a hash
    keyed with the database's own secret, the same in every server process (Art. 12)."""
    with ctx.db() as db:
        kiosk = check_kiosk(db, creds, ctx)
        id_number = body.id_number.upper()
        id_key = keyed(db, f"id:{id_number}")
        now = utcnow()
        limits.hit(db, "loss_code_kiosk", kiosk.id, now, ctx.settings.limits)
        limits.hit(db, "loss_code_target", id_key, now, ctx.settings.limits)
        resident = db.scalar(select(m.Resident).where(m.Resident.ssn == id_number))
        request_id = secrets.token_hex(16)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        expires = now + CODE_VALID
        db.add(
            m.LossCode(
                request_id=request_id,
                ssn_hash=id_key,
                resident_id=resident.id if resident is not None else None,
                kiosk_id=kiosk.id,
                code_hash=keyed(db, f"code:{request_id}:{code}"),
                created=now,
                expires=expires,
                attempts=0,
                used=False,
            )
        )
        db.commit()
        if resident is not None and resident.phone:
            ctx.phone.send_code(resident.phone, code, expires)
        return s.LossCodeSent(
            request_id=request_id,
            expires_in_s=int(CODE_VALID.total_seconds()),
            digits=CODE_DIGITS,
        )


def _code_expired() -> ApiError:
    return ApiError(
        403, Reason.LOSS_CODE_EXPIRED, "the code has expired or was used; ask for a new one"
    )


@router.post(
    "/loss-report/by-code",
    status_code=201,
    response_model=s.LossReported,
    responses=_CONFIRM_REFUSALS,
    summary="With the code from the phone, report the card temporarily lost (no card needed)",
)
def report_loss_by_code(
    body: s.LossByCode, creds: KioskCreds, ctx: Ctx, response: Response, key: IdemKey
) -> s.LossReported:
    """A temporary loss report (Art. 2): the card stops at once; lifting it or a reissue
    follows with the card and PIN, or by e-code, or at a service hall.

    Each answer spends one of the code's tries by one conditional UPDATE before it is
    compared, so answers sent at once, to any number of server processes, get CODE_TRIES
    comparisons in all; the right code is then spent by another, so it files once."""
    with ctx.db() as db:
        kiosk = check_kiosk(db, creds, ctx)
        idem, digest, earlier = submission(
            db, m.CardRequest, kiosk.id, key, "loss_report_by_code", body
        )
        if earlier is not None:
            return _reported(db, repeated(response, earlier))
        now = utcnow()
        limits.hit(db, "loss_confirm_kiosk", kiosk.id, now, ctx.settings.limits)
        code = m.LossCode
        tried = db.execute(
            update(code)
            .where(
                code.request_id == body.request_id,
                code.kiosk_id == kiosk.id,
                code.used.is_(False),
                code.expires >= now,
                code.attempts < CODE_TRIES,
            )
            .values(attempts=code.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        db.commit()
        if tried.rowcount != 1:  # type: ignore[attr-defined]
            raise _code_expired()
        row = db.get(m.LossCode, body.request_id, populate_existing=True)
        assert row is not None
        right = same(row.code_hash, keyed(db, f"code:{body.request_id}:{body.code}"))
        if row.resident_id is None or not right:
            db.commit()
            raise ApiError(403, Reason.LOSS_CODE_WRONG, "this is not the code that was sent")
        spent = db.execute(
            update(code)
            .where(code.request_id == body.request_id, code.used.is_(False))
            .values(used=True)
            .execution_options(synchronize_session=False)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            db.rollback()
            # Its twin, sent at the same moment, spent the code and filed the report.
            earlier = replay(db, m.CardRequest, kiosk.id, idem, digest)
            if earlier is not None:
                return _reported(db, repeated(response, earlier))
            raise _code_expired()
        card = current_card(db, row.resident_id)
        if not allows(card.status, CardAction.TEMPORARY_LOSS):
            db.commit()
            raise _not_allowed(f"a card that is {card.status} cannot be reported temporarily lost")
        card.status = "temporarily_lost"
        details: dict[str, object] = {"loss": "temporary", "by": "id_number"}
        request, new = _file(
            db, kiosk.id, card, row.resident_id, "loss_report", details, idem, digest, now
        )
        return _reported(db, request, now) if new else _reported(db, repeated(response, request))


def _reported(db: Session, row: m.CardRequest, now: dt.datetime | None = None) -> s.LossReported:
    card = db.get(m.Card, row.card_id)
    resident = db.get(m.Resident, row.resident_id)
    assert card is not None and resident is not None
    return s.LossReported(
        request=view(row, now),
        holder_name_masked=mask_name(resident.name),
        card_number_masked=mask_number(card.number),
    )
