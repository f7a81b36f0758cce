"""What keeps a kiosk in a hall running and looked after: its log file, the service
manager's readiness and watchdog, the heartbeat to the fleet view and the staff's service menu.
Started in the second phase of the start, once the first frame is on the screen."""

from __future__ import annotations

import logging
import logging.handlers
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import __version__
from kiosk.domain import hall_time
from kiosk.domain.admin_pin import DEMO_PIN, hash_pin, pin_matches
from kiosk.flows.health import HealthMonitor
from kiosk.flows.service_menu import ServiceActions, ServiceMenu
from kiosk.sd_notify import ServiceNotifier

if TYPE_CHECKING:
    from kiosk.backend.client import PlatformClient
    from kiosk.config import Config
    from kiosk.flows.ports import Clock, TaskRunner
    from kiosk.flows.session import SessionFlow
    from kiosk.ui.window import KioskWindow

log = logging.getLogger("kiosk")


def setup_logging(log_dir: Path) -> None:
    """A rotating file in the user's log folder. Personal data never reaches it: modules log
    status words, lengths, reason codes and step names, never card or holder values. Until it
    is opened, after the first frame, Python's last-resort handler prints any warning to
    standard error."""
    root = logging.getLogger()
    if any(getattr(h, "_kiosk", False) for h in root.handlers):
        return
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler._kiosk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def tell_service_manager_ready(window: QWidget) -> None:
    """When a service manager started the kiosk (NOTIFY_SOCKET is set): READY=1, called once
    the window has painted, then WATCHDOG=1 from the event loop at half the watchdog time, so
    that a frozen screen stops the pings and the kiosk is restarted (kiosk.sd_notify)."""
    notifier = ServiceNotifier.from_environment()
    if notifier is None:
        return
    # Lambdas, not bound methods: PySide holds a plain object's bound method weakly, and
    # nothing else keeps the notifier once this returns.
    window.destroyed.connect(lambda: notifier.close())
    notifier.ready()
    interval_s = notifier.watchdog_interval_s
    if interval_s is None:
        return
    # A timer of the screen's own event loop: it fires only while that loop runs.
    timer = QTimer(window)
    timer.setInterval(max(1, int(interval_s * 1000)))
    timer.timeout.connect(lambda: notifier.watchdog())
    timer.start()
    notifier.watchdog()


def service_pin_hash(config: Config) -> str:
    """The configured service PIN's hash; a demo kiosk without one takes the demo PIN."""
    if config.kiosk.admin_pin_hash:
        return config.kiosk.admin_pin_hash
    if config.is_demo:
        return hash_pin(DEMO_PIN, iterations=10_000)
    return ""


def start_health_and_service(
    config: Config,
    window: KioskWindow,
    flow: SessionFlow,
    runner: TaskRunner,
    platform: PlatformClient,
    *,
    scanner_available: Callable[[], bool | None] | None = None,
) -> None:
    """The heartbeat to the platform's fleet view, and the staff's service menu over it."""
    monitor = HealthMonitor(
        runner=runner,
        clock=time.monotonic,
        wall_clock=hall_time.now,
        platform=lambda: platform,
        printer=lambda: flow.printer,
        reader_available=lambda: flow.reader_available,
        outbox=lambda: flow.outbox,
        software_version=__version__,
        scanner_available=scanner_available,
    )
    beat = QTimer(window)
    beat.setInterval(1000)
    # A lambda, not the bound method: PySide holds a plain object's bound method weakly, and
    # without a service PIN nothing else keeps the monitor, so the heartbeat stopped at once.
    beat.timeout.connect(lambda: monitor.tick())
    beat.start()
    stored = service_pin_hash(config)
    if not stored:
        log.info("no service PIN is configured: the service menu is off")
        return

    def exit_kiosk() -> None:
        log.info("the kiosk program was closed from the service menu")
        window.close_from_service_menu()
        QApplication.quit()

    attach_service_menu(window, stored, exit_kiosk, monitor, time.monotonic)


def attach_service_menu(
    window: KioskWindow,
    stored_hash: str,
    exit_kiosk: Callable[[], None],
    monitor: HealthMonitor | None,
    clock: Clock,
) -> ServiceMenu:
    """The staff's service menu on the window, opened with the PIN whose hash is stored."""
    menu = ServiceMenu(
        ServiceActions(
            check_pin=lambda pin: pin_matches(pin, stored_hash),
            exit_kiosk=exit_kiosk,
            changed=window.refresh,
        ),
        monitor,
        clock,
    )
    window.attach_service_menu(menu)
    return menu
