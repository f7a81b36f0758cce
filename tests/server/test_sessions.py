"""Opening and closing resident sessions over real HTTP (Art. 2), and kiosk authentication."""

from __future__ import annotations

import datetime as dt

import pytest
import requests
from counter_support import DEMO_A, DEMO_B
from sqlalchemy import select

from kiosk.server import models as m
from kiosk.server.demo import demo_ecode
from kiosk.server.testing import LivePlatform


def open_card(live: LivePlatform, card: dict[str, str], **extra: object) -> requests.Response:
    body = {"method": "card", **card, "pin_verified_on_chip": True, **extra}
    return requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers, timeout=5)


def card_with_status(live: LivePlatform, status: str) -> dict[str, str]:
    with live.db() as db:
        card = db.scalars(select(m.Card).where(m.Card.status == status)).first()
        assert card is not None, f"the demo data has no {status} card"
        return {"card_identifier": card.identifier, "card_number": card.number}


def test_demo_card_a_opens_a_session_for_its_holder(live: LivePlatform) -> None:
    answer = open_card(live, DEMO_A)
    assert answer.status_code == 201
    body = answer.json()
    assert body["name"] == "王秀英"
    assert body["card_status"] == "normal"
    assert body["financial_account_active"] is True
    assert body["expires_in_s"] == 300
    assert len(body["token"]) >= 32


def test_demo_card_b_holder_is_working_without_financial_account(live: LivePlatform) -> None:
    body = open_card(live, DEMO_B).json()
    assert body["name"] == "李明"
    with live.db() as db:
        resident = db.scalars(select(m.Resident).where(m.Resident.name == "李明")).one()
        assert resident.employment == "working"
        assert resident.ssn == "410105198807160014"


def test_card_identifier_is_case_insensitive(live: LivePlatform) -> None:
    card = dict(DEMO_A, card_identifier=DEMO_A["card_identifier"].lower())
    assert open_card(live, card).status_code == 201


@pytest.mark.parametrize("status", ["lost", "temporarily_lost", "cancelled", "expired"])
def test_card_not_in_service_is_refused_with_its_status(live: LivePlatform, status: str) -> None:
    answer = open_card(live, card_with_status(live, status))
    assert answer.status_code == 403
    assert answer.json()["code"] == "card_not_in_service"
    assert answer.json()["card_status"] == status


def test_unknown_card_has_its_own_code(live: LivePlatform) -> None:
    answer = open_card(live, {"card_identifier": "0" * 32, "card_number": "Z99999999"})
    assert answer.status_code == 404
    assert answer.json()["code"] == "card_unknown"


def test_right_identifier_with_wrong_number_is_unknown(live: LivePlatform) -> None:
    answer = open_card(live, dict(DEMO_A, card_number="A00000012"))
    assert answer.status_code == 404
    assert answer.json()["code"] == "card_unknown"


def test_pin_must_be_proven_on_chip(live: LivePlatform) -> None:
    answer = open_card(live, DEMO_A, pin_verified_on_chip=False)
    assert answer.status_code == 422
    assert answer.json()["code"] == "pin_not_verified"


def open_ecode(live: LivePlatform, card_number: str) -> requests.Response:
    body = {"method": "ecode", "ecode": demo_ecode(card_number)}
    return requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers, timeout=5)


def test_ecode_opens_a_session_even_while_the_card_is_reported_lost(live: LivePlatform) -> None:
    lost = card_with_status(live, "temporarily_lost")
    answer = open_ecode(live, lost["card_number"])
    assert answer.status_code == 201
    assert answer.json()["card_status"] == "temporarily_lost"


def test_ecode_of_a_cancelled_card_is_refused(live: LivePlatform) -> None:
    cancelled = card_with_status(live, "cancelled")
    answer = open_ecode(live, cancelled["card_number"])
    assert answer.status_code == 403
    assert answer.json() | {"detail": ""} == {
        "code": "card_not_in_service",
        "detail": "",
        "card_status": "cancelled",
    }


