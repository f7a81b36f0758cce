"""The kiosk window as the UI and end-to-end tests open it, and the keys and taps they use on it.

One build for every test: the design size at 96 dpi, the default profile, and no debounce, long
or short, since presses in a test come faster than any hand (the debounce has its own tests).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.accessibility.profile import Profile
from kiosk.backend.client import PlatformClient
from kiosk.devices.card.profile import CardProfile
from kiosk.devices.card.service import CardService
from kiosk.devices.card.simulated import SimulatedCardReader
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.server.embedded import EmbeddedServer
from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
from kiosk.ui.fonts import load_fonts
from kiosk.ui.window import KioskWindow

KEYS = {d: getattr(Qt.Key, f"Key_{d}") for d in "0123456789"}
DIGITS = list(KEYS.values())


@dataclass
class CardStack:
    """What the kiosk wires below its window: the card's worker on the simulated reader (real
    card protocol, virtual chip), the Qt runner, and the real client of the server."""

    runner: QtTaskRunner
    reader: SimulatedCardReader
    card_service: CardService
    client: PlatformClient


@contextmanager
def card_stack(server: EmbeddedServer, cache_dir: Path) -> Iterator[CardStack]:
    """Results reach the window through the same dispatcher the kiosk uses; the caller starts
    the card service once its flow exists, and it is closed (then the runner) on the way out."""
    dispatcher = QtDispatcher()
    stack = CardStack(
        QtTaskRunner(dispatcher),
        SimulatedCardReader(),
        CardService(dispatcher.post),
        PlatformClient(server.url, server.kiosk_id, server.kiosk_key, cache_dir=cache_dir),
    )
    yield stack
    stack.card_service.close()
    stack.runner.shutdown()


def wait_for_answers(
    qtbot: Any, stack: CardStack, flow: SessionFlow, timeout_ms: int = 20_000
) -> None:
    """Until the platform and the card have answered everything asked of them so far, and each
    answer has reached the flow and so the screen: the runner and the card service count what
    they still owe (`pending`), so this waits exactly as long as needed, never for a quiet spell
    that a slow machine could outlast."""

    def answered() -> bool:
        return stack.runner.pending == 0 and stack.card_service.pending == 0 and not flow.busy

    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        qtbot.waitUntil(answered, timeout=max(int((deadline - time.monotonic()) * 1000), 1))
        # What rendering the answer queued (layouts, shows) is done before anyone looks; should
        # that have asked the platform or the card something more, wait for that too.
        QApplication.processEvents()
        if answered():
            return


def make_window(
    flow: SessionFlow,
    translations: Translations,
    *,
    profile: Profile | None = None,
    debounce_s: float = 0.0,
    long_debounce_s: float = 0.0,
    **kw: Any,
) -> KioskWindow:
    """The window, not yet shown; other keywords (monotonic, guide, clock) go to KioskWindow."""
    return KioskWindow(
        flow,
        translations,
        load_fonts(),
        default_profile=profile if profile is not None else Profile(),
        dpi=96.0,
        design_size=(1920, 1080),
        debounce_s=debounce_s,
        long_debounce_s=long_debounce_s,
        **kw,
    )


def show_window(qtbot: Any, window: KioskWindow, *, activate: bool = True) -> KioskWindow:
    """Shown, exposed and (unless told not to) active, so key presses reach it."""
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    if activate:
        window.activateWindow()
    return window


def open_window(
    qtbot: Any,
    flow: SessionFlow,
    translations: Translations,
    *,
    activate: bool = True,
    **kw: Any,
) -> KioskWindow:
    """make_window, then show_window."""
    return show_window(qtbot, make_window(flow, translations, **kw), activate=activate)


def press(qtbot: Any, window: KioskWindow, *keys: Qt.Key) -> None:
    """Keys go where a real key press goes: to the focused widget, then up its parents."""
    for key in keys:
        qtbot.keyClick(QApplication.focusWidget() or window, key)


def type_digits(qtbot: Any, window: KioskWindow, digits: str) -> None:
    press(qtbot, window, *(KEYS[d] for d in digits))


def tap(qtbot: Any, window: KioskWindow, digit: str) -> None:
    """Touches the choice tile with this digit on the screen shown."""
    tiles = [t for t in window.choice_screen.tiles if t.digit == digit]
    assert tiles, f"no tile {digit} on {window.content.heading.id}"
    qtbot.mouseClick(tiles[0], Qt.MouseButton.LeftButton)


def walk_to(qtbot: Any, window: KioskWindow, target: QPushButton) -> None:
    """Moves the focus to a key of the on-screen keyboard with the arrow keys alone."""
    screen = window.body.keyboard_screen
    for _ in range(60):
        focused = QApplication.focusWidget()
        if focused is target:
            return
        rows = [[b for b in row if b.isVisible()] for row in screen.rows]
        rows = [row for row in rows if row]
        here = next(r for r, row in enumerate(rows) if focused in row)
        there = next(r for r, row in enumerate(rows) if target in row)
        if here != there:
            press(qtbot, window, Qt.Key.Key_Down if there > here else Qt.Key.Key_Up)
        else:
            column, wanted = rows[here].index(focused), rows[here].index(target)  # type: ignore[arg-type]
            press(qtbot, window, Qt.Key.Key_Right if wanted > column else Qt.Key.Key_Left)
    raise AssertionError(f"the arrows did not reach {target.text()}")


def keypad_type(qtbot: Any, window: KioskWindow, text: str) -> None:
    """Types on the on-screen keyboard by the keypad: arrows to each key, then Enter."""
    for char in text:
        walk_to(qtbot, window, window.body.keyboard_screen.key_buttons[char])
        press(qtbot, window, Qt.Key.Key_Return)


def said(player: RecordingPlayer) -> list[str]:
    """Message ids queued for the loudspeaker since the last call, in order."""
    ids = [clip.utterance.message_id for clip in player.enqueued]
    player.events.clear()
    return ids


class Listened:
    """How a test's own rig presses keys and hears the kiosk, for a rig (a dataclass) that has
    the window and the recording engine and player its voice guide speaks into."""

    window: KioskWindow
    engine: RecordingEngine
    player: RecordingPlayer

    def said(self) -> list[str]:
        """Message ids queued for the loudspeaker since the last call, in order."""
        return said(self.player)

    def texts(self) -> list[str]:
        """Everything the speech engine was asked to say, in order."""
        return [call.text for call in self.engine.calls]

    def press(self, qtbot: Any, *keys: Qt.Key) -> None:
        press(qtbot, self.window, *keys)


@dataclass
class VoicedKiosk:
    """The whole kiosk below the glass for a task test: the window with a voice guide that
    speaks into a recording player, the flow with the simulated printer and a real outbox, the
    card stack on the simulated reader and the real client; the card the resident brings.
    A test's own kiosk adds its way of pressing and listening to this one."""

    window: KioskWindow
    flow: SessionFlow
    player: RecordingPlayer
    stack: CardStack
    qtbot: Any
    card: CardProfile

    def settle(self) -> None:
        """Until the platform and the card have answered and the screen shows it."""
        wait_for_answers(self.qtbot, self.stack, self.flow)

    def reach(self, step: Step) -> None:
        """Until the flow is at this step (the card read, the platform answered), settled."""
        self.qtbot.waitUntil(lambda: self.flow.step is step, timeout=20_000)
        self.settle()


