"""Every key and button press of the application, seen before any widget acts on it.

It eats a double press (requirement 15: a key's mechanical bounce always, and for unsteady
hands the long debounce the resident chose), counts any press as activity (requirement 16),
lets a press on the idle loop only bring "insert your card" back (Art. 15), switches voice on
when # is held on the first screen (requirement 8), and hands the arrow keys on a choice screen
to the window so the guide says where the focus landed (requirement 2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.ui.keys import Keypad, keypad_key

if TYPE_CHECKING:
    from kiosk.ui.window import KioskWindow

VOICE_HOLD_S = 2.0


class PressFilter(QObject):
    """Installed on the application for one window; forgets nothing but the last press."""

    def __init__(
        self,
        window: KioskWindow,
        *,
        debounce_s: float,
        long_debounce_s: float,
        monotonic: Callable[[], float],
    ) -> None:
        super().__init__(window)
        self._window = window
        self.debounce_s = debounce_s
        self.long_debounce_s = long_debounce_s
        self._monotonic = monotonic
        self._last_press: tuple[object, float] = (None, float("-inf"))
        self._held_since: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Offered every event of the application (hundreds per screen change): the class test
        # is cheap, reading the event's type through the binding is not.
        if not isinstance(event, QKeyEvent | QMouseEvent):
            return False
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            return False
        window = self._window
        flow = window.flow
        if flow.showcase_on and flow.at_rest and not window.service_open:
            # Art. 15's idle loop: a press brings "insert your card" back and does nothing else.
            flow.activity()
            return True
        if self._is_double_press(watched, event):
            return True  # eaten: requirement 15
        # Any press anywhere is activity: it extends the session (requirement 16), and on the
        # first screen it keeps the idle loop away.
        if flow.seconds_left() is not None:
            flow.activity()
        elif flow.at_rest:
            flow.pressed()
        return self._move_focus_aloud(watched, event)

    def _move_focus_aloud(self, watched: QObject, event: QEvent) -> bool:
        """A push button moves the focus itself on an arrow key, and silently. On the choice
        screen the window moves it instead, so the guide says where it landed (requirement 2)."""
        window = self._window
        if not isinstance(event, QKeyEvent) or watched is not QApplication.focusWidget():
            return False
        pressed = keypad_key(event.key())
        if pressed is None or pressed[0] not in (Keypad.NEXT, Keypad.PREVIOUS):
            return False
        if window.stack.currentWidget() is not window.choice_screen:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not window:
            return False
        return window.handle_key(event.key())

    def _is_double_press(self, watched: QObject, event: QEvent) -> bool:
        """The same key, or a press on the same button, again within the debounce time.

        The application's filter sees an event once for each widget it is offered to on its
        way up the parents; only its first receiver counts as a press.
        """
        window = self._window
        if isinstance(event, QKeyEvent):
            first_receiver = QApplication.focusWidget() or window
            if watched is not first_receiver:
                return False
            if not isinstance(watched, QWidget) or watched.window() is not window:
                return False  # another window's keys (the staff console's) are its own
            self._held_key(event)
            if event.isAutoRepeat():
                return True  # a key held down is one press, not many
            if window.on_keyboard():
                return False  # text typed from a keyboard: every press is a letter
            what: object = ("key", event.key())
        elif isinstance(watched, QAbstractButton) and watched.window() is window:
            what = ("button", id(watched))
        else:
            return False
        now = self._monotonic()
        last_what, last_time = self._last_press
        self._last_press = (what, now)
        limit = self.long_debounce_s if window.profile.long_debounce else self.debounce_s
        return what == last_what and now - last_time < limit

    def _held_key(self, event: QKeyEvent) -> None:
        """Requirement 8: holding # for two seconds on the attract screen switches voice on,
        for a resident who cannot see the screen's switch. The attract screen says so."""
        window = self._window
        pressed = keypad_key(event.key())
        if pressed is None or pressed[0] is not Keypad.STOP or not window.flow.at_rest:
            self._held_since = None
            return
        now = self._monotonic()
        guide = window.guide
        if not event.isAutoRepeat() or self._held_since is None:
            self._held_since = now
        elif now - self._held_since >= VOICE_HOLD_S and guide is not None:
            self._held_since = None
            if not guide.voice_mode:
                guide.set_voice_mode(True)
                window.refresh()
