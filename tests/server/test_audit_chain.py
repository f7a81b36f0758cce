"""The look-up log's hash chain: an edited, removed or reordered entry is found and named, by
the platform's check and by `kiosk audit-log verify`; a supervisor exports one period."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import requests
from counter_support import DEMO_A, DEMO_B, granted, lookup, resident_headers, staff_headers
from sqlalchemy import select

from kiosk.cli import main
from kiosk.server import audit
from kiosk.server import models as m
from kiosk.server.testing import LivePlatform


@pytest.fixture
def logged(live: LivePlatform) -> LivePlatform:
    """Four look-ups, entries 1 to 4."""
    staff = staff_headers(live)
    for card, purpose in (
        (DEMO_A, "card_service"),
        (DEMO_B, "contribution_inquiry"),
        (DEMO_A, "complaint_handling"),
        (DEMO_B, "medical_inquiry"),
    ):
        consent = granted(live, staff, resident_headers(live, card), purpose)
        assert lookup(live, staff, consent).status_code == 200
    return live


def verify(live: LivePlatform, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    url = live.engine.url.render_as_string(hide_password=False)
    code = main(["audit-log", "verify", "--db", url])
    return code, capsys.readouterr().out.strip()


def entry(db: object, entry_id: int) -> m.AuditEntry:
    from sqlalchemy.orm import Session

    assert isinstance(db, Session)
    row = db.get(m.AuditEntry, entry_id)
    assert row is not None
    return row


def test_an_intact_log_verifies(logged: LivePlatform, capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(logged, capsys) == (0, "audit log intact: 4 entries")
    with logged.db() as db:
        assert audit.first_problem(db) is None


def test_an_edited_entry_is_named(logged: LivePlatform, capsys: pytest.CaptureFixture[str]) -> None:
    with logged.db() as db:
        entry(db, 2).purpose = "card_service"
        db.commit()
    code, out = verify(logged, capsys)
    assert code == 1 and out.startswith("audit log BROKEN at entry 2 (altered)")


@pytest.mark.parametrize("column", ["at", "staff_id", "resident_id", "fields", "consent_id"])
def test_any_edited_column_shows(logged: LivePlatform, column: str) -> None:
    with logged.db() as db:
        row = entry(db, 3)
        changed = {
            "at": row.at - dt.timedelta(minutes=5),
            "staff_id": row.staff_id + 1,
            "resident_id": row.resident_id + 1,
            "fields": "name",
            "consent_id": "0" * 32,
        }[column]
        setattr(row, column, changed)
        db.commit()
        problem = audit.first_problem(db)
    assert problem is not None and (problem.entry_id, problem.kind) == (3, "altered")


def verify_without(
    logged: LivePlatform, capsys: pytest.CaptureFixture[str], *deleted: int
) -> tuple[int, str]:
    """The verifier's exit code and report once these entries are deleted from the log."""
    with logged.db() as db:
        for number in deleted:
            db.delete(entry(db, number))
        db.commit()
    return verify(logged, capsys)


def test_a_deleted_entry_is_named(logged: LivePlatform, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = verify_without(logged, capsys, 2)
    assert code == 1 and out.startswith("audit log BROKEN at entry 3 (broken_link)")
    assert "entry 1" in out


def test_deleting_the_newest_entries_shows(
    logged: LivePlatform, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = verify_without(logged, capsys, 4, 3)
    assert code == 1 and out.startswith("audit log BROKEN at the log's end (missing_end)")
    assert "after entry 2" in out


def test_reordered_entries_are_named(
    logged: LivePlatform, capsys: pytest.CaptureFixture[str]
) -> None:
    with logged.db() as db:  # swap entries 2 and 3, each still matching its own hash
        two, three = entry(db, 2), entry(db, 3)
        two.id, three.id = 1002, 1003
        db.flush()
        two.id, three.id = 3, 2
        db.commit()
    code, out = verify(logged, capsys)
    assert code == 1 and out.startswith("audit log BROKEN at entry 2 (broken_link)")


def test_a_rewritten_entry_with_a_fresh_hash_still_breaks_the_next_link(
    logged: LivePlatform,
) -> None:
    with logged.db() as db:  # the forger recomputes entry 2's own hash, but not the rest
        row = entry(db, 2)
        row.purpose = "card_service"
        row.hash = audit._digest(row)
        db.commit()
        problem = audit.first_problem(db)
    assert problem is not None and (problem.entry_id, problem.kind) == (3, "broken_link")


def test_verify_refuses_a_missing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["audit-log", "verify", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}"])
    assert code == 3 and "no database" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()
    assert main(["audit-log"]) == 2
    assert "choose verify or export" in capsys.readouterr().err


def test_export_of_a_period(
    logged: LivePlatform, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = logged.engine.url.render_as_string(hide_password=False)
    now = dt.datetime.now(dt.UTC)
    out = tmp_path / "audit.json"
    code = main(
        [
            "audit-log",
            "export",
            "--db",
            url,
            "--since",
            (now - dt.timedelta(hours=1)).isoformat(),
            "--until",
            (now + dt.timedelta(hours=1)).isoformat(),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["chain_intact"] is True
    assert [e["id"] for e in document["entries"]] == [1, 2, 3, 4]
    assert all(e["consent_id"] and e["staff"] == "demo-counter" for e in document["entries"])
    assert "王秀英" not in out.read_text(encoding="utf-8")
    empty = main(
        ["audit-log", "export", "--db", url, "--since", "2020-01-01", "--until", "2020-02-01"]
    )
    assert empty == 0 and json.loads(capsys.readouterr().out)["entries"] == []
    assert main(["audit-log", "export", "--db", url, "--since", "x", "--until", "2020"]) == 2
    assert "not an ISO 8601" in capsys.readouterr().err


def test_supervisors_export_through_the_api(logged: LivePlatform) -> None:
    now = dt.datetime.now(dt.UTC)
    params = {
        "since": (now - dt.timedelta(hours=1)).isoformat(),
        "until": (now + dt.timedelta(hours=1)).isoformat(),
    }
    url = f"{logged.url}/v1/staff/audit/export"
    counter = requests.get(url, params=params, headers=staff_headers(logged), timeout=5)
    assert (counter.status_code, counter.json()["code"]) == (403, "staff_forbidden")
    supervisor = staff_headers(logged, "demo-supervisor")
    export = requests.get(url, params=params, headers=supervisor, timeout=5).json()
    assert len(export["entries"]) == 4 and export["chain_intact"] is True
    with logged.db() as db:
        db.delete(entry(db, 2))
        db.commit()
    broken = requests.get(url, params=params, headers=supervisor, timeout=5).json()
    assert broken["chain_intact"] is False
    assert broken["first_problem"]["entry_id"] == 3
    backwards = requests.get(
        url, params={"since": params["until"], "until": params["since"]}, headers=supervisor
    )
    # A period given backwards is read in order: the same entries.
    assert backwards.status_code == 200
    assert [e["id"] for e in backwards.json()["entries"]] == [e["id"] for e in broken["entries"]]
    with logged.db() as db:
        assert db.scalars(select(m.AuditEntry)).all()
