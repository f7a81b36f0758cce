"""The keypad's key codes are Qt's, and the path to the first frame stays clear of Qt's `Qt`
namespace (building its enums costs some 36 ms of start-up) and of
the heavy libraries only later screens need."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from PySide6.QtCore import Qt

from kiosk.ui.keys import KeyCode, Keypad, keypad_key

QT_NAMES = {
    KeyCode.ESCAPE: Qt.Key.Key_Escape,
    KeyCode.BACKSPACE: Qt.Key.Key_Backspace,
    KeyCode.RETURN: Qt.Key.Key_Return,
    KeyCode.ENTER: Qt.Key.Key_Enter,
    KeyCode.LEFT: Qt.Key.Key_Left,
    KeyCode.UP: Qt.Key.Key_Up,
    KeyCode.RIGHT: Qt.Key.Key_Right,
    KeyCode.DOWN: Qt.Key.Key_Down,
    KeyCode.F1: Qt.Key.Key_F1,
    KeyCode.F2: Qt.Key.Key_F2,
    KeyCode.F3: Qt.Key.Key_F3,
    KeyCode.F5: Qt.Key.Key_F5,
    KeyCode.F6: Qt.Key.Key_F6,
    KeyCode.F7: Qt.Key.Key_F7,
    KeyCode.F8: Qt.Key.Key_F8,
    KeyCode.F12: Qt.Key.Key_F12,
    KeyCode.SPACE: Qt.Key.Key_Space,
    KeyCode.NUMBER_SIGN: Qt.Key.Key_NumberSign,
    KeyCode.ASTERISK: Qt.Key.Key_Asterisk,
    KeyCode.DIGIT_0: Qt.Key.Key_0,
    KeyCode.LETTER_A: Qt.Key.Key_A,
    KeyCode.LETTER_Z: Qt.Key.Key_Z,
}


def test_every_key_code_is_the_number_qt_gives_that_key() -> None:
    assert set(QT_NAMES) == set(KeyCode), "a new KeyCode needs its Qt.Key here"
    for code, qt_key in QT_NAMES.items():
        assert int(code) == qt_key.value, code.name


def test_keys_as_qt_sends_them_map_to_the_keypad() -> None:
    assert keypad_key(Qt.Key.Key_7.value) == (Keypad.DIGIT, "7")
    assert keypad_key(Qt.Key.Key_Return.value) == (Keypad.ENTER, "")
    assert keypad_key(Qt.Key.Key_Escape.value) == (Keypad.CANCEL, "")
    assert keypad_key(Qt.Key.Key_F2.value) == (Keypad.CALL_STAFF, "")
    assert keypad_key(Qt.Key.Key_Z.value) is None


def test_the_first_frame_does_not_build_qts_namespace(tmp_path) -> None:
    # The real start-up, stopped at its first painted frame, reporting whether anything on the
    # way touched PySide6.QtCore.Qt. Use the key codes in kiosk.ui.keys, or import Qt inside
    # code that runs after the first frame.
    script = textwrap.dedent(
        """
        import sys
        import PySide6.QtCore
        import PySide6.QtGui
        import kiosk.assembly.first_frame as first_frame
        from kiosk.assembly.commands import run_demo

        def report():
            from PySide6.QtWidgets import QApplication
            print("qt-namespace-built", "Qt" in vars(PySide6.QtCore), flush=True)
            made = sorted({"QFont", "QRawFont", "QPainter"}.intersection(vars(PySide6.QtGui)))
            print("font-classes-made", *made, flush=True)
            print("loaded", *sorted(sys.modules), flush=True)
            QApplication.quit()

        first_frame.report_first_frame = report
        sys.exit(run_demo(None))
        """
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        KIOSK_REPORT_FIRST_FRAME="1",
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_STATE_HOME=str(tmp_path / "state"),
    )
    # Twice: the first start compiles the catalogs into the cache (with Babel), as a kiosk's
    # first start after an install does; every start after it is the one measured here.
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("qt-namespace-built")]
    assert lines, f"no first frame (exit {done.returncode}): {done.stderr[-800:]}"
    assert lines[0] == "qt-namespace-built False"
    # The font check's classes (some 1.5 ms to make) and the painter that draws the attract
    # screen's illustration: a start whose fonts and catalogs passed the check before skips
    # it, a start whose drawing is in the cache reads its pixels, and nothing else on the way
    # to the first frame needs them.
    assert "font-classes-made" in done.stdout.splitlines()
    loaded = next(line for line in done.stdout.splitlines() if line.startswith("loaded ")).split()
    # What only later screens, devices or the platform need, each some tens of milliseconds
    # to import: none may be pulled in before the attract screen is painted.
    heavy = {"pypinyin", "babel", "requests", "sqlalchemy", "fastapi", "smartcard", "qrcode"}
    heavy |= {"PIL", "escpos", "serial", "uvicorn", "platformdirs", "logging.handlers"}
    # The platform client's parsers and the record types they make (some 20 ms): the client is
    # made before the first frame, they are loaded once it reaches the platform.
    heavy |= {"kiosk.backend.parse", "kiosk.backend.catalog_cache", "kiosk.domain.records"}
    heavy |= {"kiosk.domain.staff", "kiosk.domain.card_requests", "kiosk.domain.catalog"}
    heavy |= {"kiosk.domain.complaints"}
    # What only a platform answer (json) or a submission's tracking number (OpenSSL) needs.
    heavy |= {"json", "_hashlib"}
    # The attract screen's drawing is read from the cache the first start filled: Qt's SVG
    # module and painter (some 3 ms) are not needed for it.
    heavy |= {"PySide6.QtSvg"}
    # The card's records, made once a card is read: the session needs only its status
    # (kiosk.domain.card_status) before then.
    heavy |= {"kiosk.domain.card"}
    # The views, messages, home's tasks and the client's records are plain classes or named
    # tuples: a dataclass compiles its generated methods as its module loads (the views alone
    # cost 34 M instructions), so none is made on the way, nor the dataclasses module loaded;
    # nor the copy module (some 0.5 ms), which a view's replace() does without.
    heavy |= {"dataclasses", "copy"}
    assert sorted(heavy.intersection(loaded)) == []
