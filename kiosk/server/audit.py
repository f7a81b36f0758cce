"""The look-up log (Art. 13, 18): every staff look-up and staff action (Art. 16), chained by
hashes so that an altered or removed entry shows.

Each entry's hash covers its content and the hash before it; the newest hash is also kept in
the meta table, so removing the last entries shows as well. `first_problem` walks the chain and
names the first entry that fails, for `kiosk audit-log verify` and the supervisors' export.

What the chain cannot show: someone with write access to the database who rewrites every hash
from the altered entry on, head included. An export kept elsewhere (its last hash) anchors
the log against that: the same entries later must give the same hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.server import models as m

GENESIS = "0" * 64
_HEAD = "audit_head"
# Where the newest hash is kept, for a verifier outside this module (the console's page).
HEAD_KEY = _HEAD


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
    if entry.consent_id:  # entries from before consents keep the hash they were written with
        content.append(entry.consent_id)
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def append(
    db: Session,
    *,
    staff_id: int,
    kiosk_id: str,
    resident_id: int | None,
    purpose: str,
    fields: list[str],
    consent_id: str = "",
) -> m.AuditEntry:
    """Write one entry and commit; the look-up's answer goes out only after this succeeded.

    Entries are appended one at a time across every server process: the transaction first
    writes the head row (made by the migration), which takes its row lock on PostgreSQL and the
    database's write lock on SQLite, and only then reads the head it links to. Two look-ups on
    two processes can therefore never link to the same head and fork the chain.
    """
    # Nothing read earlier in this session's transaction may stand: start afresh.
    db.commit()
    if db.get_bind().dialect.name == "sqlite":
        # The write lock first, before any snapshot is read (an immediate transaction).
        db.connection().exec_driver_sql("BEGIN IMMEDIATE")
    taken = db.execute(
        update(m.Meta)
        .where(m.Meta.key == _HEAD)
        .values(value=m.Meta.value)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        db.rollback()
        raise RuntimeError("the audit chain's head row is missing: run `kiosk server migrate`")
    head = db.scalar(select(m.Meta.value).where(m.Meta.key == _HEAD))
    assert head is not None
    entry = m.AuditEntry(
        at=dt.datetime.now(dt.UTC),
        staff_id=staff_id,
        kiosk_id=kiosk_id,
        resident_id=resident_id,
        purpose=purpose,
        fields=",".join(fields),
        prev_hash=head,
        hash="",
        consent_id=consent_id,
    )
    entry.hash = _digest(entry)
    db.add(entry)
    db.execute(
        update(m.Meta)
        .where(m.Meta.key == _HEAD)
        .values(value=entry.hash)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return entry


@dataclass(frozen=True, slots=True)
class Problem:
    """Where the chain first fails. entry_id None: the entries end before the recorded head."""

    entry_id: int | None
    kind: str  # altered, broken_link, missing_end
    detail: str


def first_problem(db: Session, *, batch: int = 1000) -> Problem | None:
    """The first entry, in id order, whose content or link does not hold; None if all hold.

    An edited entry no longer matches its own hash (altered); a removed or moved entry breaks
    the link of the entry after it (broken_link); removed newest entries leave the recorded head
    pointing past the end (missing_end).
    """
    previous = GENESIS
    last_id: int | None = None
    for entry in _in_order(db, batch):
        if _digest(entry) != entry.hash:
            return Problem(entry.id, "altered", "its content does not match its hash")
        if entry.prev_hash != previous:
            after = f"entry {last_id}" if last_id is not None else "the start of the log"
            return Problem(
                entry.id,
                "broken_link",
                f"it does not follow {after}: an entry between was removed, or entries moved",
            )
        previous, last_id = entry.hash, entry.id
    head = db.get(m.Meta, _HEAD)
    if (head.value if head is not None else GENESIS) != previous:
        after = f"entry {last_id}" if last_id is not None else "the start of the log"
        return Problem(None, "missing_end", f"entries after {after} were removed")
    return None


def _in_order(db: Session, batch: int) -> Iterator[m.AuditEntry]:
    """Every entry by id, a batch at a time, so a long log is not held in memory at once."""
    after = 0
    while True:
        query = select(m.AuditEntry).where(m.AuditEntry.id > after).order_by(m.AuditEntry.id)
        rows = db.scalars(query.limit(batch)).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id


def between(db: Session, since: dt.datetime, until: dt.datetime) -> list[m.AuditEntry]:
    """The entries written from `since` up to, not including, `until`, oldest first."""
    # In UTC: SQLite keeps the moments without their zone, and they were written in UTC.
    since, until = since.astimezone(dt.UTC), until.astimezone(dt.UTC)
    return list(
        db.scalars(
            select(m.AuditEntry)
            .where(m.AuditEntry.at >= since, m.AuditEntry.at < until)
            .order_by(m.AuditEntry.id)
        )
    )


def intact(db: Session) -> bool:
    return first_problem(db) is None
