"""The e-code scanner as a service hall has it: a serial scanner on a real pseudo-terminal,
unplugged and plugged back, through pyserial; a keyboard-wedge scanner through the screen's key
filter with real Qt key events; the [scanner] config section; and the scanner in the service
menu's health and in the heartbeat the real reference server receives.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from helpers.rig import KioskRig
from helpers.waiting import wait_until
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from scanner_codes import CODE, Codes
from window_rig import open_window

from kiosk.assembly.devices import ScannerToFlow, start_scanner
from kiosk.backend.client import PlatformClient
from kiosk.config import ConfigError, from_mapping
from kiosk.devices.scanner.interface import WedgeVerdict
from kiosk.devices.scanner.keyboard_wedge import KeyboardWedgeScanner
from kiosk.devices.scanner.serial_port import SerialECodeScanner
from kiosk.flows.session import Step
from kiosk.i18n import Translations
from kiosk.server.embedded import EmbeddedServer
from kiosk.testing.clock import ManualClock
from kiosk.testing.health import health_monitor
from kiosk.testing.runner import ManualRunner
from kiosk.ui.scanner_keys import WedgeKeyFilter


class PluggedScanner:
    """A scanner's end of a real pseudo-terminal pair, reached through a stable link (as udev's
    /dev/serial/by-id/ names are): unplugging closes the pair and removes the link, plugging
    makes a new pair behind the same name."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master: int | None = None
        self.slave: int | None = None

    def plug(self) -> None:
        self.master, self.slave = os.openpty()
        os.symlink(os.ttyname(self.slave), self.link)

    def unplug(self) -> None:
        self.link.unlink()
        assert self.master is not None and self.slave is not None
        os.close(self.master)
        os.close(self.slave)
        self.master = self.slave = None

    def send(self, data: bytes) -> None:
        assert self.master is not None
        os.write(self.master, data)


@pytest.fixture
def plugged(tmp_path: Path) -> Iterator[PluggedScanner]:
    device = PluggedScanner(tmp_path / "ttyECODE")
    device.plug()
    yield device
    if device.master is not None:
        device.unplug()


def test_a_serial_scanner_on_a_real_tty_reads_codes_and_comes_back_after_a_replug(
    plugged: PluggedScanner, caplog: pytest.LogCaptureFixture
) -> None:
    scanner = SerialECodeScanner(str(plugged.link), 9600, reopen_interval=0.05)
    codes = Codes()
    scanner.start(codes)
    try:
        codes.wait(lambda: codes.available == [True])
        plugged.send(CODE.encode() + b"\r\n")
        codes.wait(lambda: codes.codes == [CODE])

        plugged.unplug()
        codes.wait(lambda: codes.available == [True, False])
        plugged.plug()
        codes.wait(lambda: codes.available == [True, False, True])
        plugged.send(b"second-code-42\r")
        codes.wait(lambda: codes.codes == [CODE, "second-code-42"])
    finally:
        scanner.stop()
    assert CODE not in caplog.text and "second-code-42" not in caplog.text


def test_kiosk_run_starts_the_configured_serial_scanner_and_reports_it(
    plugged: PluggedScanner, server: EmbeddedServer, tmp_path: Path
) -> None:
    """What `kiosk run` does with [scanner]: the scanner starts, its codes reach the flow, and
    its state reaches the heartbeat and the fleet view, also once it has been unplugged."""
    config = from_mapping(
        {"kiosk": {"mode": "deployed"}, "scanner": {"kind": "serial", "port": str(plugged.link)}}
    )
    posted: list[object] = []
    rig = KioskRig(printer=None, outbox=None)
    platform, flow_runner, flow = rig.platform, rig.runner, rig.flow
    started = start_scanner(config, posted.append, flow, demo_panel=False)
    assert started is not None
    scanner, link = started
    try:
        client = PlatformClient(server.url, server.kiosk_id, server.kiosk_key, cache_dir=tmp_path)
        runner = ManualRunner()
        monitor = health_monitor(
            runner, ManualClock(), platform=client, scanner_available=lambda: link.available
        )
        wait_until(lambda: link.available is True)
        plugged.send(CODE.encode() + b"\r")
        wait_until(lambda: len(posted) == 1)
        posted[0]()  # the flow takes it on the screen's thread
        flow_runner.finish_all()
        assert platform.ecodes == [CODE]

        monitor.check_now()
        runner.finish_all()
        assert monitor.snapshot().scanner == "ok"
        assert fleet_scanner(server) == "ok"

        plugged.unplug()
        wait_until(lambda: link.available is False)
        monitor.check_now()
        runner.finish_all()
        assert monitor.snapshot().scanner == "absent" and not monitor.snapshot().all_well
        assert fleet_scanner(server) == "absent"
    finally:
        scanner.stop()


