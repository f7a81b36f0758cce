"""The staff console over real HTTP: sign-in and its cookie, CSRF, each page's roles, and what
each form does, checked at the API and in the audit log."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import requests
from console_web import post_form, publish_notice, sign_in, signed_in, token_in
from counter_support import DEMO_B, resident_headers, staff_headers
from helpers.imports import loaded_by
from helpers.processes import run_kiosk
from live_platform import file_complaint
from sqlalchemy import select

from kiosk.server import audit
from kiosk.server import models as m
from kiosk.server.context import Settings
from kiosk.server.testing import LivePlatform

ROLES = {
    "counter": "demo-counter",
    "supervisor": "demo-supervisor",
    "auditor": "demo-auditor",
    "department": "demo-department",
    "operator": "demo-operator",
}
# Each page and the roles that may open it; every other role is refused.
PAGES = {
    "/console/inbox": {"department", "supervisor"},
    "/console/calls": {"counter", "supervisor", "operator", "department"},
    "/console/calls/list": {"counter", "supervisor", "operator", "department"},
    "/console/fleet": {"operator", "supervisor"},
    "/console/catalog": {"operator"},
    "/console/catalog/tr-metro": {"operator"},
    "/console/notices": {"operator"},
    "/console/staff": {"operator"},
    "/console/audit": {"auditor", "supervisor"},
    "/console/audit/export": {"auditor", "supervisor"},
    "/console/audit/chain": {"auditor", "supervisor"},
}


def entries(live: LivePlatform, purpose: str) -> list[m.AuditEntry]:
    with live.db() as db:
        return list(db.scalars(select(m.AuditEntry).where(m.AuditEntry.purpose == purpose)))


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_page_opens_for_its_roles_only(live: LivePlatform, role: str) -> None:
    browser = signed_in(live, ROLES[role])
    for page, allowed in PAGES.items():
        answer = browser.get(f"{live.url}{page}", timeout=5, allow_redirects=False)
        expected = 200 if role in allowed else 403
        assert answer.status_code == expected, (role, page, answer.status_code)


def test_without_signing_in_every_page_sends_to_the_sign_in(live: LivePlatform) -> None:
    for page in PAGES:
        answer = requests.get(f"{live.url}{page}", timeout=5, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/console/login"
    start = requests.get(f"{live.url}/console/", timeout=5)
    assert 'name="username"' in start.text and 'name="password"' in start.text


def test_the_session_cookie_is_http_only_and_strict(live: LivePlatform) -> None:
    _browser, answer = sign_in(live, "demo-department")
    cookie = answer.history[0].headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert answer.url.endswith("/console/inbox")


def test_wrong_passwords_lock_the_account_for_the_api_too(live: LivePlatform) -> None:
    for _ in range(4):
        _browser, answer = sign_in(live, "demo-operator", "wrong-password")
        assert answer.status_code == 401 and "用户名或密码不正确" in answer.text
    _browser, answer = sign_in(live, "demo-operator", "wrong-password")
    assert answer.status_code == 403 and "锁定" in answer.text
    _browser, answer = sign_in(live, "demo-operator")  # the right one, too late
    assert answer.status_code == 403
    api = requests.post(
        f"{live.url}/v1/staff/sessions",
        json={"username": "demo-operator", "password": "demo-operator-pass"},
        headers=live.headers,
        timeout=5,
    )
    assert (api.status_code, api.json()["code"]) == (403, "staff_locked")


def test_a_login_without_the_forms_token_is_refused(live: LivePlatform) -> None:
    answer = requests.post(
        f"{live.url}/console/login",
        data={"username": "demo-department", "password": "demo-department-pass"},
        timeout=5,
    )
    assert answer.status_code == 403 and "onecard_console=" not in answer.headers.get(
        "set-cookie", ""
    )


def test_a_department_answers_and_the_resident_reads_it(live: LivePlatform) -> None:
    resident = resident_headers(live)
    filed = file_complaint(live, resident)
    tracking = str(filed["tracking_number"])
    clerk = signed_in(live, "demo-department")
    inbox = clerk.get(f"{live.url}/console/inbox", timeout=5).text
    assert f'href="/console/complaints/{tracking}">{tracking}</a>' in inbox
    # The seeded overdue complaint comes first.
    assert inbox.index("补卡进度查询不到") < inbox.index(tracking)
    reply = "已催办制卡中心，新卡将于三个工作日内寄出。"
    sent = post_form(
        clerk,
        live,
        f"/console/complaints/{tracking}",
        f"/console/complaints/{tracking}/reply",
        reply=reply,
    )
    assert sent.status_code == 200 and "答复已发送" in sent.text
    mine = requests.get(f"{live.url}/v1/complaints", headers=resident, timeout=5).json()
    assert next(c for c in mine["complaints"] if c["tracking_number"] == tracking)["reply"] == reply
    one = requests.get(f"{live.url}/v1/complaints/{tracking}", headers=resident, timeout=5).json()
    assert (one["reply"], one["status"]) == (reply, "replied")
    [entry] = [e for e in entries(live, "complaint_reply") if e.fields.startswith(tracking)]
    assert reply not in entry.fields  # the reply's digest is chained, not its words
    assert entry.fields.split(",")[2] == "on_time"
    with live.db() as db:
        assert audit.intact(db)


def test_a_form_without_its_token_changes_nothing(live: LivePlatform) -> None:
    resident = resident_headers(live)
    tracking = str(file_complaint(live, resident)["tracking_number"])
    clerk = signed_in(live, "demo-department")
    for token in (None, "0" * 64):
        data = {"reply": "forged"} | ({"csrf_token": token} if token else {})
        answer = clerk.post(f"{live.url}/console/complaints/{tracking}/reply", data=data, timeout=5)
        assert answer.status_code == 403
    status = requests.get(f"{live.url}/v1/complaints/{tracking}", headers=resident).json()
    assert status["shown_to_filer"] and status["reply"] is None
    # Another member of staff's token is no good either.
    other = signed_in(live, "demo-supervisor")
    their_token = token_in(other.get(f"{live.url}/console/inbox", timeout=5).text)
    answer = clerk.post(
        f"{live.url}/console/complaints/{tracking}/reply",
        data={"reply": "forged", "csrf_token": their_token},
        timeout=5,
    )
    assert answer.status_code == 403


def test_extend_once_with_a_reason_then_pass_on(live: LivePlatform) -> None:
    resident = resident_headers(live)
    tracking = str(file_complaint(live, resident)["tracking_number"])
    page = f"/console/complaints/{tracking}"
    clerk = signed_in(live, "demo-department")
    before = requests.get(f"{live.url}/v1/complaints/{tracking}", headers=resident).json()
    extended = post_form(clerk, live, page, f"{page}/extend", reason="需要调取制卡记录")
    assert extended.status_code == 200 and "已延期" in extended.text
    after = requests.get(f"{live.url}/v1/complaints/{tracking}", headers=resident).json()
    assert after["due"] > before["due"] and after["status"] == "in_progress"
    again = clerk.post(
        f"{live.url}{page}/extend",
        data={"reason": "再延", "csrf_token": token_in(extended.text)},
        timeout=5,
    )
    assert again.status_code == 403 and "已经延期过一次" in again.text
    passed = post_form(clerk, live, page, f"{page}/pass", department="medical")
    assert passed.url.endswith("/console/inbox")  # no longer theirs to see
    assert clerk.get(f"{live.url}{page}", timeout=5).status_code == 404
    moved = requests.get(f"{live.url}/v1/complaints/{tracking}", headers=resident).json()
    assert (moved["department"], moved["due"]) == ("medical", after["due"])
    assert [e.fields.split(",")[0] for e in entries(live, "complaint_extend")] == [tracking]
    assert entries(live, "complaint_pass")[0].fields == f"{tracking},from:hrss,to:medical"


def test_nobody_answers_a_complaint_about_themselves(live: LivePlatform) -> None:
    # demo-supervisor staffs this counter; a resident there complains about the staff.
    staff_headers(live, "demo-supervisor")
    resident = resident_headers(live, DEMO_B)
    tracking = str(file_complaint(live, resident, category="staff")["tracking_number"])
    page = f"/console/complaints/{tracking}"
    # The department it is about does not even see it; the supervisors' queue has it.
    clerk = signed_in(live, "demo-department")
    assert clerk.get(f"{live.url}{page}", timeout=5).status_code == 404
    supervisor = signed_in(live, "demo-supervisor")
    shown = supervisor.get(f"{live.url}{page}", timeout=5)
    assert 'name="reply"' not in shown.text and "由主管答复" in shown.text
    refused = supervisor.post(
        f"{live.url}{page}/reply",
        data={"reply": "没问题", "csrf_token": token_in(shown.text)},
        timeout=5,
    )
    assert refused.status_code == 403
    # Nor through the API.
    api = requests.post(
        f"{live.url}/v1/staff/complaints/{tracking}/reply",
        json={"reply": "没问题"},
        headers=staff_headers(live, "demo-supervisor"),
        timeout=5,
    )
    assert (api.status_code, api.json()["code"]) == (403, "staff_forbidden")
    assert (
        requests.get(f"{live.url}/v1/complaints/{tracking}", headers=resident).json()["reply"]
        is None
    )
    assert entries(live, "complaint_reply") == []


def test_the_supervisor_sees_counts_by_department(live: LivePlatform) -> None:
    supervisor = signed_in(live, "demo-supervisor")
    page = supervisor.get(f"{live.url}/console/inbox", timeout=5).text
    assert "各部门办理情况" in page and "超期答复" in page
    assert "市人力资源和社会保障局" in page


def test_taking_a_call_clears_it_and_is_logged(live: LivePlatform) -> None:
    requests.post(
        f"{live.url}/v1/kiosks/assistance", json={"screen": "pin"}, headers=live.headers, timeout=5
    ).raise_for_status()
    counter = signed_in(live, "demo-counter")
    listed = counter.get(f"{live.url}/console/calls/list", timeout=5).text
    assert live.kiosk_id in listed and "秒前" in listed
    taken = post_form(counter, live, "/console/calls", f"/console/calls/{live.kiosk_id}/take")
    assert taken.status_code == 200
    assert live.kiosk_id not in counter.get(f"{live.url}/console/calls/list", timeout=5).text
    [entry] = entries(live, "assistance_taken")
    assert entry.kiosk_id == live.kiosk_id and entry.fields.startswith("waited_s:")


def test_enroll_shows_the_key_once_and_disable_switches_it_off(live: LivePlatform) -> None:
    operator = signed_in(live, "demo-operator")
    enrolled = post_form(
        operator, live, "/console/fleet", "/console/fleet/enroll", kiosk_id="hall-9", place="9号厅"
    )
    key = re.search(r'<code id="new-key">([^<]+)</code>', enrolled.text)
    assert key, enrolled.text[:500]
    beat = {"software_version": "1", "uptime_s": 1, "devices": {"card_reader": "ok"}}
    headers = {"X-Kiosk-Id": "hall-9", "X-Kiosk-Key": key.group(1)}
    assert (
        requests.post(
            f"{live.url}/v1/kiosks/heartbeat", json=beat, headers=headers, timeout=5
        ).status_code
        == 200
    )
    fleet = operator.get(f"{live.url}/console/fleet", timeout=5).text
    assert "hall-9" in fleet and key.group(1) not in fleet  # shown once only
    post_form(operator, live, "/console/fleet", "/console/fleet/hall-9/disable")
    refused = requests.post(f"{live.url}/v1/kiosks/heartbeat", json=beat, headers=headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "kiosk_disabled")
    assert [e.fields for e in entries(live, "kiosk_enroll")] == ["hall-9"]
    assert [e.fields for e in entries(live, "kiosk_disable")] == ["hall-9"]


def rename_metro(
    operator: requests.Session, live: LivePlatform, name_zh: str, name_en: str
) -> requests.Response:
    """The metro item's form as an operator sends it, with a new name and all else as it is."""
    return post_form(
        operator,
        live,
        "/console/catalog/tr-metro",
        "/console/catalog/tr-metro",
        name_zh=name_zh,
        name_en=name_en,
        where_zh="郑州地铁各站",
        where_en="Every Zhengzhou metro station",
        how_zh="刷卡进站",
        how_en="Tap the card at the gate",
        category="6",
        department="transport",
    )


