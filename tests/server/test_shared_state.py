"""What a city's operator relies on beyond a single process: control characters refused on
every backend, no field value in a failing statement's log, the staff roles table, staff tokens
bound to their counter, 405 with Allow, the migrate step, sessions scoped to a card's life,
and the retention purge on a fake clock."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from counter_support import DEMO_A, DEMO_B, resident_headers, staff_headers
from helpers.processes import serving_fresh_demo
from live_platform import file_complaint
from sqlalchemy import select, text

from kiosk.cli import main
from kiosk.server import launch, limits, retention, roles, service
from kiosk.server import models as m
from kiosk.server.db import (
    HEAD_REVISION,
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    pending_migration,
    recorded_revision,
    sqlite_url,
    upgrade,
)
from kiosk.server.testing import LivePlatform

DOCUMENT = json.loads((Path(service.__file__).with_name("openapi.json")).read_text("utf-8"))
DOCS = Path(__file__).resolve().parents[2] / "docs" / "platform.md"


def _string_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _string_leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _string_leaves(v, (*path, i))]
    return []


def _with(value: Any, path: tuple[Any, ...], new: str) -> Any:
    copy = json.loads(json.dumps(value))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


def _bodies() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            for example in (body or {}).get("examples", {}).values():
                found.append((method, path, example["value"]))
    return found


def _credentials(live: LivePlatform) -> dict[str, str]:
    resident = resident_headers(live, DEMO_B)
    staff = staff_headers(live, "demo-supervisor")
    return resident | {"X-Staff-Token": staff["X-Staff-Token"]}


def _refuses_control_characters(live: LivePlatform) -> None:
    headers = _credentials(live)
    checked = 0
    for method, path, example in _bodies():
        url = live.url + path.replace("{tracking}", "C-AAAA-BBBB-CCCC").replace(
            "{consent_id}", "0" * 32
        )
        for leaf in _string_leaves(example):
            original = example
            for step in leaf:
                original = original[step]
            for bad in ("\x00", "\x07", "\x1b[2J"):
                body = _with(example, leaf, original[:1] + bad + original[1:])
                answer = requests.request(
                    method,
                    url,
                    json=body,
                    headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
                    timeout=10,
                )
                assert answer.status_code == 422, (method, path, leaf, answer.text)
                assert answer.json()["code"] == "invalid_request"
                assert bad not in answer.text  # the value is never echoed
                checked += 1
    assert checked > 60


def test_control_characters_are_refused_on_sqlite(live: LivePlatform) -> None:
    _refuses_control_characters(live)


def test_control_characters_are_refused_on_postgresql(live_postgres: LivePlatform) -> None:
    _refuses_control_characters(live_postgres)


def test_a_newline_is_free_text_only(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)

    def file(subject: str, body_text: str) -> int:
        return requests.post(
            f"{live.url}/v1/complaints",
            json={"kind": "complaint", "category": "kiosk", "subject": subject, "text": body_text},
            headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
            timeout=10,
        ).status_code

    assert file("屏幕", "第一行\n第二行") == 201
    assert file("屏\n幕", "一行") == 422
    assert file("屏幕", "tab\there") == 422


@pytest.mark.parametrize(
    "backend",
    # With the cluster's other tests (tests/shared_resources.py cannot see getfixturevalue).
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.xdist_group(name="postgres"))],
)
def test_a_failing_statement_logs_no_field_value(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    """Through the app as a request would meet it: the statement fails, the answer is a bare
    500, and neither the log nor the answer holds a value the statement carried."""
    from fastapi.testclient import TestClient

    from kiosk.server.app import create_app
    from kiosk.server.context import Settings

    if backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("demo_template"), tmp_path / "p.sqlite3")
        url = sqlite_url(tmp_path / "p.sqlite3")
    else:
        url = request.getfixturevalue("postgres_url")
    # The engine's own statement log on, as an operator debugging would turn it on.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    engine = make_engine(url)
    with engine.connect() as connection:
        existing = connection.execute(text("SELECT ssn FROM residents LIMIT 1")).scalar_one()
    marker_phone, marker_name = "13987654321", "测试姓名"
    app = create_app(engine, Settings(purge=False))

    def clash() -> None:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO residents (ssn, name, sex, birth_date, registered_locally,"
                    " employment, phone, demo) VALUES (:ssn, :name, '1', '1990-01-01', true,"
                    " 'working', :phone, false)"
                ),
                {"ssn": existing, "name": marker_name, "phone": marker_phone},
            )

    app.add_api_route("/test-clash", clash, methods=["POST"])
    caplog.set_level(logging.INFO)
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.post("/test-clash")
    engine.dispose()
    assert (answer.status_code, answer.json()["code"]) == (500, "internal_error")
    assert "database failure in /test-clash: " in caplog.text
    assert "INSERT INTO residents" in caplog.text  # the statement was logged, its values not
    for value in (marker_phone, marker_name, existing):
        assert value not in caplog.text and value not in answer.text


OPERATION_CALLS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "ask_consent": ("POST", "/v1/staff/consents", {"purpose": "card_service"}),
    "consent_state": ("GET", "/v1/staff/consents/" + "0" * 32, None),
    "lookup": ("POST", "/v1/staff/lookups", {"consent_id": "0" * 32}),
    "reply": ("POST", "/v1/staff/complaints/C-AAAA-BBBB-CCCC/reply", {"reply": "好"}),
    "answer_assistance": ("DELETE", "/v1/staff/kiosks/no-such-kiosk/assistance", None),
    "check_identity": (
        "POST",
        "/v1/staff/pin-resets",
        {**DEMO_B, "id_number": "410105198807160014"},
    ),
    "outcome": ("POST", "/v1/staff/pin-resets/" + "0" * 32, {"written": True}),
    "fleet": ("GET", "/v1/staff/kiosks", None),
    "audit_log": ("GET", "/v1/staff/audit", None),
    "audit_export": (
        "GET",
        "/v1/staff/audit/export?since=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z",
        None,
    ),
}


def test_every_staff_operation_is_in_the_roles_table_and_called_here() -> None:
    assert set(OPERATION_CALLS) == set(roles.OPERATIONS)


@pytest.mark.parametrize("operation", sorted(roles.OPERATIONS))
def test_each_role_may_do_what_the_table_says(live: LivePlatform, operation: str) -> None:
    method, path, body = OPERATION_CALLS[operation]
    for role in roles.ROLES:
        headers = staff_headers(live, f"demo-{role}")
        answer = requests.request(method, live.url + path, json=body, headers=headers, timeout=10)
        forbidden = (answer.status_code, answer.json().get("code") if answer.content else None)
        if role in roles.OPERATIONS[operation]:
            assert forbidden != (403, "staff_forbidden"), (operation, role)
        else:
            assert forbidden == (403, "staff_forbidden"), (operation, role, answer.text)


def test_the_docs_list_the_roles_and_limits_the_server_enforces() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for operation, allowed in roles.OPERATIONS.items():
        row = re.search(rf"^\| `{operation}` \|(.*)\|$", docs, re.M)
        assert row is not None, operation
        marks = [cell.strip() for cell in row.group(1).split("|")]
        assert {r for r, mark in zip(roles.ROLES, marks, strict=True) if mark == "yes"} == allowed
    for name, rule in limits.RULES.items():
        row = re.search(rf"^\| `{name}` \| (\d+) \| (\d+) s \|", docs, re.M)
        assert row is not None, name
        assert (int(row.group(1)), int(row.group(2))) == (rule.limit, rule.window_s)


def test_a_staff_token_works_at_its_own_counter_only(live: LivePlatform) -> None:
    headers = staff_headers(live)
    service.register_kiosk(live.engine, "counter-2", "counter-2-key-0123456789")
    elsewhere = {"X-Kiosk-Id": "counter-2", "X-Kiosk-Key": "counter-2-key-0123456789"}
    token = {"X-Staff-Token": headers["X-Staff-Token"]}
    used = requests.post(
        f"{live.url}/v1/staff/consents", json={"purpose": "card_service"}, headers=elsewhere | token
    )
    assert (used.status_code, used.json()["code"]) == (401, "staff_unauthenticated")
    # Signing out from the other counter ends nothing.
    requests.delete(f"{live.url}/v1/staff/sessions/current", headers=elsewhere | token)
    still = requests.post(
        f"{live.url}/v1/staff/consents", json={"purpose": "card_service"}, headers=headers
    )
    assert still.status_code == 201


def test_a_405_says_what_is_allowed(live: LivePlatform) -> None:
    answer = requests.put(f"{live.url}/v1/health", timeout=5)
    assert answer.status_code == 405 and answer.json()["code"] == "method_not_allowed"
    assert "GET" in answer.headers["Allow"]


def test_a_lost_card_opens_a_session_for_its_life_only(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_B)
    lost = requests.post(
        f"{live.url}/v1/card/loss-report",
        json={"kind": "temporary"},
        headers=headers | {"Idempotency-Key": uuid.uuid4().hex},
    )
    assert lost.status_code == 201
    body = {"method": "card", **DEMO_B, "pin_verified_on_chip": True}
    full = requests.post(f"{live.url}/v1/sessions", json=body, headers=live.headers)
    assert (full.status_code, full.json()["code"]) == (403, "card_not_in_service")
    opened = requests.post(
        f"{live.url}/v1/sessions", json=body | {"scope": "card_life"}, headers=live.headers
    )
    assert opened.status_code == 201 and opened.json()["scope"] == "card_life"
    scoped = live.headers | {"X-Session-Token": opened.json()["token"]}
    records = requests.get(f"{live.url}/v1/records/contributions", headers=scoped)
    assert (records.status_code, records.json()["code"]) == (403, "card_not_in_service")
    assert requests.get(f"{live.url}/v1/card", headers=scoped).json()["status"] == (
        "temporarily_lost"
    )
    lifted = requests.post(
        f"{live.url}/v1/card/loss-lifting",
        json={},
        headers=scoped | {"Idempotency-Key": uuid.uuid4().hex},
    )
    assert lifted.status_code == 201 and lifted.json()["card_status"] == "normal"
    # A card in service opens a full session whatever was asked.
    again = requests.post(
        f"{live.url}/v1/sessions", json=body | {"scope": "card_life"}, headers=live.headers
    )
    assert again.json()["scope"] == "full"


def test_migrate_is_its_own_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = sqlite_url(tmp_path / "platform.sqlite3")
    with pytest.raises(SystemExit):
        main(["server", "migrate", "--help"])
    assert capsys.readouterr().out.startswith("usage: kiosk server migrate")
    # A server on an unmigrated database refuses with one line.
    refused = subprocess.run(
        [sys.executable, "-m", "kiosk.server", "--db", url, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "kiosk server migrate" in refused.stderr
    assert main(["server", "migrate", "--db", url, "--demo"]) == 0
    assert capsys.readouterr().out.strip().endswith(f"is at {head_revision()}")
    engine = make_engine(url)
    # The start-up's shortcut past alembic reads the same revision, and the constant it compares
    # with is the migrations' head: a new migration without it would be skipped.
    assert recorded_revision(engine) == current_revision(engine) == head_revision()
    assert head_revision() == HEAD_REVISION
    with engine.connect() as connection:
        residents = connection.execute(text("SELECT count(*) FROM residents")).scalar_one()
        head = connection.execute(text("SELECT value FROM meta WHERE key = 'audit_head'"))
        assert head.scalar_one() == "0" * 64
    engine.dispose()
    assert residents > 0
    assert main(["server", "migrate", "--db", url, "--demo"]) == 0  # again: nothing to do
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM residents")).scalar_one() == residents
    engine.dispose()


def test_a_database_an_earlier_version_left_is_refused_then_migrated(tmp_path: Path) -> None:
    """The shortcut past alembic takes only the head: a database at an earlier revision is still
    refused by a server and brought forward by `kiosk server migrate`."""
    from alembic import command

    url = sqlite_url(tmp_path / "platform.sqlite3")
    assert main(["server", "migrate", "--db", url]) == 0
    command.downgrade(alembic_config(url), "0004")
    engine = make_engine(url)
    assert recorded_revision(engine) == "0004"
    assert pending_migration(engine) == (
        f"the database schema is at 0004, this version needs {HEAD_REVISION}:"
        " run `kiosk server migrate --db URL` first"
    )
    upgrade(engine)
    assert recorded_revision(engine) == HEAD_REVISION
    assert pending_migration(engine) is None
    engine.dispose()


def test_a_killed_fresh_demo_leaves_no_copy_behind(tmp_path: Path) -> None:
    server = serving_fresh_demo(launch.start_in_new_interpreter, tmp_path)
    assert server.stdout is not None
    copies = list(tmp_path.glob("onecard-demo-*"))
    assert len(copies) == 1
    server.kill()
    server.wait(10)
    server.stdout.close()
    assert copies[0].exists()  # a kill gives it no chance to clean up
    assert service.remove_stale_demo_copies(tmp_path) == 1
    assert not copies[0].exists()


def test_a_terminated_fresh_demo_removes_its_copy_and_ends_by_the_signal(tmp_path: Path) -> None:
    """SIGTERM is how the kiosk stops its embedded platform. uvicorn raises it again once it
    has shut down; the copy of the demo data must be gone before the signal ends the process."""
    server = serving_fresh_demo(launch.start_in_new_interpreter, tmp_path)
    assert server.stdout is not None
    assert len(list(tmp_path.glob("onecard-demo-*"))) == 1
    server.terminate()
    assert server.wait(15) == -signal.SIGTERM
    server.stdout.close()
    assert not list(tmp_path.glob("onecard-demo-*"))


def test_retention_deletes_what_outlived_its_period(live: LivePlatform) -> None:
    headers = resident_headers(live, DEMO_A)
    requests.delete(f"{live.url}/v1/sessions/current", headers=headers)
    filed = file_complaint(
        live,
        resident_headers(live, DEMO_A),
        category="service",
        subject="排队",
        text="太久",
        contact="13900000000",
    )
    requests.post(
        f"{live.url}/v1/staff/complaints/{filed['tracking_number']}/reply",
        json={"reply": "已处理"},
        headers=staff_headers(live),
    )
    now = dt.datetime.now(dt.UTC)
    with live.db() as db:
        assert retention.purge(db, now)["complaint_contacts"] == 0
        sessions_before = len(db.scalars(select(m.ResidentSession)).all())
        assert sessions_before >= 2
    with live.db() as db:  # 31 days on: sessions go, the replied contact stays until 180 days
        gone = retention.purge(db, now + dt.timedelta(days=31))
        assert gone["resident_sessions"] >= sessions_before
        assert gone["complaint_contacts"] == 0
    with live.db() as db:
        gone = retention.purge(db, now + dt.timedelta(days=181))
        assert gone["complaint_contacts"] >= 1
        row = db.scalars(
            select(m.Complaint).where(m.Complaint.tracking_number == filed["tracking_number"])
        ).one()
        assert row.contact is None and row.reply == "已处理" and row.text == "太久"
