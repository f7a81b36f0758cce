"""How a complaint's answer reaches its author (Art. 16, para. 2): a mobile, a landline, or no
number at all, the answer then read at a kiosk by tracking number. The kind, when given, must fit
the number; a refusal names the field, never the number typed."""

from __future__ import annotations

import pytest
from counter_support import DEMO_A, resident_headers
from sqlalchemy import select
from test_records import get, submit

from kiosk.server import models as m
from kiosk.server.testing import LivePlatform

BODY = {"kind": "complaint", "category": "service", "subject": "排队", "text": "排队太久"}


@pytest.mark.parametrize(
    ("extra", "stored"),
    [
        ({"contact": "13800138000", "contact_kind": "mobile"}, "13800138000"),
        ({"contact": "037166668888", "contact_kind": "landline"}, "037166668888"),
        ({"contact": "01012345678", "contact_kind": "landline"}, "01012345678"),
        ({"contact_kind": "none"}, None),
    ],
)
def test_each_way_of_being_answered_is_taken(live: LivePlatform, extra, stored) -> None:
    headers = resident_headers(live, DEMO_A)
    answer = submit(live, "/complaints", BODY | extra, headers)
    assert answer.status_code == 201, answer.json()
    tracking = answer.json()["tracking_number"]
    # No number needed to read the answer: the tracking number is enough, at any kiosk.
    assert get(live, f"/complaints/{tracking}", live.headers).json()["status"] == "received"
    with live.db() as db:
        row = db.scalar(select(m.Complaint).where(m.Complaint.tracking_number == tracking))
        assert row is not None and row.contact == stored and row.resident_id is not None


@pytest.mark.parametrize(
    "extra",
    [
        {"contact": "037166668888", "contact_kind": "mobile"},
        {"contact": "13800138000", "contact_kind": "landline"},
        {"contact": "0371", "contact_kind": "landline"},
        {"contact_kind": "mobile"},
        {"contact": "13800138000", "contact_kind": "none"},
        {"contact_kind": "fax"},
    ],
)
def test_a_contact_that_does_not_fit_its_kind_is_refused(live: LivePlatform, extra) -> None:
    answer = submit(live, "/complaints", BODY | extra, resident_headers(live, DEMO_A))
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_request"
    assert "13800138000" not in answer.text and "037166668888" not in answer.text


def test_an_anonymous_suggestion_takes_no_contact_kind(live: LivePlatform) -> None:
    body = {"kind": "suggestion", "category": "kiosk", "subject": "字体", "text": "字大一点"}
    headers = resident_headers(live, DEMO_A)
    answer = submit(
        live, "/complaints", body | {"anonymous": True, "contact_kind": "none"}, headers
    )
    assert answer.status_code == 422
    assert submit(live, "/complaints", body | {"anonymous": True}, headers).status_code == 201
