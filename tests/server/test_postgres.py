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
from sqlalchemy import func, select

from kiosk.backend.client import PlatformClient
from kiosk.domain.errors import CardNotInService
from kiosk.server import models as m
from kiosk.server.db import make_engine
from kiosk.server.testing import LivePlatform

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DEMO_A = ("410100D156000005A0000000000000A1", "A00000011")
DEMO_B = ("410100D156000005B0000000000000B2", "B00000022")


def test_migrations_build_the_models_schema(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), m.Base.metadata) == []
    engine.dispose()


def test_sessions_records_and_refusals(live_postgres: LivePlatform, tmp_path: Path) -> None:
    client = PlatformClient(
        live_postgres.url, live_postgres.kiosk_id, live_postgres.kiosk_key, cache_dir=tmp_path
    )
    session = client.open_session_by_card(*DEMO_A)
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
    token = client.open_session_by_card(*DEMO_B).token
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
    def login(username: str) -> dict[str, str]:
        answer = requests.post(
            f"{live_postgres.url}/v1/staff/sessions",
            json={"username": username, "password": f"{username}-pass"},
            headers=live_postgres.headers,
            timeout=10,
        )
        return live_postgres.headers | {"X-Staff-Token": answer.json()["token"]}

    counter = login("demo-counter")
    resident = requests.post(
        f"{live_postgres.url}/v1/sessions",
        json={
            "method": "card",
            "card_identifier": DEMO_A[0],
            "card_number": DEMO_A[1],
            "pin_verified_on_chip": True,
        },
        headers=live_postgres.headers,
        timeout=10,
    ).json()["token"]
    consent = requests.post(
        f"{live_postgres.url}/v1/staff/consents",
        json={"purpose": "card_service"},
        headers=counter,
        timeout=10,
    ).json()["id"]
    requests.post(
        f"{live_postgres.url}/v1/consents/{consent}/answer",
        json={"granted": True},
        headers=live_postgres.headers | {"X-Session-Token": resident},
        timeout=10,
    )

    def look(_: int) -> int:
        return requests.post(
            f"{live_postgres.url}/v1/staff/lookups",
            json={"consent_id": consent},
            headers=counter,
            timeout=10,
        ).status_code

    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(look, range(24))) == {200}
    log = requests.get(
        f"{live_postgres.url}/v1/staff/audit",
        params={"limit": 100},
        headers=login("demo-auditor"),
        timeout=10,
    ).json()
    assert len(log["entries"]) == 24
    assert log["chain_intact"] is True
