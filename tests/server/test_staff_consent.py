"""A look-up needs the resident's consent, at this counter, for that purpose (Art. 13)."""

from __future__ import annotations

import requests
from counter_support import (
    DEMO_A,
    DEMO_B,
    answer,
    ask,
    granted,
    lookup,
    post,
    resident_headers,
    staff_headers,
)
from live_platform import expire

from kiosk.server import models as m
from kiosk.server import service
from kiosk.server.testing import LivePlatform


def test_no_lookup_by_card_number_or_id_number_any_more(live: LivePlatform) -> None:
    staff = staff_headers(live)
    for body in (
        {"purpose": "card_service", "card_number": "A00000011"},
        {"purpose": "card_service", "ssn": "410102195203120027"},
    ):
        refused = requests.post(f"{live.url}/v1/staff/lookups", json=body, headers=staff, timeout=5)
        assert (refused.status_code, refused.json()["code"]) == (422, "invalid_request")


def test_the_resident_sees_who_asks_for_what(live: LivePlatform) -> None:
    staff = staff_headers(live)
    resident = resident_headers(live, DEMO_A)
    consent = ask(live, staff, "card_reissue")
    shown = requests.get(f"{live.url}/v1/consents/{consent['id']}", headers=resident, timeout=5)
    assert shown.status_code == 200
    view = shown.json()
    assert (view["staff_name"], view["staff_username"]) == ("演示柜员", "demo-counter")
    assert view["purpose"] == "card_reissue" and view["status"] == "pending"
    assert view["fields"] == ["name", "id_number", "card"]


def test_pending_and_refused_consents_open_nothing(live: LivePlatform) -> None:
    staff = staff_headers(live)
    resident = resident_headers(live, DEMO_A)
    consent = ask(live, staff, "card_service")
    pending = lookup(live, staff, str(consent["id"]))
    assert (pending.status_code, pending.json()["code"]) == (403, "consent_not_granted")
    refused = answer(live, resident, consent["id"], granted=False)
    assert refused.json()["status"] == "refused"
    after = lookup(live, staff, str(consent["id"]))
    assert (after.status_code, after.json()["code"]) == (403, "consent_not_granted")
    again = answer(live, resident, consent["id"], granted=True)
    assert (again.status_code, again.json()["code"]) == (409, "consent_answered")
    with live.db() as db:
        assert db.query(m.AuditEntry).count() == 0


def test_the_consent_belongs_to_this_counter_and_this_member_of_staff(
    live: LivePlatform,
) -> None:
    staff = staff_headers(live)
    resident = resident_headers(live, DEMO_A)
    consent = granted(live, staff, resident, "card_service")
    colleague = staff_headers(live, "demo-supervisor")
    other = lookup(live, colleague, consent)
    assert (other.status_code, other.json()["code"]) == (404, "consent_unknown")
    service.register_kiosk(live.engine, "counter-2", "another-counter-key-0123")
    elsewhere = live.headers | {
        "X-Kiosk-Id": "counter-2",
        "X-Kiosk-Key": "another-counter-key-0123",
    }
    counter = {"username": "demo-counter", "password": "demo-counter-pass"}
    login = post(live, "/staff/sessions", counter, elsewhere).json()
    away = lookup(live, elsewhere | {"X-Staff-Token": login["token"]}, consent)
    assert (away.status_code, away.json()["code"]) == (404, "consent_unknown")
    # A resident at another counter cannot answer this counter's request either.
    asked_here = ask(live, staff, "card_service")
    body = {"method": "card", **DEMO_B, "pin_verified_on_chip": True}
    there = post(live, "/sessions", body, elsewhere)
    other_resident = elsewhere | {"X-Session-Token": there.json()["token"]}
    assert answer(live, other_resident, asked_here["id"], granted=True).status_code == 404


def test_the_consent_ends_with_the_resident_session_and_in_time(live: LivePlatform) -> None:
    staff = staff_headers(live)
    resident = resident_headers(live, DEMO_A)
    consent = granted(live, staff, resident, "contribution_inquiry")
    assert lookup(live, staff, consent).status_code == 200
    requests.delete(f"{live.url}/v1/sessions/current", headers=resident, timeout=5)
    gone = lookup(live, staff, consent)
    assert (gone.status_code, gone.json()["code"]) == (403, "consent_not_granted")
    resident = resident_headers(live, DEMO_A)
    later = granted(live, staff, resident, "contribution_inquiry")
    expire(live, m.Consent, later)
    expired = lookup(live, staff, later)
    assert (expired.status_code, expired.json()["code"]) == (403, "consent_not_granted")
    state = requests.get(f"{live.url}/v1/staff/consents/{later}", headers=staff, timeout=5)
    assert state.json()["status"] == "expired"


def test_the_staff_console_sees_the_answer(live: LivePlatform) -> None:
    staff = staff_headers(live)
    resident = resident_headers(live, DEMO_A)
    consent = ask(live, staff, "complaint_handling")
    url = f"{live.url}/v1/staff/consents/{consent['id']}"
    assert requests.get(url, headers=staff, timeout=5).json()["status"] == "pending"
    answer(live, resident, consent["id"], granted=True)
    assert requests.get(url, headers=staff, timeout=5).json()["status"] == "granted"
