"""The kiosk's 12-key keypad and function keys, as a PC keyboard presents them (requirement 7).

A hardware keypad sends the same key codes (most are USB keyboards), so this one table decides
what every key does; a kiosk with a keypad of another layout changes it here.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class KeyCode(IntEnum):
    """The Qt::Key codes the keypad uses, as the numbers Qt documents. Not Qt.Key itself:
    touching PySide6's `Qt` namespace builds all its enums, 36 ms of start-up before the first
    frame (tests/ui/test_keypad_codes.py checks these against Qt.Key)."""

    ESCAPE = 0x01000000
    BACKSPACE = 0x01000003
    RETURN = 0x01000004
    ENTER = 0x01000005
    LEFT = 0x01000012
    UP = 0x01000013
    RIGHT = 0x01000014
    DOWN = 0x01000015
    F1 = 0x01000030
    F2 = 0x01000031
    F3 = 0x01000032
    F5 = 0x01000034
    F6 = 0x01000035
    F7 = 0x01000036
    F8 = 0x01000037
    F12 = 0x0100003B
    SPACE = 0x20
    NUMBER_SIGN = 0x23
    ASTERISK = 0x2A
    DIGIT_0 = 0x30
    LETTER_A = 0x41
    LETTER_Z = 0x5A


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
    SCREEN = "screen"  # audio only: blank the screen, or light it again (requirement 6)
    # The cabinet's service key, for staff: the service menu (PIN, device health, exit).
    SERVICE = "service"


_KEYS: dict[int, Keypad] = {
    KeyCode.RETURN: Keypad.ENTER,
    KeyCode.ENTER: Keypad.ENTER,
    KeyCode.BACKSPACE: Keypad.BACK,
    KeyCode.ESCAPE: Keypad.CANCEL,
    KeyCode.DOWN: Keypad.NEXT,
    KeyCode.RIGHT: Keypad.NEXT,
    KeyCode.UP: Keypad.PREVIOUS,
    KeyCode.LEFT: Keypad.PREVIOUS,
    KeyCode.ASTERISK: Keypad.REPEAT,
    KeyCode.F1: Keypad.REPEAT,
    KeyCode.NUMBER_SIGN: Keypad.STOP,
    KeyCode.F5: Keypad.QUIETER,
    KeyCode.F6: Keypad.LOUDER,
    KeyCode.F7: Keypad.SLOWER,
    KeyCode.F8: Keypad.FASTER,
    KeyCode.F2: Keypad.CALL_STAFF,
    KeyCode.F3: Keypad.SCREEN,
    KeyCode.F12: Keypad.SERVICE,
}
# Qt's digit keys are their ASCII codes, 0x30 to 0x39.
_DIGITS: dict[int, str] = {KeyCode.DIGIT_0 + d: str(d) for d in range(10)}


def keypad_key(key: int) -> tuple[Keypad, str] | None:
    """What a key does: (action, digit) for digits, (action, "") otherwise; None if nothing."""
    if key in _DIGITS:
        return Keypad.DIGIT, _DIGITS[key]
    action = _KEYS.get(key)
    return (action, "") if action is not None else None