def fleet_scanner(server: EmbeddedServer) -> str | None:
    kiosk = {"X-Kiosk-Id": server.kiosk_id, "X-Kiosk-Key": server.kiosk_key}
    login = requests.post(
        f"{server.url}/v1/staff/sessions",
        json={"username": "demo-supervisor", "password": "demo-supervisor-pass"},
        headers=kiosk,
        timeout=10,
    )
    staff = {**kiosk, "X-Staff-Token": login.json()["token"]}
    fleet = requests.get(f"{server.url}/v1/staff/kiosks", headers=staff, timeout=10).json()
    mine = next(k for k in fleet["kiosks"] if k["id"] == server.kiosk_id)
    return mine["health"]["devices"].get("scanner")


def test_without_a_scanner_none_is_started_and_none_reported() -> None:
    flow = KioskRig(printer=None, outbox=None).flow
    assert start_scanner(from_mapping({}), lambda _job: None, flow, demo_panel=False) is None
    link = ScannerToFlow(lambda _job: None, flow)
    assert link.available is None


# --- the keyboard wedge -------------------------------------------------------------------


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_prefixed_wedge_takes_the_code_from_its_first_keys() -> None:
    ticks = Ticks()
    wedge = KeyboardWedgeScanner(prefix="]Q", suffix="\r", clock=ticks)
    codes = Codes()
    wedge.start(codes)
    verdicts = []
    for char in "]Q" + CODE + "\r":
        ticks.now += 0.004
        verdicts.append(wedge.key(char))
    assert verdicts[:-1] == [WedgeVerdict.HOLD] * (len(CODE) + 2)
    assert verdicts[-1] is WedgeVerdict.TAKEN
    assert codes.codes == [CODE]
    # A resident's keys pass at once; a "]" typed alone is released when nothing follows.
    assert wedge.key("4") is WedgeVerdict.PASS
    assert wedge.key("]") is WedgeVerdict.HOLD
    ticks.now += 1.0
    assert wedge.expire_if_stale() is WedgeVerdict.RELEASE
    # A code that lost its end is dropped, never shown.
    for char in "]Q12345":
        wedge.key(char)
    assert wedge.expire() is WedgeVerdict.TAKEN
    assert codes.codes == [CODE]


def test_a_wedge_without_prefix_tells_a_burst_from_a_hand() -> None:
    ticks = Ticks()
    wedge = KeyboardWedgeScanner(clock=ticks)
    codes = Codes()
    wedge.start(codes)
    for char in CODE:
        ticks.now += 0.004
        assert wedge.expire_if_stale() is WedgeVerdict.PASS
        assert wedge.key(char) is WedgeVerdict.HOLD
    assert wedge.key("\r") is WedgeVerdict.TAKEN
    # A person: each digit waits a gap, then goes to the screen.
    for char in "123":
        ticks.now += 0.3
        assert wedge.expire_if_stale() is WedgeVerdict.PASS
        assert wedge.key(char) is WedgeVerdict.HOLD
        ticks.now += 0.3
        assert wedge.expire_if_stale() is WedgeVerdict.RELEASE
    # Enter after a quick "12" is not a code (too short): both go to the screen.
    wedge.key("1")
    wedge.key("2")
    assert wedge.key("\r") is WedgeVerdict.RELEASE
    assert wedge.key("") is WedgeVerdict.PASS  # an arrow key types nothing
    assert codes.codes == [CODE]


class ScreenKiosk:
    def __init__(self, qtbot, tmp_path: Path, wedge: KeyboardWedgeScanner) -> None:
        rig = KioskRig(printer=None, outbox=None)
        self.platform, self.runner, self.flow = rig.platform, rig.runner, rig.flow
        self.window = open_window(qtbot, self.flow, Translations(tmp_path), monotonic=rig.clock)
        self.pressed: list[str] = []
        self.link = ScannerToFlow(lambda job: job(), self.flow)
        wedge.start(self.link)
        app = QApplication.instance()
        self.filter = WedgeKeyFilter(wedge, app)
        app.installEventFilter(self.filter)

    def close(self) -> None:
        QApplication.instance().removeEventFilter(self.filter)

    def type_on_keyboard(self, text: str, gap_ms: int = 0) -> None:
        """Real key events through the window's QWindow, as the platform delivers a USB
        keyboard's (and a keyboard-wedge scanner's) keys."""
        handle = self.window.windowHandle()
        for char in text:
            if char == "\r":
                QTest.keyClick(handle, Qt.Key.Key_Return)
            elif char.isupper() or char in ":_]":
                # As a USB keyboard (and a scanner) types them: Shift held around the key.
                QTest.keyPress(handle, Qt.Key.Key_Shift)
                QTest.keyClick(handle, char, Qt.KeyboardModifier.ShiftModifier)
                QTest.keyRelease(handle, Qt.Key.Key_Shift)
            else:
                QTest.keyClick(handle, char)
            if gap_ms:
                QTest.qWait(gap_ms)


