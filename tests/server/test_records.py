"""Records, certificates and the card's life over real HTTP, bound to the session's resident."""

from __future__ import annotations

import uuid

import pytest
import requests
from counter_support import DEMO_A, DEMO_B, resident_headers
from sqlalchemy import select

from kiosk.server import models as m
from kiosk.server.demo import demo_ecode
from kiosk.server.testing import LivePlatform


def get(
    live: LivePlatform, path: str, headers: dict[str, str], **params: object
) -> requests.Response:
    return requests.get(f"{live.url}/v1{path}", headers=headers, params=params, timeout=5)


def test_records_need_a_session(live: LivePlatform) -> None:
    answer = get(live, "/records/contributions", live.headers)
    assert (answer.status_code, answer.json()["code"]) == (401, "session_required")
    answer = get(live, "/records/contributions", live.headers | {"X-Session-Token": "forged"})
    assert (answer.status_code, answer.json()["code"]) == (401, "session_expired")


def test_working_resident_has_ten_years_of_five_insurances_with_gaps(live: LivePlatform) -> None:
    body = get(live, "/records/contributions", resident_headers(live, DEMO_B), limit=5000).json()
    by_name = {x["insurance"]: x for x in body["summary"]}
    assert set(by_name) == {"pension", "medical", "unemployment", "work_injury", "maternity"}
    assert by_name["pension"]["paid_months"] + by_name["pension"]["unpaid_months"] >= 120
    months = body["months"]
    assert months == sorted(months, key=lambda x: (x["month"], x["insurance"]), reverse=True)
    with live.db() as db:
        gaps = db.scalars(select(m.Contribution).where(m.Contribution.paid.is_(False))).all()
        assert gaps, "the demo data has gaps in somebody's contributions"


def test_contributions_filtered_by_insurance_and_month(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)
    body = get(live, "/records/contributions", headers, insurance="medical", since="2020-01").json()
    assert {x["insurance"] for x in body["months"]} == {"medical"}
    assert min(x["month"] for x in body["months"]) >= "2020-01"
    bad = get(live, "/records/contributions", headers, since="2020-13")
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_request")


def test_retired_resident_has_pension_medical_and_subsidies(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_A)
    pension = get(live, "/records/pension", headers).json()["payments"]
    assert len(pension) >= 100
    medical = get(live, "/records/medical", headers).json()
    assert medical["transactions"][0]["balance_fen"] == medical["balance_fen"]
    assert {t["kind"] for t in medical["transactions"]} >= {"credit"}
    subsidies = get(live, "/records/subsidies", headers).json()["subsidies"]
    assert subsidies and all(x["program"]["zh"] and x["program"]["en"] for x in subsidies)
    uses = get(live, "/records/card-use", headers, kind="bus").json()["uses"]
    assert uses and {u["kind"] for u in uses} == {"bus"}


def test_session_reads_only_its_own_resident(live: LivePlatform) -> None:
    a = get(live, "/records/medical", resident_headers(live, DEMO_A)).json()
    b = get(live, "/records/medical", resident_headers(live, DEMO_B)).json()
    assert a != b


def test_session_token_works_only_from_its_kiosk(live: LivePlatform) -> None:
    from kiosk.server import service

    headers = resident_headers(live)
    service.register_kiosk(live.engine, "other-kiosk", "other-kiosk-key-123")
    other = headers | {"X-Kiosk-Id": "other-kiosk", "X-Kiosk-Key": "other-kiosk-key-123"}
    answer = get(live, "/records/medical", other)
    assert (answer.status_code, answer.json()["code"]) == (401, "session_expired")


def test_session_expires_after_inactivity(live: LivePlatform) -> None:
    import datetime as dt

    headers = resident_headers(live)
    with live.db() as db:
        for row in db.scalars(select(m.ResidentSession)):
            row.last_seen = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=301)
        db.commit()
    answer = get(live, "/records/medical", headers)
    assert (answer.status_code, answer.json()["code"]) == (401, "session_expired")


