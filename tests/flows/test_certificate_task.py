"""The certificate task alone: choose, preview, print, and the QR code when paper runs out."""

from __future__ import annotations

from task_fakes import TaskRig, choose

from kiosk.domain.errors import PlatformUnavailable
from kiosk.domain.receipt import Columns, QrCode
from kiosk.flows.certificate import CertificateTask
from kiosk.flows.task_kit import QrPanel


def test_preview_then_print_with_the_verification_code_and_qr() -> None:
    rig = TaskRig()
    task = CertificateTask(rig.context())
    assert len(task.view().choices) == 4 and task.view().pager is not None
    choose(task.view(), "1")  # all insurances
    rig.run()
    preview = task.view()
    assert [p.title.id for p in preview.panels] == [
        "records.insurance.pension",
        "records.insurance.medical",
    ]
    assert preview.panels[0].lines[0].id == "certificate.span.insured"
    assert preview.pager is not None  # the others are on page two
    assert rig.printer.jobs == []  # type: ignore[union-attr]
    choose(preview, "1")
    rig.run()
    receipt = rig.printer.jobs[0].receipt  # type: ignore[union-attr]
    assert receipt.reference == "7K3M-Q9XT-2B4N" and receipt.sample  # demo data says so
    qr = next(b for b in receipt.blocks if isinstance(b, QrCode))
    assert qr.payload == "https://platform.test/v1/certificates/7K3M-Q9XT-2B4N"
    done = task.view()
    assert done.panels[0].title.id == "slip.printed"
    assert done.panels[0].lines[0].params == {"code": "7K3M-Q9XT-2B4N"}


def test_one_insurance_only_and_paper_out_gives_the_qr_on_screen() -> None:
    rig = TaskRig()
    assert rig.printer is not None
    rig.printer.paper_out = True
    task = CertificateTask(rig.context())
    choose(task.view(), "4")  # unemployment
    rig.run()
    assert [p.title.id for p in task.view().panels] == ["records.insurance.unemployment"]
    choose(task.view(), "1")
    rig.run()
    panel = task.view().panels[0]
    assert isinstance(panel, QrPanel) and panel.payload.endswith("7K3M-Q9XT-2B4N")
    content = task.content()
    assert [line.insurance for line in content.insurances] == ["失业保险"]
    rig.printer.paper_out = False
    choose(task.view(), "1")  # print again, the same job
    rig.run()
    assert rig.printer.jobs[0].receipt.reference == "7K3M-Q9XT-2B4N"
    names = [b.left for b in rig.printer.jobs[0].receipt.blocks if isinstance(b, Columns)]
    assert "失业保险" in names and "城镇职工基本养老保险" not in names


def test_without_a_printer_the_slip_is_a_qr_and_failures_go_back() -> None:
    rig = TaskRig(printer=None)
    task = CertificateTask(rig.context())
    choose(task.view(), "1")
    rig.run()
    choose(task.view(), "1")
    panel = task.view().panels[0]
    assert isinstance(panel, QrPanel) and panel.lines[0].id == "slip.no_printer"
    assert [c.label.id for c in task.view().choices] == ["task.done"]
    failing = TaskRig()
    failing.platform.errors["issue_certificate"] = PlatformUnavailable()
    task = CertificateTask(failing.context())
    choose(task.view(), "1")
    failing.run()
    assert task.view().hint is not None and task.view().hint.id == "error.platform.unavailable"
    assert task.back() and task.view().hint is not None
    assert task.view().hint.id == "certificate.hint.choose" and task.back() is False
