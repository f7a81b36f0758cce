"""A scanner in the process, for the demo's dev panel and the tests."""

from __future__ import annotations

import threading

from kiosk.devices.scanner.framing import acceptable
from kiosk.devices.scanner.interface import ECodeListener, SilentListener


class SimulatedECodeScanner:
    """Implements ECodeScanner; scan() may be called from any thread."""

    def __init__(self) -> None:
        self._listener: ECodeListener = SilentListener()
        self._plugged = True
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "simulated scanner"

    def start(self, listener: ECodeListener) -> None:
        with self._lock:
            self._listener = listener
            plugged = self._plugged
        listener.scanner_changed(plugged)

    def stop(self) -> None:
        with self._lock:
            self._listener = SilentListener()

    def scan(self, raw: str) -> bool:
        """A code held under the scanner; False if the scanner would not read it."""
        with self._lock:
            listener, plugged = self._listener, self._plugged
        if not plugged or not acceptable(raw):
            return False
        listener.code_scanned(raw)
        return True

    def unplug(self) -> None:
        self._set_plugged(False)

    def plug(self) -> None:
        self._set_plugged(True)

    def _set_plugged(self, plugged: bool) -> None:
        with self._lock:
            changed = plugged != self._plugged
            self._plugged = plugged
            listener = self._listener
        if changed:
            listener.scanner_changed(plugged)
