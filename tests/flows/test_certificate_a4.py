"""The certificate on A4 or as a slip: the resident chooses where the hall has both; an A4
printer's trouble is said, the document kept (print again, a slip instead, the QR on screen).
No Qt: the A4 printer is the flows' port, stood in for here."""

from __future__ import annotations

import datetime as dt

from helpers.rig import KioskRig

from kiosk.domain.errors import PaperOut, PrinterOffline
from kiosk.flows.certificate import CertificateTask
from kiosk.flows.task_kit import QrPanel
from kiosk.testing.printing import FakeA4Printer

TODAY = dt.date(2026, 11, 27)
URL = "https://platform.test/v1/certificates/7K3M-Q9XT-2B4N"


def _to_preview(rig: KioskRig) -> CertificateTask:
    task = CertificateTask(rig.context(), today=lambda: TODAY)
    assert task.view().choose("1")  # all insurances
    assert task.view().choose("1")  # the whole record
    rig.run()
    assert task.view().choose("1")  # print
    return task


def _a4_tried(
    fail_with: Exception | None = None, **rig_args: bool
) -> tuple[FakeA4Printer, KioskRig, CertificateTask]:
    """A hall with both printers (the A4 one failing so, if told): the certificate previewed,
    A4 chosen and sent to the A4 printer."""
    a4 = FakeA4Printer()
    a4.fail_with = fail_with
    rig = KioskRig(a4printer=a4, **rig_args)
    task = _to_preview(rig)
    assert task.view().choose("1")
    rig.run()
    return a4, rig, task


def test_with_both_printers_the_resident_chooses_a4() -> None:
    a4 = FakeA4Printer()
    rig = KioskRig(a4printer=a4)
    task = _to_preview(rig)
    choice = task.view()
    assert choice.hint is not None and choice.hint.id == "a4.choose.hint"
    assert [c.label.id for c in choice.choices] == ["a4.choose.sheet", "a4.choose.slip"]
    assert choice.choose("1")
    assert task.view().panels[0].title.id == "a4.printing"
    rig.run()
    (document,) = a4.documents
    assert document.kind == "certificate" and document.verify_url == URL
    assert document.code == "7K3M-Q9XT-2B4N"
    assert rig.printer.jobs == []  # type: ignore[union-attr]
    done = task.view()
    assert done.panels[0].title.id == "a4.printed"
    assert [c.label.id for c in done.choices] == ["task.done"]
    # the holder as on the slip: the ID number masked
    assert dict(document.holder)["证件号码"].count("*") >= 8


def test_back_from_the_choice_returns_to_the_preview_and_the_slip_is_the_other_way() -> None:
    rig = KioskRig(a4printer=FakeA4Printer())
    task = _to_preview(rig)
    assert task.back()
    assert task.view().hint.id == "certificate.hint.preview"
    assert task.view().choose("1")
    assert task.view().choose("2")  # the slip
    rig.run()
    assert len(rig.printer.jobs) == 1  # type: ignore[union-attr]
    assert task.view().panels[0].title.id == "slip.printed"


def test_with_only_an_a4_printer_there_is_no_question() -> None:
    a4 = FakeA4Printer()
    rig = KioskRig(a4printer=a4, printer=None)
    task = _to_preview(rig)
    rig.run()
    assert len(a4.documents) == 1
    assert task.view().panels[0].title.id == "a4.printed"


def test_paper_out_on_a4_is_said_and_nothing_is_lost() -> None:
    a4, rig, task = _a4_tried(PaperOut("paper"))
    failed = task.view()
    panel = failed.panels[0]
    assert isinstance(panel, QrPanel) and panel.payload == URL
    assert panel.lines[0].id == "a4.error.paper_out"
    assert [c.label.id for c in failed.choices] == [
        "a4.print_again",
        "a4.choose.slip",
        "task.done",
    ]
    assert failed.choose("1")  # paper loaded: the same document again
    rig.run()
    assert len(a4.documents) == 1
    assert task.view().panels[0].title.id == "a4.printed"


def test_a_queue_that_is_gone_offers_the_slip_instead() -> None:
    _a4, rig, task = _a4_tried(PrinterOffline("no queue"))
    assert task.view().panels[0].lines[0].id == "a4.error.offline"
    assert task.view().choose("2")  # a slip instead
    rig.run()
    assert len(rig.printer.jobs) == 1  # type: ignore[union-attr]


def test_at_the_counter_the_id_number_from_the_chip_is_whole() -> None:
    a4, rig, _task = _a4_tried(at_counter=True)
    assert rig.snapshot is not None and rig.snapshot.holder is not None
    assert dict(a4.documents[0].holder)["证件号码"] == rig.snapshot.holder.ssn
