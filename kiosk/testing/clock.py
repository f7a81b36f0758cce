"""Clocks a test or the audit moves by hand."""

from __future__ import annotations


class ManualClock:
    """Monotonic seconds that move only when told: timeouts are reached by moving it on."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class TickingClock:
    """Moves a second each time it is read: each press then comes a second after the last, at a
    resident's own pace, so a press filter lets the same key through twice."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now