def test_unknown_or_expired_ecode(live: LivePlatform) -> None:
    body = {"method": "ecode", "ecode": "NOT-A-REAL-ECODE"}
    answer = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers, timeout=5)
    assert (answer.status_code, answer.json()["code"]) == (404, "ecode_invalid")
    with live.db() as db:
        from kiosk.server.security import hash_secret

        db.add(
            m.ECode(
                code_hash=hash_secret("EXPIRED-ECODE-1"),
                resident_id=1,
                expires=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1),
            )
        )
        db.commit()
    body = {"method": "ecode", "ecode": "EXPIRED-ECODE-1"}
    answer = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers, timeout=5)
    assert (answer.status_code, answer.json()["code"]) == (404, "ecode_invalid")


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Kiosk-Id": "nobody", "X-Kiosk-Key": "x" * 20}, {"X-Kiosk-Id": "only-id"}],
)
def test_kiosk_must_authenticate(live: LivePlatform, headers: dict[str, str]) -> None:
    body = {"method": "card", **DEMO_A, "pin_verified_on_chip": True}
    answer = requests.post(f"{live.url}/v1/sessions", json=body, headers=headers, timeout=5)
    assert answer.status_code == 401
    assert answer.json()["code"] == "kiosk_unauthenticated"


def test_wrong_key_for_a_known_kiosk(live: LivePlatform) -> None:
    headers = {"X-Kiosk-Id": live.kiosk_id, "X-Kiosk-Key": live.kiosk_key + "x"}
    answer = requests.post(
        f"{live.url}/v1/sessions", json={"method": "ecode", "ecode": "x" * 8}, headers=headers
    )
    assert answer.json()["code"] == "kiosk_unauthenticated"


def test_disabled_kiosk_is_refused(live: LivePlatform) -> None:
    with live.db() as db:
        db.get(m.Kiosk, live.kiosk_id).enabled = False  # type: ignore[union-attr]
        db.commit()
    answer = open_card(live, DEMO_A)
    assert (answer.status_code, answer.json()["code"]) == (403, "kiosk_disabled")


def test_close_session_ends_it_and_is_idempotent(live: LivePlatform) -> None:
    token = open_card(live, DEMO_A).json()["token"]
    headers = live.headers | {"X-Session-Token": token}
    for _ in range(2):
        answer = requests.delete(f"{live.url}/v1/sessions/current", headers=headers, timeout=5)
        assert answer.status_code == 204
    with live.db() as db:
        assert db.scalars(select(m.ResidentSession)).one().closed is True


def test_tokens_are_stored_only_as_hashes(live: LivePlatform) -> None:
    token = open_card(live, DEMO_A).json()["token"]
    with live.db() as db:
        stored = db.scalars(select(m.ResidentSession.token_hash)).all()
    assert token not in stored and len(stored) == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"method": "card"},
        {"method": "card", **DEMO_A},
        {
            "method": "card",
            "card_identifier": "XYZ",
            "card_number": "A00000011",
            "pin_verified_on_chip": True,
        },
        {"method": "card", **DEMO_A, "pin_verified_on_chip": True, "extra": 1},
        {"method": "fingerprint"},
        {"method": "ecode", "ecode": "short"},
        {"method": "ecode", "ecode": "x" * 600},
        {"method": "ecode", "ecode": "含中文的电子码内容"},
        [],
        "text",
    ],
)
def test_bad_bodies_answer_422_with_a_reason(live: LivePlatform, body: object) -> None:
    answer = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers, timeout=5)
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_request"
    assert answer.json()["detail"]


def test_non_json_body_answers_422(live: LivePlatform) -> None:
    answer = requests.post(
        f"{live.url}/v1/sessions", data=b"\xff\x00garbage", headers=live.headers, timeout=5
    )
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_request"


def test_validation_errors_never_echo_the_input(live: LivePlatform) -> None:
    body = {"method": "card", "card_identifier": "410102195203120027XX", "card_number": "王秀英"}
    answer = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers, timeout=5)
    assert answer.status_code == 422
    assert "410102195203120027" not in answer.text
    assert "王秀英" not in answer.text.encode().decode("unicode_escape", errors="ignore")
    assert "王秀英" not in answer.text


def test_unknown_route_and_method(live: LivePlatform) -> None:
    assert requests.get(f"{live.url}/v1/nothing", timeout=5).json()["code"] == "not_found"
    answer = requests.put(f"{live.url}/v1/sessions", headers=live.headers, timeout=5)
    assert (answer.status_code, answer.json()["code"]) == (405, "method_not_allowed")


def test_an_oversized_body_is_refused_with_413(live: LivePlatform) -> None:
    body = {"method": "ecode", "ecode": "x" * 100_000}
    answer = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers, timeout=5)
    assert (answer.status_code, answer.json()["code"]) == (413, "payload_too_large")


def test_an_unknown_query_parameter_is_refused(live: LivePlatform) -> None:
    answer = requests.get(f"{live.url}/v1/catalog", params={"lang": "en"}, timeout=5)
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_request")
    assert answer.json()["problems"] == [{"where": "query.lang", "problem": "unknown parameter"}]
