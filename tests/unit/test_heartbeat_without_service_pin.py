"""A deployed kiosk without a service PIN still beats: the health monitor must outlive the
start-up function that makes it, though no service menu holds it."""

from __future__ import annotations

import gc
from types import SimpleNamespace

from PySide6.QtWidgets import QWidget

from kiosk.assembly.hall import start_health_and_service
from kiosk.config import Config, KioskSection


class RecordingRunner:
    def __init__(self) -> None:
        self.jobs = 0

    def run(self, job, on_done, on_error) -> None:
        self.jobs += 1


def test_heartbeat_runs_with_no_service_pin_configured(qtbot):
    config = Config(kiosk=KioskSection(mode="deployed", admin_pin_hash=""))
    window = QWidget()
    qtbot.addWidget(window)
    runner = RecordingRunner()
    flow = SimpleNamespace(printer=None, reader_available=True, outbox=None)
    platform = SimpleNamespace(client=lambda: None)
    start_health_and_service(config, window, flow, runner, platform)  # type: ignore[arg-type]
    gc.collect()
    # The first heartbeat is due at the first tick of the one-second timer.
    qtbot.waitUntil(lambda: runner.jobs >= 1, timeout=3000)
