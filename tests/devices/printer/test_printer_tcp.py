"""Receipts over raw TCP to a stand-in printer that parses ESC/POS and answers status queries.

The stand-in (escpos_standin.py) is written apart from the kiosk's code; what it decodes is
what a printer would print.
"""

from __future__ import annotations

import time

import pytest
from printer_helpers import KINDS, TITLE, WIDTHS, fixed_receipt, laid_out_lines

from kiosk.devices.printer.factory import make_receipt_printer
from kiosk.domain.errors import PaperOut, PaperOutMidReceipt, PrinterOffline
from kiosk.domain.receipt import (
    PaperLevel,
    PaperWidth,
    PrintJob,
    PrintState,
    ReceiptKind,
    layout,
)


def printer_for(standin, width: PaperWidth = PaperWidth.MM80, options: str = "settle=0"):
    return make_receipt_printer(f"{standin.uri}?{options}", width)


def test_the_test_receipt_arrives_as_init_chinese_text_qr_and_cut(standin) -> None:
    stand = standin()
    job = PrintJob(fixed_receipt(ReceiptKind.TEST))
    outcome = printer_for(stand).print_job(job)
    assert outcome.printed and outcome.status.answered and outcome.status.paper is PaperLevel.OK
    got = stand.received
    kinds = got.kinds()
    assert kinds[:2] == ["init", "chinese"]
    assert kinds[-1] == "cut" and got.cuts == 1
    assert any(TITLE in line for line in got.lines)
    assert got.qr == [job.qr_payload]
    assert got.unknown == []
    assert "ZZ-JINSHUI-007" in "\n".join(got.lines)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w.value}mm")
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.value)
def test_every_kind_decodes_to_its_layout(standin, kind: ReceiptKind, width: PaperWidth) -> None:
    stand = standin()
    receipt = fixed_receipt(kind)
    printer_for(stand, width).print_job(PrintJob(receipt))
    expected = laid_out_lines(receipt, width)
    # A QR code ends with a line feed of its own: an empty printed line after it.
    assert [line for line in stand.received.lines if line] == [line for line in expected if line]
    # The slips of a new PIN have no QR code: nothing to look up later.
    assert stand.received.qr == ([receipt.qr_payload] if receipt.qr_payload else [])
    assert stand.received.unknown == []


def test_chinese_punctuation_arrives_intact(standin) -> None:
    stand = standin()
    printer_for(stand).print_job(PrintJob(fixed_receipt(ReceiptKind.TEST)))
    text = "\n".join(stand.received.lines)
    assert "，。、；：？！“”‘’（）《》【】—…·" in text
    assert "?" not in text.replace("？", "")


def test_status_is_asked_before_between_and_after(standin) -> None:
    stand = standin()
    printer_for(stand).print_job(PrintJob(fixed_receipt(ReceiptKind.LOSS)))
    kinds = stand.received.kinds()
    assert stand.received.status_queries[:4] == [1, 2, 3, 4]
    sections = len(layout(fixed_receipt(ReceiptKind.LOSS), PaperWidth.MM80).sections)
    # Before, between each pair of segments (sections and the cut), and after.
    assert len(stand.received.status_queries) == 4 * (sections + 2)
    assert kinds[0] == "init"


def test_paper_out_before_printing_sends_no_receipt(standin) -> None:
    stand = standin(paper_out=True)
    job = PrintJob(fixed_receipt(ReceiptKind.CERTIFICATE))
    with pytest.raises(PaperOut) as caught:
        printer_for(stand).print_job(job)
    assert type(caught.value) is PaperOut
    assert caught.value.job is job
    assert caught.value.outcome is not None
    assert caught.value.outcome.state is PrintState.NOT_STARTED
    assert stand.received.events == [] and stand.received.lines == []
    assert stand.received.status_queries == [1, 2, 3, 4]


