"""Staff at the counter: login, look-ups bound to a purpose, the audit log, complaint replies,
and the fleet's health.

A look-up needs the resident's consent: the member of staff asks for one purpose (POST
/staff/consents), the resident, signed in at the same counter's customer window, sees who asks
to see what and why and answers (kiosk.server.routes.consents), and the look-up names that
consent. The answer holds only what the purpose needs, identity numbers masked unless the
purpose needs them whole (Art. 13). Every look-up is written to the audit log, with the consent
behind it, before its answer leaves (Art. 18). Five wrong passwords in a row lock a staff
account for a while; a staff session ends after staff_idle_s without use (kiosk.server.auth).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.api_contract import API_PREFIX, Reason
from kiosk.server import audit, complaint_desk, limits, lockout, roles
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import StaffCredentials, aware, check_kiosk, check_staff, utcnow
from kiosk.server.context import Platform
from kiosk.server.errors import ApiError
from kiosk.server.routes import card as card_routes
from kiosk.server.routes import complaints as complaint_routes
from kiosk.server.routes.common import current_card, mask_id, mask_number, newest, refusals
from kiosk.server.routes.kiosks import HEARTBEAT_EVERY_S, answer_call
from kiosk.server.routes.params import Ctx, KioskCreds
from kiosk.server.routes.params import StaffCreds as Creds
from kiosk.server.routes.records import MEDICAL_ORDER, summary_of
from kiosk.server.routing import OneHopRoute
from kiosk.server.security import hash_password, hash_secret, new_token, verify_password

router = APIRouter(prefix=f"{API_PREFIX}/staff", tags=["staff"], route_class=OneHopRoute)

STAFF_REFUSALS = refusals(401, 403, 404, 422)
ASKING_REFUSALS = refusals(401, 403, 422)
F = TypeVar("F", bound=Callable[..., Any])

# What each purpose may see, in the order it is shown. Nothing else is read, so nothing else can
# leak (Art. 13). The identity number is masked except where the task is to check it against
# the resident's identity document (a new card is made out to that number).
PURPOSE_FIELDS: dict[str, list[str]] = {
    "card_service": ["name", "id_number_masked", "card"],
    "card_reissue": ["name", "id_number", "card"],
    "contribution_inquiry": ["name", "id_number_masked", "contributions"],
    "medical_inquiry": ["name", "id_number_masked", "medical_balance"],
    "certificate_service": ["name", "id_number_masked", "certificates"],
    "complaint_handling": ["name", "complaints"],
}
# A login attempt for an unknown user still pays for one hash, so timing does not tell
# which usernames exist.
_DUMMY_HASH = hash_password("not-a-password", salt=b"0123456789abcdef")


def _for_staff(
    method: str,
    path: str,
    summary: str,
    refused: dict[int | str, dict[str, Any]] = STAFF_REFUSALS,
    **more: Any,
) -> Callable[[F], F]:
    """A route of the counter's staff side, refused as a staff route is (or as `refused` says:
    signing in and asking for consent name nothing that could be missing)."""
    return router.api_route(path, methods=[method], responses=refused, summary=summary, **more)


def _staff_may(db: Session, creds: StaffCredentials, ctx: Platform, action: str) -> m.Staff:
    """The signed-in member of staff, if their role allows the action; refused otherwise."""
    staff = check_staff(db, creds, ctx)
    roles.require(staff, action)
    return staff


def check_password(
    db: Session, username: str, password: str, ctx: Platform, *, place: str
) -> m.Staff:
    """The account for these credentials, or the refusal: the one lock-out and the one rate
    limit of the API's sign-in and the staff console's alike (place: the kiosk, or the
    console). A disabled account answers as a wrong password does."""
    now = utcnow()
    settings = ctx.settings
    guard = lockout.account_key(db, username)
    limits.hit(db, "staff_login_kiosk", place, now, settings.limits)
    limits.hit(db, "staff_login_account", guard, now, settings.limits)
    reserved = lockout.reserve(
        db,
        guard,
        now,
        max_failures=settings.staff_max_failed_logins,
        lockout_s=settings.staff_lockout_s,
    )
    staff = db.scalar(select(m.Staff).where(m.Staff.username == username))
    stored = staff.password_hash if staff is not None else _DUMMY_HASH
    if not verify_password(password, stored) or staff is None or staff.disabled:
        lockout.failed(db, guard, reserved, max_failures=settings.staff_max_failed_logins)
        raise ApiError(401, Reason.STAFF_UNAUTHENTICATED, "wrong username or password")
    lockout.succeeded(db, guard, now)
    return staff


def open_staff_session(db: Session, staff: m.Staff, *, place: str) -> str:
    """A staff session bound to its place (a counter's kiosk id, or the console); the token,
    which only the caller sees: the platform keeps its hash."""
    token = new_token()
    now = utcnow()
    db.add(
        m.StaffSession(
            token_hash=hash_secret(token),
            staff_id=staff.id,
            kiosk_id=place,
            opened=now,
            last_seen=now,
            closed=False,
        )
    )
    db.commit()
    return token


@_for_staff(
    "POST",
    "/sessions",
    "Staff login at a counter console; five wrong passwords in a row lock the account",
    ASKING_REFUSALS,
    status_code=201,
    response_model=s.StaffSessionOpened,
)
def login(body: s.StaffLogin, creds: KioskCreds, ctx: Ctx) -> s.StaffSessionOpened:
    with ctx.db() as db:
        kiosk = check_kiosk(db, creds, ctx)
        staff = check_password(db, body.username, body.password, ctx, place=kiosk.id)
        token = open_staff_session(db, staff, place=kiosk.id)
        return s.StaffSessionOpened(
            token=token,
            name=staff.name,
            role=staff.role,  # type: ignore[arg-type]
            expires_in_s=ctx.settings.staff_idle_s,
        )


@router.delete("/sessions/current", status_code=204, responses=refusals(401, 403))
def logout(creds: Creds, ctx: Ctx) -> Response:
    with ctx.db() as db:
        check_kiosk(db, creds.kiosk, ctx)
        if not creds.token:
            raise ApiError(401, Reason.STAFF_UNAUTHENTICATED, "X-Staff-Token is missing")
        # Bound to its kiosk: one counter cannot end another counter's staff session.
        session = db.get(m.StaffSession, hash_secret(creds.token))
        if session is not None and not session.closed and session.kiosk_id == creds.kiosk.kiosk_id:
            session.closed = True
            db.commit()
    return Response(status_code=204)


def consent_status(consent: m.Consent, now: dt.datetime) -> str:
    if consent.status in ("pending", "granted") and aware(consent.expires) <= now:
        return "expired"
    return consent.status


def consent_view(db: Session, consent: m.Consent) -> s.ConsentView:
    staff = db.get(m.Staff, consent.staff_id)
    return s.ConsentView(
        id=consent.id,
        purpose=consent.purpose,  # type: ignore[arg-type]
        fields=PURPOSE_FIELDS[consent.purpose],
        status=consent_status(consent, utcnow()),  # type: ignore[arg-type]
        staff_name=staff.name if staff is not None else "",
        staff_username=staff.username if staff is not None else "",
        asked=aware(consent.asked),
        expires=aware(consent.expires),
    )


@_for_staff(
    "POST",
    "/consents",
    "Ask the resident at this counter for consent to look them up for one purpose",
    ASKING_REFUSALS,
    status_code=201,
    response_model=s.ConsentView,
)
def ask_consent(body: s.ConsentRequest, creds: Creds, ctx: Ctx) -> s.ConsentView:
    with ctx.db() as db:
        staff = _staff_may(db, creds, ctx, "ask_consent")
        now = utcnow()
        consent = m.Consent(
            id=secrets.token_hex(16),
            kiosk_id=creds.kiosk.kiosk_id or "",
            staff_id=staff.id,
            purpose=body.purpose,
            status="pending",
            asked=now,
            answered=None,
            expires=now + dt.timedelta(seconds=ctx.settings.consent_ttl_s),
            resident_id=None,
            session_hash="",
        )
        db.add(consent)
        db.commit()
        return consent_view(db, consent)


@_for_staff(
    "GET",
    "/consents/{consent_id}",
    "Whether the resident has answered a consent request",
    response_model=s.ConsentView,
)
def consent_state(
    consent_id: Annotated[str, Path(min_length=1, max_length=32)], creds: Creds, ctx: Ctx
) -> s.ConsentView:
    with ctx.db() as db:
        staff = _staff_may(db, creds, ctx, "consent_state")
        return consent_view(db, _own_consent(db, consent_id, staff, creds))


def _own_consent(
    db: Session, consent_id: str, staff: m.Staff, creds: StaffCredentials
) -> m.Consent:
    """A consent asked by this member of staff at this counter; anyone else's does not exist."""
    consent = db.get(m.Consent, consent_id)
    if consent is None or consent.staff_id != staff.id or consent.kiosk_id != creds.kiosk.kiosk_id:
        raise ApiError(404, Reason.CONSENT_UNKNOWN, "no consent with this id at this counter")
    return consent


@_for_staff(
    "POST",
    "/lookups",
    "Look up the consenting resident for the consent's purpose; written to the audit log",
    response_model=s.LookupResult,
)
def lookup(body: s.Lookup, creds: Creds, ctx: Ctx) -> s.LookupResult:
    with ctx.db() as db:
        staff = _staff_may(db, creds, ctx, "lookup")
        consent = _own_consent(db, body.consent_id, staff, creds)
        now = utcnow()
        if consent_status(consent, now) != "granted" or consent.resident_id is None:
            raise ApiError(
                403, Reason.CONSENT_NOT_GRANTED, "the resident has not granted this consent"
            )
        # The consent ends with the resident's session: a resident who has left is not looked up.
        answered_in = db.get(m.ResidentSession, consent.session_hash)
        if (
            answered_in is None
            or answered_in.closed
            or (now - aware(answered_in.last_seen)).total_seconds() > ctx.settings.session_idle_s
        ):
            raise ApiError(
                403, Reason.CONSENT_NOT_GRANTED, "the resident's session at this counter has ended"
            )
        resident = db.get(m.Resident, consent.resident_id)
        if resident is None:  # pragma: no cover - a foreign key keeps it
            raise ApiError(404, Reason.RESIDENT_UNKNOWN, "no resident matches")
        purpose = consent.purpose
        fields = PURPOSE_FIELDS[purpose]
        entry = audit.append(
            db,
            staff_id=staff.id,
            kiosk_id=creds.kiosk.kiosk_id or "",
            resident_id=resident.id,
            purpose=purpose,
            fields=fields,
            consent_id=consent.id,
        )
        result = s.LookupResult(
            audit_id=entry.id,
            purpose=purpose,  # type: ignore[arg-type]
            fields=fields,
            name=resident.name,
        )
        if "id_number" in fields:
            result.id_number = resident.ssn
        elif "id_number_masked" in fields:
            result.id_number = mask_id(resident.ssn)
        if "card" in fields:
            card = current_card(db, resident.id)
            requests = card_routes.requests_of(db, resident.id)
            result.card = s.LookupCard(
                number_masked=mask_number(card.number),
                status=card.status,  # type: ignore[arg-type]
                financial_account_active=card.financial_account_active,
                expires=card.expires,
                requests=[card_routes.view(r) for r in requests],
            )
        if "contributions" in fields:
            result.contributions = summary_of(db, resident.id)
        if "medical_balance" in fields:
            last = newest(db, m.MedicalTransaction, resident.id, *MEDICAL_ORDER, limit=1)
            result.medical_balance_fen = last[0].balance_fen if last else 0
        if "certificates" in fields:
            rows_cert = newest(
                db, m.Certificate, resident.id, m.Certificate.issued.desc(), limit=20
            )
            result.certificates = [
                s.LookupCertificate(
                    code=c.code, kind=c.kind, issued=aware(c.issued), valid_until=c.valid_until
                )
                for c in rows_cert
            ]
        if "complaints" in fields:
            rows_c = newest(db, m.Complaint, resident.id, m.Complaint.created.desc(), limit=50)
            result.complaints = [complaint_routes.view(r) for r in rows_c]
        return result


def _entry_view(r: m.AuditEntry, names: dict[int, str]) -> s.AuditEntry:
    return s.AuditEntry(
        id=r.id,
        at=aware(r.at),
        staff=names.get(r.staff_id, "?"),
        kiosk_id=r.kiosk_id,
        # An opaque reference (Art. 13): who was looked up is for the platform to resolve.
        resident_ref=f"R{r.resident_id:07d}" if r.resident_id is not None else "",
        purpose=r.purpose,  # type: ignore[arg-type]
        fields=r.fields.split(",") if r.fields else [],
        consent_id=r.consent_id or "",
        hash=r.hash,
        prev_hash=r.prev_hash,
    )


@_for_staff(
    "GET",
    "/audit",
    "The look-up log, newest first, and whether its hash chain is intact",
    response_model=s.AuditLog,
)
def audit_log(
    creds: Creds,
    ctx: Ctx,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> s.AuditLog:
    with ctx.db() as db:
        _staff_may(db, creds, ctx, "audit_log")
        names = {row.id: row.username for row in db.scalars(select(m.Staff))}
        rows = db.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id.desc()).limit(limit)).all()
        return s.AuditLog(
            entries=[_entry_view(r, names) for r in rows], chain_intact=audit.intact(db)
        )


