"""The start of a kiosk and of a counter, through the one builder (kiosk.assembly), in a
subprocess each as a hall starts them: the first frame is painted from the first phase's
modules alone, and the second phase then brings up the same parts for both, a counter adding
its staff console."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from deployed_config import write_deployed_config

from kiosk.domain.admin_pin import hash_pin

# What the attract screen is painted from (kiosk.assembly.first_frame and what it imports).
FIRST_PHASE = {
    "kiosk.assembly",
    "kiosk.assembly.commands",
    "kiosk.assembly.faces",
    "kiosk.assembly.first_frame",
    "kiosk.assembly.paths",
}
# `kiosk run` adds its checks of the config file.
RUN_FIRST_PHASE = {"kiosk.assembly.deployed"}
# What waits for the second phase: none of it may be loaded before the first frame.
SECOND_PHASE = {
    "kiosk.assembly.after_frame",
    "kiosk.assembly.counter",
    "kiosk.assembly.demo_deck",
    "kiosk.assembly.devices",
    "kiosk.assembly.hall",
    "kiosk.assembly.platform_link",
    "kiosk.accessibility.voice",
    "kiosk.backend.outbox",
    "kiosk.backend.connection",
    "kiosk.counter",
    "kiosk.devices.card.factory",
    # The printer's address alone (kiosk.devices.printer.address) is checked by `kiosk run`
    # before the start; the printers, python-escpos and PIL wait.
    "kiosk.devices.printer.factory",
    "kiosk.devices.printer.encoder",
    "kiosk.devices.printer.escpos_printer",
    "kiosk.devices.printer.simulated",
    "kiosk.devices.scanner",
    "kiosk.devices.speech",
    "kiosk.flows.health",
    "kiosk.flows.service_menu",
    "kiosk.sd_notify",
    "kiosk.server",
    "kiosk.ui.counter",
    "kiosk.ui.dev_panel",
}


# The receipt printer's libraries, some 80 ms to import.
PRINTING_LIBRARIES = {"escpos", "PIL", "serial", "usb"}


def _run(script: str, args: list[str], tmp_path: Path, *, first_frame: bool) -> list[str]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    env.pop("NOTIFY_SOCKET", None)
    if first_frame:
        env["KIOSK_REPORT_FIRST_FRAME"] = "1"
    else:
        env.pop("KIOSK_REPORT_FIRST_FRAME", None)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


FIRST_FRAME_PROBE = """
    import gc
    import sys
    import kiosk.assembly.first_frame as first_frame
    from kiosk.cli import main

    def report():
        from PySide6.QtWidgets import QApplication
        print("loaded", *sorted(sys.modules))
        print("collecting", gc.isenabled())
        print("shown", *sorted(type(w).__name__ for w in QApplication.topLevelWidgets()
                               if w.isVisible()))
        QApplication.exit(0)

    first_frame.report_first_frame = report
    sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", ["demo", "counter", "run"])
def test_the_first_frame_is_painted_from_the_first_phase_alone(
    tmp_path: Path, command: str
) -> None:
    if command == "run":
        # A printer address to check, which must not bring the printers with it.
        config = write_deployed_config(tmp_path, printer_uri="tcp://127.0.0.1:9100?text=raster")
        args, first_phase = ["run", "--config", str(config)], FIRST_PHASE | RUN_FIRST_PHASE
    else:
        args = ["demo", "--counter"] if command == "counter" else ["demo"]
        first_phase = FIRST_PHASE
    lines = _run(FIRST_FRAME_PROBE, args, tmp_path, first_frame=True)
    loaded = set(next(line for line in lines if line.startswith("loaded ")).split()[1:])
    early = sorted(
        name for name in loaded if any(name == m or name.startswith(m + ".") for m in SECOND_PHASE)
    )
    assert early == []
    assert sorted(PRINTING_LIBRARIES & loaded) == []
    assert {name for name in loaded if name.startswith("kiosk.assembly")} | {"kiosk.assembly"} == (
        first_phase
    )
    # The customer window is the kiosk's own; the staff console comes with the second phase.
    assert next(line for line in lines if line.startswith("shown")) == "shown KioskWindow"
    assert "collecting False" in lines  # nothing for the cyclic collector yet (kiosk.cli)


SECOND_PHASE_PROBE = """
    import gc
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from kiosk.assembly import after_frame
    from kiosk.cli import main

    assemble = after_frame.assemble

    def assembled(started):
        assemble(started)
        flow = started.face.session

        def report():
            shown = sorted(type(w).__name__ for w in QApplication.topLevelWidgets()
                           if w.isVisible())
            print("shown", *shown)
            print("at-counter", flow.at_counter)
            print("collecting", gc.isenabled())
            print("reader", flow.reader_available)
            print("service-menu", started.face.window.service is not None)
            for window in QApplication.topLevelWidgets():
                window.close()
            QApplication.exit(0)

        # Once the simulated reader has told the flow it is there.
        QTimer.singleShot(1500, report)

    after_frame.assemble = assembled
    sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.parametrize("counter", [False, True], ids=["kiosk", "counter"])
def test_the_second_phase_brings_up_the_same_parts_for_a_kiosk_and_a_counter(
    tmp_path: Path, counter: bool
) -> None:
    # A service PIN, so that the service menu is there to find.
    config = write_deployed_config(tmp_path, admin_pin_hash=hash_pin("147258", iterations=10_000))
    args = ["run", "--config", str(config), *(["--counter"] if counter else [])]
    lines = _run(SECOND_PHASE_PROBE, args, tmp_path, first_frame=False)
    shown = next(line for line in lines if line.startswith("shown"))
    assert shown == ("shown KioskWindow StaffConsole" if counter else "shown KioskWindow")
    assert f"at-counter {counter}" in lines
    assert "reader True" in lines
    assert "service-menu True" in lines
    assert "collecting True" in lines
