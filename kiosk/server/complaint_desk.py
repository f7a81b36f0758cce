"""What happens to a complaint on the city's side (Art. 16, 18): routed to a department with a
deadline when it arrives; answered, given more time once, or passed on by staff. Every one of
those staff actions is an entry in the hash-chained audit log, so shirking and delay (Art. 18
item 3) leave evidence. The API and the staff console both act through here.

The self-reply rule: nobody answers, extends or passes a complaint about their own conduct or
their own department's (kiosk.server.departments routes those to the supervisors).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.server import audit, departments
from kiosk.server import models as m
from kiosk.server.auth import aware

# Roles that answer complaints. A counter answers at the counter, as before the console.
ANSWERING_ROLES = frozenset({"department", "supervisor", "counter"})
OPEN_STATUSES = ("received", "in_progress")


class Refused(Exception):
    """The member of staff may not do this to this complaint; the text says why, in English."""


def route_new(db: Session, complaint: m.Complaint, *, idle_s: int, now: dt.datetime) -> None:
    """Give a complaint just filed its department, its deadline and whom it is about."""
    item_department = None
    if complaint.item:
        item = db.get(m.CatalogItem, complaint.item)
        if item is not None:
            item_department = item.department or departments.department_of_item(
                item.id, item.category
            )
    routed = departments.route(
        kind=complaint.kind, topic=complaint.category, item_department=item_department
    )
    complaint.department = routed.department
    complaint.about_department = routed.about_department
    complaint.due = departments.answer_due(now)
    if complaint.category == "staff" or complaint.kind == "report":
        # Filed at a counter's customer window while a member of staff was signed in at that
        # counter: it is about that member of staff, who must not be the one to answer it.
        session = db.scalar(
            select(m.StaffSession)
            .where(
                m.StaffSession.kiosk_id == complaint.kiosk_id,
                m.StaffSession.closed.is_(False),
                m.StaffSession.last_seen >= now - dt.timedelta(seconds=idle_s),
            )
            .order_by(m.StaffSession.last_seen.desc())
            .limit(1)
        )
        if session is not None:
            complaint.about_staff_id = session.staff_id


def may_see(staff: m.Staff, complaint: m.Complaint) -> bool:
    if staff.role in ("supervisor", "counter"):
        return True
    return staff.role == "department" and complaint.department == staff.department


def own(staff: m.Staff, complaint: m.Complaint) -> bool:
    """The complaint is about this member of staff, or about their department."""
    if complaint.about_staff_id is not None and complaint.about_staff_id == staff.id:
        return True
    return bool(staff.department) and staff.department == complaint.about_department


def _check(staff: m.Staff, complaint: m.Complaint) -> None:
    if staff.role not in ANSWERING_ROLES or not may_see(staff, complaint):
        raise Refused("this complaint is not for your department")
    if own(staff, complaint):
        raise Refused("this complaint is about you or your department: a supervisor answers it")


def _entry(
    db: Session,
    staff: m.Staff,
    complaint: m.Complaint,
    action: str,
    where: str,
    *fields: str,
) -> m.AuditEntry:
    return audit.append(
        db,
        staff_id=staff.id,
        kiosk_id=where,
        resident_id=complaint.resident_id,
        purpose=action,
        fields=[complaint.tracking_number, *fields],
    )


def text_digest(text: str) -> str:
    """Names a text in the audit log without putting it there (it may hold personal data):
    the same text later gives the same digest, a changed one does not."""
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def reply(
    db: Session,
    staff: m.Staff,
    complaint: m.Complaint,
    text: str,
    *,
    where: str,
    close: bool = False,
    now: dt.datetime,
) -> m.AuditEntry:
    """Answer the resident; they read it at the kiosk. Written and audited in one commit."""
    _check(staff, complaint)
    complaint.reply = text
    complaint.replied = now
    complaint.replied_by = staff.id
    complaint.status = "closed" if close else "replied"
    late = complaint.due is not None and now > aware(complaint.due)
    return _entry(
        db,
        staff,
        complaint,
        "complaint_reply",
        where,
        text_digest(text),
        "late" if late else "on_time",
    )


def extend(
    db: Session, staff: m.Staff, complaint: m.Complaint, reason: str, *, where: str
) -> m.AuditEntry:
    """More time, once, for a stated reason (Art. 16: promptly, but some cases need inquiry)."""
    _check(staff, complaint)
    if complaint.extended:
        raise Refused("this complaint has had its one extension")
    if complaint.status not in OPEN_STATUSES:
        raise Refused("this complaint is already answered")
    reason = reason.strip()
    if not reason:
        raise Refused("give the reason for more time")
    base = aware(complaint.due) if complaint.due is not None else dt.datetime.now(dt.UTC)
    complaint.due = departments.extended_due(base)
    complaint.extended = True
    complaint.extension_reason = reason
    complaint.status = "in_progress"
    return _entry(db, staff, complaint, "complaint_extend", where, text_digest(reason))


def pass_to(
    db: Session, staff: m.Staff, complaint: m.Complaint, department: str, *, where: str
) -> m.AuditEntry:
    """Hand a complaint to the department it belongs to. Its deadline stays: passing it on does
    not make the resident wait longer."""
    _check(staff, complaint)
    if department not in departments.DEPARTMENTS and department != departments.SUPERVISION:
        raise Refused("no such department")
    if department == complaint.department:
        raise Refused("the complaint is already with that department")
    if complaint.status not in OPEN_STATUSES:
        raise Refused("this complaint is already answered")
    before = complaint.department
    if department == complaint.about_department:
        # Passing a complaint to the department it is about would let it answer about itself.
        raise Refused("this complaint is about that department: a supervisor answers it")
    complaint.department = department
    return _entry(
        db, staff, complaint, "complaint_pass", where, f"from:{before}", f"to:{department}"
    )


@dataclass(frozen=True, slots=True)
class DepartmentCounts:
    department: str
    open: int
    overdue: int
    answered: int
    answered_late: int


def counts(db: Session, now: dt.datetime) -> list[DepartmentCounts]:
    """For the supervisors: per department, what is open, overdue, answered and answered late."""
    tally: dict[str, list[int]] = {}
    rows = db.execute(
        select(m.Complaint.department, m.Complaint.status, m.Complaint.due, m.Complaint.replied)
    ).all()
    for department, status, due, replied in rows:
        row = tally.setdefault(department or "", [0, 0, 0, 0])
        due_at = aware(due) if due is not None else None
        if status in OPEN_STATUSES:
            row[0] += 1
            if due_at is not None and now > due_at:
                row[1] += 1
        else:
            row[2] += 1
            if due_at is not None and replied is not None and aware(replied) > due_at:
                row[3] += 1
    return [DepartmentCounts(d, *v) for d, v in sorted(tally.items())]
