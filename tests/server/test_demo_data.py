"""Demo data: fictional, marked, deterministic from a seed, and covering every kind of holder."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from kiosk.server import demo
from kiosk.server import models as m
from kiosk.server.testing import LivePlatform

AS_OF = dt.date(2025, 6, 30)


def seeded(seed: int) -> Session:
    engine = create_engine("sqlite://")
    m.Base.metadata.create_all(engine)
    session = Session(engine)
    demo.seed(session, seed=seed, as_of=AS_OF)
    session.commit()
    return session


def snapshot(session: Session) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for model in (m.Resident, m.Card, m.Contribution, m.MedicalTransaction, m.Subsidy, m.CardUse):
        columns = [c for c in model.__table__.columns if c.name not in ("status_changed",)]
        rows += [tuple(r) for r in session.execute(select(*columns)).all()]
    return rows


def test_same_seed_same_data_other_seed_other_data() -> None:
    assert snapshot(seeded(7)) == snapshot(seeded(7))
    assert snapshot(seeded(7)) != snapshot(seeded(8))


def test_residents_cover_every_kind_of_holder(live: LivePlatform) -> None:
    with live.db() as db:
        residents = db.scalars(select(m.Resident)).all()
        cards = db.scalars(select(m.Card)).all()
    assert len(residents) >= 20
    assert all(r.demo for r in residents)
    assert {r.employment for r in residents} >= {"working", "retired"}
    assert {r.registered_locally for r in residents} == {True, False}  # Art. 6
    assert {c.status for c in cards} == {
        "normal",
        "temporarily_lost",
        "lost",
        "cancelled",
        "expired",
    }
    assert {c.financial_account_active for c in cards} == {True, False}  # Art. 19
    ages = [2025 - r.birth_date.year for r in residents]
    assert min(ages) < 25 and max(ages) > 80


def test_every_id_number_has_a_valid_check_digit(live: LivePlatform) -> None:
    with live.db() as db:
        for ssn in db.scalars(select(m.Resident.ssn)):
            assert len(ssn) == 18 and demo.ssn_check_digit(ssn[:17]) == ssn[17]


def test_demo_cards_are_residents_with_the_same_identity(live: LivePlatform) -> None:
    folder = Path(demo.__file__).resolve().parents[1] / "assets" / "demo_cards"
    profiles = sorted(folder.glob("*.toml"))
    assert profiles
    with live.db() as db:
        for path in profiles:
            profile = tomllib.loads(path.read_text(encoding="utf-8"))
            card = db.scalars(
                select(m.Card).where(m.Card.identifier == profile["card"]["identifier"])
            ).one()
            resident = db.get(m.Resident, card.resident_id)
            assert resident is not None
            assert card.number == profile["card"]["number"]
            assert (resident.name, resident.ssn) == (
                profile["holder"]["name"],
                profile["holder"]["ssn"],
            )
            assert card.status == "normal"


def test_records_span_ten_years_with_gaps_and_card_use_of_every_kind(live: LivePlatform) -> None:
    with live.db() as db:
        span = Counter(
            r
            for (r,) in db.execute(
                select(m.Contribution.resident_id).where(m.Contribution.insurance == "pension")
            )
        )
        assert max(span.values()) >= 120
        assert db.scalar(select(func.count()).where(m.Contribution.paid.is_(False))) > 0
        kinds = set(db.scalars(select(m.CardUse.kind).distinct()))
        assert kinds == {"bus", "metro", "library", "museum", "hospital"}
        assert db.scalar(select(func.count()).select_from(m.Subsidy)) > 0
        assert db.scalar(select(func.count()).select_from(m.PensionPayment)) > 0
        assert db.scalar(select(m.Meta.value).where(m.Meta.key == "demo_seed")) == "2024"
