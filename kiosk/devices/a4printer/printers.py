"""The two A4 printers: a CUPS queue (QPrinter, QtPrintSupport) and a folder of PDF files.

Both block (painting a sheet takes a fraction of a second, a queue answers over the network):
call them through the flows' runner, never on the screen's thread. Both raise the receipt
printer's errors (kiosk.domain.errors), so a resident hears the same clear words: the queue is
gone or stopped (PrinterOffline), out of paper (PaperOut), the cover open (CoverOpen), anything
else (PrinterFault). The document is the caller's to keep and print again: nothing is lost.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

from kiosk.devices.a4printer.render import paint
from kiosk.domain.a4 import A4Document
from kiosk.domain.errors import CoverOpen, PaperOut, PrinterFault, PrinterOffline

log = logging.getLogger(__name__)


class PdfFolderPrinter:
    """Writes each document as a PDF into a folder (a hall's print server picks them up, or a
    kiosk without an A4 printer keeps them for staff). A file appears whole or not at all."""

    def __init__(self, folder: Path, font_family: str) -> None:
        self._folder = folder
        self._family = font_family

    @property
    def name(self) -> str:
        return f"pdf:{self._folder}"

    def print_document(self, document: A4Document) -> str:
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

        try:
            self._folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PrinterOffline(f"the PDF folder cannot be made: {error.strerror}") from None
        if not os.access(self._folder, os.W_OK):
            raise PrinterOffline("the PDF folder is not writable")
        target = self._folder / f"{document.file_stem}.pdf"
        partial = target.with_suffix(".pdf.part")
        writer = QPdfWriter(str(partial))
        writer.setResolution(300)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(18, 15, 18, 15), QPageLayout.Unit.Millimeter)
        writer.setTitle(document.title)
        writer.setCreator("onecard-kiosk")
        try:
            paint(document, writer, self._family)
            del writer  # closes the file
            if not partial.exists() or partial.stat().st_size == 0:
                raise PrinterFault("the PDF was not written")
            os.replace(partial, target)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise PrinterFault(f"the PDF could not be written: {error.strerror}") from None
        except PrinterFault:
            partial.unlink(missing_ok=True)
            raise
        log.info("A4 document written as PDF (%s)", document.kind)
        return str(target)

    def close(self) -> None:
        pass


# CUPS's printer-state-reasons (RFC 8011, 5.4.12) that stop a job, as the kiosk's errors.
_PAPER = ("media-empty", "media-needed", "media-jam")
_COVER = ("cover-open", "door-open", "interlock-open")


def queue_alerts(queue: str) -> tuple[bool, list[str]]:
    """Whether the queue accepts jobs and is enabled, and its state reasons, from `lpstat`.

    (True, []) when lpstat is not installed: Qt then decides alone."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return True, []
    try:
        answer = subprocess.run(
            [lpstat, "-l", "-p", queue], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False, ["lpstat-failed"]
    if answer.returncode != 0:
        return False, ["queue-unknown"]
    text = answer.stdout
    enabled = "disabled" not in text.split("\n", 1)[0]
    reasons: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.lower().startswith("alerts:"):
            reasons += [r.strip() for r in line.split(":", 1)[1].split() if r.strip()]
    return enabled, reasons


class CupsQueuePrinter:
    """Prints on a CUPS queue through QPrinter (QtPrintSupport)."""

    def __init__(self, queue: str, font_family: str) -> None:
        self._queue = queue
        self._family = font_family

    @property
    def name(self) -> str:
        return f"cups:{self._queue}"

    def print_document(self, document: A4Document) -> str:
        from PySide6.QtGui import QPageSize
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        if self._queue not in QPrinterInfo.availablePrinterNames():
            raise PrinterOffline(f"no CUPS queue {self._queue!r}")
        enabled, reasons = queue_alerts(self._queue)
        if any(reason.startswith(_PAPER) for reason in reasons):
            raise PaperOut("the A4 printer is out of paper")
        if any(reason.startswith(_COVER) for reason in reasons):
            raise CoverOpen("the A4 printer's cover is open")
        if not enabled:
            raise PrinterOffline("the A4 queue is stopped")
        info = QPrinterInfo.printerInfo(self._queue)
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(document.file_stem)
        paint(document, printer, self._family)
        if printer.printerState() in (
            QPrinter.PrinterState.Error,
            QPrinter.PrinterState.Aborted,
        ):
            raise PrinterFault("the A4 queue did not take the job")
        log.info("A4 document sent to the CUPS queue (%s)", document.kind)
        return self._queue

    def close(self) -> None:
        pass


def make_a4_printer(
    queue: str, pdf_dir: str, font_family: str
) -> CupsQueuePrinter | PdfFolderPrinter | None:
    """The queue if one is named, else the PDF folder if one is, else None (slips only)."""
    if queue:
        return CupsQueuePrinter(queue, font_family)
    if pdf_dir:
        return PdfFolderPrinter(Path(pdf_dir).expanduser(), font_family)
    return None
