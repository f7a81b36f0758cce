"""An e-code scanner that types like a keyboard (USB HID "keyboard wedge").

The UI forwards each typed character to feed() and Enter to end(). A scanner types a whole code
in a burst, faster than any person: characters further apart than `max_gap_s` start a new
buffer, so a resident typing on a keyboard is never mistaken for a scan.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from kiosk.devices.scanner.framing import acceptable
from kiosk.devices.scanner.interface import ECodeListener


class _Silent:
    def scanner_changed(self, available: bool) -> None:
        pass

    def code_scanned(self, raw: str) -> None:
        pass


class KeyboardWedgeScanner:
    """Implements ECodeScanner; feed() and end() are called by the UI for key events."""

    def __init__(
        self, max_gap_s: float = 0.05, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_gap_s = max_gap_s
        self._clock = clock
        self._listener: ECodeListener = _Silent()
        self._chars: list[str] = []
        self._last = 0.0
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "keyboard-wedge scanner"

    def start(self, listener: ECodeListener) -> None:
        self._listener = listener
        listener.scanner_changed(True)

    def stop(self) -> None:
        self._listener = _Silent()
        with self._lock:
            self._chars.clear()

    def feed(self, text: str) -> None:
        now = self._clock()
        with self._lock:
            if self._chars and now - self._last > self._max_gap_s:
                self._chars.clear()
            self._chars.extend(text)
            self._last = now

    def end(self) -> bool:
        """Enter: True if a scanned code was handed on (the UI then drops the key)."""
        now = self._clock()
        with self._lock:
            burst = bool(self._chars) and now - self._last <= self._max_gap_s
            code = "".join(self._chars) if burst else ""
            self._chars.clear()
        if not acceptable(code):
            return False
        self._listener.code_scanned(code)
        return True
