"""What the rest of the kiosk may know about an e-code scanner."""

from __future__ import annotations

from typing import Protocol


class ECodeListener(Protocol):
    """Receives scanner events, on the scanner's own thread: only queue work there."""

    def scanner_changed(self, available: bool) -> None: ...

    def code_scanned(self, raw: str) -> None:
        """The raw e-code. Hand it to the platform; never log, keep or print it."""
        ...


class ECodeScanner(Protocol):
    @property
    def name(self) -> str: ...

    def start(self, listener: ECodeListener) -> None: ...

    def stop(self) -> None: ...
