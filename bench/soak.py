"""`soak`: months without a restart, in small. 1,000 resident sessions through the real kiosk.

The kiosk is the one `kiosk demo` starts (kiosk.assembly.first_frame.start: the real window
offscreen, the embedded reference platform over HTTP, the simulated card reader, printer and
e-code scanner, the dev panel), driven as the demo's user drives it: the dev panel's buttons
insert and take out the demo cards, and key presses reach the window's focused widget.
Sessions alternate:

- card A: PIN, the thirteen categories and one of them, home, the contribution records (from
  the platform), back home, end the session, take the card out;
- card B: PIN, the card's status (from the platform), then the card pulled mid-task.

After a warm-up (the start-up's background work done, then 200 sessions: every screen built,
worker threads started, bounded caches filled) and again at the end, with the event loop
idle, deferred deletions done and Python's garbage collected: resident memory (MB), live
QObjects, open file descriptors and OS threads. The entries are the growths between the two
(goal: memory at most 5 MB, the other three 0); each baseline is the figure after warm-up, so
the ratio is the growth as a fraction of it.

QObjects are counted as the union of every object in the trees of the top-level widgets and
the application, and every QObject Python still holds (parentless timers and models
included). Linux only: the figures come from /proc/self.

`KIOSK_SOAK_SESSIONS` changes the number of sessions after the warm-up (for a quick look; the
notes say how many ran).
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench import Result

SESSIONS = int(os.environ.get("KIOSK_SOAK_SESSIONS", "1000"))
# The first sample, once the start-up's background work is done; then the warm-up, during
# which Qt's bounded caches fill (its pixmap cache alone takes up to 10 MB): measured from
# session 40, resident memory climbs some 5 to 8 MB over the next 100 to 200 sessions and then
# stays level (the notes print the curve, every 100 sessions from session 40).
EARLY = 40
WARM_UP = 200
# One step of a session waits at most this long for the kiosk to get there.
STEP_TIMEOUT_S = 180.0
# KIOSK_SOAK_TRACE=1: also print where Python's own allocations grew (tracemalloc; slower).
TRACE = bool(os.environ.get("KIOSK_SOAK_TRACE"))

Wait = Callable[[], bool]


@dataclasses.dataclass(frozen=True)
class Sample:
    rss_mb: float
    # The same after glibc's malloc_trim(0) hands freed heap pages back to the system: what
    # the heap holds, without the pages it keeps for reuse.
    trimmed_mb: float
    qobjects: int
    open_files: int
    threads: int


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fp:
        for line in fp:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _malloc_trim() -> None:
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if name:
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
        if trim is not None:
            trim(0)


def _qobjects() -> int:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    seen: dict[int, object] = {}
    roots: list[QObject] = [app, *QApplication.topLevelWidgets()]
    for root in roots:
        seen[id(root)] = root
        for child in root.findChildren(QObject):
            seen[id(child)] = child
    for held in gc.get_objects():
        if isinstance(held, QObject):
            seen[id(held)] = held
    return len(seen)


def sample() -> Sample:
    from PySide6.QtCore import QCoreApplication, QEvent

    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        QCoreApplication.processEvents()
        gc.collect()
    rss = _rss_mb()
    _malloc_trim()
    return Sample(
        rss_mb=round(rss, 2),
        trimmed_mb=round(_rss_mb(), 2),
        qobjects=_qobjects(),
        open_files=len(os.listdir("/proc/self/fd")),
        threads=len(os.listdir("/proc/self/task")),
    )


def _start_up_done() -> bool:
    return not any(t.name == "speech-warm" for t in threading.enumerate())


class Driver:
    """Steps through the sessions from the kiosk's own event loop: each yield is a condition
    the kiosk must reach (polled every few milliseconds) before the next press."""

    def __init__(self, sessions: int) -> None:
        self.sessions = sessions
        self.samples: list[Sample] = []
        self.error: str | None = None
        self.done_sessions = 0
        # Resident memory every 100 sessions: a leak climbs steadily, a cache levels off.
        self.curve: list[float] = []
        self.traced: Any = None
        self.early: Sample | None = None
        self._steps: Iterator[tuple[str, Wait]] | None = None
        self._waiting: tuple[str, Wait] | None = None
        self._deadline = 0.0
        self._timer: Any = None

    # --- the kiosk ----------------------------------------------------------------------
    def _parts(self) -> tuple[Any, Any]:
        from PySide6.QtWidgets import QApplication

        from kiosk.ui.dev_panel import DevPanel
        from kiosk.ui.window import KioskWindow

        window = panel = None
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, KioskWindow):
                window = widget
            elif isinstance(widget, DevPanel) and widget.isVisible():
                panel = widget
        return window, panel

    def _press(self, key_name: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        window, _ = self._parts()
        # The kiosk window's focused widget, as when the window is active: the dev panel,
        # just clicked, has the application's focus, and the keypad is the kiosk's.
        target = window.focusWidget() or window
        QTest.keyClick(target, getattr(Qt.Key, f"Key_{key_name}"))

    def _click(self, button: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    # --- the script ---------------------------------------------------------------------
    def _script(self) -> Iterator[tuple[str, Wait]]:
        from kiosk.devices.card.profile import load_demo_profiles
        from kiosk.flows.session import Step

        yield "the dev panel", lambda: self._parts()[1] is not None
        window, panel = self._parts()
        flow = window.flow
        profiles = load_demo_profiles()

        def at(step: Step) -> Wait:
            return lambda: flow.step is step

        def task_loaded() -> bool:
            if flow.step is not Step.TASK or flow.task is None:
                return False
            hint = flow.task.view().hint
            return hint is None or hint.id != "catalog.loading"

        def keys(text: str) -> None:
            for key in text:
                self._press(key)

        for number in range(WARM_UP + self.sessions):
            if number == EARLY:
                # The start-up's own work is not a session's: the voice guide makes every fixed
                # prompt's audio once on a thread of its own (about a minute with an empty
                # cache), holding pipes to espeak-ng and memory while it runs.
                yield "the start-up's speech prompts", _start_up_done
                self.early = sample()
            if number == WARM_UP:
                self.samples.append(sample())
                if TRACE:
                    tracemalloc.start(12)
                    self.traced = tracemalloc.take_snapshot()
            if number > EARLY and (number - EARLY) % 100 == 0:
                self.curve.append(round(_rss_mb(), 1))
            card = "demo_a" if number % 2 == 0 else "demo_b"
            self._click(panel.insert_buttons[card])
            # What the kiosk reads and why, accepted once a session (Art. 13), before the PIN.
            yield "the privacy notice", at(Step.PRIVACY)
            self._press("1")
            yield "the PIN screen", at(Step.PIN)
            keys(profiles[card].pin)
            self._press("Return")
            yield "home", at(Step.HOME)
            if card == "demo_a":
                self._press("1")
                yield "the categories", at(Step.CATALOG)
                self._press("6")
                yield "a category", at(Step.CATEGORY)
                self._press("Escape")
                yield "home again", at(Step.HOME)
                self._press("2")
                yield "the records", task_loaded
                self._press("1")
                yield "the contributions", task_loaded
                self._press("Escape")
                yield "home after the records", at(Step.HOME)
                self._press("6")
                yield "take the card", at(Step.TAKE_CARD)
                self._click(panel.remove_button)
            else:
                self._press("3")
                yield "the card's status", task_loaded
                self._click(panel.remove_button)
            yield "the attract screen", at(Step.ATTRACT)
            self.done_sessions = number + 1 - WARM_UP
        self.samples.append(sample())
        if TRACE and self.traced is not None:
            growth = tracemalloc.take_snapshot().compare_to(self.traced, "traceback")
            for stat in growth[:15]:
                print(stat, file=sys.stderr)
                for line in stat.traceback.format()[-12:]:
                    print("   ", line, file=sys.stderr)

    # --- the loop -----------------------------------------------------------------------
    def start(self) -> None:
        from PySide6.QtCore import QTimer

        self._steps = self._script()
        self._timer = QTimer()
        self._timer.setInterval(2)
        self._timer.timeout.connect(self._tick)
        self._advance()
        self._timer.start()

    def _advance(self) -> None:
        assert self._steps is not None
        try:
            self._waiting = next(self._steps)
        except StopIteration:
            self._finish()
            return
        self._deadline = time.monotonic() + STEP_TIMEOUT_S

    def _tick(self) -> None:
        if self._waiting is None:
            return
        what, reached = self._waiting
        try:
            if reached():
                self._advance()
            elif time.monotonic() > self._deadline:
                step = self._parts()[0].flow.step
                self._finish(
                    f"the kiosk did not reach {what} in session {self.done_sessions} (at {step})"
                )
        except Exception as error:  # a broken script is reported, not left to hang the loop
            self._finish(f"{type(error).__name__}: {error}")

    def _finish(self, error: str | None = None) -> None:
        from PySide6.QtWidgets import QApplication

        self.error = error
        self._waiting = None
        self._timer.stop()
        QApplication.exit(0 if error is None else 1)


def soak(sessions: int = SESSIONS) -> tuple[Driver, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The soak's outbox, logs and caches go to a folder of its own, not the user's.
    home = tempfile.mkdtemp(prefix="kiosk-soak-")
    for variable in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        os.environ[variable] = str(Path(home) / variable.lower())
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.assembly.first_frame import start
    from kiosk.config import defaults

    base = defaults()
    # The demo kiosk, on the simulated reader whatever PC/SC readers this machine has; no
    # debounce, since the driver presses faster than a hand and the same key twice in a row.
    config = dataclasses.replace(
        base,
        kiosk=dataclasses.replace(base.kiosk, debounce_s=0.0),
        card_reader=dataclasses.replace(base.card_reader, kind="simulated"),
    )
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert app is not None
    driver = Driver(sessions)
    QTimer.singleShot(0, driver.start)
    started = time.monotonic()
    code = start(config)
    if code != 0 and driver.error is None:
        driver.error = f"the kiosk exited with {code}"
    return driver, time.monotonic() - started


def run() -> list[Result]:
    driver, seconds = soak()
    if driver.error is not None or len(driver.samples) != 2:
        raise RuntimeError(f"soak: {driver.error or 'no measurement'}")
    warm, end = driver.samples
    early = driver.early
    assert early is not None
    notes = (
        f"{driver.done_sessions} sessions in {seconds:.0f} s after {WARM_UP} warm-up; "
        f"at session {EARLY} {early}; after warm-up {warm}; at the end {end}; "
        f"resident MB every 100 from session {EARLY}: {driver.curve}; "
        f"growth after heap trim {end.trimmed_mb - warm.trimmed_mb:+.2f} MB"
    )
    return [
        Result.against(
            "soak_memory_growth",
            round(end.rss_mb - warm.rss_mb, 2),
            warm.rss_mb,
            "MB",
            notes=notes + "; goal <= 5 MB",
        ),
        Result.against(
            "soak_qobjects_growth", end.qobjects - warm.qobjects, warm.qobjects, "", "goal 0"
        ),
        Result.against(
            "soak_open_files_growth",
            end.open_files - warm.open_files,
            warm.open_files,
            "",
            "goal 0",
        ),
        Result.against(
            "soak_threads_growth", end.threads - warm.threads, warm.threads, "", "goal 0"
        ),
    ]
