"""Rate limits on what a stranger could otherwise guess at machine speed: certificate codes,
tracking numbers, e-codes, one-time codes and staff passwords (Art. 12: the platform keeps
personal data safe from whoever tries).

Each limit is a fixed window counted in the database (table rate_limits), so every server
process and every replica behind the load balancer counts the same requests: one upsert that
adds one and answers the new count, atomic on SQLite and PostgreSQL alike. Over the limit, the
answer is 429 too_many_requests with Retry-After.

The numbers are chosen so that a real hall never meets them: a kiosk serves at most one
resident a minute or so, and a resident asks a handful of these at most. They are listed in
docs/platform.md ("Limits"), which a test keeps in step with this table.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, case
from sqlalchemy.sql.expression import Executable

from kiosk.api_contract import Reason
from kiosk.server import models as m
from kiosk.server.db import Database, dialect_name
from kiosk.server.errors import ApiError


@dataclass(frozen=True, slots=True)
class Rule:
    limit: int
    window_s: int
    # Who or what is counted, for the docs: a kiosk, a client address, an account, a target.
    per: str
    what: str


RULES: dict[str, Rule] = {
    "staff_login_account": Rule(20, 900, "account", "staff sign-in attempts"),
    "staff_login_kiosk": Rule(60, 900, "kiosk", "staff sign-in attempts"),
    "certificate_verify_client": Rule(60, 600, "client address", "certificate verifications"),
    "certificate_verify_target": Rule(30, 600, "certificate code", "verifications of one code"),
    "complaint_lookup_kiosk": Rule(60, 600, "kiosk", "complaint look-ups by tracking number"),
    "complaint_lookup_target": Rule(20, 600, "tracking number", "look-ups of one complaint"),
    "card_request_lookup_client": Rule(60, 600, "client address", "card request look-ups"),
    "card_request_lookup_target": Rule(30, 600, "tracking number", "look-ups of one request"),
    "ecode_signin_kiosk": Rule(60, 600, "kiosk", "e-code sign-ins"),
    "loss_code_target": Rule(3, 900, "ID number", "one-time codes asked"),
    "loss_code_kiosk": Rule(30, 900, "kiosk", "one-time codes asked"),
    "loss_confirm_kiosk": Rule(60, 900, "kiosk", "one-time code answers"),
}


def window_start(now: dt.datetime, window_s: int) -> dt.datetime:
    epoch = math.floor(now.timestamp() / window_s) * window_s
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def _upsert(dialect: str) -> Executable:
    table = m.RateLimit.__table__
    insert: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(
        bucket=bindparam("bucket"), window_start=bindparam("start"), count=1
    )
    newer = statement.excluded.window_start > table.c.window_start
    upsert: Executable = statement.on_conflict_do_update(
        index_elements=[table.c.bucket],
        set_={
            "count": case((newer, 1), else_=table.c.count + 1),
            "window_start": case(
                (newer, statement.excluded.window_start), else_=table.c.window_start
            ),
        },
    ).returning(table.c.count)
    return upsert


# Built once per dialect: every e-code sign-in counts here, and building the statement costs
# more than running it.
_UPSERTS = {dialect: _upsert(dialect) for dialect in ("postgresql", "sqlite")}


def count(db: Database, bucket: str, start: dt.datetime) -> int:
    """Add one to the bucket's window starting at `start` and answer the new count.

    A window newer than the stored one restarts the count; an older one (a process whose clock
    lags) counts into the stored window rather than resetting it.
    """
    statement = _UPSERTS["postgresql" if dialect_name(db) == "postgresql" else "sqlite"]
    value = db.execute(statement, {"bucket": bucket, "start": start}).scalar_one()
    db.commit()
    return int(value)


def hit(
    db: Database,
    rule_name: str,
    subject: str,
    now: dt.datetime,
    overrides: dict[str, Rule] | None = None,
) -> None:
    """Count one request against the rule for this subject; refuse with 429 over the limit.

    The count is committed at once, so a request that fails later still counts.
    """
    rule = (overrides or {}).get(rule_name) or RULES[rule_name]
    start = window_start(now, rule.window_s)
    bucket = f"{rule_name}:{subject}"[:160]
    if count(db, bucket, start) > rule.limit:
        retry = max(1, math.ceil((start - now).total_seconds() + rule.window_s))
        raise ApiError(
            429,
            Reason.TOO_MANY_REQUESTS,
            f"too many {rule.what} from this {rule.per}; try again in {retry} s",
            headers={"Retry-After": str(retry)},
        )