def test_a_notice_and_a_publication_reach_the_catalog_api(live: LivePlatform) -> None:
    import datetime as dt

    from kiosk.server.departments import LOCAL

    today = dt.datetime.now(LOCAL).date()
    operator = signed_in(live, "demo-operator")
    published = publish_notice(
        operator,
        live,
        ("春节服务时间", "Spring Festival hours"),
        (
            "服务大厅春节期间上午九点至十二点开放。",
            "Service halls open 9:00 to 12:00 over the Spring Festival.",
        ),
        days=7,
    )
    assert published.status_code == 200 and "公告已发布" in published.text
    catalog = requests.get(f"{live.url}/v1/catalog", timeout=5).json()
    assert "春节服务时间" in [n["title"]["zh"] for n in catalog["notices"]]
    # An edit shows only once published, and from the date it is published for.
    edited = rename_metro(operator, live, "地铁乘车（刷卡）", "Metro rides")
    assert edited.status_code == 200

    def metro() -> str:
        document = requests.get(f"{live.url}/v1/catalog", timeout=5).json()
        items = {i["id"]: i for c in document["categories"] for i in c["items"]}
        return str(items["tr-metro"]["name"]["zh"])

    assert metro() == "乘坐地铁"  # an edit is a draft until it is published
    post_form(
        operator, live, "/console/catalog", "/console/catalog-publish", published=today.isoformat()
    )
    document = requests.get(f"{live.url}/v1/catalog", timeout=5).json()
    assert document["published"].startswith(today.isoformat())
    assert metro() == "地铁乘车（刷卡）"
    rename_metro(operator, live, "草稿中的新名字", "Draft name")
    assert metro() == "地铁乘车（刷卡）"  # the published version holds until the next one
    assert len(entries(live, "catalog_publish")) == 1 and len(entries(live, "notice_publish")) == 1


