"""The client's records, certificates, card, complaint, staff and heartbeat calls, end to end."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from kiosk.backend.client import PlatformClient
from kiosk.domain.card import CardStatus
from kiosk.domain.complaints import ComplaintView
from kiosk.domain.errors import PlatformRejected
from kiosk.server.testing import LivePlatform

DEMO_A = ("410100D156000005A0000000000000A1", "A00000011")
DEMO_B = ("410100D156000005B0000000000000B2", "B00000022")


@pytest.fixture
def platform(live: LivePlatform, tmp_path: Path) -> PlatformClient:
    return PlatformClient(live.url, live.kiosk_id, live.kiosk_key, cache_dir=tmp_path)


def test_records_of_the_retired_holder(platform: PlatformClient) -> None:
    token = platform.open_session_by_card(*DEMO_A).token
    contributions = platform.contributions(token, insurance="pension")
    assert [s.insurance for s in contributions.summary] == ["pension"]
    assert all(c.insurance == "pension" for c in contributions.months)
    medical = platform.medical_account(token, limit=10)
    assert len(medical.transactions) == 10
    assert medical.balance_fen == medical.transactions[0].balance_fen
    assert len(platform.pension_payments(token)) >= 100
    assert platform.subsidies(token)
    uses = platform.card_uses(token, kind="metro")
    assert uses and {u.kind for u in uses} == {"metro"}


def test_certificate_round_trip(platform: PlatformClient) -> None:
    token = platform.open_session_by_card(*DEMO_B).token
    certificate = platform.issue_certificate(token)
    assert certificate.holder_name == "李明"
    assert "李明" not in repr(certificate)
    check = platform.verify_certificate(certificate.code)
    assert check.valid and check.insurances == certificate.insurances
    with pytest.raises(PlatformRejected) as caught:
        platform.verify_certificate("0000-0000-0000")
    assert caught.value.code == "certificate_unknown"
    with pytest.raises(PlatformRejected):
        platform.verify_certificate("../../v1/catalog")


def test_card_and_a_direct_submission(platform: PlatformClient) -> None:
    token = platform.open_session_by_card(*DEMO_B).token
    card = platform.card(token)
    assert card.status is CardStatus.NORMAL and not card.financial_account_active
    key = uuid.uuid4().hex
    request = platform.submit(
        "loss_report", {"kind": "temporary"}, idempotency_key=key, token=token
    )
    assert request.card_status is CardStatus.TEMPORARILY_LOST
    again = platform.submit("loss_report", {"kind": "temporary"}, idempotency_key=key, token=token)
    assert again == request
    assert platform.card_request(request.tracking_number) == request
    assert platform.card(token).status is CardStatus.TEMPORARILY_LOST


def test_complaints_of_the_resident(platform: PlatformClient) -> None:
    token = platform.open_session_by_card(*DEMO_A).token
    mine = platform.complaints(token)
    replied = [c for c in mine if c.reply]
    assert replied
    assert platform.complaint(replied[0].tracking_number, token) == replied[0]
    # By the number alone, only that it exists and its stage: not the subject, not the reply.
    stage = platform.complaint(replied[0].tracking_number)
    assert (stage.status, stage.subject, stage.reply) == (replied[0].status, None, None)


def test_staff_console_calls(platform: PlatformClient) -> None:
    counter = platform.staff_login("demo-counter", "demo-counter-pass")
    assert counter.role == "counter" and counter.token not in repr(counter)
    resident = platform.open_session_by_card(*DEMO_A).token
    asked = platform.ask_consent(counter.token, "card_service")
    shown = platform.consent_request(resident, asked.id)
    assert (shown.staff_username, shown.status) == ("demo-counter", "pending")
    assert platform.answer_consent(resident, asked.id, granted=True).status == "granted"
    assert platform.consent_state(counter.token, asked.id).status == "granted"
    result = platform.staff_lookup(counter.token, asked.id)
    assert result.card is not None and result.contributions is None
    assert result.id_number is not None and "*" in result.id_number
    assert "王秀英" not in repr(result)
    auditor = platform.staff_login("demo-auditor", "demo-auditor-pass")
    log = platform.audit_log(auditor.token)
    assert log.chain_intact and log.entries[0].id == result.audit_id
    complaint = platform.submit(
        "complaint",
        {"kind": "suggestion", "category": "other", "subject": "s", "text": "t", "anonymous": True},
        idempotency_key=uuid.uuid4().hex,
    )
    assert isinstance(complaint, ComplaintView)
    answered = platform.reply_to_complaint(counter.token, complaint.tracking_number, "好的")
    assert answered.status == "replied"
    platform.staff_logout(counter.token)
    with pytest.raises(PlatformRejected) as caught:
        platform.staff_lookup(counter.token, asked.id)
    assert caught.value.code == "staff_unauthenticated"


def test_heartbeat(platform: PlatformClient) -> None:
    assert (
        platform.heartbeat(
            software_version="0.1.0", uptime_s=5, devices={"card_reader": "ok"}, paper="ok"
        )
        == 60
    )
