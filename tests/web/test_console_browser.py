"""The console in a real headless Chromium, as staff use it: a department clerk answers a
complaint a resident filed at the kiosk minutes before and the resident reads the answer; a
counter takes a call that appears while the page is open; an operator enrolls a kiosk and
publishes a notice; an auditor verifies the chain in the browser. Each is then checked at the
platform's API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import requests
from console_browser import Driver, screenshot, sign_in, wait_for_text
from counter_support import granted, lookup, staff_headers
from live_platform import file_complaint
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from kiosk.backend.client import PlatformClient
from kiosk.server import audit
from kiosk.server import models as m
from kiosk.server.departments import LOCAL
from kiosk.server.testing import LivePlatform

DEMO_A = {"card_identifier": "410100D156000005A0000000000000A1", "card_number": "A00000011"}


def resident(live: LivePlatform) -> dict[str, str]:
    body = {"method": "card", **DEMO_A, "pin_verified_on_chip": True}
    answer = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers, timeout=5)
    assert answer.status_code == 201, answer.text
    return live.headers | {"X-Session-Token": answer.json()["token"]}


def test_a_clerk_answers_and_the_resident_reads_it(
    browser: Driver, live: LivePlatform, tmp_path: Path
) -> None:
    holder = resident(live)
    filed = file_complaint(
        live,
        holder,
        subject="补卡后旧卡仍显示挂失",
        text="新卡已领取，但自助机上旧卡状态没有变化。",
    )
    tracking = str(filed["tracking_number"])

    sign_in(browser, live, "demo-department")
    assert browser.current_url.endswith("/console/inbox")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.inbox tbody tr")
    assert "overdue" in (rows[0].get_attribute("class") or "")  # the overdue one first
    screenshot(browser, "inbox", tmp_path)
    browser.find_element(By.LINK_TEXT, tracking).click()
    box = WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.NAME, "reply")))
    reply = "已核实：旧卡已注销，新卡状态正常。请重新插卡查看。"
    box.send_keys(reply)
    screenshot(browser, "complaint", tmp_path)
    box.find_element(By.XPATH, "./ancestor::form").submit()
    wait_for_text(browser, "答复已发送")

    mine = requests.get(f"{live.url}/v1/complaints/{tracking}", headers=holder, timeout=5)
    assert (mine.json()["reply"], mine.json()["status"]) == (reply, "replied")
    listed = requests.get(f"{live.url}/v1/complaints", headers=holder, timeout=5).json()
    assert any(c["reply"] == reply for c in listed["complaints"])

    # A counter's look-up under the resident's consent: an entry that names its consent.
    counter = staff_headers(live, "demo-counter")
    looked_up = lookup(live, counter, granted(live, counter, holder, "card_service"))
    assert looked_up.status_code == 200, looked_up.text

    # The auditor finds the reply in the log and the browser verifies the chain itself.
    sign_in(browser, live, "demo-auditor")
    browser.get(f"{live.url}/console/audit?kind=replies")
    wait_for_text(browser, tracking)
    browser.find_element(By.ID, "verify").send_keys(Keys.ENTER)
    WebDriverWait(browser, 20).until(
        lambda d: "哈希链完整" in d.find_element(By.ID, "verify-result").text
    )
    with live.db() as db:
        assert audit.intact(db)
        total = db.scalar(select(func.count()).select_from(m.AuditEntry))
    assert f"已校验 {total} 条" in browser.find_element(By.ID, "verify-result").text


def test_the_browser_verification_finds_an_altered_entry(
    browser: Driver, live: LivePlatform
) -> None:
    from sqlalchemy import select

    from kiosk.server import models as m

    sign_in(browser, live, "demo-operator")
    browser.get(f"{live.url}/console/fleet")
    browser.find_element(By.NAME, "kiosk_id").send_keys("hall-5")
    browser.find_element(By.NAME, "place").send_keys("5号厅", Keys.ENTER)
    wait_for_text(browser, "hall-5")
    with live.db() as db:
        entry = db.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id.desc())).first()
        assert entry is not None
        entry.fields = "hall-6"  # someone covering their tracks
        db.commit()
        altered = entry.id
    sign_in(browser, live, "demo-auditor")
    browser.get(f"{live.url}/console/audit")
    browser.find_element(By.ID, "verify").click()
    WebDriverWait(browser, 20).until(
        lambda d: f"第 {altered} 条" in d.find_element(By.ID, "verify-result").text
    )


def test_a_call_appears_live_and_is_taken(
    browser: Driver, live: LivePlatform, tmp_path: Path
) -> None:
    sign_in(browser, live, "demo-counter")
    assert browser.current_url.endswith("/console/calls")
    wait_for_text(browser, "目前没有居民呼叫")
    client = PlatformClient(live.url, live.kiosk_id, live.kiosk_key, cache_dir=tmp_path)
    client.request_assistance("records")
    # No reload: the page's list refreshes itself within five seconds.
    wait_for_text(browser, live.kiosk_id, timeout=5)
    screenshot(browser, "calls", tmp_path)
    browser.find_element(By.CSS_SELECTOR, "#calls button").click()
    wait_for_text(browser, "目前没有居民呼叫")

    staff = requests.post(
        f"{live.url}/v1/staff/sessions",
        json={"username": "demo-supervisor", "password": "demo-supervisor-pass"},
        headers=live.headers,
        timeout=5,
    ).json()["token"]
    fleet = requests.get(
        f"{live.url}/v1/staff/kiosks", headers=live.headers | {"X-Staff-Token": staff}, timeout=5
    ).json()
    row = next(k for k in fleet["kiosks"] if k["id"] == live.kiosk_id)
    assert row["assistance_requested"] is None


def test_an_operator_enrolls_a_kiosk_and_publishes_a_notice(
    browser: Driver, live: LivePlatform, tmp_path: Path
) -> None:
    requests.post(
        f"{live.url}/v1/kiosks/heartbeat",
        json={
            "software_version": "0.1.0",
            "uptime_s": 3600,
            "devices": {"card_reader": "ok", "printer": "degraded", "scanner": "ok"},
            "paper": "low",
            "outbox_pending": 2,
        },
        headers=live.headers,
        timeout=5,
    ).raise_for_status()
    sign_in(browser, live, "demo-operator")
    assert browser.current_url.endswith("/console/fleet")
    browser.find_element(By.NAME, "kiosk_id").send_keys("jinshui-hall-03")
    browser.find_element(By.NAME, "place").send_keys("金水区服务大厅 3 号机", Keys.ENTER)
    key = WebDriverWait(browser, 10).until(ec.presence_of_element_located((By.ID, "new-key"))).text
    screenshot(browser, "fleet", tmp_path)
    beat = requests.post(
        f"{live.url}/v1/kiosks/heartbeat",
        json={"software_version": "0.1.0", "uptime_s": 1, "devices": {}},
        headers={"X-Kiosk-Id": "jinshui-hall-03", "X-Kiosk-Key": key},
        timeout=5,
    )
    assert beat.status_code == 200, beat.text

    today = dt.datetime.now(LOCAL).date()
    browser.get(f"{live.url}/console/notices")
    for name, value in (
        ("title_zh", "元旦服务时间"),
        ("title_en", "New Year hours"),
        ("body_zh", "1月1日服务大厅休息，自助机照常服务。"),
        ("body_en", "Halls close on 1 January; kiosks serve as usual."),
    ):
        browser.find_element(By.NAME, name).send_keys(value)
    ends = browser.find_element(By.NAME, "ends")
    last = today + dt.timedelta(days=3)
    # Typed as a person types a date into the browser's date field (en-US: month, day, year).
    ends.send_keys(f"{last.month:02d}{last.day:02d}{last.year}")
    assert ends.get_attribute("value") == last.isoformat()
    ends.find_element(By.XPATH, "./ancestor::form").submit()
    wait_for_text(browser, "公告已发布")
    catalog = requests.get(f"{live.url}/v1/catalog", timeout=5).json()
    assert "New Year hours" in [n["title"]["en"] for n in catalog["notices"]]