@_for_staff(
    "GET",
    "/audit/export",
    "A supervisor's export of one period of the look-up log, with the chain's check",
    response_model=s.AuditExport,
)
def audit_export(
    creds: Creds,
    ctx: Ctx,
    since: Annotated[dt.datetime, Query(description="from this moment (ISO 8601; UTC if bare)")],
    until: Annotated[
        dt.datetime,
        Query(description="up to, not including, this moment (given before `since`: swapped)"),
    ],
) -> s.AuditExport:
    since, until = sorted((aware(since), aware(until)))  # a period given backwards, in order
    with ctx.db() as db:
        _staff_may(db, creds, ctx, "audit_export")
        return export_of(db, since, until)


def export_of(db: Session, since: dt.datetime, until: dt.datetime) -> s.AuditExport:
    """One period of the look-up log and the whole chain's check: the API's export and
    `kiosk audit-log export` alike."""
    names = {row.id: row.username for row in db.scalars(select(m.Staff))}
    entries = [_entry_view(r, names) for r in audit.between(db, since, until)]
    problem = audit.first_problem(db)
    return s.AuditExport(
        since=since,
        until=until,
        entries=entries,
        chain_intact=problem is None,
        first_problem=None
        if problem is None
        else s.AuditProblem(
            entry_id=problem.entry_id,
            problem=problem.kind,  # type: ignore[arg-type]
            detail=problem.detail,
        ),
    )