def test_certificate_issue_and_verify(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)
    answer = requests.post(
        f"{live.url}/v1/certificates", json={"kind": "insured_status"}, headers=headers, timeout=5
    )
    assert answer.status_code == 201
    cert = answer.json()
    assert cert["holder_name"] == "李明" and cert["demo"] is True
    assert cert["holder_id_masked"] == "4101**********0014"
    assert {i["insurance"] for i in cert["insurances"]} == {
        "pension",
        "medical",
        "unemployment",
        "work_injury",
        "maternity",
    }
    check = requests.get(f"{live.url}/v1/certificates/{cert['code']}", timeout=5)
    assert check.status_code == 200
    assert check.json()["valid"] is True
    assert check.json()["holder_name_masked"] == "李*"
    assert check.json()["insurances"] == cert["insurances"]
    unknown = requests.get(f"{live.url}/v1/certificates/0000-0000-0000", timeout=5)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "certificate_unknown")
    malformed = requests.get(f"{live.url}/v1/certificates/hello", timeout=5)
    assert malformed.status_code == 422


def submit(
    live: LivePlatform,
    path: str,
    body: dict[str, object],
    headers: dict[str, str],
    key: str | None = None,
) -> requests.Response:
    key = key or uuid.uuid4().hex
    return requests.post(
        f"{live.url}/v1{path}", json=body, headers=headers | {"Idempotency-Key": key}, timeout=5
    )


def test_loss_report_lifting_and_status(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)
    card = get(live, "/card", headers).json()
    assert card["status"] == "normal" and card["financial_account_active"] is False
    assert card["number_masked"] == "B0*****22"
    answer = submit(live, "/card/loss-report", {"kind": "temporary"}, headers)
    assert answer.status_code == 201
    assert answer.json()["card_status"] == "temporarily_lost"
    assert answer.json()["tracking_number"].startswith("R-")
    assert get(live, "/card", headers).json()["status"] == "temporarily_lost"
    again = submit(live, "/card/loss-report", {"kind": "temporary"}, headers)
    assert (again.status_code, again.json()["code"]) == (409, "request_not_allowed")
    lifted = submit(live, "/card/loss-lifting", {}, headers)
    assert lifted.status_code == 201 and lifted.json()["card_status"] == "normal"
    assert len(get(live, "/card", headers).json()["requests"]) == 2


def test_the_card_status_table_decides_what_the_platform_accepts(live: LivePlatform) -> None:
    """kiosk.domain.card.ALLOWED, as the kiosk's menu offers it: a formal report is not lifted
    and a temporary one turns formal through the reissue, not a second report."""
    headers = resident_headers(live, DEMO_B)
    assert submit(live, "/card/loss-report", {"kind": "temporary"}, headers).status_code == 201
    formal = submit(live, "/card/loss-report", {"kind": "formal"}, headers)
    assert (formal.status_code, formal.json()["code"]) == (409, "request_not_allowed")
    reissued = submit(live, "/card/reissue", {"pickup": "jinshui-district-hall"}, headers)
    assert reissued.json()["card_status"] == "lost"
    other = resident_headers(live, DEMO_A)
    assert submit(live, "/card/loss-report", {"kind": "formal"}, other).status_code == 201
    lifted = submit(live, "/card/loss-lifting", {}, other)
    assert (lifted.status_code, lifted.json()["code"]) == (409, "request_not_allowed")


def test_the_same_submission_twice_is_one_request(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)
    first = submit(live, "/card/loss-report", {"kind": "formal"}, headers, key="k" * 20)
    second = submit(live, "/card/loss-report", {"kind": "formal"}, headers, key="k" * 20)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    other = submit(live, "/card/loss-report", {"kind": "temporary"}, headers, key="k" * 20)
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_conflict")
    with live.db() as db:
        assert len(db.scalars(select(m.CardRequest)).all()) == 1


