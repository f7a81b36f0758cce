"""The one place that decides which e-code scanner the kiosk uses."""

from __future__ import annotations

from kiosk.devices.scanner.interface import ECodeScanner
from kiosk.devices.scanner.keyboard_wedge import ENTER, KeyboardWedgeScanner
from kiosk.devices.scanner.simulated import SimulatedECodeScanner

SCANNER_KINDS = ("simulated", "serial", "hid")


def make_ecode_scanner(
    kind: str,
    port: str | None = None,
    baudrate: int = 9600,
    *,
    prefix: str = "",
    suffix: str = ENTER,
) -> ECodeScanner:
    """ "simulated", "serial" (needs `port`; pyserial is imported only then) or "hid" (a
    keyboard wedge, which the screen's key filter feeds)."""
    if kind == "simulated":
        return SimulatedECodeScanner()
    if kind == "hid":
        return KeyboardWedgeScanner(prefix, suffix)
    if kind == "serial":
        if not port:
            raise ValueError("a serial e-code scanner needs a port")
        from kiosk.devices.scanner.serial_port import SerialECodeScanner

        return SerialECodeScanner(port, baudrate)
    raise ValueError(f"unknown e-code scanner kind {kind!r}; known: {', '.join(SCANNER_KINDS)}")
