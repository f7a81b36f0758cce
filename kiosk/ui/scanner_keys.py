"""The screen's key filter for an e-code scanner that types like a keyboard.

Every key press reaches the kiosk's window first (the platform hands key events to the
QWindow, which passes them on to the focused widget); this filter sees them there, once each,
and asks the scanner (kiosk.devices.scanner.interface.KeyWedge) whether the key is part of a
scan. Keys of a scan never reach the screen, so a code's digits never choose a tile; keys held
back while that was unclear are replayed to the window, in order, as they came.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent

from kiosk.devices.scanner.interface import KeyWedge, WedgeVerdict

_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)
# A scanner types capitals and punctuation with Shift, as a keyboard does: a modifier alone is
# neither part of a code nor the end of one.
_MODIFIERS = frozenset(
    int(key)
    for key in (
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    )
)


def _copy(event: QKeyEvent) -> QKeyEvent:
    return QKeyEvent(
        event.type(),
        event.key(),
        event.modifiers(),
        event.nativeScanCode(),
        event.nativeVirtualKey(),
        event.nativeModifiers(),
        event.text(),
        event.isAutoRepeat(),
        event.count(),
    )


class WedgeKeyFilter(QObject):
    """Install on the QApplication: `QApplication.instance().installEventFilter(filter)`."""

    def __init__(self, wedge: KeyWedge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._wedge = wedge
        self._held: list[tuple[QObject, QKeyEvent]] = []
        self._replaying = False
        # Keys whose press a scan took: their releases are the scan's too.
        self._taken_keys: set[int] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, round(wedge.max_gap_s * 1000) + 1))
        self._timer.timeout.connect(self._expired)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._replaying or event.type() not in _KEY_EVENTS or not watched.isWindowType():
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() in _MODIFIERS:
            return False
        if event.type() == QEvent.Type.KeyRelease:
            if event.key() in self._taken_keys:
                self._taken_keys.discard(event.key())
                return True
            if self._held:
                # Its press is held: the release follows it, in order.
                self._held.append((watched, _copy(event)))
                return True
            return False
        self._settle(self._wedge.expire_if_stale())
        verdict = self._wedge.key(event.text())
        if verdict is WedgeVerdict.PASS:
            return False
        if verdict is WedgeVerdict.HOLD:
            self._held.append((watched, _copy(event)))
            self._timer.start()
            return True
        if verdict is WedgeVerdict.TAKEN:
            self._drop()
            self._taken_keys.add(event.key())
            return True
        # RELEASE: what was held first, then this key as it came.
        self._replay()
        return False

    def _expired(self) -> None:
        self._settle(self._wedge.expire())

    def _settle(self, verdict: WedgeVerdict) -> None:
        if verdict is WedgeVerdict.RELEASE:
            self._replay()
        elif verdict is WedgeVerdict.TAKEN:
            self._drop()

    def _drop(self) -> None:
        self._timer.stop()
        for _receiver, event in self._held:
            if event.type() == QEvent.Type.KeyPress:
                self._taken_keys.add(event.key())
            else:
                self._taken_keys.discard(event.key())
        self._held.clear()

    def _replay(self) -> None:
        self._timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for receiver, event in held:
                QCoreApplication.sendEvent(receiver, event)
        finally:
            self._replaying = False