def test_tracking_number_is_the_one_the_kiosk_derives(live: LivePlatform) -> None:
    from kiosk.api_contract import tracking_number

    headers = resident_headers(live, DEMO_B)
    answer = submit(live, "/card/loss-report", {"kind": "temporary"}, headers, key="x" * 32)
    assert answer.json()["tracking_number"] == tracking_number("R", live.kiosk_id, "x" * 32)


def test_submission_needs_an_idempotency_key(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)
    answer = requests.post(
        f"{live.url}/v1/card/loss-report", json={"kind": "temporary"}, headers=headers, timeout=5
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_request")


def test_reissue_after_loss_shows_progress(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)
    refused = submit(live, "/card/reissue", {"pickup": "jinshui-district-hall"}, headers)
    assert refused.json()["code"] == "request_not_allowed"
    submit(live, "/card/loss-report", {"kind": "temporary"}, headers)
    answer = submit(live, "/card/reissue", {"pickup": "jinshui-district-hall"}, headers)
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "in_progress" and body["card_status"] == "lost"
    assert [p["step"] for p in body["progress"]] == [
        "submitted",
        "reviewed",
        "in_production",
        "ready_for_pickup",
    ]
    assert body["progress"][0]["done"] and not body["progress"][-1]["done"]
    tracked = requests.get(
        f"{live.url}/v1/card/requests/{body['tracking_number']}", headers=live.headers, timeout=5
    )
    assert tracked.json() == body


def test_replacement_of_a_normal_card(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)
    answer = submit(
        live, "/card/replacement", {"reason": "damaged", "pickup": "zhengzhou-city-hall"}, headers
    )
    assert answer.status_code == 201 and answer.json()["kind"] == "replacement"
    twice = submit(
        live, "/card/replacement", {"reason": "damaged", "pickup": "zhengzhou-city-hall"}, headers
    )
    assert twice.json()["code"] == "request_not_allowed"


def test_the_kiosk_key_alone_never_changes_a_card(live: LivePlatform) -> None:
    """Not with the card's identifier and number in the body, not without a session."""
    filed_by = {**DEMO_B, "pin_verified_on_chip": True}
    with_card = submit(
        live, "/card/loss-report", {"kind": "temporary", "filed_by": filed_by}, live.headers
    )
    assert (with_card.status_code, with_card.json()["code"]) == (422, "invalid_request")
    bare = submit(live, "/card/loss-report", {"kind": "temporary"}, live.headers)
    assert (bare.status_code, bare.json()["code"]) == (401, "session_required")
    with live.db() as db:
        assert db.scalars(select(m.Card).where(m.Card.number == "B00000022")).one().status == (
            "normal"
        )


COMPLAINT = {"kind": "complaint", "category": "kiosk", "subject": "屏幕", "text": "屏幕太暗"}


def grants(live: LivePlatform, headers: dict[str, str], *keys: str) -> dict[str, str]:
    answer = requests.post(
        f"{live.url}/v1/sessions/current/delivery-grants",
        json={"idempotency_keys": list(keys)},
        headers=headers,
        timeout=5,
    )
    assert answer.status_code == 201, answer.text
    return {g["idempotency_key"]: g["grant"] for g in answer.json()["grants"]}


def test_an_ended_session_files_nothing_without_its_grant(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)
    key, other = uuid.uuid4().hex, uuid.uuid4().hex
    granted = grants(live, headers, key, other)
    requests.delete(f"{live.url}/v1/sessions/current", headers=headers, timeout=5)
    closed = submit(live, "/complaints", COMPLAINT, headers)
    assert (closed.status_code, closed.json()["code"]) == (401, "session_expired")
    # The grant works for its own key only, and only from its own kiosk.
    crossed = submit(
        live, "/complaints", COMPLAINT, live.headers | {"X-Delivery-Grant": granted[key]}, other
    )
    assert (crossed.status_code, crossed.json()["code"]) == (401, "session_expired")
    delivered = submit(
        live, "/complaints", COMPLAINT, live.headers | {"X-Delivery-Grant": granted[key]}, key
    )
    assert delivered.status_code == 201
    again = submit(
        live, "/complaints", COMPLAINT, live.headers | {"X-Delivery-Grant": granted[key]}, key
    )
    assert again.status_code == 200 and again.json() == delivered.json()  # filed once
    with live.db() as db:
        row = db.scalars(
            select(m.Complaint).where(
                m.Complaint.tracking_number == delivered.json()["tracking_number"]
            )
        ).one()
        assert row.resident_id is not None
        grant_row = db.scalars(
            select(m.DeliveryGrant).where(m.DeliveryGrant.idempotency_key == key)
        ).one()
        assert grant_row.used is not None


def test_an_idle_or_other_kiosks_session_files_nothing(live: LivePlatform) -> None:
    import datetime as dt

    headers = resident_headers(live, DEMO_B)
    with live.db() as db:
        for row in db.scalars(select(m.ResidentSession)):
            row.last_seen = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=301)
        db.commit()
    idle = submit(live, "/card/reissue", {"pickup": "zhengzhou-city-hall"}, headers)
    assert (idle.status_code, idle.json()["code"]) == (401, "session_expired")
    fresh = resident_headers(live, DEMO_B)
    from kiosk.server import service

    service.register_kiosk(live.engine, "other-kiosk", "other-kiosk-key-0123456789")
    foreign = {"X-Kiosk-Id": "other-kiosk", "X-Kiosk-Key": "other-kiosk-key-0123456789"}
    token = {"X-Session-Token": fresh["X-Session-Token"]}
    for path, body in (
        ("/complaints", COMPLAINT),
        ("/card/loss-report", {"kind": "temporary"}),
    ):
        answer = submit(live, path, body, foreign | token)
        assert (answer.status_code, answer.json()["code"]) == (401, "session_expired")


