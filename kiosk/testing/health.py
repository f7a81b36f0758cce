"""The health monitor as the tests and the audit's service menu build it: a fixed wall clock,
the reader plugged in, and the platform, printer, outbox and scanner each a test's choice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from kiosk.flows.health import HealthMonitor
from kiosk.flows.ports import Clock, FleetPlatform, Outbox, Printer, TaskRunner
from kiosk.testing.printing import FakeOutbox

HEARTBEAT_AT = dt.datetime(2026, 11, 27, 10, 0, 0)


def health_monitor(
    runner: TaskRunner,
    clock: Clock,
    platform: FleetPlatform,
    *,
    printer: Printer | None = None,
    outbox_pending: int | None = None,
    scanner_available: Callable[[], bool | None] | None = None,
    wall_clock: Callable[[], dt.datetime] = lambda: HEARTBEAT_AT,
    software_version: str = "0.1.0",
) -> HealthMonitor:
    """No outbox unless `outbox_pending` says how many submissions it holds undelivered."""
    outbox: Outbox | None = None
    if outbox_pending is not None:
        outbox = waiting = FakeOutbox()
        waiting.pending = outbox_pending
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
