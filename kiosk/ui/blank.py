"""The audio-only mode (requirement 6): the screen blanked for privacy while speech and the
keypad go on, for a resident who does not want the hall to read over their shoulder."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QWidget

from kiosk.domain.messages import msg

if TYPE_CHECKING:
    from kiosk.accessibility.voice import VoiceGuide


class BlankScreen:
    """A black cover over the whole window; made on first use, after the first frame. It takes
    no focus, so the keypad still works the screen under it, and it catches touches: a hand on a
    dark screen presses nothing it cannot see."""

    def __init__(self, window: QWidget, guide: Callable[[], VoiceGuide | None]) -> None:
        self._window = window
        self._guide = guide
        self._cover: QFrame | None = None
        self.on = False

    def switch(self, on: bool) -> bool:
        """False (and nothing changes) without a voice guide: a dark screen with no voice
        would leave no way on."""
        guide = self._guide()
        if guide is None:
            return False
        if on == self.on:
            return True
        self.on = on
        cover = self._made()
        if on:
            cover.show()
            cover.raise_()
            guide.voice_on_with(msg("voice.screen_off"))
        else:
            cover.hide()
            guide.action(msg("voice.screen_on"))
        return True

    def drop(self) -> None:
        """The session is over: the next resident finds the screen lit, and nothing is said."""
        if self.on:
            self.on = False
            self._made().hide()

    def fit(self) -> None:
        """The window changed its size: the cover follows."""
        if self._cover is not None:
            self._cover.setGeometry(self._window.rect())

    def _made(self) -> QFrame:
        if self._cover is None:
            self._cover = QFrame(self._window)
            self._cover.setObjectName("blankScreen")
            self._cover.setGeometry(self._window.rect())
        return self._cover
