"""The demo's printer: the real ESC/POS printer code talking to a virtual printer in the process.

It keeps every byte it was sent, renders each receipt as a PNG (for the dev panel), answers
status queries, and takes the faults the dev panel gives it: out of paper now or after so many
lines, paper near end, cover open.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.devices.printer.address import QrMode, TextMode
from kiosk.devices.printer.emulator import EscposEmulator, Printed
from kiosk.devices.printer.escpos_printer import EscposPrinter
from kiosk.devices.printer.transports import Transport
from kiosk.domain.receipt import PaperWidth, PrinterStatus, PrintJob, PrintOutcome


class EmulatorTransport(Transport):
    can_read = True

    def __init__(self, emulator: EscposEmulator) -> None:
        self.emulator = emulator

    @property
    def description(self) -> str:
        return "sim"

    def write(self, data: bytes) -> None:
        self.emulator.feed(data)

    def read(self, size: int, timeout: float) -> bytes:
        # The virtual printer answers as it parses: what is not there now will not come.
        return self.emulator.take_replies(size)

    def discard_input(self) -> None:
        self.emulator.take_replies(1 << 16)


class SimulatedPrinter:
    """Implements ReceiptPrinter, ReceiptPreview and PrinterControls."""

    def __init__(
        self,
        width: PaperWidth = PaperWidth.MM80,
        *,
        text_mode: TextMode = TextMode.GB18030,
        qr_mode: QrMode = QrMode.NATIVE,
    ) -> None:
        self.emulator = EscposEmulator(width)
        # No settling time: the virtual printer prints as it receives.
        self._printer = EscposPrinter(
            EmulatorTransport(self.emulator),
            width,
            text_mode=text_mode,
            qr_mode=qr_mode,
            status_timeout=0.0,
            settle=0.0,
        )

    # --- ReceiptPrinter ----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return "sim"

    @property
    def width(self) -> PaperWidth:
        return self._printer.width

    def status(self) -> PrinterStatus:
        return self._printer.status()

    def print_job(self, job: PrintJob) -> PrintOutcome:
        return self._printer.print_job(job)

    def close(self) -> None:
        self._printer.close()

    # --- ReceiptPreview ------------------------------------------------------------------------

    def last_png(self) -> bytes | None:
        return self.emulator.last_png()

    def save_png(self, path: Path) -> bool:
        png = self.last_png()
        if png is None:
            return False
        path.write_bytes(png)
        return True

    @property
    def sent(self) -> bytes:
        """Every byte the printer was sent, status queries included."""
        return bytes(self.emulator.received)

    @property
    def printed(self) -> Printed:
        return self.emulator.printed

    # --- PrinterControls -----------------------------------------------------------------------

    def load_paper(self) -> None:
        self.emulator.load_paper()

    def run_out_of_paper(self, after_lines: int | None = None) -> None:
        self.emulator.run_out_of_paper(after_lines)

    def set_near_end(self, near: bool = True) -> None:
        self.emulator.set_near_end(near)

    def set_cover_open(self, is_open: bool = True) -> None:
        self.emulator.set_cover_open(is_open)
