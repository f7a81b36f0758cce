"""How long the platform keeps what it needs only for a while (Art. 12, 13), and the purge that
deletes it afterwards: inside every server process once an hour, or `kiosk server purge`.

The periods, also in docs/platform.md ("Retention"):
- a resident's session, once ended: 30 days after its last use (the consents and look-ups it
  answered keep their own record in the audit log);
- a staff session, once ended: 30 days after its last use;
- a one-time code for a loss report: 1 day after it was asked;
- a delivery grant: when it expires (7 days after it was given), used or not;
- a complaint's contact details (the phone number): 180 days after the department replied; the
  complaint and the reply stay, as the record of how it was handled (Art. 16);
- rate-limit windows and sign-in guards: 1 day after their last change, unless locked.

Each purge is a handful of DELETE/UPDATE statements on indexed moments: idempotent, so every
process may run it, and two at once do the same work twice at worst.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import Engine, delete, or_, update
from sqlalchemy.orm import Session

from kiosk.domain.privacy import COMPLAINT_CONTACT_DAYS, SESSION_RECORD_DAYS
from kiosk.server import models as m
from kiosk.server.db import sessions

log = logging.getLogger("kiosk.server.retention")

# The periods the kiosk's privacy notice promises residents (Art. 13), from one place.
SESSION_KEPT = dt.timedelta(days=SESSION_RECORD_DAYS)
STAFF_SESSION_KEPT = dt.timedelta(days=30)
LOSS_CODE_KEPT = dt.timedelta(days=1)
CONTACT_KEPT_AFTER_REPLY = dt.timedelta(days=COMPLAINT_CONTACT_DAYS)
COUNTERS_KEPT = dt.timedelta(days=1)
PURGE_EVERY_S = 3600


def purge(db: Session, now: dt.datetime) -> dict[str, int]:
    """Delete what has outlived its period; returns how many rows went, by kind."""
    gone: dict[str, int] = {}

    def run(kind: str, statement: object) -> None:
        result = db.execute(statement.execution_options(synchronize_session=False))  # type: ignore[attr-defined]
        gone[kind] = int(result.rowcount or 0)

    run(
        "resident_sessions",
        delete(m.ResidentSession).where(m.ResidentSession.last_seen < now - SESSION_KEPT),
    )
    run(
        "staff_sessions",
        delete(m.StaffSession).where(m.StaffSession.last_seen < now - STAFF_SESSION_KEPT),
    )
    run("loss_codes", delete(m.LossCode).where(m.LossCode.created < now - LOSS_CODE_KEPT))
    run("delivery_grants", delete(m.DeliveryGrant).where(m.DeliveryGrant.expires < now))
    run(
        "complaint_contacts",
        update(m.Complaint)
        .where(
            m.Complaint.contact.is_not(None),
            m.Complaint.replied.is_not(None),
            m.Complaint.replied < now - CONTACT_KEPT_AFTER_REPLY,
        )
        .values(contact=None),
    )
    run(
        "rate_limits",
        delete(m.RateLimit).where(m.RateLimit.window_start < now - COUNTERS_KEPT),
    )
    run(
        "login_guards",
        delete(m.LoginGuard).where(
            m.LoginGuard.updated < now - COUNTERS_KEPT,
            or_(m.LoginGuard.locked_until.is_(None), m.LoginGuard.locked_until < now),
        ),
    )
    db.commit()
    return gone


def purge_engine(engine: Engine, now: dt.datetime | None = None) -> dict[str, int]:
    with sessions(engine)() as db:
        gone = purge(db, now or dt.datetime.now(dt.UTC))
    if any(gone.values()):
        log.info("purged %s", ", ".join(f"{kind} {n}" for kind, n in gone.items() if n))
    return gone
