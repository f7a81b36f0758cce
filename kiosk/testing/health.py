"""The health monitor as the tests and the audit's service menu build it: a fixed wall clock,
the reader plugged in, and the platform, printer, outbox and scanner each a test's choice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kiosk.flows.health import HealthMonitor
from kiosk.flows.ports import Clock, TaskRunner

HEARTBEAT_AT = dt.datetime(2026, 11, 27, 10, 0, 0)


class PendingOutbox:
    """An outbox holding `pending` submissions not yet delivered."""

    def __init__(self, pending: int) -> None:
        self.pending = pending

    def pending_count(self) -> int:
        return self.pending


def health_monitor(
    runner: TaskRunner,
    clock: Clock,
    *,
    platform: object = None,
    printer: object = None,
    outbox_pending: int | None = None,
    scanner_available: Callable[[], bool | None] | None = None,
    wall_clock: Callable[[], dt.datetime] = lambda: HEARTBEAT_AT,
    software_version: str = "0.1.0",
) -> HealthMonitor:
    """No outbox unless `outbox_pending` says how many it holds."""
    outbox = None if outbox_pending is None else PendingOutbox(outbox_pending)
    return HealthMonitor(
        runner=runner,
        clock=clock,
        wall_clock=wall_clock,
        platform=lambda: platform,
        printer=lambda: printer,
        reader_available=lambda: True,
        outbox=lambda: outbox,
        software_version=software_version,
        scanner_available=scanner_available,
    )
