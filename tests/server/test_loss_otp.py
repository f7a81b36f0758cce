"""A loss report without the card (Art. 2): a one-time code to the phone on record, over HTTP.

Also the certificate's insurance and period, which the kiosk's certificate task asks for.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from counter_support import post
from live_platform import expire
from sqlalchemy import select

from kiosk.server import models as m
from kiosk.server.context import Settings
from kiosk.server.demo import demo_ecode
from kiosk.server.testing import LivePlatform

LI_MING_ID = "410105198807160014"  # demo card B: normal card
UNKNOWN_ID = "110101190001011237"


@pytest.fixture
def demo_live(tmp_path: Path, demo_template: Path) -> Iterator[LivePlatform]:
    with LivePlatform(
        tmp_path, template=demo_template, settings=Settings(demo_codes=True)
    ) as platform:
        yield platform


def ask(live: LivePlatform, id_number: str) -> requests.Response:
    return post(live, "/card/loss-report/code", {"id_number": id_number}, live.headers)


def confirm(live: LivePlatform, request_id: str, code: str, key: str = "") -> requests.Response:
    headers = {**live.headers, "Idempotency-Key": key or uuid.uuid4().hex}
    return post(
        live, "/card/loss-report/by-code", {"request_id": request_id, "code": code}, headers
    )


def demo_code(live: LivePlatform) -> requests.Response:
    return requests.get(f"{live.url}/v1/demo/loss-code", headers=live.headers, timeout=5)


def by_ecode(live: LivePlatform, card_number: str) -> dict[str, str]:
    """The headers of a resident signed in at the kiosk with that card's e-code."""
    session = post(
        live, "/sessions", {"method": "ecode", "ecode": demo_ecode(card_number)}, live.headers
    ).json()
    return {**live.headers, "X-Session-Token": session["token"]}


def card_status(live: LivePlatform, id_number: str) -> str:
    with live.db() as db:
        resident = db.scalars(select(m.Resident).where(m.Resident.ssn == id_number)).one()
        card = db.scalars(select(m.Card).where(m.Card.resident_id == resident.id)).one()
        return card.status


def test_the_code_reports_the_card_temporarily_lost_once(demo_live: LivePlatform) -> None:
    sent = ask(demo_live, LI_MING_ID)
    assert sent.status_code == 202
    body = sent.json()
    assert body["digits"] == 6 and body["expires_in_s"] == 300
    texted = demo_code(demo_live).json()
    assert texted["phone_masked"].startswith("139") and "****" in texted["phone_masked"]
    code = texted["code"]
    wrong = "000000" if code != "000000" else "111111"
    refused = confirm(demo_live, body["request_id"], wrong)
    assert refused.status_code == 403 and refused.json()["code"] == "loss_code_wrong"
    assert card_status(demo_live, LI_MING_ID) == "normal"
    key = uuid.uuid4().hex
    filed = confirm(demo_live, body["request_id"], code, key)
    assert filed.status_code == 201, filed.text
    report = filed.json()
    assert report["request"]["kind"] == "loss_report"
    assert report["request"]["card_status"] == "temporarily_lost"
    assert report["holder_name_masked"] == "李*"
    assert report["card_number_masked"] == "B0*****22"
    assert card_status(demo_live, LI_MING_ID) == "temporarily_lost"
    again = confirm(demo_live, body["request_id"], code, key)  # the kiosk retrying: same answer
    assert again.status_code == 200
    assert again.json()["request"]["tracking_number"] == report["request"]["tracking_number"]
    reused = confirm(demo_live, body["request_id"], code)  # a new submission with a used code
    assert reused.status_code == 403 and reused.json()["code"] == "loss_code_expired"
    # The platform shows the report: the resident's e-code session sees the card's new state.
    card = requests.get(
        f"{demo_live.url}/v1/card",
        headers=by_ecode(demo_live, "B00000022"),
        timeout=5,
    ).json()
    assert card["status"] == "temporarily_lost"
    assert card["requests"][0]["tracking_number"] == report["request"]["tracking_number"]
    # Whoever holds the slip follows it by its QR code, with no kiosk key.
    tracking = report["request"]["tracking_number"]
    progress = requests.get(f"{demo_live.url}/v1/card/requests/{tracking}", timeout=5)
    assert progress.status_code == 200 and progress.json()["kind"] == "loss_report"


def test_an_unknown_id_number_answers_like_a_known_one(demo_live: LivePlatform) -> None:
    known, unknown = ask(demo_live, LI_MING_ID), ask(demo_live, UNKNOWN_ID)
    assert known.status_code == unknown.status_code == 202
    assert set(known.json()) == set(unknown.json())
    assert {k: v for k, v in known.json().items() if k != "request_id"} == {
        k: v for k, v in unknown.json().items() if k != "request_id"
    }
    request_id = unknown.json()["request_id"]
    for _ in range(5):
        answer = confirm(demo_live, request_id, "123456")
        assert answer.json()["code"] == "loss_code_wrong"
    assert confirm(demo_live, request_id, "123456").json()["code"] == "loss_code_expired"


