"""The one place that decides which e-code scanner the kiosk uses."""

from __future__ import annotations

from kiosk.devices.scanner.interface import ECodeScanner
from kiosk.devices.scanner.keyboard_wedge import KeyboardWedgeScanner
from kiosk.devices.scanner.simulated import SimulatedECodeScanner

SCANNER_KINDS = ("simulated", "serial", "keyboard")


def make_ecode_scanner(kind: str, port: str | None = None, baudrate: int = 9600) -> ECodeScanner:
    """ "simulated", "serial" (needs `port`; pyserial is imported only then) or "keyboard"."""
    if kind == "simulated":
        return SimulatedECodeScanner()
    if kind == "keyboard":
        return KeyboardWedgeScanner()
    if kind == "serial":
        if not port:
            raise ValueError("a serial e-code scanner needs a port")
        from kiosk.devices.scanner.serial_port import SerialECodeScanner

        return SerialECodeScanner(port, baudrate)
    raise ValueError(f"unknown e-code scanner kind {kind!r}; known: {', '.join(SCANNER_KINDS)}")
