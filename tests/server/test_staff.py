"""Staff look-ups bound to a purpose and the resident's consent, the tamper-evident audit log,
replies, the fleet."""

from __future__ import annotations

import requests
from counter_support import (
    DEMO_A,
    DEMO_B,
    granted,
    lookup,
    post,
    resident_headers,
    staff_headers,
)
from live_platform import file_complaint
from sqlalchemy import select

from kiosk.server import models as m
from kiosk.server.testing import LivePlatform


def test_wrong_password(live: LivePlatform) -> None:
    for username in ("demo-counter", "nobody"):
        wrong = {"username": username, "password": "wrong"}
        answer = post(live, "/staff/sessions", wrong, live.headers)
        assert (answer.status_code, answer.json()["code"]) == (401, "staff_unauthenticated")


def test_lookup_shows_only_what_its_purpose_needs(live: LivePlatform) -> None:
    staff = staff_headers(live)
    resident = resident_headers(live, DEMO_A)
    card = lookup(live, staff, granted(live, staff, resident, "card_service")).json()
    assert card["name"] == "王秀英" and card["card"]["status"] == "normal"
    assert card["id_number"] == "4101**********0027"
    assert card["contributions"] is None and card["medical_balance_fen"] is None
    assert card["fields"] == ["name", "id_number_masked", "card"]
    money = lookup(live, staff, granted(live, staff, resident, "medical_inquiry")).json()
    assert money["medical_balance_fen"] is not None and money["card"] is None
    complaints = lookup(live, staff, granted(live, staff, resident, "complaint_handling")).json()
    assert complaints["complaints"] and complaints["card"] is None
    assert complaints["id_number"] is None


def test_the_whole_id_number_only_where_the_purpose_needs_it(live: LivePlatform) -> None:
    staff = staff_headers(live)
    resident = resident_headers(live, DEMO_A)
    reissue = lookup(live, staff, granted(live, staff, resident, "card_reissue")).json()
    assert reissue["id_number"] == "410102195203120027"
    for purpose in ("card_service", "contribution_inquiry", "certificate_service"):
        shown = lookup(live, staff, granted(live, staff, resident, purpose)).json()
        assert "*" in shown["id_number"], purpose


def test_every_lookup_is_audited_with_its_consent(live: LivePlatform) -> None:
    counter = staff_headers(live)
    resident = resident_headers(live, DEMO_B)
    consents = []
    for purpose in ("card_service", "contribution_inquiry"):
        consents.append(granted(live, counter, resident, purpose))
        assert lookup(live, counter, consents[-1]).status_code == 200
    refused = requests.get(f"{live.url}/v1/staff/audit", headers=counter, timeout=5)
    assert (refused.status_code, refused.json()["code"]) == (403, "staff_forbidden")
    auditor = staff_headers(live, "demo-auditor")
    log = requests.get(f"{live.url}/v1/staff/audit", headers=auditor, timeout=5).json()
    assert [e["purpose"] for e in log["entries"]] == ["contribution_inquiry", "card_service"]
    assert [e["consent_id"] for e in log["entries"]] == consents[::-1]
    assert log["entries"][0]["staff"] == "demo-counter"
    assert log["entries"][0]["kiosk_id"] == live.kiosk_id
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
    resident = resident_headers(live, DEMO_B)
    consent = granted(live, counter, resident, "card_service")
    lookup(live, counter, consent)
    lookup(live, counter, consent)
    with live.db() as db:
        newest = db.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id.desc())).first()
        db.delete(newest)
        db.commit()
    auditor = staff_headers(live, "demo-auditor")
    log = requests.get(f"{live.url}/v1/staff/audit", headers=auditor, timeout=5).json()
    assert log["chain_intact"] is False


def test_reply_to_a_complaint_reaches_its_status(live: LivePlatform) -> None:
    filed = file_complaint(
        live,
        live.headers,
        kind="suggestion",
        category="kiosk",
        subject="s",
        text="t",
        anonymous=True,
    )
    tracking = filed["tracking_number"]
    replied = requests.post(
        f"{live.url}/v1/staff/complaints/{tracking}/reply",
        json={"reply": "谢谢，已采纳。", "close": True},
        headers=staff_headers(live),
        timeout=5,
    )
    assert replied.status_code == 200
    # An anonymous suggestion has no filer to read the reply: the number shows the stage.
    status = requests.get(f"{live.url}/v1/complaints/{tracking}", headers=live.headers).json()
    assert (status["status"], status["reply"], status["subject"]) == ("closed", None, None)


def test_a_complaint_is_read_whole_only_in_its_filers_session(live: LivePlatform) -> None:
    filer = resident_headers(live, DEMO_A)
    filed = requests.post(
        f"{live.url}/v1/complaints",
        json={"kind": "complaint", "category": "service", "subject": "排队", "text": "太久"},
        headers=filer | {"Idempotency-Key": "f" * 24},
        timeout=5,
    ).json()
    tracking = filed["tracking_number"]
    requests.post(
        f"{live.url}/v1/staff/complaints/{tracking}/reply",
        json={"reply": "已改进排班。"},
        headers=staff_headers(live),
        timeout=5,
    )
    url = f"{live.url}/v1/complaints/{tracking}"
    own = requests.get(url, headers=filer, timeout=5).json()
    assert (own["subject"], own["reply"], own["shown_to_filer"]) == ("排队", "已改进排班。", True)
    someone_else = requests.get(url, headers=resident_headers(live, DEMO_B), timeout=5).json()
    by_number = requests.get(url, headers=live.headers, timeout=5).json()
    for stage in (someone_else, by_number):
        assert (stage["status"], stage["subject"], stage["reply"]) == ("replied", None, None)
        assert stage["shown_to_filer"] is False


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
