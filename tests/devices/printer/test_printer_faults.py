"""EscposPrinter against the simulated printer's faults: one fault per test, nothing lost.

Each failure raises its typed error; the error's outcome holds the job (to show as a QR code
and print again) and says whether anything reached the paper.
"""

from __future__ import annotations

import logging

import pytest
from printer_helpers import TITLE, fixed_receipt, laid_out_lines

from kiosk.devices.printer.encoder import EscposEncoder
from kiosk.devices.printer.escpos_printer import EscposPrinter
from kiosk.devices.printer.simulated import SimulatedPrinter
from kiosk.devices.printer.transports import MemoryTransport, TcpTransport
from kiosk.domain.errors import (
    CoverOpen,
    PaperOut,
    PaperOutMidReceipt,
    PrinterError,
    PrinterFault,
    PrinterOffline,
)
from kiosk.domain.receipt import (
    PaperLevel,
    PaperWidth,
    PrintJob,
    PrintState,
    ReceiptKind,
)


@pytest.fixture
def sim() -> SimulatedPrinter:
    return SimulatedPrinter(PaperWidth.MM58)


@pytest.fixture
def job() -> PrintJob:
    return PrintJob(fixed_receipt(ReceiptKind.CERTIFICATE))


def failing(printer: SimulatedPrinter | EscposPrinter, job: PrintJob) -> PrinterError:
    with pytest.raises(PrinterError) as caught:
        printer.print_job(job)
    error = caught.value
    assert error.job is job, "the error must hand back the job"
    return error


def test_a_ready_printer_prints_the_whole_receipt(sim: SimulatedPrinter, job: PrintJob) -> None:
    outcome = sim.print_job(job)
    assert outcome.printed and outcome.state is PrintState.PRINTED
    assert outcome.bytes_sent == len(EscposEncoder(PaperWidth.MM58).encode(job.receipt))
    assert outcome.status.paper is PaperLevel.OK
    assert sim.printed.cuts == 1 and sim.printed.qr_payloads == [job.qr_payload]
    assert sim.printed.unknown == []


def test_paper_out_before_printing_sends_nothing_and_keeps_the_job(
    sim: SimulatedPrinter, job: PrintJob
) -> None:
    sim.run_out_of_paper()
    error = failing(sim, job)
    assert type(error) is PaperOut
    assert error.message_id == "error.printer.paper_out"
    assert error.outcome is not None
    assert error.outcome.state is PrintState.NOT_STARTED and error.outcome.bytes_sent == 0
    assert sim.printed.lines == [] and sim.emulator.held == 0
    # Status queries are all that went out.
    assert set(sim.sent) <= set(b"\x10\x04\x01\x02\x03\x04")


def test_paper_out_mid_receipt_stops_sending_and_says_the_slip_is_incomplete(
    sim: SimulatedPrinter, job: PrintJob
) -> None:
    sim.run_out_of_paper(after_lines=5)
    error = failing(sim, job)
    assert type(error) is PaperOutMidReceipt
    assert error.message_id == "error.printer.paper_out_mid"
    assert error.outcome is not None and error.outcome.state is PrintState.INTERRUPTED
    whole = len(EscposEncoder(PaperWidth.MM58).encode(job.receipt))
    assert 0 < error.outcome.bytes_sent < whole
    expected = laid_out_lines(job.receipt, PaperWidth.MM58)
    printed = sim.printed.lines
    assert 0 < len(printed) < len(expected)
    assert printed == expected[: len(printed)]
    assert sim.printed.cuts == 0


def test_after_paper_out_mid_receipt_the_same_job_prints_whole_once_paper_is_loaded(
    sim: SimulatedPrinter, job: PrintJob
) -> None:
    sim.run_out_of_paper(after_lines=5)
    failing(sim, job)
    sim.load_paper()
    outcome = sim.print_job(job)
    assert outcome.printed and outcome.job.job_id == job.job_id
    # What the printer still held comes out first, cut off by its own cut; then the receipt.
    assert sim.printed.cuts == 2
    sheets = sim.emulator.sheets()
    assert len(sheets) == 2
    assert sim.printed.qr_payloads == [job.qr_payload]
    title_lines = [line for line in sim.printed.lines if "社会保险参保证明" in line]
    assert len(title_lines) == 2  # the interrupted copy's and the whole one's


def test_paper_out_before_then_loaded_prints_without_a_separating_cut(
    sim: SimulatedPrinter, job: PrintJob
) -> None:
    sim.run_out_of_paper()
    failing(sim, job)
    sim.load_paper()
    assert sim.print_job(job).printed
    assert sim.printed.cuts == 1


def test_paper_near_end_prints_and_reports_it(sim: SimulatedPrinter, job: PrintJob) -> None:
    sim.set_near_end()
    outcome = sim.print_job(job)
    assert outcome.printed
    assert outcome.status.paper is PaperLevel.NEAR_END and outcome.status.needs_attention
    assert sim.status().paper is PaperLevel.NEAR_END


def test_cover_open(sim: SimulatedPrinter, job: PrintJob) -> None:
    sim.set_cover_open()
    error = failing(sim, job)
    assert type(error) is CoverOpen and error.message_id == "error.printer.cover_open"
    assert error.outcome is not None and error.outcome.state is PrintState.NOT_STARTED


def test_cutter_jam_is_a_fault(sim: SimulatedPrinter, job: PrintJob) -> None:
    sim.emulator.set_cutter_error()
    error = failing(sim, job)
    assert type(error) is PrinterFault and error.message_id == "error.printer.fault"


def test_an_unreachable_printer_is_offline_and_keeps_the_job(job: PrintJob) -> None:
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    printer = EscposPrinter(TcpTransport("127.0.0.1", 9, timeout=2), PaperWidth.MM58)
    error = failing(printer, job)
    assert type(error) is PrinterOffline and error.message_id == "error.printer.offline"
    assert error.outcome is not None and error.outcome.state is PrintState.NOT_STARTED
    assert "\n" not in str(error)
    status = printer.status()
    assert status.online is False and not status.can_print


def test_a_printer_that_cannot_answer_is_printed_to_all_the_same(job: PrintJob) -> None:
    transport = MemoryTransport()
    outcome = EscposPrinter(transport, PaperWidth.MM80).print_job(job)
    assert outcome.printed and not outcome.status.answered
    assert bytes(transport.data) == EscposEncoder(PaperWidth.MM80).encode(job.receipt).data


def test_logs_carry_counts_and_status_never_content(
    sim: SimulatedPrinter, job: PrintJob, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="kiosk.devices.printer")
    sim.print_job(job)
    sim.run_out_of_paper()
    failing(sim, job)
    text = caplog.text
    assert "bytes" in text and "paper" in text
    for private in ("张示例", "4101", "7K3M", "社会保险"):
        assert private not in text


def test_the_simulated_printer_holds_what_it_gets_without_paper_and_prints_it_on_loading() -> None:
    sim = SimulatedPrinter(PaperWidth.MM58)
    sim.run_out_of_paper()
    sim.emulator.feed(b"\x1b@\x1c&" + TITLE.encode("gb18030") + b"\n")
    assert sim.printed.lines == [] and sim.emulator.held > 0
    sim.load_paper()
    assert sim.printed.lines == [TITLE]
