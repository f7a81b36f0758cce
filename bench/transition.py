"""`transition`: how long the kiosk takes to change screens (goal: p95 under 16.7 ms, one frame
at 60 Hz). Each change is a flow event followed by the window's refresh and a full repaint,
timed from the event to the painted screen, offscreen at 1920x1080 with the demo catalog.

The repaint goes through the event loop (update(), then the loop runs until idle), as every
frame of the kiosk does: a synchronous repaint() would paint before Qt had handled the events
the change posted, and then paint the moved widgets a second time, a frame the kiosk never
draws. (Measured that way the figures are about 5 ms higher, before and after alike.)

The baseline, measured in the same run, repaints the same window without changing its screen:
the ratio is what building the new screen costs over drawing it.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench import Result

ROUNDS = 40


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def run() -> list[Result]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from kiosk.accessibility.profile import Profile
    from kiosk.audit.scenes import SCENES, build_stage
    from kiosk.i18n import Translations
    from kiosk.ui.fonts import load_fonts

    # The compiled texts for this run only: a folder left behind each run would pile up.
    texts = tempfile.TemporaryDirectory(prefix="bench-transition-")
    stage = build_stage(Translations(Path(texts.name)), load_fonts(), 92.56)
    window, flow = stage.window, stage.flow
    window.set_default_profile(Profile())
    window.show()
    SCENES["home"][1](stage)
    app.processEvents()

    def timed(change: object) -> float:
        started = time.perf_counter()
        if callable(change):
            change()
        window.update()
        app.processEvents()
        return (time.perf_counter() - started) * 1000

    changes: list[float] = []
    repaints: list[float] = []
    for _ in range(ROUNDS):
        changes.append(timed(flow.open_catalog))  # home -> the thirteen categories
        changes.append(timed(lambda: flow.choose_category(6)))  # -> a category's services
        changes.append(timed(flow.back))  # -> categories
        changes.append(timed(flow.home))  # -> home
        repaints.append(timed(None))
    window.close()
    texts.cleanup()
    value, baseline = _p95(changes), _p95(repaints)
    return [
        Result.against(
            "transition_p95",
            round(value, 2),
            round(baseline, 2),
            "ms",
            notes=f"{len(changes)} screen changes; median {statistics.median(changes):.1f} ms; "
            "baseline: repaint without a change; goal p95 < 16.7 ms",
        )
    ]
