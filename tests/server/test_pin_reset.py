"""A blocked PIN reset at a counter: the identity check and the chip's answer, both audited."""

from __future__ import annotations

import requests
from counter_support import DEMO_A, post, staff_headers

from kiosk.server import audit
from kiosk.server import models as m
from kiosk.server.testing import LivePlatform

DEMO_A_ID = "410102195203120027"


def _check(live: LivePlatform, staff: dict[str, str], id_number: str) -> requests.Response:
    return post(live, "/staff/pin-resets", DEMO_A | {"id_number": id_number}, staff)


def _outcome(
    live: LivePlatform, staff: dict[str, str], reset_id: str, written: bool
) -> requests.Response:
    return post(live, f"/staff/pin-resets/{reset_id}", {"written": written}, staff)


def _entries(live: LivePlatform) -> list[tuple[str, str, str]]:
    with live.db() as db:
        rows = db.query(m.AuditEntry).order_by(m.AuditEntry.id).all()
        return [(row.purpose, row.fields, row.consent_id) for row in rows]


def test_the_holders_identity_card_opens_a_reset_and_its_outcome_is_logged(
    live: LivePlatform,
) -> None:
    staff = staff_headers(live)
    checked = _check(live, staff, DEMO_A_ID)
    assert checked.status_code == 201, checked.text
    ticket = checked.json()
    assert ticket["holder_name_masked"] == "王**"
    assert DEMO_A["card_number"] not in str(ticket)
    done = _outcome(live, staff, ticket["reset_id"], True)
    assert done.status_code == 204, done.text
    assert _entries(live) == [
        ("pin_reset", "identity_checked", ticket["reset_id"]),
        ("pin_reset", "pin_written", ticket["reset_id"]),
    ]
    again = _outcome(live, staff, ticket["reset_id"], True)
    assert (again.status_code, again.json()["code"]) == (404, "pin_reset_unknown")
    with live.db() as db:
        assert audit.first_problem(db) is None


def test_someone_elses_identity_card_is_refused_and_logged(live: LivePlatform) -> None:
    staff = staff_headers(live)
    refused = _check(live, staff, "410105198807160014")
    assert (refused.status_code, refused.json()["code"]) == (403, "identity_mismatch")
    (entry,) = _entries(live)
    assert entry[:2] == ("pin_reset", "identity_mismatch")
    # A refused check opens nothing to report an outcome on.
    late = _outcome(live, staff, entry[2], True)
    assert (late.status_code, late.json()["code"]) == (404, "pin_reset_unknown")


def test_only_the_member_of_staff_who_checked_reports_the_outcome(live: LivePlatform) -> None:
    ticket = _check(live, staff_headers(live), DEMO_A_ID).json()
    colleague = staff_headers(live, "demo-supervisor")
    other = _outcome(live, colleague, ticket["reset_id"], True)
    assert (other.status_code, other.json()["code"]) == (404, "pin_reset_unknown")


def test_without_a_staff_sign_in_nothing_is_checked(live: LivePlatform) -> None:
    answer = _check(live, live.headers, DEMO_A_ID)  # the kiosk's headers alone
    assert answer.status_code == 401
    assert _entries(live) == []
