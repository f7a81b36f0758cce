"""Staff sign-in guards: wrong passwords in a row lock a user name for a while, counted in the
database so that every server process counts the same attempts.

An attempt is reserved before its password is checked, by one conditional UPDATE: a burst of
fifty wrong passwords sent at once therefore has at most `max_failures` of them checked; the
rest are refused as locked without a look at the password. The attempt that fills the count
locks the name at once, and lifts the lock itself if its password was right. Names the platform
does not know are guarded exactly like known ones, so the answers tell no one which exist.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, or_, update
from sqlalchemy.orm import Session

from kiosk.api_contract import Reason
from kiosk.server import models as m
from kiosk.server.errors import ApiError
from kiosk.server.security import keyed


def account_key(db: Session, username: str) -> str:
    return keyed(db, f"staff:{username.strip().lower()}")


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _insert_ignore(db: Session, key: str, now: dt.datetime) -> None:
    table = m.LoginGuard.__table__
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.execute(
        insert(table)
        .values(account_key=key, failures=0, locked_until=None, updated=now)
        .on_conflict_do_nothing(index_elements=[table.c.account_key])
    )


def locked(until: dt.datetime) -> ApiError:
    return ApiError(
        403,
        Reason.STAFF_LOCKED,
        "too many wrong passwords: this account is locked for a while",
        locked_until=_aware(until).isoformat(),
    )


def reserve(db: Session, key: str, now: dt.datetime, *, max_failures: int, lockout_s: int) -> int:
    """Count this attempt as a failure until it proves otherwise; raise while locked. Gives
    the attempt's place in the count, for failed()."""
    guard = m.LoginGuard
    _insert_ignore(db, key, now)
    expired = and_(guard.locked_until.is_not(None), guard.locked_until <= now)
    failures = case((expired, 1), else_=guard.failures + 1)
    until = now + dt.timedelta(seconds=lockout_s)
    result = db.execute(
        update(guard)
        .where(
            guard.account_key == key,
            or_(and_(guard.locked_until.is_(None), guard.failures < max_failures), expired),
        )
        .values(
            failures=failures,
            locked_until=case((failures >= max_failures, until), else_=None),
            updated=now,
        )
        .returning(guard.failures)
        .execution_options(synchronize_session=False)
    )
    place = result.scalar_one_or_none()
    db.commit()
    if place is not None:
        return int(place)
    row = db.get(m.LoginGuard, key, populate_existing=True)
    db.commit()
    raise locked(row.locked_until if row is not None and row.locked_until else until)


def succeeded(db: Session, key: str, now: dt.datetime) -> None:
    db.execute(
        update(m.LoginGuard)
        .where(m.LoginGuard.account_key == key)
        .values(failures=0, locked_until=None, updated=now)
        .execution_options(synchronize_session=False)
    )
    db.commit()


def failed(db: Session, key: str, place: int, *, max_failures: int) -> None:
    """The reserved attempt was wrong: it stays counted; if it filled the count, say locked."""
    if place < max_failures:
        return
    row = db.get(m.LoginGuard, key, populate_existing=True)
    db.commit()
    if row is not None and row.locked_until is not None:
        raise locked(row.locked_until)


def unlock(db: Session, username: str, now: dt.datetime) -> None:
    """For an operator (and the tests' fake clock): the name may try again at once."""
    succeeded(db, account_key(db, username), now)