Voiced = TypeVar("Voiced", bound=VoicedKiosk)


@contextmanager
def voiced_kiosk(
    qtbot: Any, server: EmbeddedServer, folder: Path, kind: type[Voiced], **more: Any
) -> Iterator[Voiced]:
    """The kiosk of that kind (VoicedKiosk or a test's own), built with `more` (the card...)."""
    from kiosk.accessibility.voice import VoiceGuide
    from kiosk.backend.outbox import Outbox
    from kiosk.devices.printer.factory import make_receipt_printer
    from kiosk.devices.speech.simulated import RecordingEngine

    with card_stack(server, folder / "cache") as stack:
        outbox = Outbox(folder / "outbox.sqlite3", stack.client)
        outbox.start()
        # As the kiosk runs: the privacy notice (Art. 13) opens each session.
        flow = SessionFlow(
            stack.card_service, stack.client, stack.runner, time.monotonic, privacy_notice=True
        )
        flow.printer = make_receipt_printer("sim")
        flow.outbox = outbox
        translations = Translations(folder / "translations")
        player = RecordingPlayer()
        guide = VoiceGuide(translations, RecordingEngine(), player, voice_mode=False)
        window = open_window(qtbot, flow, translations, guide=guide)
        stack.card_service.start(stack.reader, flow)
        try:
            yield kind(window, flow, player, stack, qtbot, **more)
        finally:
            outbox.close()
