"""Staff look-ups bound to a purpose, the tamper-evident audit log, replies, the fleet."""

from __future__ import annotations

import requests
from sqlalchemy import select

from kiosk.server import models as m
from kiosk.server.testing import LivePlatform


def staff_headers(live: LivePlatform, username: str = "demo-counter") -> dict[str, str]:
    answer = requests.post(
        f"{live.url}/v1/staff/sessions",
        json={"username": username, "password": f"{username}-pass"},
        headers=live.headers,
        timeout=5,
    )
    assert answer.status_code == 201, answer.text
    return live.headers | {"X-Staff-Token": answer.json()["token"]}


def lookup(live: LivePlatform, headers: dict[str, str], **body: object) -> requests.Response:
    return requests.post(f"{live.url}/v1/staff/lookups", json=body, headers=headers, timeout=5)


def test_wrong_password(live: LivePlatform) -> None:
    for username in ("demo-counter", "nobody"):
        answer = requests.post(
            f"{live.url}/v1/staff/sessions",
            json={"username": username, "password": "wrong"},
            headers=live.headers,
            timeout=5,
        )
        assert (answer.status_code, answer.json()["code"]) == (401, "staff_unauthenticated")


def test_lookup_shows_only_what_its_purpose_needs(live: LivePlatform) -> None:
    headers = staff_headers(live)
    card = lookup(live, headers, purpose="card_service", card_number="A00000011").json()
    assert card["name"] == "王秀英" and card["card"]["status"] == "normal"
    assert card["contributions"] is None and card["medical_balance_fen"] is None
    money = lookup(live, headers, purpose="medical_inquiry", ssn="410102195203120027").json()
    assert money["medical_balance_fen"] is not None and money["card"] is None
    complaints = lookup(live, headers, purpose="complaint_handling", card_number="A00000011").json()
    assert complaints["complaints"] and complaints["card"] is None


def test_lookup_needs_a_purpose_and_exactly_one_key(live: LivePlatform) -> None:
    headers = staff_headers(live)
    assert lookup(live, headers, card_number="A00000011").status_code == 422
    both = lookup(
        live, headers, purpose="card_service", card_number="A00000011", ssn="410102195203120027"
    )
    assert (both.status_code, both.json()["code"]) == (422, "invalid_request")
    nobody = lookup(live, headers, purpose="card_service", card_number="Z99999999")
    assert (nobody.status_code, nobody.json()["code"]) == (404, "resident_unknown")


def test_every_lookup_is_audited_and_the_chain_shows_tampering(live: LivePlatform) -> None:
    counter = staff_headers(live)
    for purpose in ("card_service", "contribution_inquiry"):
        assert lookup(live, counter, purpose=purpose, card_number="B00000022").status_code == 200
    refused = requests.get(f"{live.url}/v1/staff/audit", headers=counter, timeout=5)
    assert (refused.status_code, refused.json()["code"]) == (403, "staff_forbidden")
    auditor = staff_headers(live, "demo-auditor")
    log = requests.get(f"{live.url}/v1/staff/audit", headers=auditor, timeout=5).json()
    assert [e["purpose"] for e in log["entries"]] == ["contribution_inquiry", "card_service"]
    assert log["entries"][0]["staff"] == "demo-counter"
    assert log["entries"][0]["prev_hash"] == log["entries"][1]["hash"]
    assert "李明" not in str(log)
    assert log["chain_intact"] is True
    with live.db() as db:
        first = db.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id)).first()
        assert first is not None
        first.purpose = "complaint_handling"  # someone covering their tracks
        db.commit()
    log = requests.get(f"{live.url}/v1/staff/audit", headers=auditor, timeout=5).json()
    assert log["chain_intact"] is False


def test_removing_the_newest_audit_entry_shows(live: LivePlatform) -> None:
    counter = staff_headers(live)
    lookup(live, counter, purpose="card_service", card_number="B00000022")
    lookup(live, counter, purpose="card_service", card_number="A00000011")
    with live.db() as db:
        newest = db.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id.desc())).first()
        db.delete(newest)
        db.commit()
    auditor = staff_headers(live, "demo-auditor")
    log = requests.get(f"{live.url}/v1/staff/audit", headers=auditor, timeout=5).json()
    assert log["chain_intact"] is False


def test_reply_to_a_complaint_reaches_its_status(live: LivePlatform) -> None:
    answer = requests.post(
        f"{live.url}/v1/complaints",
        json={
            "kind": "suggestion",
            "category": "kiosk",
            "subject": "s",
            "text": "t",
            "anonymous": True,
        },
        headers=live.headers | {"Idempotency-Key": "r" * 20},
        timeout=5,
    )
    tracking = answer.json()["tracking_number"]
    replied = requests.post(
        f"{live.url}/v1/staff/complaints/{tracking}/reply",
        json={"reply": "谢谢，已采纳。", "close": True},
        headers=staff_headers(live),
        timeout=5,
    )
    assert replied.status_code == 200
    status = requests.get(f"{live.url}/v1/complaints/{tracking}", headers=live.headers).json()
    assert (status["status"], status["reply"]) == ("closed", "谢谢，已采纳。")


def test_heartbeat_reaches_the_fleet_view(live: LivePlatform) -> None:
    beat = {
        "software_version": "0.1.0",
        "uptime_s": 12,
        "devices": {"printer": "fault"},
        "paper": "out",
        "outbox_pending": 2,
    }
    ack = requests.post(f"{live.url}/v1/kiosks/heartbeat", json=beat, headers=live.headers)
    assert ack.status_code == 200 and ack.json()["next_heartbeat_s"] == 60
    bad = requests.post(
        f"{live.url}/v1/kiosks/heartbeat", json=beat | {"uptime_s": -1}, headers=live.headers
    )
    assert bad.status_code == 422
    fleet = requests.get(
        f"{live.url}/v1/staff/kiosks", headers=staff_headers(live, "demo-supervisor")
    ).json()["kiosks"]
    mine = next(k for k in fleet if k["id"] == live.kiosk_id)
    assert mine["online"] is True and mine["health"]["devices"]["printer"] == "fault"


def test_staff_token_is_not_a_resident_token(live: LivePlatform) -> None:
    headers = staff_headers(live)
    token = headers["X-Staff-Token"]
    answer = requests.get(
        f"{live.url}/v1/records/medical",
        headers=live.headers | {"X-Session-Token": token},
        timeout=5,
    )
    assert answer.status_code == 401