def test_complaint_status_and_reply_flow(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_A)
    mine = get(live, "/complaints", headers).json()["complaints"]
    assert any(c["status"] == "replied" and c["reply"] for c in mine)
    answer = submit(
        live,
        "/complaints",
        {
            "kind": "complaint",
            "category": "service",
            "subject": "排队",
            "text": "排队太久",
            "contact": "139",
        },
        headers,
    )
    assert answer.status_code == 201 and answer.json()["status"] == "received"
    tracking = answer.json()["tracking_number"]
    assert get(live, f"/complaints/{tracking}", live.headers).json()["status"] == "received"
    missing = get(live, "/complaints/C-0000-0000-0000", live.headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "tracking_unknown")


def test_only_suggestions_may_be_anonymous(live: LivePlatform) -> None:
    ok = submit(
        live,
        "/complaints",
        {
            "kind": "suggestion",
            "category": "kiosk",
            "subject": "字体",
            "text": "字大一点",
            "anonymous": True,
        },
        live.headers,
    )
    assert ok.status_code == 201
    refused = submit(
        live,
        "/complaints",
        {"kind": "complaint", "category": "kiosk", "subject": "x", "text": "y", "anonymous": True},
        live.headers,
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_request")
    nobody = submit(
        live,
        "/complaints",
        {"kind": "complaint", "category": "kiosk", "subject": "x", "text": "y"},
        live.headers,
    )
    assert (nobody.status_code, nobody.json()["code"]) == (401, "session_required")


def test_ecode_session_can_lift_a_temporary_loss(live: LivePlatform) -> None:
    with live.db() as db:
        card = db.scalars(select(m.Card).where(m.Card.status == "temporarily_lost")).first()
        assert card is not None
        number = card.number
    body = {"method": "ecode", "ecode": demo_ecode(number)}
    token = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers).json()[
        "token"
    ]
    answer = submit(live, "/card/loss-lifting", {}, live.headers | {"X-Session-Token": token})
    assert answer.status_code == 201 and answer.json()["card_status"] == "normal"


@pytest.mark.parametrize("path", ["/card/loss-report", "/complaints", "/card/reissue"])
def test_garbage_submissions_are_422(live: LivePlatform, path: str) -> None:
    headers = resident_headers(live, DEMO_B)
    answer = submit(live, path, {"kind": 3, "text": None}, headers)
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_request")
