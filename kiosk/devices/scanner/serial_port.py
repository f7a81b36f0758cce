"""An e-code scanner on a serial port (or a USB scanner in its virtual COM mode), with pyserial.

Scanners end each code with CR, LF or both. A port that disappears (cable pulled) is reported
as scanner_changed(False) and reopened every second until it is back.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from functools import partial
from typing import Any

from kiosk.devices.scanner.framing import MAX_CODE_LENGTH, acceptable, wipe
from kiosk.devices.scanner.interface import ECodeListener
from kiosk.devices.watch import WatchLoop

log = logging.getLogger(__name__)

_TERMINATORS = b"\r\n"


class SerialECodeScanner:
    """Implements ECodeScanner. `port` is a device ("/dev/ttyACM0", "COM3") or a pyserial URL."""

    def __init__(self, port: str, baudrate: int = 9600, reopen_interval: float = 1.0) -> None:
        self._port = port
        self._baudrate = baudrate
        self._reopen_interval = reopen_interval
        self._watch = WatchLoop("ecode-serial", join_timeout_s=3.0)
        self._serial: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"serial scanner on {self._port}"

    def start(self, listener: ECodeListener) -> None:
        self._watch.start(partial(self._run, listener))

    def stop(self) -> None:
        self._watch.stop(wake=self._cancel_read)

    def _cancel_read(self) -> None:
        with self._lock:
            port = self._serial
        if port is not None:
            with contextlib.suppress(AttributeError, OSError):
                port.cancel_read()

    def _open(self) -> Any:
        # pyserial, imported only when a serial scanner is configured.
        serial = importlib.import_module("serial")
        return serial.serial_for_url(self._port, baudrate=self._baudrate, timeout=0.2)

    def _run(self, listener: ECodeListener) -> None:
        available: bool | None = None
        while not self._watch.stopping.is_set():
            try:
                port = self._open()
            except Exception as error:  # SerialException, ImportError, OSError
                if available is not False:
                    log.warning(
                        "e-code scanner %s unavailable: %s", self._port, type(error).__name__
                    )
                    available = False
                    listener.scanner_changed(False)
                self._watch.stopping.wait(self._reopen_interval)
                continue
            with self._lock:
                self._serial = port
            if available is not True:
                available = True
                listener.scanner_changed(True)
            try:
                self._read(port, listener)
            except Exception as error:  # the port went away under us
                log.warning("e-code scanner %s lost: %s", self._port, type(error).__name__)
                available = False
                listener.scanner_changed(False)
            finally:
                with self._lock:
                    self._serial = None
                try:
                    port.close()
                except Exception:
                    log.debug("closing the scanner port failed")

    def _read(self, port: Any, listener: ECodeListener) -> None:
        buffer = bytearray()
        try:
            while not self._watch.stopping.is_set():
                chunk = port.read(port.in_waiting or 1)
                for byte in chunk:
                    if byte in _TERMINATORS:
                        self._deliver(buffer, listener)
                    elif len(buffer) <= MAX_CODE_LENGTH:
                        buffer.append(byte)
        finally:
            wipe(buffer)

    @staticmethod
    def _deliver(buffer: bytearray, listener: ECodeListener) -> None:
        if not buffer:
            return
        try:
            code = buffer.decode("utf-8")
        except UnicodeDecodeError:
            code = ""
        wipe(buffer)
        if acceptable(code):
            listener.code_scanned(code)
        else:
            log.info("e-code scanner: dropped a read that is not a code (%d chars)", len(code))
