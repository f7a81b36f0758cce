"""axe-core in the real browser over every console page, each as the role that uses it, in both
languages: no serious or critical finding. axe-core's script is vendored (tests/web/vendor)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from console_browser import Driver, sign_in
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from kiosk.server.testing import LivePlatform

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
# Pages by the role that uses them; the sign-in page and a refusal are seen signed out.
PAGES = {
    "demo-department": ["/console/inbox", "/console/complaints/{tracking}", "/console/calls"],
    "demo-supervisor": ["/console/inbox", "/console/fleet"],
    "demo-operator": [
        "/console/fleet",
        "/console/catalog",
        "/console/catalog/tr-metro",
        "/console/notices",
        "/console/staff",
    ],
    "demo-auditor": ["/console/audit"],
    "demo-counter": ["/console/calls", "/console/inbox"],  # the last: refused, a page too
}


def findings(driver: Driver) -> list[str]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]));"
    )
    return [
        f"{v['id']} ({v['impact']}) at {v['nodes']}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def a_complaint(live: LivePlatform) -> str:
    body = {
        "method": "card",
        "card_identifier": "410100D156000005A0000000000000A1",
        "card_number": "A00000011",
        "pin_verified_on_chip": True,
    }
    token = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers).json()
    filed = requests.post(
        f"{live.url}/v1/complaints",
        json={"kind": "complaint", "category": "card", "subject": "补卡慢", "text": "两周未到"},
        headers=live.headers | {"X-Session-Token": token["token"], "Idempotency-Key": "a" * 20},
        timeout=5,
    )
    assert filed.status_code == 201, filed.text
    return str(filed.json()["tracking_number"])


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_console_page_passes_axe(browser: Driver, live: LivePlatform, language: str) -> None:
    tracking = a_complaint(live)
    # A call waiting, so the calls list has rows and buttons to check.
    requests.post(
        f"{live.url}/v1/kiosks/assistance", json={"screen": "pin"}, headers=live.headers
    ).raise_for_status()
    problems: dict[str, list[str]] = {}
    browser.get(f"{live.url}/console/language/{language}?next=/console/login")
    problems["/console/login"] = findings(browser)
    browser.get(f"{live.url}/console/no-such-page")
    for username, pages in PAGES.items():
        sign_in(browser, live, username)
        browser.get(f"{live.url}/console/language/{language}?next=/console/")
        for page in pages:
            browser.get(f"{live.url}{page.format(tracking=tracking)}")
            problems[f"{username} {page}"] = findings(browser)
    # What a page shows after a form: the new kiosk's key, a refused form.
    sign_in(browser, live, "demo-operator")
    browser.get(f"{live.url}/console/fleet")
    browser.find_element(By.NAME, "kiosk_id").send_keys("axe-kiosk")
    browser.find_element(By.NAME, "place").send_keys("axe", Keys.ENTER)
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "new-key")))
    problems["fleet with a new key"] = findings(browser)
    browser.find_element(By.NAME, "kiosk_id").send_keys("axe-kiosk")
    browser.find_element(By.NAME, "place").send_keys("axe", Keys.ENTER)
    WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.CLASS_NAME, "problem")))
    problems["fleet with a refusal"] = findings(browser)
    assert {page: found for page, found in problems.items() if found} == {}
    assert len(problems) >= 15
