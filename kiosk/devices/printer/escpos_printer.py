"""An ESC/POS thermal printer on any transport: status before, between and after, and no job lost.

print_job() asks the printer's real-time status before a receipt (nothing is sent to a printer
without paper), between the receipt's sections (paper running out mid-receipt stops the rest
from piling up in the printer's buffer) and after it, for `settle` seconds while the paper is
still moving. Every failure raises the typed PrinterError whose outcome holds the job, so the
caller can show it as a QR code and print it again; near end comes back in the outcome's status.

A printer that does not answer status queries (a plain TCP listener, a file) is printed to all
the same: that is what "any raw ESC/POS listener" means. Methods block and are not for the UI
thread; a lock keeps one job at a time.
"""

from __future__ import annotations

import logging
import threading
import time

from kiosk.devices.printer.address import QrMode, TextMode
from kiosk.devices.printer.encoder import EncodedReceipt, EscposEncoder
from kiosk.devices.printer.status import ALL_QUERIES, QUERIES, status_from_answers
from kiosk.devices.printer.transports import Transport
from kiosk.domain.errors import (
    CoverOpen,
    PaperOut,
    PaperOutMidReceipt,
    PrinterError,
    PrinterFault,
    PrinterOffline,
)
from kiosk.domain.receipt import (
    UNKNOWN_STATUS,
    PaperLevel,
    PaperWidth,
    PrinterStatus,
    PrintJob,
    PrintOutcome,
    PrintState,
)

log = logging.getLogger(__name__)

UNREACHABLE = PrinterStatus(answered=False, online=False)


class EscposPrinter:
    """Implements ReceiptPrinter."""

    def __init__(
        self,
        transport: Transport,
        width: PaperWidth = PaperWidth.MM80,
        *,
        text_mode: TextMode = TextMode.GB18030,
        qr_mode: QrMode = QrMode.NATIVE,
        status_timeout: float = 0.5,
        settle: float = 1.0,
        poll: float = 0.25,
    ) -> None:
        self._transport = transport
        self._encoder = EscposEncoder(width, text_mode, qr_mode)
        self._status_timeout = status_timeout
        self._settle = settle
        self._poll = poll
        self._lock = threading.Lock()
        # After a job stopped midway the printer may still hold its tail, which it prints once
        # paper is loaded: the next job starts with a cut so that tail comes out on its own.
        self._separate_next = False

    # --- ReceiptPrinter ----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._transport.description

    @property
    def width(self) -> PaperWidth:
        return self._encoder.width

    @property
    def encoder(self) -> EscposEncoder:
        return self._encoder

    def status(self) -> PrinterStatus:
        """The status now; a printer that cannot be reached is offline, not an exception."""
        with self._lock:
            try:
                self._transport.open()
                return self._read_status()
            except OSError as error:
                log.info("printer %s unreachable: %s", self.name, error)
                self._transport.close()
                return UNREACHABLE
            finally:
                if not self._transport.stays_open:
                    self._transport.close()

    def print_job(self, job: PrintJob) -> PrintOutcome:
        encoded = self._encoder.encode(job.receipt)
        with self._lock:
            try:
                return self._print(job, encoded)
            finally:
                if not self._transport.stays_open:
                    self._transport.close()

    def close(self) -> None:
        with self._lock:
            self._transport.close()

    # --- the job -----------------------------------------------------------------------------

    def _print(self, job: PrintJob, encoded: EncodedReceipt) -> PrintOutcome:
        sent = 0
        status = UNKNOWN_STATUS
        try:
            self._transport.open()
            status = self._read_status()
            self._refuse(job, status, sent)
            answers = status.answered
            if self._separate_next:
                self._transport.write(self._encoder.separating_cut())
                self._separate_next = False
            last = len(encoded.segments) - 1
            for index, segment in enumerate(encoded.segments):
                self._transport.write(segment)
                sent += len(segment)
                if answers and index < last:
                    status = self._read_status()
                    self._refuse(job, status, sent, answering=True)
            if answers:
                status = self._settled_status(job, sent)
        except PrinterError:
            raise
        except OSError as error:
            self._transport.close()
            state = PrintState.INTERRUPTED if sent else PrintState.NOT_STARTED
            if sent:
                self._separate_next = True
            outcome = PrintOutcome(job, state, UNREACHABLE, sent)
            log.warning(
                "print job %s: printer %s unreachable after %d bytes: %s",
                job.job_id,
                self.name,
                sent,
                error,
            )
            raise PrinterOffline(
                f"the printer at {self.name} cannot be reached: {error}", outcome
            ) from None
        log.info(
            "print job %s: %d bytes to %s, paper %s",
            job.job_id,
            sent,
            self.name,
            status.paper.value,
        )
        return PrintOutcome(job, PrintState.PRINTED, status, sent)

    def _settled_status(self, job: PrintJob, sent: int) -> PrinterStatus:
        """Watches the status while the receipt is still coming out of a buffered printer."""
        deadline = time.monotonic() + self._settle
        while True:
            status = self._read_status()
            self._refuse(job, status, sent, answering=True)
            if time.monotonic() >= deadline:
                return status
            time.sleep(min(self._poll, max(deadline - time.monotonic(), 0)))

    def _read_status(self) -> PrinterStatus:
        if not self._transport.can_read:
            return UNKNOWN_STATUS
        self._transport.discard_input()
        self._transport.write(ALL_QUERIES)
        return status_from_answers(self._transport.read(len(QUERIES), self._status_timeout))

    def _refuse(
        self, job: PrintJob, status: PrinterStatus, sent: int, *, answering: bool = False
    ) -> None:
        """Raises the error that stops this job, if the status gives one. `answering`: the
        printer answered before this job, so falling silent now means it went away."""
        if status.can_print and (status.answered or not answering):
            return
        started = sent > 0
        state = PrintState.INTERRUPTED if started else PrintState.NOT_STARTED
        outcome = PrintOutcome(job, state, status, sent)
        if started:
            self._separate_next = True
        log.warning(
            "print job %s stopped after %d bytes: printer %s %s",
            job.job_id,
            sent,
            self.name,
            status.as_dict(),
        )
        where = "while printing" if started else "before printing"
        error: PrinterError
        if status.cover_open:
            error = CoverOpen(f"the printer's cover is open ({where})", outcome)
        elif status.paper is PaperLevel.OUT:
            if started:
                error = PaperOutMidReceipt("the printer ran out of paper while printing", outcome)
            else:
                error = PaperOut("the printer is out of paper", outcome)
        elif status.error:
            error = PrinterFault(
                f"the printer reports a fault, a cutter jam or worse ({where})", outcome
            )
        elif not status.answered:
            error = PrinterOffline(f"the printer stopped answering ({where})", outcome)
        else:
            error = PrinterOffline(f"the printer reports itself offline ({where})", outcome)
        raise error
