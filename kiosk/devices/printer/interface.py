"""What the rest of the kiosk may know about a receipt printer.

The UI and the flows see only these names; which printer stands behind them (ESC/POS over tcp,
usb, serial or a file, or the simulator) is decided once, from a URI, by
kiosk.devices.printer.factory. The values they pass (receipts, jobs, outcomes, status) are the
domain's, imported from kiosk.domain.receipt where they are defined.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from kiosk.domain.receipt import PaperWidth, PrinterStatus, PrintJob, PrintOutcome

__all__ = ["PrinterControls", "ReceiptPreview", "ReceiptPrinter"]


class ReceiptPrinter(Protocol):
    """A receipt printer. Its methods block (a status query, a job of a few seconds): call them
    from a worker thread, never the UI thread. They are safe to call from several threads."""

    @property
    def name(self) -> str:
        """Where the printer is (tcp://10.0.0.7:9100): for logs and the operators' heartbeat."""
        ...

    @property
    def width(self) -> PaperWidth: ...

    def status(self) -> PrinterStatus:
        """The real-time status; an unreachable printer is reported offline, not raised."""
        ...

    def print_job(self, job: PrintJob) -> PrintOutcome:
        """Prints the job whole. Raises a PrinterError (PaperOut, PaperOutMidReceipt, CoverOpen,
        PrinterOffline, PrinterFault) whose `outcome` holds the job: show its QR code, keep it,
        and call print_job with the same job again when the printer is ready."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class ReceiptPreview(Protocol):
    """A printer that can show what it printed (the simulated one): for the dev panel."""

    def last_png(self) -> bytes | None:
        """The last receipt as a PNG image, or None before the first."""
        ...


@runtime_checkable
class PrinterControls(Protocol):
    """The faults a simulated printer can be given from the dev panel."""

    def load_paper(self) -> None: ...

    def run_out_of_paper(self, after_lines: int | None = None) -> None: ...

    def set_near_end(self, near: bool = True) -> None: ...

    def set_cover_open(self, is_open: bool = True) -> None: ...
