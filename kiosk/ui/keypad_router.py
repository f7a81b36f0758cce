"""Where a keypad key goes (kiosk.ui.keys): to the PIN pad, the on-screen keyboard, the staff's
service menu, the voice guide, the screen's choices or the flow.

Digits choose, 0 turns a long list's page, Enter selects, Backspace goes back, Esc goes home;
* repeats the screen, # stops the speech, F5/F6 volume, F7/F8 speed, F2 calls staff, F3 blanks
the screen (requirements 6, 7, 21). Every task works from the keypad alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.ui.keys import Keypad, keypad_key

if TYPE_CHECKING:
    from kiosk.accessibility.voice import VoiceGuide
    from kiosk.ui.window import KioskWindow

NEXT_PAGE_DIGIT = "0"

# Keypad actions the voice guide answers.
_SPEECH_KEYS: dict[Keypad, Callable[[VoiceGuide], object]] = {
    Keypad.REPEAT: lambda guide: guide.repeat(),
    Keypad.STOP: lambda guide: guide.stop(),
    Keypad.QUIETER: lambda guide: guide.quieter(),
    Keypad.LOUDER: lambda guide: guide.louder(),
    Keypad.SLOWER: lambda guide: guide.slower(),
    Keypad.FASTER: lambda guide: guide.faster(),
}


class KeypadRouter:
    """The keypad of one window."""

    def __init__(self, window: KioskWindow) -> None:
        self._window = window

    def handle_key(self, key: int) -> bool:
        """True when the key did something here; False lets Qt have it."""
        window = self._window
        pressed = keypad_key(key)
        if pressed is None:
            # Letters of a USB keyboard type on the on-screen keyboard; elsewhere they do nothing.
            return window.on_keyboard() and window.body.keyboard_screen.handle_key(key, None, "")
        action, digit = pressed
        if window.on_keyboard() and self._on_keyboard(key, action, digit):
            return True
        service = window.service if window.service_open else None
        on_pin = window.stack.currentWidget() is window.pin_screen
        if action is Keypad.SERVICE:
            return window.open_service_menu()
        if service is not None and action in (Keypad.BACK, Keypad.CANCEL) and not on_pin:
            service.back() if action is Keypad.BACK else service.close()
            return True
        if service is not None and action is Keypad.CANCEL:
            window.pin_screen.clear()
            service.close()
            return True
        if action is Keypad.CALL_STAFF:
            window.call_staff()
        elif action in _SPEECH_KEYS:
            return self._speech(action)
        elif action is Keypad.DIGIT:
            return self._digit(digit, on_pin)
        elif action is Keypad.ENTER:
            return self._enter(on_pin)
        elif action is Keypad.BACK:
            self._back(on_pin)
        elif action is Keypad.CANCEL:
            window.pin_screen.clear() if on_pin else window.flow.home()
        elif action in (Keypad.NEXT, Keypad.PREVIOUS):
            if action is Keypad.NEXT:
                window.focusNextChild()
            else:
                window.focusPreviousChild()
            window.say_focused()
        elif action is Keypad.SCREEN:
            return window.set_audio_only(not window.audio_only)
        return True

    def _on_keyboard(self, key: int, action: Keypad, digit: str) -> bool:
        window = self._window
        guide = window.guide
        if action is Keypad.REPEAT and guide is not None:
            # What is typed now, not what the screen said when it opened.
            guide.screen_opened(window.content.spoken())
            if not guide.voice_mode:
                guide.repeat()
            return True
        return window.body.keyboard_screen.handle_key(key, action, digit)

    def _speech(self, action: Keypad) -> bool:
        guide: VoiceGuide | None = self._window.guide
        if guide is None:
            return False
        _SPEECH_KEYS[action](guide)
        self._window.render_chrome()
        return True

    def _digit(self, digit: str, on_pin: bool) -> bool:
        window = self._window
        if on_pin:
            window.pin_screen.add_digit(digit)
            return True
        # A long list turns its page on 0, whoever pages it (the session or a task).
        if digit == NEXT_PAGE_DIGIT and window.content.next_page():
            return True
        return window.choice_screen.choose(digit)

    def _enter(self, on_pin: bool) -> bool:
        # On the PIN screen Enter confirms, wherever the focus is: the ATM convention, and
        # what a resident typing on the hardware keypad expects.
        focused = QApplication.focusWidget()
        if on_pin:
            self._window.pin_screen.confirm()
        elif isinstance(focused, QPushButton) and focused.isVisible():
            focused.click()
        else:
            return False
        return True

    def _back(self, on_pin: bool) -> None:
        window = self._window
        service = window.service if window.service_open else None
        # On an empty entry a task asked for, Back leaves it, as it does on any other screen:
        # a keypad user has no other way back than the footer. The menu's PIN stays put.
        leaves = on_pin and window.pin_screen.length == 0 and service is None
        if on_pin and not leaves:
            window.pin_screen.delete_digit()
        elif service is not None:
            service.back()
        else:
            window.flow.back()
