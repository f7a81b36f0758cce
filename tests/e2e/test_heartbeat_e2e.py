"""The kiosk's heartbeat through the real client to the real reference server, and the fleet
view the supervisors read it from; the printer's states as the heartbeat words them."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from kiosk.backend.client import PlatformClient
from kiosk.domain.errors import PlatformUnavailable
from kiosk.domain.receipt import PaperLevel, PrinterStatus
from kiosk.flows.health import RETRY_INTERVAL_S, printer_health
from kiosk.server.embedded import EmbeddedServer
from kiosk.testing.clock import ManualClock
from kiosk.testing.health import health_monitor
from kiosk.testing.runner import ManualRunner

pytestmark = pytest.mark.e2e


class Printer:
    def __init__(self, status: PrinterStatus) -> None:
        self.status_now = status

    def status(self) -> PrinterStatus:
        return self.status_now


def monitor_for(platform: object, printer: object, clock: ManualClock, runner: ManualRunner):
    return health_monitor(runner, clock, platform=platform, printer=printer, outbox_pending=3)


def test_the_fleet_view_shows_what_the_kiosk_reported(server: EmbeddedServer, tmp_path: Path):
    client = PlatformClient(server.url, server.kiosk_id, server.kiosk_key, cache_dir=tmp_path)
    printer = Printer(PrinterStatus(answered=True, online=True, paper=PaperLevel.NEAR_END))
    clock, runner = ManualClock(), ManualRunner()
    monitor = monitor_for(client, printer, clock, runner)
    monitor.tick()
    runner.finish_all()
    look = monitor.snapshot()
    assert look.platform == "reachable" and look.paper == "low" and look.printer == "degraded"
    assert look.last_heartbeat is not None and not look.all_well

    login = requests.post(
        f"{server.url}/v1/staff/sessions",
        json={"username": "demo-supervisor", "password": "demo-supervisor-pass"},
        headers={"X-Kiosk-Id": server.kiosk_id, "X-Kiosk-Key": server.kiosk_key},
        timeout=10,
    )
    assert login.status_code == 201, login.text
    staff = {
        "X-Kiosk-Id": server.kiosk_id,
        "X-Kiosk-Key": server.kiosk_key,
        "X-Staff-Token": login.json()["token"],
    }
    fleet = requests.get(f"{server.url}/v1/staff/kiosks", headers=staff, timeout=10).json()
    mine = next(k for k in fleet["kiosks"] if k["id"] == server.kiosk_id)
    assert mine["online"]
    assert mine["health"]["paper"] == "low"
    assert mine["health"]["outbox_pending"] == 3
    assert mine["health"]["devices"]["card_reader"] == "ok"
    assert mine["health"]["devices"]["printer"] == "degraded"

    # Not due again until the platform's interval has passed.
    monitor.tick()
    assert runner.jobs == []


class Unreachable:
    def heartbeat(self, **_body: object) -> int:
        raise PlatformUnavailable()


def test_an_unreachable_platform_is_shown_and_tried_again_soon() -> None:
    clock, runner = ManualClock(), ManualRunner()
    monitor = monitor_for(Unreachable(), None, clock, runner)
    seen = []
    monitor.listeners.append(seen.append)
    monitor.tick()
    runner.finish_all()
    assert seen[-1].platform == "unreachable" and seen[-1].last_heartbeat is None
    clock.now += RETRY_INTERVAL_S - 1
    monitor.tick()
    assert runner.jobs == []
    clock.now += 1
    monitor.tick()
    assert len(runner.jobs) == 1


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (PrinterStatus(answered=True, online=True, paper=PaperLevel.OK), ("ok", "ok")),
        (PrinterStatus(answered=True, online=True, paper=PaperLevel.OUT), ("fault", "out")),
        (PrinterStatus(answered=True, online=True, cover_open=True), ("fault", "unknown")),
        (PrinterStatus(answered=True, online=False), ("fault", "unknown")),
        (PrinterStatus(answered=False), ("degraded", "unknown")),
    ],
)
def test_the_printers_states_in_the_heartbeats_words(status, expected) -> None:
    assert printer_health(Printer(status)) == expected
    assert printer_health(None) == ("absent", "unknown")
