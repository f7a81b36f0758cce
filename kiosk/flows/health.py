"""The kiosk's own health: what staff see on the service screen and what the platform's fleet
view receives as the heartbeat.

A kiosk in a hall is looked after by people who are not there: the heartbeat tells the
supervisors' fleet view (kiosk.server.routes.staff) that the reader works, the printer has
paper and no resident's submission is stuck in the outbox. Staff at the kiosk see the same
numbers on the service screen. Nothing here names a resident. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.domain.errors import KioskError

if TYPE_CHECKING:
    from kiosk.flows.ports import Clock, FleetPlatform, Outbox, Printer, TaskRunner

log = logging.getLogger(__name__)

# Until the platform answers with its own wish, a heartbeat every minute.
DEFAULT_INTERVAL_S = 60.0
# After a failed heartbeat, try again sooner: staff want to know when it is back.
RETRY_INTERVAL_S = 15.0


@dataclass(frozen=True)
class DeviceHealth:
    """One look at the kiosk's devices and its link to the platform."""

    reader: str  # "ok", "absent" or "unknown" (no answer from the reader service yet)
    printer: str  # "ok", "degraded" (can print with a warning), "fault" or "absent"
    paper: str  # "ok", "low", "out" or "unknown", as the heartbeat schema names them
    platform: str  # "reachable", "unreachable" or "unknown" (not asked yet)
    outbox_pending: int
    last_heartbeat: dt.datetime | None  # the last one the platform took
    uptime_s: int
    software_version: str
    # The e-code scanner: "ok", "absent" (configured, not answering: unplugged), "unknown" (not
    # opened yet) or "none" (the kiosk has none).
    scanner: str = "none"

    @property
    def all_well(self) -> bool:
        return (
            self.reader == "ok"
            and self.printer in ("ok", "absent")
            and self.paper in ("ok", "unknown")
            and self.platform == "reachable"
            and self.outbox_pending == 0
            and self.scanner in ("ok", "none")
        )


def printer_health(printer: Printer | None) -> tuple[str, str]:
    """(printer state, paper) from a ReceiptPrinter; blocking (a status query on the wire)."""
    if printer is None:
        return "absent", "unknown"
    try:
        status = printer.status()
    except Exception:  # a driver's bug must not stop the heartbeat that would report it
        log.warning("the printer's status could not be read")
        return "fault", "unknown"
    paper = {"ok": "ok", "near_end": "low", "out": "out"}.get(str(status.paper), "unknown")
    if not status.answered:
        return "degraded", paper
    if status.online is False or status.error or status.cover_open or paper == "out":
        return "fault", paper
    return ("degraded" if paper == "low" else "ok"), paper


@dataclass(eq=False, kw_only=True)
class HealthMonitor:
    """Sends the heartbeat when it is due and keeps the last look for the service screen.

    `tick()` is called about once a second on the flows' thread; the blocking parts (the
    printer's status, the platform call) run on `runner`. The kiosk's parts are asked for
    through callables at each look: a printer or an outbox may come after the monitor.
    """

    runner: TaskRunner
    clock: Clock
    wall_clock: Callable[[], dt.datetime]
    platform: Callable[[], FleetPlatform]
    printer: Callable[[], Printer | None]
    reader_available: Callable[[], bool | None]
    outbox: Callable[[], Outbox | None]
    software_version: str
    scanner_available: Callable[[], bool | None] | None = None
    listeners: list[Callable[[DeviceHealth], None]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self._started = self.clock()
        self._due = self._started  # the first heartbeat at the first tick
        self._in_flight = False
        self._printer_state = ("absent", "unknown") if self.printer() is None else ("ok", "unknown")
        self._platform_state = "unknown"
        self._last_heartbeat: dt.datetime | None = None

    def snapshot(self) -> DeviceHealth:
        available = self.reader_available()
        outbox = self.outbox()
        return DeviceHealth(
            reader="unknown" if available is None else ("ok" if available else "absent"),
            printer=self._printer_state[0],
            paper=self._printer_state[1],
            platform=self._platform_state,
            outbox_pending=outbox.pending_count() if outbox is not None else 0,
            last_heartbeat=self._last_heartbeat,
            uptime_s=int(self.clock() - self._started),
            software_version=self.software_version,
            scanner=self._scanner_state(),
        )

    def _scanner_state(self) -> str:
        if self.scanner_available is None:
            return "none"
        available = self.scanner_available()
        return "unknown" if available is None else ("ok" if available else "absent")

    def tick(self) -> None:
        if not self._in_flight and self.clock() >= self._due:
            self.check_now()

    def check_now(self) -> None:
        """Reads the devices and sends a heartbeat now (the service screen's refresh)."""
        if self._in_flight:
            return
        self._in_flight = True
        self.runner.run(self._beat, self._beaten, self._beat_failed)

    def _beat(self) -> tuple[tuple[str, str], float]:
        printer_state = printer_health(self.printer())
        look = self.snapshot()
        devices = {
            "card_reader": {"ok": "ok", "absent": "absent"}.get(look.reader, "fault"),
            "printer": printer_state[0],
        }
        if look.scanner in ("ok", "absent"):
            devices["scanner"] = look.scanner
        next_s = self.platform().heartbeat(
            software_version=self.software_version,
            uptime_s=look.uptime_s,
            devices=devices,
            paper=printer_state[1],
            outbox_pending=look.outbox_pending,
        )
        return printer_state, float(next_s)

    def _beaten(self, result: tuple[tuple[str, str], float]) -> None:
        self._printer_state, next_s = result
        self._platform_state = "reachable"
        self._last_heartbeat = self.wall_clock()
        self._finish(next_s)

    def _beat_failed(self, error: KioskError) -> None:
        log.warning("the heartbeat did not reach the platform: %s", type(error).__name__)
        self._platform_state = "unreachable"
        self._finish(RETRY_INTERVAL_S)

    def _finish(self, next_s: float) -> None:
        self._in_flight = False
        self._due = self.clock() + next_s
        look = self.snapshot()
        for listener in list(self.listeners):
            listener(look)