# The longest pause within a burst, in the screen tests: ten times a real scanner's. Their keys
# come from the test's own thread, which a loaded machine can stall between two keys for longer
# than a scanner ever pauses; the window's timer then let the first keys of a burst go to the
# screen as a hand's. The default gap is tested on a clock of the test's own, above.
SCREEN_GAP_S = 0.5


@pytest.fixture
def screen(qtbot, tmp_path: Path) -> Iterator[object]:
    made: list[ScreenKiosk] = []

    def make(wedge: KeyboardWedgeScanner) -> ScreenKiosk:
        kiosk = ScreenKiosk(qtbot, tmp_path, wedge)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


def test_a_scan_through_the_keyboard_signs_in_and_its_digits_choose_nothing(screen, qtbot):
    kiosk = screen(KeyboardWedgeScanner(prefix="]Q", max_gap_s=SCREEN_GAP_S))
    code = "4100000000000000001"  # digits only: each one would choose a tile if it got through
    kiosk.type_on_keyboard("]Q" + code + "\r")
    # Signing in by the code; none of its digits chose a tile.
    assert kiosk.flow.step is Step.VERIFYING
    kiosk.runner.finish_all()  # the sign-in by e-code goes to the platform
    assert kiosk.platform.ecodes == [code]
    assert kiosk.flow.step is Step.HOME  # signed in by the e-code
    # A resident pressing 4 still reaches the screen: the home screen's fourth task opens.
    kiosk.type_on_keyboard("4")
    assert kiosk.flow.step is Step.TASK


def test_a_code_with_capitals_typed_with_shift_is_one_scan(screen, qtbot):
    kiosk = screen(KeyboardWedgeScanner(prefix="]Q", max_gap_s=SCREEN_GAP_S))
    kiosk.type_on_keyboard("]Q" + CODE + "\r")
    assert kiosk.flow.step is Step.VERIFYING
    kiosk.runner.finish_all()
    assert kiosk.platform.ecodes == [CODE]


def test_without_prefix_a_burst_is_a_scan_and_slow_keys_reach_the_screen(screen, qtbot):
    kiosk = screen(KeyboardWedgeScanner(max_gap_s=SCREEN_GAP_S))
    kiosk.type_on_keyboard("41000000000000000012\r")  # one burst
    assert kiosk.flow.step is Step.VERIFYING
    kiosk.runner.finish_all()
    assert kiosk.platform.ecodes == ["41000000000000000012"]
    assert kiosk.flow.step is Step.HOME
    kiosk.type_on_keyboard("4")  # a hand: held a moment, then the screen has it
    assert kiosk.flow.step is Step.HOME
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.TASK, timeout=2000)


# --- the config section -------------------------------------------------------------------


def test_the_scanner_section() -> None:
    serial = from_mapping({"scanner": {"kind": "serial", "port": "/dev/ttyACM0", "speed": 115200}})
    assert (serial.scanner.kind, serial.scanner.port, serial.scanner.speed) == (
        "serial",
        "/dev/ttyACM0",
        115200,
    )
    hid = from_mapping({"scanner": {"kind": "hid", "prefix": "]Q", "suffix": "\t"}})
    assert (hid.scanner.prefix, hid.scanner.suffix) == ("]Q", "\t")
    assert from_mapping({}).scanner.kind == "none"
    for bad, key in (
        ({"kind": "serial"}, "scanner.port"),
        ({"kind": "serial", "port": "COM3", "speed": 1234}, "scanner.speed"),
        ({"kind": "hid", "suffix": ""}, "scanner.suffix"),
        ({"kind": "hid", "prefix": "\x02"}, "scanner.prefix"),
        ({"kind": "camera"}, "scanner.kind"),
    ):
        with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
            from_mapping({"scanner": bad})
