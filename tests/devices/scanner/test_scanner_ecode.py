"""E-code scanners: serial (through pyserial's loop:// port), simulated, the factory. The
keyboard wedge and a real pseudo-terminal: test_scanner_hall.py."""

from __future__ import annotations

import logging

import pytest
from scanner_codes import CODE, Codes

from kiosk.devices.scanner.factory import make_ecode_scanner
from kiosk.devices.scanner.keyboard_wedge import KeyboardWedgeScanner
from kiosk.devices.scanner.serial_port import SerialECodeScanner
from kiosk.devices.scanner.simulated import SimulatedECodeScanner


class LoopbackScanner(SerialECodeScanner):
    """pyserial's loop:// port: what is written is read back, as if a scanner sent it."""

    def __init__(self) -> None:
        super().__init__("loop://")
        import serial

        self.port = serial.serial_for_url("loop://", timeout=0.05)

    def _open(self) -> object:
        return self.port


def test_serial_scanner_hands_each_terminated_code_on(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    scanner = LoopbackScanner()
    codes = Codes()
    scanner.start(codes)
    try:
        codes.wait(lambda: codes.available == [True])
        scanner.port.write(CODE.encode() + b"\r\n" + b"short\r" + b"\xff\xfe\xfd\xfc\n")
        scanner.port.write(b"second-code-42\n")
        codes.wait(lambda: len(codes.codes) == 3)
    finally:
        scanner.stop()
    assert codes.codes == [CODE, "short", "second-code-42"]
    assert CODE not in caplog.text and "second-code-42" not in caplog.text


def test_serial_scanner_without_its_port_says_unavailable() -> None:
    scanner = SerialECodeScanner("/nonexistent/ttyECODE", reopen_interval=0.05)
    codes = Codes()
    scanner.start(codes)
    try:
        codes.wait(lambda: codes.available == [False])
    finally:
        scanner.stop()
    assert codes.codes == []


def test_simulated_scanner_and_its_plug() -> None:
    scanner = SimulatedECodeScanner()
    codes = Codes()
    scanner.start(codes)
    assert scanner.scan(CODE) is True
    scanner.unplug()
    assert scanner.scan(CODE) is False
    scanner.plug()
    assert scanner.scan("\x00bad") is False
    assert codes.codes == [CODE]
    assert codes.available == [True, False, True]


def test_factory() -> None:
    assert isinstance(make_ecode_scanner("simulated"), SimulatedECodeScanner)
    assert isinstance(make_ecode_scanner("hid"), KeyboardWedgeScanner)
    assert isinstance(make_ecode_scanner("serial", "loop://"), SerialECodeScanner)
    with pytest.raises(ValueError, match="needs a port"):
        make_ecode_scanner("serial")
    with pytest.raises(ValueError, match="unknown"):
        make_ecode_scanner("camera")
