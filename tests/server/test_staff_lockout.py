"""Five wrong passwords in a row lock a staff account; an idle staff session ends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import requests
from counter_support import post, staff_headers

from kiosk.server import lockout
from kiosk.server import models as m
from kiosk.server.context import Settings
from kiosk.server.testing import LivePlatform


def login(live: LivePlatform, password: str, username: str = "demo-counter") -> requests.Response:
    return post(live, "/staff/sessions", {"username": username, "password": password}, live.headers)


def test_five_wrong_passwords_lock_the_account(live: LivePlatform) -> None:
    codes = [login(live, f"wrong-{i}").json()["code"] for i in range(5)]
    assert codes == ["staff_unauthenticated"] * 4 + ["staff_locked"]
    locked = login(live, "demo-counter-pass")
    assert (locked.status_code, locked.json()["code"]) == (403, "staff_locked")
    until = dt.datetime.fromisoformat(locked.json()["locked_until"])
    assert dt.timedelta(minutes=14) < until - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=15)
    assert login(live, "demo-supervisor-pass", "demo-supervisor").status_code == 201
    with live.db() as db:  # the lock-out has passed
        guard = db.get(m.LoginGuard, lockout.account_key(db, "demo-counter"))
        assert guard is not None and guard.failures == 5
        guard.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        db.commit()
    assert login(live, "demo-counter-pass").status_code == 201


def test_a_right_password_resets_the_count(live: LivePlatform) -> None:
    for _ in range(4):
        assert login(live, "wrong").status_code == 401
    assert login(live, "demo-counter-pass").status_code == 201
    for _ in range(4):
        assert login(live, "wrong").status_code == 401
    assert login(live, "demo-counter-pass").status_code == 201


def test_an_idle_staff_session_ends(tmp_path: Path, demo_template: Path) -> None:
    with LivePlatform(tmp_path, template=demo_template, settings=Settings(staff_idle_s=60)) as live:
        headers = staff_headers(live)
        url = f"{live.url}/v1/staff/consents"
        assert requests.post(url, json={"purpose": "card_service"}, headers=headers).ok
        with live.db() as db:
            for session in db.query(m.StaffSession):
                session.last_seen = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=61)
            db.commit()
        ended = requests.post(url, json={"purpose": "card_service"}, headers=headers)
        assert (ended.status_code, ended.json()["code"]) == (401, "staff_unauthenticated")
