"""A resident's records: contributions by insurance, medical account, pension, subsidies, card use.

Every query is bound to the session's resident (Art. 12, 13): the token decides whose records
are read, never a parameter from the kiosk.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Integer, Select, bindparam, case, func, select

from kiosk.api_contract import API_PREFIX
from kiosk.server import models as m
from kiosk.server import schemas as s
from kiosk.server.auth import ResidentCredentials, aware, resident_credentials
from kiosk.server.context import Platform, platform
from kiosk.server.db import Database
from kiosk.server.routes.common import RESIDENT_REFUSALS, newest, resident_session
from kiosk.server.routing import OneHopRoute

INSURANCES = ("pension", "medical", "unemployment", "work_injury", "maternity")

router = APIRouter(prefix=f"{API_PREFIX}/records", tags=["records"], route_class=OneHopRoute)

Creds = Annotated[ResidentCredentials, Depends(resident_credentials)]
Ctx = Annotated[Platform, Depends(platform)]
Limit = Annotated[int, Query(ge=1, le=5000, description="at most this many rows, newest first")]


_c = m.Contribution
_paid_only = case((_c.paid, 1), else_=0)
# The statements of a resident's visit are built once at import: building one (and its cache
# key) costs SQLAlchemy more than PostgreSQL takes to run it (see auth._SESSION_ROW).
_SUMMARY = (
    select(
        _c.insurance,
        func.sum(_paid_only),
        func.sum(1 - _paid_only),
        func.min(case((_c.paid, _c.month))),
        func.max(case((_c.paid, _c.month))),
        func.sum(case((_c.paid, _c.personal_fen), else_=0)),
    )
    .where(_c.resident_id == bindparam("resident"))
    .group_by(_c.insurance)
)
_LIMIT = bindparam("limit", type_=Integer)


def _months_query(by_insurance: bool, since: bool) -> Select[str, str, int, int, int, bool, str]:
    query = select(
        _c.month, _c.insurance, _c.base_fen, _c.personal_fen, _c.employer_fen, _c.paid, _c.employer
    ).where(_c.resident_id == bindparam("resident"))
    if by_insurance:
        query = query.where(_c.insurance == bindparam("insurance"))
    if since:
        query = query.where(_c.month >= bindparam("since"))
    return query.order_by(_c.month.desc(), _c.insurance.desc()).limit(_LIMIT)


_MONTHS = {(i, s): _months_query(i, s) for i in (False, True) for s in (False, True)}
# The medical account's latest movement first: its balance is the account's.
MEDICAL_ORDER = (m.MedicalTransaction.at.desc(), m.MedicalTransaction.id.desc())
_mt = m.MedicalTransaction
_MEDICAL = (
    select(_mt.at, _mt.kind, _mt.amount_fen, _mt.balance_fen, _mt.place)
    .where(_mt.resident_id == bindparam("resident"))
    .order_by(*MEDICAL_ORDER)
    .limit(_LIMIT)
)


def summary_of(db: Database, resident_id: int) -> list[s.InsuranceSummary]:
    """Per insurance, counted by the database: a working life is hundreds of rows."""
    rows = db.execute(_SUMMARY, {"resident": resident_id}).all()
    found = {row[0]: row for row in rows}
    summary = []
    for name in INSURANCES:
        row = found.get(name)
        summary.append(
            s.InsuranceSummary(
                insurance=name,  # type: ignore[arg-type]
                paid_months=int(row[1] or 0) if row else 0,
                unpaid_months=int(row[2] or 0) if row else 0,
                first_month=row[3] if row else None,
                last_month=row[4] if row else None,
                personal_total_fen=int(row[5] or 0) if row else 0,
            )
        )
    return summary


@router.get("/contributions", response_model=s.Contributions, responses=RESIDENT_REFUSALS)
def contributions(
    creds: Creds,
    ctx: Ctx,
    insurance: s.InsuranceName | None = None,
    since: Annotated[s.Month | None, Query(description="first month, YYYY-MM")] = None,
    limit: Limit = 600,
) -> s.Contributions:
    with ctx.rows() as db:
        session = resident_session(db, ctx, creds)
        summary = summary_of(db, session.resident_id)
        query = _MONTHS[(insurance is not None, since is not None)]
        values = {
            "resident": session.resident_id,
            "limit": limit,
            "insurance": insurance,
            "since": since,
        }
        rows = db.execute(query, values).all()
    return s.Contributions(
        summary=[x for x in summary if insurance is None or x.insurance == insurance],
        months=[
            s.ContributionMonth(
                month=r[0],
                insurance=r[1],  # type: ignore[arg-type]
                base_fen=r[2],
                personal_fen=r[3],
                employer_fen=r[4],
                paid=r[5],
                employer=r[6],
            )
            for r in rows
        ],
    )


@router.get("/medical", response_model=s.MedicalAccount, responses=RESIDENT_REFUSALS)
def medical(creds: Creds, ctx: Ctx, limit: Limit = 100) -> s.MedicalAccount:
    with ctx.rows() as db:
        session = resident_session(db, ctx, creds)
        rows = db.execute(_MEDICAL, {"resident": session.resident_id, "limit": limit}).all()
    return s.MedicalAccount(
        balance_fen=rows[0].balance_fen if rows else 0,
        transactions=[
            s.MedicalTransaction(
                at=aware(r.at),
                kind=r.kind,
                amount_fen=r.amount_fen,
                balance_fen=r.balance_fen,
                place=r.place,
            )
            for r in rows
        ],
    )


@router.get("/pension", response_model=s.Pension, responses=RESIDENT_REFUSALS)
def pension(creds: Creds, ctx: Ctx, limit: Limit = 120) -> s.Pension:
    with ctx.statements() as db:
        session = resident_session(db, ctx, creds)
        rows = newest(
            db, m.PensionPayment, session.resident_id, m.PensionPayment.month.desc(), limit=limit
        )
    return s.Pension(
        payments=[s.PensionPayment(month=r.month, amount_fen=r.amount_fen) for r in rows]
    )


@router.get("/subsidies", response_model=s.Subsidies, responses=RESIDENT_REFUSALS)
def subsidies(creds: Creds, ctx: Ctx, limit: Limit = 100) -> s.Subsidies:
    with ctx.statements() as db:
        session = resident_session(db, ctx, creds)
        rows = newest(db, m.Subsidy, session.resident_id, m.Subsidy.paid_on.desc(), limit=limit)
    return s.Subsidies(
        subsidies=[
            s.SubsidyPayment(
                paid_on=r.paid_on,
                program=s.LocalText(zh=r.program_zh, en=r.program_en),
                department=r.department,
                amount_fen=r.amount_fen,
            )
            for r in rows
        ]
    )


@router.get("/card-use", response_model=s.CardUses, responses=RESIDENT_REFUSALS)
def card_use(
    creds: Creds, ctx: Ctx, kind: s.CardUseKind | None = None, limit: Limit = 100
) -> s.CardUses:
    with ctx.statements() as db:
        session = resident_session(db, ctx, creds)
        only = [m.CardUse.kind == kind] if kind is not None else []
        rows = newest(
            db, m.CardUse, session.resident_id, m.CardUse.at.desc(), limit=limit, where=only
        )
    return s.CardUses(
        uses=[
            s.CardUse(at=aware(r.at), kind=r.kind, place=r.place, amount_fen=r.amount_fen)  # type: ignore[arg-type]
            for r in rows
        ]
    )
