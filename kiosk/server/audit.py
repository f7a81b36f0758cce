"""The look-up log (Art. 13, 18): every staff look-up, chained by hashes so that an altered or
removed entry shows.

Each entry's hash covers its content and the hash before it; the newest hash is also kept in
the meta table, so removing the last entries shows as well.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.server import models as m

GENESIS = "0" * 64
_HEAD = "audit_head"
# One writer at a time within this process; the row lock below does it across processes.
_append_lock = threading.Lock()


def _digest(entry: m.AuditEntry) -> str:
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=dt.UTC)
    content = [
        at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        entry.staff_id,
        entry.kiosk_id,
        entry.resident_id,
        entry.purpose,
        entry.fields,
        entry.prev_hash,
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def append(
    db: Session, *, staff_id: int, kiosk_id: str, resident_id: int, purpose: str, fields: list[str]
) -> m.AuditEntry:
    """Write one entry and commit; the look-up's answer goes out only after this succeeded."""
    with _append_lock:
        head = db.scalar(select(m.Meta).where(m.Meta.key == _HEAD).with_for_update())
        if head is None:
            head = m.Meta(key=_HEAD, value=GENESIS)
            db.add(head)
        entry = m.AuditEntry(
            at=dt.datetime.now(dt.UTC),
            staff_id=staff_id,
            kiosk_id=kiosk_id,
            resident_id=resident_id,
            purpose=purpose,
            fields=",".join(fields),
            prev_hash=head.value,
            hash="",
        )
        entry.hash = _digest(entry)
        head.value = entry.hash
        db.add(entry)
        db.commit()
        return entry


def intact(db: Session) -> bool:
    previous = GENESIS
    for entry in db.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id)):
        if entry.prev_hash != previous or _digest(entry) != entry.hash:
            return False
        previous = entry.hash
    head = db.get(m.Meta, _HEAD)
    return (head.value if head is not None else GENESIS) == previous
