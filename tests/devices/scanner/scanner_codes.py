"""What the scanner tests share: a code to scan, and a listener that waits for what it hears."""

from __future__ import annotations

import threading
from collections.abc import Callable

CODE = "EC1:0a9F-demo-token-not-real"


class Codes:
    """An ECodeListener that keeps what it hears, on whichever thread the scanner calls it."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.available: list[bool] = []
        self.changed = threading.Condition()

    def scanner_changed(self, available: bool) -> None:
        with self.changed:
            self.available.append(available)
            self.changed.notify_all()

    def code_scanned(self, raw: str) -> None:
        with self.changed:
            self.codes.append(raw)
            self.changed.notify_all()

    def wait(self, predicate: Callable[[], object], timeout: float = 5.0) -> None:
        with self.changed:
            assert self.changed.wait_for(predicate, timeout), (self.codes, self.available)
