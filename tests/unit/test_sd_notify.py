"""The service manager's notify protocol through a real AF_UNIX datagram socket: READY=1 after
the first frame, WATCHDOG=1 from the event loop at half of WATCHDOG_USEC, none while the event
loop is held busy; and the kiosk itself (`kiosk run`, `kiosk demo`) doing it in a subprocess."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from deployed_config import write_deployed_config
from PySide6.QtWidgets import QWidget

from kiosk.assembly.first_frame import after_first_paint
from kiosk.assembly.hall import tell_service_manager_ready
from kiosk.sd_notify import ServiceNotifier


class Listener:
    """The service manager's end: a bound datagram socket, each message with its arrival."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.sock.settimeout(0.05)
        self.messages: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self.sock.recv(4096)
            except TimeoutError:
                continue
            self.messages.append((time.monotonic(), data.decode()))

    def texts(self) -> list[str]:
        return [text for _at, text in self.messages]

    def wait_for(self, predicate: object, timeout: float) -> None:
        assert callable(predicate)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.texts()):
                return
            time.sleep(0.02)
        raise AssertionError(f"not in time: {self.texts()[:10]}")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[Listener]:
    made = Listener(tmp_path / "notify")
    yield made
    made.close()


def test_ready_after_the_first_frame_then_watchdog_at_half_the_interval(
    qtbot, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_SOCKET", str(listener.path))
    monkeypatch.setenv("WATCHDOG_USEC", "400000")  # 0.4 s: a ping every 0.2 s
    monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
    window = QWidget()
    qtbot.addWidget(window)
    after_first_paint(window, lambda: tell_service_manager_ready(window))  # as the start does
    qtbot.wait(100)
    assert listener.texts() == []  # not ready before anything is on screen
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: len(listener.texts()) >= 5, timeout=3000)
    texts = listener.texts()
    assert texts[0] == "READY=1"
    assert set(texts[1:]) == {"WATCHDOG=1"}
    times = [at for at, text in listener.messages if text == "WATCHDOG=1"]
    # The first ping goes with READY; the timer's follow at its interval.
    gaps = [b - a for a, b in itertools.pairwise(times[1:])]
    assert all(0.15 <= gap <= 0.35 for gap in gaps), gaps

    # The event loop held busy (a frozen screen): no ping for as long as it is.
    count = len(listener.messages)
    busy_from = time.monotonic()
    time.sleep(1.0)  # the test's thread is the screen's: nothing of Qt runs meanwhile
    busy_until = time.monotonic()
    pinged_while_busy = [at for at, _ in listener.messages[count:] if at < busy_until - 0.05]
    assert pinged_while_busy == [], (busy_from, pinged_while_busy)
    # Free again, the pings resume.
    qtbot.waitUntil(lambda: len(listener.messages) > count, timeout=2000)


def test_nothing_is_sent_without_notify_socket(
    qtbot, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    window = QWidget()
    qtbot.addWidget(window)
    after_first_paint(window, lambda: tell_service_manager_ready(window))  # as the start does
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(200)
    assert listener.texts() == []


def test_the_environment_is_read_as_the_protocol_says(listener: Listener) -> None:
    assert ServiceNotifier.from_environment({}) is None
    assert ServiceNotifier.from_environment({"NOTIFY_SOCKET": "relative/path"}) is None
    plain = ServiceNotifier.from_environment({"NOTIFY_SOCKET": str(listener.path)})
    assert plain is not None and plain.watchdog_interval_s is None
    other_pid = ServiceNotifier.from_environment(
        {"NOTIFY_SOCKET": str(listener.path), "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"},
        pid=4242,
    )
    assert other_pid is not None and other_pid.watchdog_interval_s is None
    mine = ServiceNotifier.from_environment(
        {"NOTIFY_SOCKET": str(listener.path), "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"},
        pid=42,
    )
    assert mine is not None and mine.watchdog_interval_s == 15.0
    assert mine.send("STATUS=checking") is True
    listener.wait_for(lambda texts: texts == ["STATUS=checking"], 2.0)
    for made in (plain, other_pid, mine):
        made.close()


def test_an_abstract_socket_name_is_reached(tmp_path: Path) -> None:
    name = f"onecard-kiosk-test-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(b"\0" + name.encode())
    sock.settimeout(2.0)
    try:
        notifier = ServiceNotifier.from_environment({"NOTIFY_SOCKET": "@" + name})
        assert notifier is not None
        notifier.ready()
        assert sock.recv(64) == b"READY=1"
        notifier.close()
    finally:
        sock.close()


def test_a_listener_gone_away_is_not_an_error(tmp_path: Path) -> None:
    notifier = ServiceNotifier(str(tmp_path / "nobody"))
    assert notifier.send("WATCHDOG=1") is False
    notifier.close()


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["run", "demo", "counter"])
def test_the_kiosk_itself_notifies_in_every_mode(listener: Listener, tmp_path: Path, mode: str):
    config = write_deployed_config(tmp_path)
    args = {
        "run": ["run", "--config", str(config)],
        "demo": ["demo"],
        "counter": ["run", "--config", str(config), "--counter"],
    }[mode]
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "NOTIFY_SOCKET": str(listener.path),
        "WATCHDOG_USEC": "600000",
    }
    env.pop("WATCHDOG_PID", None)
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        listener.wait_for(lambda texts: texts.count("WATCHDOG=1") >= 3, timeout=60.0)
    finally:
        kiosk.terminate()
        try:
            kiosk.wait(20)
        except subprocess.TimeoutExpired:
            kiosk.kill()
            kiosk.wait(5)
    texts = listener.texts()
    assert texts[0] == "READY=1", texts
    assert set(texts[1:]) <= {"WATCHDOG=1"}
