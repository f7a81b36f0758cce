"""The counter's steps over real HTTP, for the server tests: staff login, a resident signed in at
the customer window, the consent asked and answered."""

from __future__ import annotations

import requests

from kiosk.server.testing import LivePlatform

DEMO_A = {"card_identifier": "410100D156000005A0000000000000A1", "card_number": "A00000011"}
DEMO_B = {"card_identifier": "410100D156000005B0000000000000B2", "card_number": "B00000022"}


def post(
    live: LivePlatform, path: str, body: dict[str, object], headers: dict[str, str]
) -> requests.Response:
    """POST /v1{path} to the platform with a JSON body, as the counter sends it."""
    return requests.post(f"{live.url}/v1{path}", json=body, headers=headers, timeout=5)


def staff_headers(live: LivePlatform, username: str = "demo-counter") -> dict[str, str]:
    login = {"username": username, "password": f"{username}-pass"}
    answer = post(live, "/staff/sessions", login, live.headers)
    assert answer.status_code == 201, answer.text
    return live.headers | {"X-Staff-Token": answer.json()["token"]}


def resident_headers(live: LivePlatform, card: dict[str, str] = DEMO_A) -> dict[str, str]:
    body = {"method": "card", **card, "pin_verified_on_chip": True}
    answer = post(live, "/sessions", body, live.headers)
    assert answer.status_code == 201, answer.text
    return live.headers | {"X-Session-Token": answer.json()["token"]}


def ask(live: LivePlatform, staff: dict[str, str], purpose: str) -> dict[str, object]:
    answer = post(live, "/staff/consents", {"purpose": purpose}, staff)
    assert answer.status_code == 201, answer.text
    result: dict[str, object] = answer.json()
    return result


def answer(
    live: LivePlatform, resident: dict[str, str], consent_id: object, *, granted: bool
) -> requests.Response:
    return post(live, f"/consents/{consent_id}/answer", {"granted": granted}, resident)


def granted(
    live: LivePlatform, staff: dict[str, str], resident: dict[str, str], purpose: str
) -> str:
    consent = ask(live, staff, purpose)
    assert answer(live, resident, consent["id"], granted=True).status_code == 200
    return str(consent["id"])


def lookup(live: LivePlatform, staff: dict[str, str], consent_id: str) -> requests.Response:
    return post(live, "/staff/lookups", {"consent_id": consent_id}, staff)