def test_five_wrong_codes_use_the_code_up(demo_live: LivePlatform) -> None:
    request_id = ask(demo_live, LI_MING_ID).json()["request_id"]
    code = demo_code(demo_live).json()["code"]
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert confirm(demo_live, request_id, wrong).json()["code"] == "loss_code_wrong"
    late = confirm(demo_live, request_id, code)
    assert late.status_code == 403 and late.json()["code"] == "loss_code_expired"
    assert card_status(demo_live, LI_MING_ID) == "normal"


def test_an_expired_code_is_refused(demo_live: LivePlatform) -> None:
    request_id = ask(demo_live, LI_MING_ID).json()["request_id"]
    code = demo_code(demo_live).json()["code"]
    expire(demo_live, m.LossCode, request_id)
    answer = confirm(demo_live, request_id, code)
    assert answer.status_code == 403 and answer.json()["code"] == "loss_code_expired"


def test_codes_are_rate_limited_per_id_number_known_or_not(demo_live: LivePlatform) -> None:
    for id_number in (LI_MING_ID, UNKNOWN_ID):
        for _ in range(3):
            assert ask(demo_live, id_number).status_code == 202
        limited = ask(demo_live, id_number)
        assert limited.status_code == 429 and limited.json()["code"] == "too_many_requests"


def test_neither_the_code_nor_the_id_number_is_stored_readable(demo_live: LivePlatform) -> None:
    request_id = ask(demo_live, LI_MING_ID).json()["request_id"]
    code = demo_code(demo_live).json()["code"]
    with demo_live.db() as db:
        row = db.get(m.LossCode, request_id)
        assert row is not None
        stored = " ".join(str(v) for v in vars(row).values())
    assert code not in row.code_hash and LI_MING_ID not in stored
    assert row.ssn_hash != hashlib.sha256(LI_MING_ID.encode()).hexdigest()


def test_a_wrong_code_from_another_kiosk_cannot_use_the_request(demo_live: LivePlatform) -> None:
    request_id = ask(demo_live, LI_MING_ID).json()["request_id"]
    code = demo_code(demo_live).json()["code"]
    answer = requests.post(
        f"{demo_live.url}/v1/card/loss-report/by-code",
        json={"request_id": request_id, "code": code},
        headers={
            "X-Kiosk-Id": demo_live.kiosk_id,
            "X-Kiosk-Key": "wrong-key-" + "x" * 20,
            "Idempotency-Key": "a" * 32,
        },
        timeout=5,
    )
    assert answer.status_code == 401


def test_the_demo_code_route_exists_only_on_the_demo_platform(live: LivePlatform) -> None:
    assert ask(live, LI_MING_ID).status_code == 202
    answer = demo_code(live)
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    document = requests.get(f"{live.url}/openapi.json", timeout=5).json()
    assert not any(path.startswith("/v1/demo") for path in document["paths"])


def test_a_malformed_id_number_is_refused_without_echoing_it(live: LivePlatform) -> None:
    answer = ask(live, "41010519880716001")
    assert answer.status_code == 422 and "41010519880716001" not in answer.text


# --- the certificate's insurance and period ---------------------------------------------------


def test_certificate_states_only_the_chosen_insurance_and_period(live: LivePlatform) -> None:
    headers = by_ecode(live, "B00000022")
    whole = requests.post(
        f"{live.url}/v1/certificates", json={"kind": "insured_status"}, headers=headers, timeout=5
    ).json()
    assert len(whole["insurances"]) == 5 and whole["first_month"] is None
    pension = next(i for i in whole["insurances"] if i["insurance"] == "pension")
    year = pension["last_month"][:4]
    body = {
        "kind": "insured_status",
        "insurances": ["pension"],
        "first_month": f"{year}-01",
        "last_month": f"{year}-12",
    }
    issued = requests.post(f"{live.url}/v1/certificates", json=body, headers=headers, timeout=5)
    assert issued.status_code == 201, issued.text
    certificate = issued.json()
    assert [i["insurance"] for i in certificate["insurances"]] == ["pension"]
    line = certificate["insurances"][0]
    assert line["first_month"] >= f"{year}-01" and line["last_month"] <= f"{year}-12"
    assert line["paid_months"] <= 12
    check = requests.get(f"{live.url}/v1/certificates/{certificate['code']}", timeout=5).json()
    assert check["first_month"] == f"{year}-01" and check["last_month"] == f"{year}-12"
    reversed_period = {**body, "first_month": f"{year}-12", "last_month": f"{year}-01"}
    # Given backwards, the same months: read in order.
    in_order = requests.post(
        f"{live.url}/v1/certificates", json=reversed_period, headers=headers, timeout=5
    )
    assert in_order.status_code == 201
    assert (in_order.json()["first_month"], in_order.json()["last_month"]) == (
        f"{year}-01",
        f"{year}-12",
    )
    half = {**body, "last_month": f"{year}-01"}
    del half["first_month"]
    refused = requests.post(f"{live.url}/v1/certificates", json=half, headers=headers, timeout=5)
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_request"
