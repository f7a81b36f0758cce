"""The kiosk's 12-key keypad and function keys, as a PC keyboard presents them (requirement 7).

A hardware keypad sends the same key codes (most are USB keyboards), so this one table decides
what every key does; a kiosk with a keypad of another layout changes it here.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt


class Keypad(StrEnum):
    DIGIT = "digit"  # 0-9: choose a numbered tile, or type a PIN digit
    ENTER = "enter"  # press the focused control; confirm the PIN
    BACK = "back"  # back one step; delete a PIN digit
    CANCEL = "cancel"  # home; clear the PIN
    NEXT = "next"  # move the focus forward
    PREVIOUS = "previous"  # move the focus back
    REPEAT = "repeat"  # help: say the screen again
    STOP = "stop"  # stop speaking (held on the attract screen: voice on)
    QUIETER = "quieter"
    LOUDER = "louder"
    SLOWER = "slower"
    FASTER = "faster"
    CALL_STAFF = "call_staff"  # requirement 21


_KEYS: dict[int, Keypad] = {
    Qt.Key.Key_Return: Keypad.ENTER,
    Qt.Key.Key_Enter: Keypad.ENTER,
    Qt.Key.Key_Backspace: Keypad.BACK,
    Qt.Key.Key_Escape: Keypad.CANCEL,
    Qt.Key.Key_Down: Keypad.NEXT,
    Qt.Key.Key_Right: Keypad.NEXT,
    Qt.Key.Key_Up: Keypad.PREVIOUS,
    Qt.Key.Key_Left: Keypad.PREVIOUS,
    Qt.Key.Key_Asterisk: Keypad.REPEAT,
    Qt.Key.Key_F1: Keypad.REPEAT,
    Qt.Key.Key_NumberSign: Keypad.STOP,
    Qt.Key.Key_F5: Keypad.QUIETER,
    Qt.Key.Key_F6: Keypad.LOUDER,
    Qt.Key.Key_F7: Keypad.SLOWER,
    Qt.Key.Key_F8: Keypad.FASTER,
    Qt.Key.Key_F2: Keypad.CALL_STAFF,
}
_DIGITS: dict[int, str] = {getattr(Qt.Key, f"Key_{d}"): str(d) for d in range(10)}


def keypad_key(key: int) -> tuple[Keypad, str] | None:
    """What a key does: (action, digit) for digits, (action, "") otherwise; None if nothing."""
    if key in _DIGITS:
        return Keypad.DIGIT, _DIGITS[key]
    action = _KEYS.get(key)
    return (action, "") if action is not None else None
