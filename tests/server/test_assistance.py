"""呼叫工作人员: a resident's call for staff reaches the staff side, and staff answer it."""

from __future__ import annotations

import requests
from test_staff import staff_headers

from kiosk.backend.client import PlatformClient
from kiosk.server.testing import LivePlatform


def fleet_row(live: LivePlatform, headers: dict[str, str]) -> dict[str, object]:
    answer = requests.get(f"{live.url}/v1/staff/kiosks", headers=headers, timeout=5)
    assert answer.status_code == 200, answer.text
    return next(k for k in answer.json()["kiosks"] if k["id"] == live.kiosk_id)


def test_a_call_for_staff_shows_on_the_fleet_until_answered(live: LivePlatform, tmp_path) -> None:
    client = PlatformClient(live.url, live.kiosk_id, live.kiosk_key, cache_dir=tmp_path)
    supervisor = staff_headers(live, "demo-supervisor")
    assert fleet_row(live, supervisor)["assistance_requested"] is None
    requested = client.request_assistance("pin")
    row = fleet_row(live, supervisor)
    assert row["assistance_screen"] == "pin"
    assert row["assistance_requested"] is not None
    assert row["assistance_requested"].startswith(requested.date().isoformat())

    counter = staff_headers(live, "demo-counter")
    answered = requests.delete(
        f"{live.url}/v1/staff/kiosks/{live.kiosk_id}/assistance", headers=counter, timeout=5
    )
    assert answered.status_code == 204
    assert fleet_row(live, supervisor)["assistance_requested"] is None


def test_a_call_needs_the_kiosk_key_and_a_plain_screen_name(live: LivePlatform) -> None:
    url = f"{live.url}/v1/kiosks/assistance"
    stranger = requests.post(url, json={"screen": "pin"}, timeout=5)
    assert stranger.status_code == 401
    # Only a screen's name: free text could carry a resident's data to the staff side.
    prose = requests.post(
        url, json={"screen": "王秀英 needs help"}, headers=live.headers, timeout=5
    )
    assert (prose.status_code, prose.json()["code"]) == (422, "invalid_request")


def test_answering_an_unknown_kiosk_is_404(live: LivePlatform) -> None:
    counter = staff_headers(live, "demo-counter")
    answer = requests.delete(
        f"{live.url}/v1/staff/kiosks/no-such-kiosk/assistance", headers=counter, timeout=5
    )
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
