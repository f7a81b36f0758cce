"""The platform on PostgreSQL (Debian's package): migrations, the session mix, exactly once
under concurrency, and the audit chain."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from counter_support import DEMO_A, DEMO_B, granted, lookup, resident_headers, staff_headers
from sqlalchemy import func, select

from kiosk.backend.client import PlatformClient
from kiosk.domain.errors import CardNotInService
from kiosk.server import models as m
from kiosk.server.db import make_engine
from kiosk.server.testing import LivePlatform

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_migrations_build_the_models_schema(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), m.Base.metadata) == []
    engine.dispose()


def test_sessions_records_and_refusals(live_postgres: LivePlatform, tmp_path: Path) -> None:
    client = PlatformClient(
        live_postgres.url, live_postgres.kiosk_id, live_postgres.kiosk_key, cache_dir=tmp_path
    )
    session = client.open_session_by_card(**DEMO_A)
    assert session.name == "王秀英" and session.financial_account_active
    assert client.catalog().item_count >= 40
    assert len(client.pension_payments(session.token)) >= 100
    assert client.contributions(session.token).summary
    certificate = client.issue_certificate(session.token)
    assert client.verify_certificate(certificate.code).valid
    with live_postgres.db() as db:
        lost = db.scalars(select(m.Card).where(m.Card.status == "lost")).first()
        assert lost is not None
        lost_card = (lost.identifier, lost.number)
    with pytest.raises(CardNotInService):
        client.open_session_by_card(*lost_card)
    client.close_session(session.token)


def test_the_same_submission_at_once_from_many_threads_is_filed_once(
    live_postgres: LivePlatform, tmp_path: Path
) -> None:
    client = PlatformClient(
        live_postgres.url, live_postgres.kiosk_id, live_postgres.kiosk_key, cache_dir=tmp_path
    )
    token = client.open_session_by_card(**DEMO_B).token
    key = uuid.uuid4().hex
    body = {"kind": "complaint", "category": "service", "subject": "并发", "text": "同时提交"}

    def send(_: int) -> str:
        answer = client.submit("complaint", body, idempotency_key=key, token=token)
        return answer.tracking_number

    with ThreadPoolExecutor(8) as pool:
        numbers = set(pool.map(send, range(16)))
    assert len(numbers) == 1
    with live_postgres.db() as db:
        assert (
            db.scalar(
                select(func.count())
                .select_from(m.Complaint)
                .where(m.Complaint.idempotency_key == key)
            )
            == 1
        )


def test_audit_chain_holds_under_concurrent_lookups(live_postgres: LivePlatform) -> None:
    counter = staff_headers(live_postgres)
    resident = resident_headers(live_postgres, DEMO_A)
    consent = granted(live_postgres, counter, resident, "card_service")

    def look(_: int) -> int:
        return lookup(live_postgres, counter, consent).status_code

    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(look, range(24))) == {200}
    log = requests.get(
        f"{live_postgres.url}/v1/staff/audit",
        params={"limit": 100},
        headers=staff_headers(live_postgres, "demo-auditor"),
        timeout=10,
    ).json()
    assert len(log["entries"]) == 24
    assert log["chain_intact"] is True
