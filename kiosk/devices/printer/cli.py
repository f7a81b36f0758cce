"""`kiosk receipt print`, `kiosk receipt status` and `kiosk receipt speak`.

print: a receipt (a test page, or sample content for the other kinds until the platform supplies
real content) to the printer a URI names. A job that does not print is not lost: it is kept as
a file, and `--job FILE` prints it again once the printer is ready.
status: the printer's real-time status. speak: the receipt as voice mode reads it aloud.

Exit codes: 0 done; 1 a printer fault; 2 usage (a bad printer address included); 3 out of
paper; 4 printer offline or unreachable; 5 cover open. Errors are one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

import platformdirs

from kiosk.devices.commands import dispatch, fail
from kiosk.devices.commands import write as _write
from kiosk.domain import hall_time
from kiosk.domain.errors import (
    CoverOpen,
    PaperOut,
    PaperOutMidReceipt,
    PrinterAddressInvalid,
    PrinterError,
    PrinterOffline,
)
from kiosk.domain.receipt import (
    PaperLevel,
    PaperWidth,
    PrintJob,
    PrintOutcome,
    PrintState,
    ReceiptKind,
    receipt_from_data,
    receipt_to_data,
    sample_receipt,
    spoken_lines,
)

EXIT_OK = 0
EXIT_PRINTER_FAULT = 1
EXIT_PAPER_OUT = 3
EXIT_OFFLINE = 4
EXIT_COVER_OPEN = 5

KINDS = tuple(kind.value for kind in ReceiptKind)
_KIND_NAMES = {
    ReceiptKind.TEST: "test receipt",
    ReceiptKind.CERTIFICATE: "certificate",
    ReceiptKind.COMPLAINT: "complaint slip",
    ReceiptKind.LOSS: "loss-report slip",
    ReceiptKind.CARD_REQUEST: "card-request slip",
    ReceiptKind.PIN_CHANGE: "PIN-change slip",
    ReceiptKind.PIN_RESET: "PIN-reset slip",
    ReceiptKind.PIN_BLOCKED: "blocked-PIN slip",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="receipt_command", metavar="{print,status,speak}")

    print_ = commands.add_parser("print", help="print a receipt on the printer a URI names")
    what = print_.add_mutually_exclusive_group(required=True)
    what.add_argument("--kind", choices=KINDS, help="test page, or sample content of a kind")
    what.add_argument("--job", type=Path, metavar="FILE", help="print a job kept after a failure")
    _printer_argument(print_)
    _width_argument(print_)
    print_.add_argument("--kiosk-id", metavar="ID", help="the kiosk id printed on the receipt")
    print_.add_argument(
        "--png", type=Path, metavar="FILE", help="with --printer sim: save the receipt as a PNG"
    )

    status = commands.add_parser("status", help="ask the printer for its real-time status")
    _printer_argument(status)
    status.add_argument("--json", action="store_true", help="print the status as JSON")

    speak = commands.add_parser("speak", help="print the receipt as voice mode reads it aloud")
    speak.add_argument("--kind", choices=KINDS, required=True)
    speak.add_argument("--kiosk-id", metavar="ID")
    speak.add_argument(
        "--include-private", action="store_true", help="read personal data too (a handset)"
    )


def _printer_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--printer",
        required=True,
        metavar="URI",
        help="tcp://HOST[:PORT], usb://VID:PID, serial:///dev/ttyUSB0?baudrate=9600, "
        "file:///PATH or sim",
    )


def _width_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--width", type=int, choices=(58, 80), default=80, help="paper width in mm (default 80)"
    )


def run(args: argparse.Namespace) -> int:
    # python-escpos logs through logging.info(), which configures logging to stderr when the
    # root logger has no handler yet; the command's output must stay its own one line.
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    return dispatch(
        args,
        args.receipt_command,
        "receipt",
        print=run_print,
        status=run_status,
        speak=run_speak,
    )


# --- print ---------------------------------------------------------------------------------


def run_print(args: argparse.Namespace) -> int:
    from kiosk.devices.printer.factory import make_receipt_printer
    from kiosk.devices.printer.interface import ReceiptPreview

    if args.job is not None:
        try:
            job = load_job(args.job)
        except (OSError, ValueError) as error:
            return fail("receipt print", f"cannot read the kept job {args.job}: {error}")
    else:
        kind = ReceiptKind(args.kind)
        job = PrintJob(sample_receipt(kind, _kiosk_id(args), hall_time.now()))
    try:
        printer = make_receipt_printer(args.printer, PaperWidth.from_mm(args.width))
    except PrinterAddressInvalid as error:
        return fail("receipt print", str(error))
    if args.png is not None and not isinstance(printer, ReceiptPreview):
        return fail("receipt print", "--png needs --printer sim (only the simulator renders a PNG)")
    what = _KIND_NAMES[job.receipt.kind]
    try:
        outcome = printer.print_job(job)
    except PrinterError as error:
        code, reason = _explain(error)
        kept = keep_job(job)
        state = error.outcome.state if error.outcome else PrintState.NOT_STARTED
        printed = (
            "what came out is incomplete"
            if state is PrintState.INTERRUPTED
            else "nothing was printed"
        )
        return fail(
            "receipt print",
            f"{reason}: {printed}; the {what} is kept in {kept}: once the printer is ready, run "
            f"kiosk receipt print --job {kept} --printer {args.printer}",
            code,
        )
    finally:
        printer.close()
    if args.job is not None:
        args.job.unlink(missing_ok=True)
    _write(_printed_line(what, outcome, printer.name))
    if args.png is not None and isinstance(printer, ReceiptPreview):
        png = printer.last_png()
        if png is not None:
            args.png.write_bytes(png)
            _write(f"the receipt as printed: {args.png}\n")
    return EXIT_OK


def _printed_line(what: str, outcome: PrintOutcome, name: str) -> str:
    status = outcome.status
    paper = {
        PaperLevel.OK: "paper ok",
        PaperLevel.NEAR_END: "paper near end (纸将用完): load a new roll soon",
        PaperLevel.OUT: "paper out",
        PaperLevel.UNKNOWN: "the printer does not report its status",
    }[status.paper]
    return (
        f"printed the {what} (job {outcome.job.job_id}) on {name}: "
        f"{outcome.bytes_sent} bytes; {paper}\n"
    )


def _explain(error: PrinterError) -> tuple[int, str]:
    if isinstance(error, PaperOutMidReceipt):
        return EXIT_PAPER_OUT, "the paper ran out while printing (打印中途缺纸)"
    if isinstance(error, PaperOut):
        return EXIT_PAPER_OUT, "the printer is out of paper (打印机缺纸)"
    if isinstance(error, CoverOpen):
        return EXIT_COVER_OPEN, "the printer's cover is open (打印机盖未关)"
    if isinstance(error, PrinterOffline):
        return EXIT_OFFLINE, f"{error} (打印机未连接)"
    return EXIT_PRINTER_FAULT, f"{error or 'the printer reports a fault'} (打印机故障)"


# --- kept jobs -------------------------------------------------------------------------------


def kept_jobs_dir() -> Path:
    return Path(platformdirs.user_state_dir("onecard-kiosk")) / "receipts"


def keep_job(job: PrintJob) -> Path:
    """Writes the job where --job can find it. The command line prints sample content only, so
    no personal data reaches the disk this way; the kiosk keeps real jobs in memory."""
    folder = kept_jobs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{job.job_id}.json"
    data = {"job_id": job.job_id, "receipt": receipt_to_data(job.receipt)}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_job(path: Path) -> PrintJob:
    data: Any = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("job_id"), str):
        raise ValueError("not a kept print job")
    return PrintJob(receipt_from_data(data["receipt"]), job_id=data["job_id"])


# --- status and speak ----------------------------------------------------------------------


def run_status(args: argparse.Namespace) -> int:
    from kiosk.devices.printer.factory import make_receipt_printer

    try:
        printer = make_receipt_printer(args.printer)
    except PrinterAddressInvalid as error:
        return fail("receipt status", str(error))
    try:
        status = printer.status()
    finally:
        printer.close()
    if args.json:
        _write(json.dumps({"printer": printer.name, **status.as_dict()}) + "\n")
    else:
        facts = ", ".join(f"{k} {v}" for k, v in status.as_dict().items())
        _write(f"{printer.name}: {facts}\n")
    if status.online is False and not status.answered:
        return EXIT_OFFLINE
    return EXIT_OK


def run_speak(args: argparse.Namespace) -> int:
    receipt = sample_receipt(ReceiptKind(args.kind), _kiosk_id(args), hall_time.now())
    for line in spoken_lines(receipt, include_private=args.include_private):
        _write(line + "\n")
    return EXIT_OK


# --- small things ------------------------------------------------------------------------


def _kiosk_id(args: argparse.Namespace) -> str:
    if args.kiosk_id:
        return str(args.kiosk_id)
    from kiosk.config import KioskSection

    return KioskSection().id