def test_paper_out_mid_receipt_then_the_same_job_again(standin) -> None:
    stand = standin(paper_out_after_lines=6)
    job = PrintJob(fixed_receipt(ReceiptKind.COMPLAINT))
    printer = printer_for(stand)
    with pytest.raises(PaperOutMidReceipt) as caught:
        printer.print_job(job)
    assert caught.value.outcome is not None
    assert caught.value.outcome.state is PrintState.INTERRUPTED
    assert len(stand.received.lines) == 6 and stand.received.cuts == 0
    assert stand.received.qr == []  # the rest was never sent

    stand.load_paper()
    outcome = printer.print_job(caught.value.outcome.job)
    assert outcome.printed and outcome.job.job_id == job.job_id
    # A cut first, to part whatever the printer held, then the whole receipt with its own cut.
    assert stand.received.cuts == 2
    assert stand.received.qr == [job.qr_payload]
    assert sum("投诉受理回执" in line for line in stand.received.lines) == 2


def test_a_printer_that_hangs_up_mid_receipt_is_offline_and_the_job_kept(standin) -> None:
    stand = standin(hang_up_after_lines=3)
    job = PrintJob(fixed_receipt(ReceiptKind.CERTIFICATE))
    with pytest.raises(PrinterOffline) as caught:
        printer_for(stand).print_job(job)
    assert caught.value.job is job
    assert caught.value.outcome is not None
    assert caught.value.outcome.state is PrintState.INTERRUPTED
    assert stand.received.cuts == 0 and stand.received.qr == []


def test_a_listener_that_never_answers_status_still_gets_the_receipt(standin) -> None:
    stand = standin(answers_status=False)
    started = time.monotonic()
    outcome = printer_for(stand).print_job(PrintJob(fixed_receipt(ReceiptKind.TEST)))
    assert outcome.printed and not outcome.status.answered
    assert outcome.status.paper is PaperLevel.UNKNOWN
    assert stand.received.cuts == 1 and any(TITLE in line for line in stand.received.lines)
    # One unanswered query (0.5 s), not one per section.
    assert time.monotonic() - started < 3


def test_settling_watches_status_after_the_receipt(standin) -> None:
    stand = standin()
    printer_for(stand, options="settle=0.3").print_job(PrintJob(fixed_receipt(ReceiptKind.TEST)))
    after_cut = stand.received.status_queries
    sections = len(layout(fixed_receipt(ReceiptKind.TEST), PaperWidth.MM80).sections)
    assert len(after_cut) > 4 * (sections + 2)


def test_raster_text_for_printers_without_a_chinese_font(standin) -> None:
    stand = standin()
    printer_for(stand, options="settle=0&text=raster").print_job(
        PrintJob(fixed_receipt(ReceiptKind.TEST))
    )
    got = stand.received
    assert "chinese" not in got.kinds()
    assert got.images >= 3 and [line for line in got.lines if line.strip()] == []
    assert len(got.qr) == 1 and got.cuts == 1


def test_raster_qr_for_printers_without_native_qr(standin) -> None:
    stand = standin()
    printer_for(stand, options="settle=0&qr=raster").print_job(
        PrintJob(fixed_receipt(ReceiptKind.TEST))
    )
    got = stand.received
    assert got.qr == [] and got.images == 1
    assert any(TITLE in line for line in got.lines)


def test_status_of_a_ready_printer(standin) -> None:
    stand = standin()
    status = printer_for(stand).status()
    assert status.answered and status.online and status.paper is PaperLevel.OK
    assert stand.received.status_queries == [1, 2, 3, 4]


def test_status_of_a_printer_out_of_paper(standin) -> None:
    status = printer_for(standin(paper_out=True)).status()
    assert status.paper is PaperLevel.OUT and status.online is False


def test_each_job_opens_and_closes_its_own_connection(standin) -> None:
    stand = standin()
    printer = printer_for(stand)
    printer.print_job(PrintJob(fixed_receipt(ReceiptKind.TEST)))
    printer.print_job(PrintJob(fixed_receipt(ReceiptKind.LOSS)))
    deadline = time.monotonic() + 2
    while stand.connections < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stand.connections == 2 and stand.received.cuts == 2
