"""The personal rights statement alone, no Qt: what goes on the sheet, and when it does not."""

from __future__ import annotations

import datetime as dt

from helpers.rig import KioskRig

from kiosk.domain.errors import PlatformUnavailable, PrinterOffline
from kiosk.flows.records import RecordsTask
from kiosk.flows.rights_statement import RightsStatementTask
from kiosk.flows.task_kit import QrPanel
from kiosk.testing.printing import FakeA4Printer

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)


def test_contributions_by_insurance_and_year_the_account_and_the_pension() -> None:
    a4 = FakeA4Printer()
    rig = KioskRig(a4printer=a4)
    task = RightsStatementTask(rig.context(), now=lambda: NOW)
    assert task.view().hint is not None and task.view().hint.id == "catalog.loading"
    rig.run()
    (document,) = a4.documents
    assert document.kind == "rights_statement"
    contributions, medical, pension = document.tables
    # 2024: ten months paid (March and April missing), 2025: twelve
    assert contributions.rows == (
        ("城镇职工基本养老保险", "2024", "10", "4,000.00", "0.00"),
        ("城镇职工基本养老保险", "2025", "12", "4,800.00", "0.00"),
    )
    assert "1,234.56" in medical.title
    assert pension.rows[0] == ("2025-12", "3,120.00")
    assert len(pension.rows) == 12  # the most recent year, not the whole ledger
    assert document.verify_url.endswith(f"/v1/certificates/{document.code}")
    assert rig.platform.certificate_asks  # issued with it: its code verifies the sheet
    assert task.view().panels[0].title.id == "a4.printed"


def test_offered_in_the_records_menu_only_with_an_a4_printer() -> None:
    without = RecordsTask(KioskRig().context())
    labels = [c.label.id for c in without.view().choices]
    assert "rights.menu" not in labels
    rig = KioskRig(a4printer=FakeA4Printer())
    records = RecordsTask(rig.context())
    pager = records.view().pager_actions
    pager[1][1]()  # the menu's second page
    assert records.view().choices[-1].label.id == "rights.menu"
    assert records.view().choose(records.view().choices[-1].digit)
    rig.run()
    assert records.view().panels[0].title.id == "a4.printed"


def test_a_platform_down_is_said_and_a_printer_down_keeps_the_sheet() -> None:
    rig = KioskRig(a4printer=FakeA4Printer())
    rig.platform.errors["contributions"] = PlatformUnavailable()
    task = RightsStatementTask(rig.context(), now=lambda: NOW)
    rig.run()
    assert task.view().hint is not None
    assert task.view().hint.id == "error.platform.unavailable"

    a4 = FakeA4Printer()
    a4.fail_with = PrinterOffline("gone")
    rig = KioskRig(a4printer=a4)
    task = RightsStatementTask(rig.context(), now=lambda: NOW)
    rig.run()
    failed = task.view()
    assert isinstance(failed.panels[0], QrPanel)
    assert failed.panels[0].lines[0].id == "a4.error.offline"
    assert failed.choose("1")  # print again
    rig.run()
    assert len(a4.documents) == 1
