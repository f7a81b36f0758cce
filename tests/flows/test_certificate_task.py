"""The certificate task alone: insurance, period, preview, print, and the QR code when paper
runs out. The day is injected: the periods are counted from it."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.rig import KioskRig

from kiosk.domain.errors import PlatformUnavailable
from kiosk.domain.receipt import Columns, QrCode
from kiosk.flows.certificate import CertificateTask, period_for
from kiosk.flows.task_kit import DigitEntry, QrPanel

TODAY = dt.date(2026, 11, 27)


def task_for(rig: KioskRig) -> CertificateTask:
    return CertificateTask(rig.context(), today=lambda: TODAY)


def test_preview_then_print_with_the_verification_code_and_qr() -> None:
    rig = KioskRig()
    task = task_for(rig)
    assert len(task.view().choices) == 4 and task.view().pager is not None
    assert task.view().choose("1")  # all insurances
    assert task.view().hint is not None and task.view().hint.id == "certificate.hint.period"
    assert [c.label.id for c in task.view().choices] == [
        "certificate.period.whole",
        "certificate.period.last12",
        "certificate.period.this_year",
        "certificate.period.years",
    ]
    assert task.view().choose("1")  # the whole record
    rig.run()
    assert rig.platform.certificate_asks == [(None, None)]
    preview = task.view()
    assert preview.hint is not None and preview.hint.id == "certificate.hint.preview"
    assert [p.title.id for p in preview.panels] == [
        "records.insurance.pension",
        "records.insurance.medical",
    ]
    assert preview.panels[0].lines[0].id == "certificate.span.insured"
    assert preview.pager is not None  # the others are on page two
    assert rig.printer.jobs == []  # type: ignore[union-attr]
    assert preview.choose("1")
    rig.run()
    receipt = rig.printer.jobs[0].receipt  # type: ignore[union-attr]
    assert receipt.reference == "7K3M-Q9XT-2B4N" and receipt.sample  # demo data says so
    qr = next(b for b in receipt.blocks if isinstance(b, QrCode))
    assert qr.payload == "https://platform.test/v1/certificates/7K3M-Q9XT-2B4N"
    assert "证明期间" not in [b.left for b in receipt.blocks if isinstance(b, Columns)]
    done = task.view()
    assert done.panels[0].title.id == "slip.printed"
    assert done.panels[0].lines[0].params == {"code": "7K3M-Q9XT-2B4N"}


@pytest.mark.parametrize(
    ("digit", "period"),
    [("2", ("2025-12", "2026-11")), ("3", ("2026-01", "2026-11"))],
)
def test_a_period_is_asked_of_the_platform_and_printed(digit: str, period) -> None:
    rig = KioskRig()
    task = task_for(rig)
    assert task.view().choose("2")  # pension only
    assert task.view().choose(digit)
    rig.run()
    assert rig.platform.certificate_asks == [(("pension",), period)]
    hint = task.view().hint
    assert hint is not None and hint.id == "certificate.hint.preview_period"
    assert hint.params["first"] and hint.params["last"]
    assert task.view().choose("1")
    rig.run()
    blocks = rig.printer.jobs[0].receipt.blocks  # type: ignore[union-attr]
    stated = next(b for b in blocks if isinstance(b, Columns) and b.left == "证明期间")
    assert stated.right == f"{period[0]} 至 {period[1]}"


def test_last_twelve_months_cross_the_new_year() -> None:
    assert period_for("last12", dt.date(2026, 1, 5)) == ("2025-02", "2026-01")
    assert period_for("last12", dt.date(2026, 12, 31)) == ("2026-01", "2026-12")
    assert period_for("whole", TODAY) is None


def test_a_range_of_years_typed_on_the_keypad() -> None:
    rig = KioskRig()
    task = task_for(rig)
    assert task.view().choose("1")
    assert task.view().choose("4")
    entry = task.view()
    assert isinstance(entry, DigitEntry) and entry.max_digits == 4 and not entry.private
    assert entry.hint is not None and entry.hint.id == "certificate.from_year"
    entry.submit("1980")  # before any record
    assert task.view().hint is not None and task.view().hint.id == "certificate.error.year"
    task.view().submit("2020")  # type: ignore[attr-defined]
    assert task.view().hint is not None and task.view().hint.id == "certificate.to_year"
    task.view().submit("2019")  # type: ignore[attr-defined]  # before the first year
    assert task.view().hint.params == {"first": 2020, "last": 2026}  # type: ignore[union-attr]
    assert task.back() and task.view().hint.id == "certificate.from_year"  # type: ignore[union-attr]
    task.view().submit("2021")  # type: ignore[attr-defined]
    task.view().submit("2023")  # type: ignore[attr-defined]
    rig.run()
    assert rig.platform.certificate_asks == [(None, ("2021-01", "2023-12"))]
    task.back()  # from the preview, back to the period
    assert task.view().choose("4")
    task.view().submit("2024")  # type: ignore[attr-defined]
    task.view().submit("2026")  # type: ignore[attr-defined]  # this year: up to this month
    rig.run()
    assert rig.platform.certificate_asks[-1] == (None, ("2024-01", "2026-11"))


def test_one_insurance_only_and_paper_out_gives_the_qr_on_screen() -> None:
    rig = KioskRig()
    assert rig.printer is not None
    rig.printer.paper_out = True
    task = task_for(rig)
    assert task.view().choose("4")  # unemployment
    assert task.view().choose("1")
    rig.run()
    assert [p.title.id for p in task.view().panels] == ["records.insurance.unemployment"]
    assert task.view().choose("1")
    rig.run()
    panel = task.view().panels[0]
    assert isinstance(panel, QrPanel) and panel.payload.endswith("7K3M-Q9XT-2B4N")
    content = task.content()
    assert [line.insurance for line in content.insurances] == ["失业保险"]
    rig.printer.paper_out = False
    assert task.view().choose("1")  # print again, the same job
    rig.run()
    assert rig.printer.jobs[0].receipt.reference == "7K3M-Q9XT-2B4N"
    names = [b.left for b in rig.printer.jobs[0].receipt.blocks if isinstance(b, Columns)]
    assert "失业保险" in names and "城镇职工基本养老保险" not in names


def test_without_a_printer_the_slip_is_a_qr_and_failures_go_back() -> None:
    rig = KioskRig(printer=None)
    task = task_for(rig)
    assert task.view().choose("1")
    assert task.view().choose("1")
    rig.run()
    assert task.view().choose("1")
    panel = task.view().panels[0]
    assert isinstance(panel, QrPanel) and panel.lines[0].id == "slip.no_printer"
    assert [c.label.id for c in task.view().choices] == ["task.done"]
    failing = KioskRig()
    failing.platform.errors["issue_certificate"] = PlatformUnavailable()
    task = task_for(failing)
    assert task.view().choose("1")
    assert task.view().choose("1")
    failing.run()
    assert task.view().hint is not None and task.view().hint.id == "error.platform.unavailable"
    assert task.back() and task.view().hint is not None
    assert task.view().hint.id == "certificate.hint.period"
    assert task.back() and task.view().hint.id == "certificate.hint.choose"  # type: ignore[union-attr]
    assert task.back() is False
