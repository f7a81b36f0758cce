"""`startup`: process start to the first painted frame of the attract screen.

The baseline is a bare PySide6 window with one label, started and measured the same way in the
same run, so the ratio says what the kiosk adds on top of Qt itself (goal: at most 1.3, and
the kiosk's first frame within 1.0 s on a 2-core machine). Median of 5 alternating runs.
What the kiosk does on the way to that frame, and what waits for it: docs/startup.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from bench import Result

RUNS = 5
FIRST_FRAME = "first-frame "

# The baseline: what any PySide6 program pays to show one label, reported exactly as the
# kiosk reports (after the first paint event, from the event loop).
BARE_WINDOW = r"""
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label = QLabel("郑州市居民服务一卡通")
label.resize(1920, 1080)

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            label.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False

def report():
    print(f"first-frame {time.time():.6f} cpu {time.process_time():.6f}", flush=True)
    app.quit()

watcher = FirstPaint()
label.installEventFilter(watcher)
label.show()
app.exec()
"""


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["KIOSK_REPORT_FIRST_FRAME"] = "1"
    return env


def time_to_first_frame(command: list[str]) -> tuple[float, float]:
    """(wall seconds from process start, CPU seconds the process used) at the first frame."""
    started = time.time()
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=_environment()
    )
    for line in result.stdout.splitlines():
        if line.startswith(FIRST_FRAME):
            wall, _, cpu = line[len(FIRST_FRAME) :].split()
            return float(wall) - started, float(cpu)
    raise RuntimeError(
        f"{command[2:]} painted no frame (exit {result.returncode}): {result.stderr[-500:]}"
    )


def _compile_kiosk() -> None:
    """The kiosk's modules as bytecode, as an installed kiosk has them (pip compiles a wheel on
    install; scripts/setup.sh compiles the editable tree). PySide6, the baseline's only code,
    is compiled already; without this, an edited tree run with PYTHONDONTWRITEBYTECODE would
    measure the compiler."""
    import compileall

    import kiosk

    compileall.compile_dir(os.path.dirname(kiosk.__file__), quiet=2)


def run() -> list[Result]:
    _compile_kiosk()
    kiosk = [sys.executable, "-m", "kiosk"]
    bare = [sys.executable, "-c", BARE_WINDOW]
    # One warm-up each, so neither pays for a cold file cache or the first catalog compile.
    time_to_first_frame(kiosk)
    time_to_first_frame(bare)
    kiosk_runs, bare_runs = [], []
    for _ in range(RUNS):
        kiosk_runs.append(time_to_first_frame(kiosk))
        bare_runs.append(time_to_first_frame(bare))
    wall = statistics.median(w for w, _ in kiosk_runs)
    wall_baseline = statistics.median(w for w, _ in bare_runs)
    cpu = statistics.median(c for _, c in kiosk_runs)
    cpu_baseline = statistics.median(c for _, c in bare_runs)
    return [
        Result.against(
            "startup",
            round(wall, 4),
            round(wall_baseline, 4),
            "s",
            # Both sides' runs: on a loaded machine one slow run of either shows here.
            notes=(
                f"median of {RUNS}; kiosk runs {[round(w, 3) for w, _ in kiosk_runs]}, "
                f"bare {[round(w, 3) for w, _ in bare_runs]}"
            ),
        ),
        Result.against(
            "startup_cpu",
            round(cpu, 4),
            round(cpu_baseline, 4),
            "s",
            notes="process CPU time to the first frame: steadier on a busy machine",
        ),
    ]