def test_the_auditor_sees_staff_actions_and_the_raw_chain(live: LivePlatform) -> None:
    operator = signed_in(live, "demo-operator")
    post_form(
        operator, live, "/console/fleet", "/console/fleet/enroll", kiosk_id="hall-8", place="8号厅"
    )
    auditor = signed_in(live, "demo-auditor")
    page = auditor.get(f"{live.url}/console/audit?kind=actions", timeout=5).text
    assert "登记终端" in page and "hall-8" in page
    chain = auditor.get(f"{live.url}/console/audit/chain", timeout=5).json()
    assert chain["entries"][-1]["hash"] == chain["head"]
    export = auditor.get(f"{live.url}/console/audit/export", timeout=5)
    assert export.json()["chain_intact"] is True
    assert "attachment" in export.headers["content-disposition"]


def test_idle_sessions_end(tmp_path: Path, demo_template: Path) -> None:
    settings = Settings(staff_idle_s=1)
    with LivePlatform(tmp_path, template=demo_template, seed=2024, settings=settings) as live:
        browser = signed_in(live, "demo-operator")
        time.sleep(1.5)
        answer = browser.get(f"{live.url}/console/fleet", timeout=5, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/console/login"


def test_english_switch(live: LivePlatform) -> None:
    browser = signed_in(live, "demo-department")
    page = browser.get(f"{live.url}/console/language/en?next=/console/inbox", timeout=5)
    assert page.url.endswith("/console/inbox") and "Complaints to answer" in page.text
    assert '<html lang="en">' in page.text
    elsewhere = browser.get(
        f"{live.url}/console/language/en?next=//example.org/", timeout=5, allow_redirects=False
    )
    assert elsewhere.headers["location"] == "/console/"


def test_commands_add_an_account_that_signs_in_at_once(live: LivePlatform) -> None:
    db = live.engine.url.render_as_string(hide_password=False)
    added = run_kiosk(
        "staff",
        "add",
        "--db",
        db,
        "--username",
        "medical-clerk",
        "--role",
        "department",
        "--department",
        "medical",
        "--password-stdin",
        stdin="a-long-password-1\n",
    )
    assert added.returncode == 0, added.stderr
    signed_in_page = sign_in(live, "medical-clerk", "a-long-password-1")[1]
    assert signed_in_page.url.endswith("/console/inbox")
    disabled = run_kiosk("staff", "disable", "--db", db, "--username", "medical-clerk")
    assert disabled.returncode == 0, disabled.stderr
    assert sign_in(live, "medical-clerk", "a-long-password-1")[1].status_code == 401
    bad = run_kiosk(
        "staff",
        "add",
        "--db",
        db,
        "--username",
        "x1y",
        "--role",
        "department",
        "--password-stdin",
        stdin="a-long-password-1\n",
    )
    assert bad.returncode == 2 and "department" in bad.stderr and "Traceback" not in bad.stderr


def test_the_commands_load_no_web_stack(tmp_path: Path) -> None:
    """`kiosk staff` and `kiosk kiosk` share the pages' rules (kiosk.server.console.administration),
    not the pages: an operator's command starts without FastAPI, which took two seconds."""
    url = f"sqlite:///{tmp_path / 'platform.sqlite3'}"
    code = (
        "from kiosk.cli import main\n"
        f"assert main(['staff', 'disable', '--db', {url!r}, '--username', 'nobody']) == 1\n"
        f"assert main(['kiosk', 'disable', '--db', {url!r}, '--id', 'hall-9']) == 1\n"
    )
    assert loaded_by(code, ("fastapi", "starlette", "jinja2", "pydantic")) == []


def test_commands_enroll_prints_the_key_once_and_disable(live: LivePlatform) -> None:
    db = live.engine.url.render_as_string(hide_password=False)
    enrolled = run_kiosk("kiosk", "enroll", "--db", db, "--id", "hall-7", "--place", "7号厅")
    assert enrolled.returncode == 0, enrolled.stderr
    key = enrolled.stdout.strip()
    beat = {"software_version": "1", "uptime_s": 1, "devices": {}}
    headers = {"X-Kiosk-Id": "hall-7", "X-Kiosk-Key": key}
    assert requests.post(f"{live.url}/v1/kiosks/heartbeat", json=beat, headers=headers).ok
    assert run_kiosk("kiosk", "disable", "--db", db, "--id", "hall-7").returncode == 0
    with live.db() as session:
        kiosk = session.get(m.Kiosk, "hall-7")
        assert kiosk is not None and not kiosk.enabled and kiosk.label == "7号厅"
    again = run_kiosk("kiosk", "enroll", "--db", db, "--id", "hall-7", "--place", "x")
    assert again.returncode == 1 and "exists" in again.stderr


def test_the_audit_log_commands_read_staff_actions(live: LivePlatform, tmp_path: Path) -> None:
    operator = signed_in(live, "demo-operator")
    post_form(
        operator, live, "/console/fleet", "/console/fleet/enroll", kiosk_id="hall-6", place="6号厅"
    )
    db = live.engine.url.render_as_string(hide_password=False)
    verified = run_kiosk("audit-log", "verify", "--db", db)
    assert verified.returncode == 0, verified.stderr
    out = tmp_path / "export.json"
    exported = run_kiosk(
        "audit-log",
        "export",
        "--db",
        db,
        "--since",
        "2000-01-01",
        "--until",
        "2100-01-01",
        "--out",
        str(out),
    )
    assert exported.returncode == 0, exported.stderr
    import json

    document = json.loads(out.read_text(encoding="utf-8"))
    [entry] = [e for e in document["entries"] if e["purpose"] == "kiosk_enroll"]
    assert (entry["fields"], entry["resident_ref"], entry["staff"]) == (
        ["hall-6"],
        "",
        "demo-operator",
    )
    assert document["chain_intact"] is True
