"""The window's body: whatever view it is given, drawn on the screen that suits it.

Choices and panels on the choice screen, a PIN or a number on the PIN pad, text on the
on-screen keyboard; each new screen is handed to the voice guide as it opens (requirement 1),
and the PIN pad's progress is said digit by digit, never the digits (ssc-card.md).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStackedWidget

from kiosk.domain.messages import Message, msg
from kiosk.flows.view import Content, DigitEntry, PinEntry, TextEntry
from kiosk.ui.screens import ChoiceScreen, PinScreen

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.accessibility.theme import Theme
    from kiosk.accessibility.voice import VoiceGuide
    from kiosk.ui.keyboard import KeyboardScreen

Translate = Callable[[Message], str]


def is_entry(view: Content) -> bool:
    """A view the keypad or the keyboard types into rather than chooses from."""
    return isinstance(view, PinEntry | DigitEntry) or (
        isinstance(view, TextEntry) and view.editor is not None
    )


class Body(QStackedWidget):
    """The stack of screens; `content` is what it shows now, as message ids."""

    def __init__(
        self, guide: Callable[[], VoiceGuide | None], illustrations: Path | None = None
    ) -> None:
        super().__init__()
        self._guide = guide
        self.choice_screen = ChoiceScreen(illustrations=illustrations)
        self.pin_screen = PinScreen()
        self.pin_screen.submitted.connect(self._entry_submitted)
        self.pin_screen.typed.connect(self._pin_typed)
        self.addWidget(self.choice_screen)
        self.addWidget(self.pin_screen)
        # Text typed on the on-screen keyboard: kiosk.ui.keyboard draws it. Made when first
        # needed: nobody types before the first frame, and it is 90 keys.
        self._keyboard: KeyboardScreen | None = None
        self._pad_look: Hashable = None
        self._pin_count = 0
        self.content = Content(msg("attract.heading"))

    @property
    def keyboard_screen(self) -> KeyboardScreen:
        if self._keyboard is None:
            from kiosk.ui.keyboard import KeyboardScreen  # its module too waits for first use

            self._keyboard = KeyboardScreen()
            self.addWidget(self._keyboard)
        return self._keyboard

    def on_keyboard(self) -> bool:
        return self._keyboard is not None and self.currentWidget() is self._keyboard

    def forget(self) -> None:
        """The session is over: digits half typed and text typed go (Art. 12)."""
        self.pin_screen.clear()
        if self._keyboard is not None:
            self._keyboard.forget()

    def show_view(self, view: Content, theme: Theme, translate: Translate, look: Hashable) -> None:
        """`look` changes when the PIN pad must be drawn anew (the profile, the scale)."""
        if isinstance(view, PinEntry | DigitEntry):
            self._show_keypad_entry(view, theme, translate, look)
        elif isinstance(view, TextEntry) and view.editor is not None:
            self._show_text_entry(view, theme, translate)
        else:
            self.setCurrentWidget(self.choice_screen)
            self.content = view
            self.choice_screen.show_content(view, theme, translate)
            self._speak_screen()

    def _show_text_entry(self, view: TextEntry, theme: Theme, translate: Translate) -> None:
        """A new keyboard screen is said whole; a press says only its result (view.said)."""
        current = self.on_keyboard()
        fresh = self.keyboard_screen.show_entry(view, theme, translate, current=current)
        self.setCurrentWidget(self.keyboard_screen)
        self.content = view
        guide = self._guide()
        if fresh or guide is None:
            self._speak_screen()
        elif guide.voice_mode:
            guide.action(*view.said)
        else:
            guide.screen_opened(view.spoken())  # silent: kept for the repeat key

    def _speak_screen(self) -> None:
        """A new screen cuts off the last one's speech; in voice mode it is said at once."""
        guide = self._guide()
        if guide is not None:
            guide.screen_opened(self.content.spoken())

    def _pin_typed(self) -> None:
        guide = self._guide()
        if guide is None:
            return
        count = self.pin_screen.length
        if count > self._pin_count:
            guide.pin_digit_entered(count)
        elif count == 0 and self._pin_count > 1:
            guide.pin_cleared()
        else:
            guide.pin_digit_deleted(count)
        self._pin_count = count

    def _show_keypad_entry(
        self, entry: PinEntry | DigitEntry, theme: Theme, translate: Translate, look: Hashable
    ) -> None:
        """The card's PIN or a task's (PinEntry), or a number a task asks for (DigitEntry)."""
        # The keypad is rebuilt only when its look changes, so focus and typed digits stay put.
        rebuild = self.currentWidget() is not self.pin_screen or look != self._pad_look
        self._pad_look = look
        self.setCurrentWidget(self.pin_screen)
        self.content = entry
        error = entry.error if isinstance(entry, PinEntry) else None
        hint = entry.hint if error is None else None
        self.pin_screen.setup(
            heading=translate(entry.heading),
            hint=translate(hint) if hint is not None else "",
            error=translate(error) if error is not None else "",
            key_labels={
                "delete": translate(msg("pin.key.delete")),
                "confirm": translate(msg("pin.key.confirm")),
            },
            entered_text=translate(msg("pin.entered", count="{count}")),
            theme=theme,
            rebuild=rebuild,
            masked=isinstance(entry, PinEntry),
            max_digits=entry.max_digits,
        )
        self._pin_count = self.pin_screen.length
        self._speak_screen()

    def _entry_submitted(self, digits: bytearray) -> None:
        """The keypad's Confirm: to whoever asked (the card's PIN check, a task, the menu)."""
        entry = self.content
        if isinstance(entry, PinEntry):
            entry.submit(digits)
        elif isinstance(entry, DigitEntry):
            text = digits.decode("ascii")
            digits[:] = bytes(len(digits))
            entry.submit(text)
        else:
            digits[:] = bytes(len(digits))
