"""Staff accounts and the kiosks of the fleet, as the console's operators and the command line
(`kiosk staff`, `kiosk kiosk`) both make and disable them, each staff action in the audit log
(Art. 18). Nothing here loads the web stack: a command starts in the time the database takes,
not the two seconds FastAPI and the pages took to load."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.server import audit, departments
from kiosk.server import models as m
from kiosk.server.roles import ROLES
from kiosk.server.security import hash_password, hash_secret

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


class AccountProblem(ValueError):
    pass


def _problem_with(db: Session, username: str, role: str, department: str, password: str) -> str:
    """What is wrong with a new account, in a sentence; empty when nothing is."""
    if not USERNAME.match(username):
        return "a username is 3-64 lower-case letters, digits, '.', '_' or '-'"
    if role not in ROLES:
        return f"the role is one of {', '.join(ROLES)}"
    if (role == "department") != bool(department):
        return "a department account names its department, and only it"
    if department and department not in departments.DEPARTMENTS:
        return f"no department has the code {department!r}"
    if len(password) < 12 or len(password) > 128:
        return "a password is 12 to 128 characters"
    if db.scalar(select(m.Staff).where(m.Staff.username == username)) is not None:
        return f"the username {username} is taken"
    return ""


def add_staff(
    db: Session,
    *,
    by: int | None,
    username: str,
    role: str,
    department: str,
    password: str,
    name: str = "",
    where: str,
) -> m.Staff:
    """A new staff account that can sign in at once. by: who made it (None: the command line,
    whose operator has the database itself)."""
    problem = _problem_with(db, username, role, department, password)
    if problem:
        raise AccountProblem(problem)
    staff = m.Staff(
        username=username,
        password_hash=hash_password(password),
        name=name or username,
        role=role,
        department=department,
        demo=False,
        disabled=False,
    )
    db.add(staff)
    db.flush()
    made = [username, role, *([department] if department else [])]
    record(db, by if by is not None else staff.id, "staff_add", *made, where=where)
    return staff


def disable_staff(db: Session, *, by: int | None, staff: m.Staff, where: str) -> None:
    staff.disabled = True
    for session in db.scalars(
        select(m.StaffSession).where(
            m.StaffSession.staff_id == staff.id, m.StaffSession.closed.is_(False)
        )
    ):
        session.closed = True
    record(db, by if by is not None else staff.id, "staff_disable", staff.username, where=where)


def record(db: Session, staff_id: int, purpose: str, *fields: str, where: str) -> None:
    """A member of staff's action in the audit log: no resident is named by one (Art. 18)."""
    audit.append(
        db,
        staff_id=staff_id,
        kiosk_id=where,
        resident_id=None,
        purpose=purpose,
        fields=list(fields),
    )


KIOSK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def enroll_kiosk(db: Session, kiosk_id: str, place: str) -> str:
    """A new kiosk with a fresh key; the key is returned once, only its hash is kept."""
    key = secrets.token_urlsafe(24)
    db.add(m.Kiosk(id=kiosk_id, key_hash=hash_secret(key), label=place, enabled=True))
    db.flush()
    return key
