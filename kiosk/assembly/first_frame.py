"""The first phase of the start: the attract screen painted from as few modules as it needs.

Everything here and in what this module imports is on the way to the first frame, which the
`startup` benchmark holds to the bare Qt window's time: the devices, the platform client, the
voice and the staff console wait for kiosk.assembly.after_frame, which is loaded once the
window has painted.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.assembly.faces import SessionFace, build_session_face, configured_settings
from kiosk.assembly.paths import APP_NAME, cache_folder
from kiosk.backend.client import PlatformClient
from kiosk.devices.card.service import CardService
from kiosk.domain import hall_time
from kiosk.i18n import LANGUAGES, CatalogMissing, Translations, po_path
from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
from kiosk.ui.fonts import FontProblem, check_coverage_once, font_files, load_fonts
from kiosk.ui.window import KioskWindow

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.backend.connection import PlatformConnection
    from kiosk.backend.outbox import Outbox
    from kiosk.config import Config

log = logging.getLogger("kiosk")
EXIT_START = 3
# Set by bench/startup.py: report the first painted frame on stdout, then quit.
FIRST_FRAME_ENV = "KIOSK_REPORT_FIRST_FRAME"


class Stoppable(Protocol):
    def stop(self) -> None: ...


class Started(NamedTuple):
    """What the first phase built, for the second to complete and the way out to stop. A named
    tuple: a dataclass costs the first frame some 0.5 ms of CPU to make."""

    config: Config
    counter: bool
    cache_dir: Path
    translations: Translations
    font_family: str
    dispatcher: QtDispatcher
    runner: QtTaskRunner
    card_service: CardService
    platform: PlatformClient
    face: SessionFace
    # Filled by the second phase: stopped on the way out, devices first.
    devices: list[Stoppable]
    outboxes: list[Outbox]
    connections: list[PlatformConnection]
    # Windows of the second phase (the staff console, the dev panel), kept while the kiosk runs.
    windows: list[QWidget]

    def stop(self) -> None:
        for device in self.devices:
            device.stop()
        self.card_service.close()
        self.runner.shutdown()
        for outbox in self.outboxes:
            outbox.close()
        for connection in self.connections:
            connection.close()


def start(config: Config, *, fullscreen: bool = False, counter: bool = False) -> int:
    """Runs a kiosk (or, with `counter`, a counter) until it is closed; the exit code."""
    try:
        return _start(config, fullscreen, counter)
    except Exception:
        log.exception("the kiosk stopped on an unexpected error")
        print("kiosk: stopped on an unexpected error; see the log for details", file=sys.stderr)
        return 1


def _start(config: Config, fullscreen: bool, counter: bool) -> int:
    # The clock on screen and every date said or printed, in the hall's zone whatever the
    # operating system's is (config checked the name already).
    hall_time.use(hall_time.HallClock(config.kiosk.timezone))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    cache_dir = cache_folder()
    translations = Translations(cache_dir / "translations")
    try:
        family = load_fonts()
        # Refuse to start rather than show a resident empty boxes.
        check_coverage_once(
            translations.all_texts,
            [*font_files(), *(po_path(language) for language in LANGUAGES)],
            cache_dir / "font-coverage",
            family,
        )
    except (FontProblem, CatalogMissing) as error:
        print(f"kiosk: {error}", file=sys.stderr)
        return EXIT_START

    dispatcher = QtDispatcher()
    runner = QtTaskRunner(dispatcher)
    card_service = CardService(dispatcher.post)
    # The flows hold the client from the first frame; the second phase tells it where the
    # platform is, and its calls (on worker threads) wait for that meanwhile.
    platform = PlatformClient.reached_later(
        timeout_s=config.platform.timeout_s,
        cache_dir=cache_dir / "platform",
        ca_bundle=config.platform.ca_file or None,
    )
    settings = configured_settings(
        config,
        translations,
        family,
        app.primaryScreen(),
        fullscreen=fullscreen,
        counter=counter,
        illustrations=cache_dir / "illustrations",
    )
    face = build_session_face(card_service, platform, runner, settings)
    started = Started(
        config=config,
        counter=counter,
        cache_dir=cache_dir,
        translations=translations,
        font_family=family,
        dispatcher=dispatcher,
        runner=runner,
        card_service=card_service,
        platform=platform,
        face=face,
        devices=[],
        outboxes=[],
        connections=[],
        windows=[],
    )
    window = face.window
    measuring_start_up = bool(os.environ.get(FIRST_FRAME_ENV))
    if measuring_start_up:
        # The measurement stops at the first frame, so nothing of the second phase starts only
        # to be killed again.
        after_first_paint(window, lambda: report_first_frame())
    else:
        after_first_paint(window, lambda: _second_phase(started))
    # A counter is staffed, and its console must stay reachable beside the customer window.
    locked_down = config.kiosk.lock_down and not counter
    if locked_down:
        _lock_down(window)
    if fullscreen or locked_down:
        window.showFullScreen()
    else:
        window.show()
    try:
        return app.exec()
    finally:
        started.stop()


def _second_phase(started: Started) -> None:
    # Collected as usual from here on (`kiosk` and its run and demo commands start with the
    # collector off: kiosk.cli says why).
    gc.enable()
    # The one place the rest of the kiosk is loaded: its modules import what they need at
    # their top, and none of it is on the way to the first frame.
    from kiosk.assembly import after_frame

    after_frame.assemble(started)


def _lock_down(window: KioskWindow) -> None:
    """A walk-up kiosk's window: frameless, above every other window, closed only from the
    service menu. Qt's `Qt` namespace is built here, only for a locked-down kiosk: building
    its enums costs any other start some 36 ms (tests/ui/test_keypad_codes.py)."""
    from PySide6.QtCore import Qt

    window.setWindowFlags(
        window.windowFlags()
        | Qt.WindowType.FramelessWindowHint
        | Qt.WindowType.WindowStaysOnTopHint
    )
    window.lock_down()


def report_first_frame() -> None:
    """For the start-up benchmark: the wall time of the first painted frame, then quit."""
    # Wall time for the measurement, and this process's CPU time, which a busy machine
    # disturbs less, for reading the result.
    print(f"first-frame {time.time():.6f} cpu {time.process_time():.6f}", flush=True)
    # exit(), not quit(): Qt 6's quit() first asks every window to close, and a locked-down
    # kiosk's window refuses.
    QApplication.exit(0)


def after_first_paint(window: QWidget, callback: Callable[[], None]) -> None:
    """Runs `callback` once the window has painted: slow start-up work waits for the screen."""

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                QTimer.singleShot(0, callback)
            return False

    window.installEventFilter(FirstPaint(window))
