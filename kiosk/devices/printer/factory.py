"""The one place that turns a printer's address (kiosk.devices.printer.address) into a printer."""

from __future__ import annotations

from pathlib import Path

from kiosk.devices.printer.address import PrinterAddress, QrMode, TextMode, parse_printer_uri
from kiosk.devices.printer.escpos_printer import EscposPrinter
from kiosk.devices.printer.interface import ReceiptPrinter
from kiosk.devices.printer.simulated import SimulatedPrinter
from kiosk.devices.printer.transports import (
    FileTransport,
    SerialTransport,
    TcpTransport,
    Transport,
    UsbTransport,
)
from kiosk.domain.receipt import PaperWidth


def make_receipt_printer(uri: str, width: PaperWidth = PaperWidth.MM80) -> ReceiptPrinter:
    """The printer a URI names (see the module's docstring). Raises PrinterAddressInvalid on a
    bad URI; reaching the printer is left to the first status() or print_job()."""
    address = parse_printer_uri(uri)
    text_mode = TextMode(address.option("text", TextMode.GB18030.value))
    qr_mode = QrMode(address.option("qr", QrMode.NATIVE.value))
    if address.scheme == "sim":
        printer = SimulatedPrinter(width, text_mode=text_mode, qr_mode=qr_mode)
        if address.option("paper", "ok") == "out":
            printer.run_out_of_paper()
        elif address.option("paper", "ok") == "near_end":
            printer.set_near_end()
        if "paper_out_after" in address.options:
            printer.run_out_of_paper(int(address.options["paper_out_after"]))
        if address.option("cover", "closed") == "open":
            printer.set_cover_open()
        return printer
    settle = float(address.option("settle", "1.0"))
    return EscposPrinter(
        _transport(address), width, text_mode=text_mode, qr_mode=qr_mode, settle=settle
    )


def _transport(address: PrinterAddress) -> Transport:
    if address.scheme == "tcp":
        return TcpTransport(address.host, address.port)
    if address.scheme == "usb":
        return UsbTransport(
            address.vendor,
            address.product,
            in_ep=int(address.option("in_ep", "0x82"), 0),
            out_ep=int(address.option("out_ep", "0x01"), 0),
        )
    if address.scheme == "serial":
        return SerialTransport(address.path, int(address.option("baudrate", "9600")))
    return FileTransport(Path(address.path))