@_for_staff(
    "POST",
    "/complaints/{tracking}/reply",
    "The department's reply to a complaint, fed back to its author (Art. 16)",
    response_model=s.ComplaintView,
)
def reply(
    tracking: Annotated[str, Path(pattern=complaint_routes.TRACKING_PATTERN)],
    body: s.ComplaintReply,
    creds: Creds,
    ctx: Ctx,
) -> s.ComplaintView:
    with ctx.db() as db:
        staff = _staff_may(db, creds, ctx, "reply")
        row = complaint_routes.by_number(db, tracking)
        try:
            complaint_desk.reply(
                db,
                staff,
                row,
                body.reply,
                where=creds.kiosk.kiosk_id or "",
                close=body.close,
                now=utcnow(),
            )
        except complaint_desk.Refused as refusal:
            raise ApiError(403, Reason.STAFF_FORBIDDEN, str(refusal)) from None
        return complaint_routes.view(row)


@_for_staff(
    "GET",
    "/kiosks",
    "The fleet: each kiosk's last heartbeat and device health",
    response_model=s.Fleet,
)
def fleet(creds: Creds, ctx: Ctx) -> s.Fleet:
    with ctx.db() as db:
        _staff_may(db, creds, ctx, "fleet")
        now = utcnow()
        kiosks = []
        for kiosk in db.scalars(select(m.Kiosk).order_by(m.Kiosk.id)):
            last = aware(kiosk.last_heartbeat) if kiosk.last_heartbeat else None
            kiosks.append(
                s.KioskStatus(
                    id=kiosk.id,
                    label=kiosk.label,
                    enabled=kiosk.enabled,
                    online=last is not None
                    and now - last < dt.timedelta(seconds=3 * HEARTBEAT_EVERY_S),
                    last_heartbeat=last,
                    health=s.Heartbeat.model_validate(kiosk.health) if kiosk.health else None,
                    assistance_requested=aware(kiosk.assistance_requested)
                    if kiosk.assistance_requested
                    else None,
                    assistance_screen=kiosk.assistance_screen or None,
                )
            )
        return s.Fleet(kiosks=kiosks)


@_for_staff(
    "DELETE",
    "/kiosks/{kiosk_id}/assistance",
    "A member of staff has gone to the resident who called",
    status_code=204,
)
def answer_assistance(
    kiosk_id: Annotated[str, Path(min_length=1, max_length=64)], creds: Creds, ctx: Ctx
) -> Response:
    with ctx.db() as db:
        staff = _staff_may(db, creds, ctx, "answer_assistance")
        kiosk = db.get(m.Kiosk, kiosk_id)
        if kiosk is None:
            raise ApiError(404, Reason.NOT_FOUND, "no kiosk has this id")
        answer_call(db, staff.id, kiosk)
    return Response(status_code=204)
