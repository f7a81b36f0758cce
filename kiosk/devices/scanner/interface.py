"""What the rest of the kiosk may know about an e-code scanner."""

from __future__ import annotations

from enum import Enum
from typing import Protocol


class ECodeListener(Protocol):
    """Receives scanner events, on the scanner's own thread: only queue work there."""

    def scanner_changed(self, available: bool) -> None: ...

    def code_scanned(self, raw: str) -> None:
        """The raw e-code. Hand it to the platform; never log, keep or print it."""
        ...


class SilentListener:
    """Hears nothing: a scanner's listener when nobody has started it."""

    def scanner_changed(self, available: bool) -> None:
        pass

    def code_scanned(self, raw: str) -> None:
        pass


class ECodeScanner(Protocol):
    @property
    def name(self) -> str: ...

    def start(self, listener: ECodeListener) -> None: ...

    def stop(self) -> None: ...


class WedgeVerdict(Enum):
    """What the screen does with a key press a keyboard-wedge scanner has seen first."""

    PASS = "pass"  # the screen has it now
    HOLD = "hold"  # kept back: it may be the start of a scan
    TAKEN = "taken"  # part of a scan: it and what is held never reach the screen
    RELEASE = "release"  # not a scan: what is held goes to the screen, then this key


class KeyWedge(Protocol):
    """A scanner that types like a keyboard, as the screen's key filter sees it."""

    @property
    def max_gap_s(self) -> float: ...

    def key(self, text: str) -> WedgeVerdict: ...

    def expire(self) -> WedgeVerdict: ...

    def expire_if_stale(self) -> WedgeVerdict: ...
