"""A real screen reader's view: the running kiosk, attached through AT-SPI (requirement 22).

The kiosk runs as it does on a Linux kiosk, on an X server (Xvfb) with a session D-Bus and the
AT-SPI bus, with Qt's accessibility bridge on. A probe (tests/ui/atspi_probe.py, under the
system Python that has the AT-SPI client library) walks the accessible tree from the desktop
as Orca does, and presses buttons through their accessible actions, the way a screen-reader user
works the kiosk. On the attract, PIN, home and catalog screens every node a screen reader can
focus or act on must have a role and a name in Chinese (the kiosk's language there).

Needs Xvfb, dbus-daemon, at-spi2-core and python3-gi with gir1.2-atspi-2.0 (scripts/setup.sh
--test installs them); without them it is skipped, and says which is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers.processes import stop

from kiosk.i18n import Translations

pytestmark = pytest.mark.slow

PROBE = Path(__file__).with_name("atspi_probe.py")
SYSTEM_PYTHONS = ("/usr/bin/python3", shutil.which("python3") or "")
BUS_LAUNCHERS = (
    "/usr/libexec/at-spi-bus-launcher",
    "/usr/lib/at-spi2-core/at-spi-bus-launcher",
)
CJK = re.compile(r"[\u4e00-\u9fff]")
# A name with no letters at all (a PIN key's "1") reads the same in every language.
LANGUAGE_NEUTRAL = re.compile(r"^[\d\s.,:;()·•#*+\-–/\\]+$")
# Roles a screen reader offers to act on; a label or a filler is read, not worked.
PASSIVE_ROLES = {"label", "filler", "panel", "image", "layered pane", "frame", "application"}
CONFIG = """
[kiosk]
mode = "demo"
language = "zh_CN"
[display]
dpi = 92.56
[card_reader]
kind = "simulated"
[printer]
uri = "sim"
[speech]
engine = "none"
"""


def _system_python() -> str | None:
    """A Python that can load AT-SPI's client library (the venv's usually cannot)."""
    for python in SYSTEM_PYTHONS:
        if not python or not os.access(python, os.X_OK):
            continue
        check = subprocess.run(
            [python, "-c", "import gi; gi.require_version('Atspi', '2.0')"],
            capture_output=True,
            timeout=30,
        )
        if check.returncode == 0:
            return python
    return None


def _missing() -> str | None:
    if not sys.platform.startswith("linux"):
        return "AT-SPI is the Linux accessibility bus"
    for tool in ("Xvfb", "dbus-daemon"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: xvfb, dbus-daemon)"
    if not any(os.access(path, os.X_OK) for path in BUS_LAUNCHERS):
        return "the AT-SPI bus launcher is not installed (Debian: at-spi2-core)"
    if _system_python() is None:
        return "no Python with AT-SPI's client library (Debian: python3-gi gir1.2-atspi-2.0)"
    return None


class Probe:
    """The screen reader's side: one JSON command a line to atspi_probe.py, one answer back."""

    def __init__(self, python: str, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [python, "-W", "ignore", str(PROBE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )

    def ask(self, **command: Any) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the AT-SPI probe stopped (exit {self.process.poll()})"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class Session:
    probe: Probe
    kiosk: subprocess.Popen[bytes]
    log: Path
    zh: Any

    def frame_appears(self, name: str, timeout_s: float = 90) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if name in self.probe.ask(do="apps").get("frames", []):
                return
            assert self.kiosk.poll() is None, f"the kiosk exited: {self._log_tail()}"
            time.sleep(0.5)
        pytest.fail(f"no window {name!r} on the AT-SPI desktop: {self._log_tail()}")

    def wait(self, frame: str, name: str, timeout_s: float = 30) -> None:
        found = self.probe.ask(do="wait", frame=frame, name=name, timeout=timeout_s)
        assert found.get("found"), f"{name!r} never showed in {frame!r}: {found}"

    def press(self, frame: str, name: str) -> None:
        pressed = self.probe.ask(do="press", frame=frame, name=name)
        assert "error" not in pressed, pressed

    def nodes(self, frame: str) -> list[dict[str, Any]]:
        answer = self.probe.ask(do="snapshot", frame=frame)
        assert "nodes" in answer, answer
        nodes: list[dict[str, Any]] = answer["nodes"]
        return nodes

    def _log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-1500:]


def _start_x(tmp_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a free display: it writes the display's number to the pipe once it listens."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "xvfb.log").open("wb"),
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        xvfb.kill()
        pytest.skip(f"Xvfb did not start: {(tmp_path / 'xvfb.log').read_text()[-300:]}")
    return xvfb, f":{number}"


def _start_bus() -> tuple[subprocess.Popen[bytes], str]:
    """A session bus of the test's own; the AT-SPI bus launcher is activated through it."""
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    if not address:
        bus.kill()
        pytest.skip("dbus-daemon did not start a session bus")
    return bus, address


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    reason = _missing()
    if reason is not None:
        pytest.skip(reason)
    python = _system_python()
    assert python is not None
    xvfb, display = _start_x(tmp_path)
    bus, address = _start_bus()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "NO_AT_BRIDGE", "QT_ACCESSIBILITY")
    }
    env.update(
        DISPLAY=display,
        DBUS_SESSION_BUS_ADDRESS=address,
        QT_QPA_PLATFORM="xcb",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        QT_ACCESSIBILITY="1",
        HOME=str(tmp_path / "home"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_RUNTIME_DIR=str(tmp_path / "runtime"),
    )
    (tmp_path / "runtime").mkdir(mode=0o700)
    config = tmp_path / "kiosk.toml"
    config.write_text(CONFIG, encoding="utf-8")
    log = tmp_path / "kiosk.log"
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--config", str(config)],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    probe = Probe(python, env)
    zh = Translations(tmp_path / "translations").get("zh_CN")
    try:
        yield Session(probe, kiosk, log, zh)
    finally:
        probe.close()
        stop(kiosk)
        stop(bus)
        stop(xvfb)


def _unnamed(nodes: list[dict[str, Any]]) -> list[str]:
    """Every node a screen reader can focus or act on that lacks a role or a Chinese name."""
    problems = []
    for node in nodes:
        interactive = node["focusable"] or node["actions"]
        if not interactive or node["role"] in PASSIVE_ROLES:
            continue
        name = node["name"].strip()
        if node["role"] in ("", "unknown", "invalid"):
            problems.append(f"no role: {node}")
        elif not name:
            problems.append(f"{node['role']} with no name")
        elif not (CJK.search(name) or LANGUAGE_NEUTRAL.match(name)):
            problems.append(f"{node['role']} {name!r} is not named in Chinese")
    return problems


def _interactive(nodes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (n["role"], n["name"])
        for n in nodes
        if (n["focusable"] or n["actions"]) and n["role"] not in PASSIVE_ROLES
    ]


def test_a_screen_reader_finds_a_chinese_name_on_every_control(session: Session) -> None:
    zh = session.zh
    kiosk, panel = zh.text("header.title"), zh.text("dev.title")
    session.frame_appears(kiosk)

    session.wait(kiosk, zh.text("attract.heading"), timeout_s=60)
    attract = session.nodes(kiosk)
    assert _unnamed(attract) == []
    controls = _interactive(attract)
    # The same words the kiosk shows and speaks: the tile says its digit and its label.
    assert ("push button", f"1. {zh.text('attract.choice.elderly')}") in controls
    assert ("push button", zh.text("footer.call_staff")) in controls

    # The demo's dev panel stands in for the card slot; a screen reader presses it too.
    session.frame_appears(panel)
    insert = next(n["name"] for n in session.nodes(panel) if n["role"] == "push button")
    session.press(panel, insert)
    # Art. 13: the privacy notice comes first, its controls named too; one press accepts it.
    session.wait(kiosk, zh.text("notice.privacy.heading"))
    notice = session.nodes(kiosk)
    assert _unnamed(notice) == []
    accept = f"1. {zh.text('notice.privacy.accept')}"
    assert ("push button", accept) in _interactive(notice)
    session.press(kiosk, accept)
    session.wait(kiosk, zh.text("pin.heading"))
    pin = session.nodes(kiosk)
    assert _unnamed(pin) == []
    assert ("push button", zh.text("pin.key.confirm")) in _interactive(pin)

    for digit in "123456":  # demo card A's PIN, on the screen's keypad
        session.press(kiosk, digit)
    session.press(kiosk, zh.text("pin.key.confirm"))
    services = f"1. {zh.text('home.choice.services')}"
    session.wait(kiosk, services)
    home = session.nodes(kiosk)
    assert _unnamed(home) == []
    assert ("push button", zh.text("footer.finish")) in _interactive(home)

    session.press(kiosk, services)
    session.wait(kiosk, zh.text("catalog.heading"))
    assert _unnamed(session.nodes(kiosk)) == []
