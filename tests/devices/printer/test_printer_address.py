"""Printer URIs: each form, its defaults, and a one-line typed error for each kind of mistake."""

from __future__ import annotations

import pytest

from kiosk.devices.printer.address import parse_printer_uri
from kiosk.devices.printer.escpos_printer import EscposPrinter
from kiosk.devices.printer.factory import make_receipt_printer
from kiosk.devices.printer.simulated import SimulatedPrinter
from kiosk.domain.errors import PrinterAddressInvalid, PrinterError
from kiosk.domain.receipt import PaperWidth


def test_tcp_defaults_to_port_9100() -> None:
    address = parse_printer_uri("tcp://192.168.1.50")
    assert (address.scheme, address.host, address.port) == ("tcp", "192.168.1.50", 9100)
    assert parse_printer_uri("tcp://printer.local:9101").port == 9101
    assert parse_printer_uri("tcp://[::1]:9100").host == "::1"


def test_usb_takes_hex_vendor_and_product_ids() -> None:
    address = parse_printer_uri("usb://0416:5011?in_ep=0x81&out_ep=0x03")
    assert (address.vendor, address.product) == (0x0416, 0x5011)
    assert address.options == {"in_ep": "0x81", "out_ep": "0x03"}


def test_serial_takes_a_device_path_and_baudrate() -> None:
    address = parse_printer_uri("serial:///dev/ttyUSB0?baudrate=19200")
    assert (address.path, address.options["baudrate"]) == ("/dev/ttyUSB0", "19200")
    assert parse_printer_uri("serial://COM3").path == "COM3"


def test_file_takes_an_absolute_path() -> None:
    assert parse_printer_uri("file:///dev/usb/lp0").path == "/dev/usb/lp0"


def test_sim_with_and_without_faults() -> None:
    assert parse_printer_uri("sim").scheme == "sim"
    assert parse_printer_uri("sim?paper=out").options == {"paper": "out"}


@pytest.mark.parametrize(
    ("uri", "words"),
    [
        ("", "empty"),
        ("lpt1", "unknown printer address"),
        ("http://printer", "unknown printer address"),
        ("tcp://", "no host"),
        ("tcp://host:99999", "bad port"),
        ("tcp://host:port", "bad port"),
        ("tcp://host/queue", "no path"),
        ("usb://0416", "VID:PID"),
        ("usb://xyz:5011", "VID:PID"),
        ("usb://0416:5011?in_ep=banana", "in_ep"),
        ("serial://", "serial"),
        ("serial:///dev/ttyUSB0?baudrate=1234", "baudrate"),
        ("file://relative/path", "absolute"),
        ("tcp://host?text=bitmap", "gb18030|raster"),
        ("tcp://host?qr=huge", "native|raster"),
        ("tcp://host?settle=forever", "settle"),
        ("tcp://host?colour=red", "unknown option 'colour'"),
        ("sim?paper=wet", "ok|out|near_end"),
        ("sim?paper_out_after=-3", "number of lines"),
    ],
)
def test_a_bad_address_is_one_typed_line(uri: str, words: str) -> None:
    with pytest.raises(PrinterAddressInvalid) as caught:
        make_receipt_printer(uri)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message
    assert isinstance(caught.value, PrinterError)
    assert caught.value.message_id == "error.printer.misconfigured"


def test_the_factory_builds_the_printer_a_uri_names() -> None:
    tcp = make_receipt_printer("tcp://127.0.0.1:9", PaperWidth.MM58)
    assert isinstance(tcp, EscposPrinter)
    assert (tcp.name, tcp.width) == ("tcp://127.0.0.1:9", PaperWidth.MM58)
    assert isinstance(make_receipt_printer("sim"), SimulatedPrinter)
    usb = make_receipt_printer("usb://0416:5011")
    assert usb.name == "usb://0416:5011"
    assert make_receipt_printer("serial:///dev/ttyS9").name == "serial:///dev/ttyS9?baudrate=9600"
