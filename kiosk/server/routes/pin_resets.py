"""A blocked PIN reset at a service counter (Art. 2): the card is the resident's, the identity
card proves the resident is its holder, and the chip takes a new PIN the resident types.

The platform never sees a PIN. It checks that the identity number staff typed from the identity
card is the card holder's, and writes both halves to the tamper-evident audit log (Art. 18): the
identity check, and then whether the chip took the new PIN. The reset id links the two entries
(kept in the entry's consent column: the resident at the counter with card and identity card is
the consent). A check that fails is written too, so repeated tries on one card show.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select

from kiosk.api_contract import API_PREFIX, Reason
from kiosk.server import audit, roles
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import aware, check_staff, utcnow
from kiosk.server.errors import ApiError
from kiosk.server.routes.common import mask_name, mask_number, refusals
from kiosk.server.routes.params import Ctx
from kiosk.server.routes.params import StaffCreds as Creds
from kiosk.server.routing import OneHopRoute

router = APIRouter(prefix=f"{API_PREFIX}/staff/pin-resets", tags=["staff"], route_class=OneHopRoute)


PURPOSE = "pin_reset"
CHECKED, MISMATCH, WRITTEN, NOT_WRITTEN = (
    "identity_checked",
    "identity_mismatch",
    "pin_written",
    "pin_not_written",
)
# The resident types the new PIN while staff wait: minutes, not hours.
RESET_TTL = dt.timedelta(minutes=15)


@router.post(
    "",
    status_code=201,
    response_model=s.PinResetTicket,
    responses=refusals(401, 403, 404, 422),
    summary="Staff checked the holder's identity card: allow a new PIN on this card (audited)",
)
def check_identity(body: s.PinResetCheck, creds: Creds, ctx: Ctx) -> s.PinResetTicket:
    with ctx.db() as db:
        staff = check_staff(db, creds, ctx)
        roles.require(staff, "check_identity")
        card = db.scalar(select(m.Card).where(m.Card.identifier == body.card_identifier.upper()))
        if card is None or card.number != body.card_number:
            raise ApiError(404, Reason.CARD_UNKNOWN, "the platform does not know this card")
        resident = db.get(m.Resident, card.resident_id)
        assert resident is not None  # a foreign key keeps it
        kiosk_id = creds.kiosk.kiosk_id or ""
        reset_id = secrets.token_hex(16)
        matches = secrets.compare_digest(resident.ssn.upper(), body.id_number.upper())
        audit.append(
            db,
            staff_id=staff.id,
            kiosk_id=kiosk_id,
            resident_id=resident.id,
            purpose=PURPOSE,
            fields=[CHECKED if matches else MISMATCH],
            consent_id=reset_id,
        )
        if not matches:
            raise ApiError(
                403, Reason.IDENTITY_MISMATCH, "the identity card is not the card holder's"
            )
        if card.status == "cancelled":
            raise ApiError(
                403,
                Reason.CARD_NOT_IN_SERVICE,
                "this card is cancelled",
                card_status=card.status,
            )
        return s.PinResetTicket(
            reset_id=reset_id,
            holder_name_masked=mask_name(resident.name),
            card_number_masked=mask_number(card.number),
        )


@router.post(
    "/{reset_id}",
    status_code=204,
    responses=refusals(401, 403, 404, 422),
    summary="Whether the card took the new PIN, for the audit log",
)
def outcome(
    reset_id: Annotated[str, Path(min_length=32, max_length=32, pattern=r"^[0-9a-f]{32}$")],
    body: s.PinResetOutcome,
    creds: Creds,
    ctx: Ctx,
) -> None:
    with ctx.db() as db:
        staff = check_staff(db, creds, ctx)
        roles.require(staff, "outcome")
        entries = db.scalars(
            select(m.AuditEntry).where(
                m.AuditEntry.consent_id == reset_id, m.AuditEntry.purpose == PURPOSE
            )
        ).all()
        checked = [e for e in entries if e.fields == CHECKED]
        done = [e for e in entries if e.fields in (WRITTEN, NOT_WRITTEN)]
        if (
            len(checked) != 1
            or done
            or checked[0].staff_id != staff.id
            or checked[0].kiosk_id != creds.kiosk.kiosk_id
            or utcnow() - aware(checked[0].at) > RESET_TTL
        ):
            raise ApiError(
                404, Reason.PIN_RESET_UNKNOWN, "no open PIN reset with this id at this counter"
            )
        audit.append(
            db,
            staff_id=staff.id,
            kiosk_id=checked[0].kiosk_id,
            resident_id=checked[0].resident_id,
            purpose=PURPOSE,
            fields=[WRITTEN if body.written else NOT_WRITTEN],
            consent_id=reset_id,
        )
