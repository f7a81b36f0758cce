"""Double presses, as people type: real key events through the window, 120 ms apart.

The kiosk ignores only a key's mechanical bounce by default, so a PIN like 112233 and a phone
number like 13800138000 arrive whole; the long debounce for unsteady hands (requirement 15) is
the resident's choice, on in the elderly mode, and said when it changes. The staff console's
text fields are never debounced: its documented demo password arrives whole.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_rig import KEYS, show_window

from kiosk.accessibility.profile import Profile
from kiosk.accessibility.voice import VoiceGuide
from kiosk.config import KioskSection
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.domain.messages import msg
from kiosk.flows.session import SessionFlow, Step
from kiosk.flows.view import Content, DigitEntry
from kiosk.i18n import Translations
from kiosk.testing.card import RecordingCard
from kiosk.testing.data import SNAPSHOT
from kiosk.testing.platform import FakePlatform
from kiosk.testing.runner import ManualRunner
from kiosk.ui.fonts import load_fonts
from kiosk.ui.window import KioskWindow

GAP_MS = 120
# The kiosk's shipped settings: what a resident meets.
BOUNCE_S = KioskSection().debounce_s
LONG_S = KioskSection().long_debounce_s


@dataclass
class Kiosk:
    window: KioskWindow
    flow: SessionFlow
    card: RecordingCard
    runner: ManualRunner
    player: RecordingPlayer

    def said(self) -> list[str]:
        return [e.clip.utterance.message_id for e in self.player.events if e.clip is not None]


@pytest.fixture(params=["zh_CN", "en"])
def kiosk(request, qtbot, tmp_path: Path) -> Iterator[Kiosk]:
    card, runner = RecordingCard(), ManualRunner()
    flow = SessionFlow(card, FakePlatform(), runner, time.monotonic, timeout_s=120, warning_s=30)
    translations = Translations(tmp_path)
    player = RecordingPlayer()
    guide = VoiceGuide(translations, RecordingEngine(), player, voice_mode=True)
    window = KioskWindow(
        flow,
        translations,
        load_fonts(),
        default_profile=Profile(language=request.param),
        dpi=96.0,
        design_size=(1920, 1080),
        debounce_s=BOUNCE_S,
        long_debounce_s=LONG_S,
        guide=guide,
    )
    show_window(qtbot, window)
    yield Kiosk(window, flow, card, runner, player)


def brisk(qtbot, window, keys: list, gap_ms: int = GAP_MS) -> None:
    """Each key where a real press goes, a steady gap_ms after the one before."""
    for key in keys:
        qtbot.keyClick(QApplication.focusWidget() or window, key)
        qtbot.wait(gap_ms)


def digit_keys(text: str) -> list:
    return [KEYS[d] for d in text]


def to_home(kiosk: Kiosk, qtbot) -> None:
    kiosk.flow.card_inserted()
    kiosk.card.reads[-1][0](SNAPSHOT)
    brisk(qtbot, kiosk.window, [*digit_keys("123456"), Qt.Key.Key_Return])
    kiosk.card.pins[-1][1](None)
    kiosk.runner.finish_all()
    assert kiosk.flow.step is Step.HOME


def test_a_pin_with_repeated_digits_typed_briskly_arrives_whole(kiosk: Kiosk, qtbot) -> None:
    kiosk.flow.card_inserted()
    kiosk.card.reads[-1][0](SNAPSHOT)
    brisk(qtbot, kiosk.window, [*digit_keys("112233"), Qt.Key.Key_Return])
    assert kiosk.card.pins[-1][0] == b"112233"


class EntryTask:
    """A task of one entry that keeps what is submitted from it; its kind says which entry."""

    def __init__(self, _context: object) -> None:
        self.typed: list[str] = []

    def back(self) -> bool:
        return False

    def close(self) -> None:
        self.typed.clear()


class PhoneTask(EntryTask):
    """A task that asks for a phone number on the keypad, as the complaint does."""

    def view(self) -> Content:
        return DigitEntry(msg("complaints.phone.heading"), submit=self.typed.append)

    def screen_key(self) -> tuple[object, ...]:
        return (len(self.typed),)


def test_a_phone_number_typed_briskly_arrives_whole(kiosk: Kiosk, qtbot) -> None:
    to_home(kiosk, qtbot)
    kiosk.flow.start_task(PhoneTask)
    task = kiosk.flow.task
    assert isinstance(task, PhoneTask)
    brisk(qtbot, kiosk.window, [*digit_keys("13800138000"), Qt.Key.Key_Return])
    assert task.typed == ["13800138000"]


def test_a_key_bounce_is_dropped_by_default(kiosk: Kiosk, qtbot) -> None:
    kiosk.flow.card_inserted()
    kiosk.card.reads[-1][0](SNAPSHOT)
    brisk(qtbot, kiosk.window, digit_keys("77"), gap_ms=0)  # one press, its contacts bouncing
    assert kiosk.window.pin_screen.length == 1


def test_the_long_debounce_comes_with_the_elderly_mode_and_is_said(kiosk: Kiosk, qtbot) -> None:
    brisk(qtbot, kiosk.window, digit_keys("1"))  # 长辈模式 on the first screen
    assert kiosk.window.profile.elderly and kiosk.window.profile.long_debounce
    assert "voice.long_debounce_on" in kiosk.said()
    kiosk.flow.card_inserted()
    kiosk.card.reads[-1][0](SNAPSHOT)
    qtbot.wait(round(LONG_S * 1000) + 50)  # the 1 that chose the mode is long past
    brisk(qtbot, kiosk.window, digit_keys("11"))  # the second 1, 120 ms on: a tremor
    assert kiosk.window.pin_screen.length == 1
    qtbot.wait(round(LONG_S * 1000) + 50)
    brisk(qtbot, kiosk.window, digit_keys("12"))  # after the long debounce, and another key
    assert kiosk.window.pin_screen.length == 3


def choose_steady_keys(kiosk: Kiosk) -> str:
    content = kiosk.window.content
    digit = content.digit_of("attract.choice.long_debounce") or content.digit_of(
        "attract.choice.long_debounce_off"
    )
    assert digit, "the first screen offers the long debounce"
    return digit


def test_the_long_debounce_is_a_choice_on_the_first_screen_by_keypad(kiosk: Kiosk, qtbot) -> None:
    brisk(qtbot, kiosk.window, digit_keys(choose_steady_keys(kiosk)))
    assert kiosk.window.profile.long_debounce and not kiosk.window.profile.elderly
    assert kiosk.said()[-1] == "voice.long_debounce_on"
    qtbot.wait(round(LONG_S * 1000) + 50)
    brisk(qtbot, kiosk.window, digit_keys(choose_steady_keys(kiosk)))
    assert not kiosk.window.profile.long_debounce
    assert kiosk.said()[-1] == "voice.long_debounce_off"


def test_the_long_debounce_is_a_choice_on_the_first_screen_by_touch(kiosk: Kiosk, qtbot) -> None:
    digit = choose_steady_keys(kiosk)
    tile = next(t for t in kiosk.window.choice_screen.tiles if t.digit == digit)
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert kiosk.window.profile.long_debounce
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)  # a second touch at once: a tremor
    assert kiosk.window.profile.long_debounce
    # The resident's choice ends with the session (requirement 17).
    kiosk.flow.card_inserted()
    kiosk.card.reads[-1][0](SNAPSHOT)
    kiosk.flow.card_removed()
    assert not kiosk.window.profile.long_debounce


def test_the_staff_console_password_arrives_whole(qtbot, tmp_path: Path) -> None:
    """The counter's documented demo password, typed 120 ms a key with the kiosk's settings,
    the customer window watching every press of the application and in the elderly mode."""
    from kiosk.assembly.counter import build_counter

    built = build_counter(
        platform=FakePlatform(),
        card=RecordingCard(),
        runner=ManualRunner(),
        translations=Translations(tmp_path),
        font_family=load_fonts(),
        profile=Profile(elderly=True, long_debounce=True),
        dpi=96.0,
        debounce_s=BOUNCE_S,
        long_debounce_s=LONG_S,
        watch_presses=True,
    )
    for window in (built.customer_window, built.console):
        show_window(qtbot, window)
    console = built.console
    console.activateWindow()
    console.password.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is console.password)
    for char in "demo-counter-pass":
        qtbot.keyClick(console.password, char)
        qtbot.wait(GAP_MS)
    assert console.password.text() == "demo-counter-pass"
    built.customer_window.close()


class TypingTask(EntryTask):
    """A task that asks for text on the keyboard screen, as the complaint in own words does."""

    def __init__(self, context) -> None:
        from kiosk.flows.text_entry import LATIN, TextEditor

        super().__init__(context)
        self.editor = TextEditor(
            changed=context.changed, submit=self.typed.append, layouts=(LATIN,), private=False
        )

    def view(self) -> Content:
        return self.editor.view(msg("complaints.typed.heading"), msg("complaints.typed.hint"))

    def screen_key(self) -> tuple[object, ...]:
        return (self.editor.revision,)


def test_text_typed_from_a_keyboard_is_never_debounced(kiosk: Kiosk, qtbot) -> None:
    """The long debounce on, letters typed 120 ms apart on a USB keyboard arrive whole."""
    to_home(kiosk, qtbot)
    kiosk.window.set_profile(kiosk.window.profile.toggled_long_debounce())
    kiosk.flow.start_task(TypingTask)
    task = kiosk.flow.task
    assert isinstance(task, TypingTask)
    keys = [getattr(Qt.Key, f"Key_{c.upper()}") for c in "passkk"]
    brisk(qtbot, kiosk.window, keys)
    assert task.editor.text == "passkk"
