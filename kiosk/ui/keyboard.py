"""The on-screen keyboard: draws a TextEntry and hands every press to its TextEditor.

Typing rules live in kiosk.flows.text_entry; this file only draws them. Keys are in alphabetical
order (easier to find for a resident who never used a computer keyboard, and for the keypad's
arrows), at least 12.7 mm on each side (requirement 14), each with an accessible name in the
language on screen (requirement 22). The hardware keypad works it too: the arrows move over the
keys by row and column, Enter presses the focused key, 1-6 choose a candidate, 0 turns their
page, Backspace deletes (kiosk.ui.keypad_router routes the keys here first). A USB keyboard's
letters type directly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import pairwise

from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.theme import Theme
from kiosk.domain.messages import Message, msg
from kiosk.flows.pinyin import CANDIDATES_PER_PAGE
from kiosk.flows.text_entry import TextEditor
from kiosk.flows.view import LAYOUT_NAMES, TextEntry
from kiosk.ui.keys import KeyCode, Keypad
from kiosk.ui.widgets import BodyScreen, wrapped_label

Translate = Callable[[Message], str]

# Names said for punctuation keys; letters and digits say "letter a", "digit 1".
_PUNCTUATION_NAMES = {
    "，": "text_entry.key.comma",
    ",": "text_entry.key.comma",
    "。": "text_entry.key.period",
    ".": "text_entry.key.period",
    "？": "text_entry.key.question",
    "?": "text_entry.key.question",
}
_ARROWS: dict[int, tuple[int, int]] = {
    KeyCode.LEFT: (0, -1),
    KeyCode.RIGHT: (0, 1),
    KeyCode.UP: (-1, 0),
    KeyCode.DOWN: (1, 0),
}


def key_name(key: str) -> Message:
    if key in _PUNCTUATION_NAMES:
        return msg(_PUNCTUATION_NAMES[key])
    if key.isdigit():
        return msg("text_entry.key.digit", key=key)
    return msg("text_entry.key.letter", key=key)


def _key_columns(count: int) -> int:
    """Keys in three rows where they fit (the screen's height is what runs short in large
    print; its width is not), at least ten across so that a row is not a stretched few."""
    return min(13, max(10, -(-count // 3)))


class KeyboardScreen(BodyScreen):
    """Heading, hint, the text typed, candidates, keys, and the keypad's help."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = wrapped_label("", "textField", self)
        # Qt's namespace only here: the keyboard is made when first needed, after the first
        # frame (kiosk.ui.keys: what the namespace costs).
        from PySide6.QtCore import Qt

        self.field.setTextFormat(Qt.TextFormat.PlainText)
        self.composing = QLabel()
        self.composing.setObjectName("composing")
        self.keypad_help = wrapped_label("", "muted", self)
        self._candidate_row = QHBoxLayout()
        self._keys = QGridLayout()
        self._controls = QHBoxLayout()
        # Candidates, keys and controls: one block, spaced as targets must be (requirement 14).
        self._block = QVBoxLayout()
        for part in (self._candidate_row, self._keys, self._controls):
            self._block.addLayout(part)
        field_row = QHBoxLayout()
        field_row.addWidget(self.field, 1)
        field_row.addWidget(self.composing)
        self._layout.addLayout(field_row)
        self._layout.addLayout(self._block)
        self._layout.addWidget(self.keypad_help)
        self._layout.addStretch(1)
        self.candidate_buttons: list[QPushButton] = []
        self.more_button: QPushButton | None = None
        self.key_buttons: dict[str, QPushButton] = {}
        self.control_buttons: dict[str, QPushButton] = {}
        self.editor: TextEditor | None = None
        self._look: tuple[object, ...] = ()
        self._layout_shown = ""
        self._rows: list[list[QPushButton]] = []

    @property
    def rows(self) -> list[list[QPushButton]]:
        """The keys row by row, as the keypad's arrows move over them."""
        return self._rows

    # --- drawing ----------------------------------------------------------------------------

    def show_entry(
        self, entry: TextEntry, theme: Theme, translate: Translate, *, current: bool
    ) -> bool:
        """Draws the entry; True when it is a new screen (to be said whole), False when only a
        press changed it (its `said` is the feedback)."""
        assert entry.editor is not None
        look = (id(entry.editor), theme, translate(msg("text_entry.key.done")))
        fresh = not current or look != self._look or entry.editor is not self.editor
        relaid = not fresh and entry.layout != self._layout_shown
        self.editor = entry.editor
        self._look, self._layout_shown = look, entry.layout
        if fresh:
            self._build(entry, theme, translate)
        if fresh or relaid:
            self._build_keys(entry, theme, translate)
        self._update(entry, translate)
        if fresh:
            first = next(iter(self.key_buttons.values()), None)
            (first or self.control_buttons["done"]).setFocus()
        elif relaid:
            # The switch key was pressed: it stays under the focus, to switch back.
            self.control_buttons.get("switch", self.control_buttons["done"]).setFocus()
        else:
            focused = QApplication.focusWidget()
            if focused is None or not focused.isVisible():
                self.control_buttons["done"].setFocus()
        return fresh

    def _build(self, entry: TextEntry, theme: Theme, translate: Translate) -> None:
        editor = entry.editor
        assert editor is not None
        margin = theme.mm(10)
        self._layout.setContentsMargins(margin, theme.mm(4), margin, theme.mm(3))
        self._layout.setSpacing(theme.mm(2.5))
        for part in (self._block, self._keys, self._candidate_row, self._controls):
            part.setSpacing(theme.gap_px)
        p = theme.palette
        border = max(2, theme.mm(0.6))
        self.setStyleSheet(
            f"#textField {{ font-size: {theme.tile_label_px}px; background: {p.tile};"
            f" border: {border}px solid {p.tile_border}; padding: {theme.mm(2)}px; }}"
            f" #composing {{ font-size: {theme.tile_label_px}px; font-weight: bold;"
            f" color: {p.text}; }}"
            f" #keyboardKey {{ font-size: {theme.tile_label_px}px; font-weight: bold; }}"
            f" #candidate {{ font-size: {theme.tile_label_px}px; }}"
        )
        for layout in (self._candidate_row, self._controls):
            _clear(layout)
        self.control_buttons, self.candidate_buttons = {}, []
        side = max(theme.target_px, theme.mm(14))
        candidates_row: list[QPushButton] = []
        for number in range(1, CANDIDATES_PER_PAGE + 1):
            button = self._button("candidate", side, partial(self._choose, number))
            self._candidate_row.addWidget(button)
            self.candidate_buttons.append(button)
            candidates_row.append(button)
        self.more_button = self._button("candidate", side, lambda: self._editor().next_page())
        self._candidate_row.addWidget(self.more_button)
        candidates_row.append(self.more_button)
        self._candidate_row.addStretch(1)
        controls: list[tuple[str, Message, Callable[[], None]]] = []
        if len(entry.layouts) > 1:
            # Its label names the layout it switches to; _update sets it.
            switch = msg("text_entry.key.switch", layout="")
            controls.append(("switch", switch, editor.switch_layout))
        if entry.alphabet is None and set(entry.layouts) != {"digits"}:
            controls.append(("space", msg("text_entry.key.space"), editor.space))
        controls.append(("delete", msg("text_entry.key.delete"), editor.backspace))
        controls.append(("done", msg("text_entry.key.done"), editor.accept))
        control_row: list[QPushButton] = []
        for name, label, action in controls:
            button = self._button("keyboardKey", side, action)
            button.setText(translate(label))
            button.setAccessibleName(button.text())
            self._controls.addWidget(button, 1)
            self.control_buttons[name] = button
            control_row.append(button)
        self._rows = [candidates_row, control_row]
        self.keypad_help.setText(translate(msg("text_entry.keypad")))
        # In the largest print the keyboard needs the room; the help is said all the same.
        self.keypad_help.setVisible(theme.size_mode != "largest")

    def _build_keys(self, entry: TextEntry, theme: Theme, translate: Translate) -> None:
        """The character keys of the layout shown; the other rows stay, and so does a focus on
        them (the switch key, pressed again to switch back)."""
        editor = entry.editor
        assert editor is not None
        _clear(self._keys)
        self.key_buttons = {}
        side = max(theme.target_px, theme.mm(14))
        keys = editor.character_keys()
        columns = _key_columns(len(keys))
        rows: list[list[QPushButton]] = []
        for index, key in enumerate(keys):
            button = self._button("keyboardKey", side, partial(self._press, key))
            button.setText(key)
            button.setAccessibleName(translate(key_name(key)))
            self._keys.addWidget(button, index // columns, index % columns)
            self.key_buttons[key] = button
            if index % columns == 0:
                rows.append([])
            rows[-1].append(button)
        # Columns left over from a wider layout before would keep a share of the width.
        for column in range(max(columns, self._keys.columnCount())):
            self._keys.setColumnStretch(column, 1 if column < columns else 0)
        self._rows = [self._rows[0], *rows, self._rows[-1]]
        switch = self.control_buttons.get("switch")
        if switch is not None:
            following = entry.layouts[(entry.layouts.index(entry.layout) + 1) % len(entry.layouts)]
            # The key shows the layout it switches to; its name says the whole of it.
            name = translate(msg(LAYOUT_NAMES[following]))
            switch.setText(name)
            switch.setAccessibleName(translate(msg("text_entry.key.switch", layout=name)))
        # The keys sit between the candidates and the controls in the keypad's focus order.
        chain = [b for row in self._rows for b in row]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _update(self, entry: TextEntry, translate: Translate) -> None:
        self.heading.setText(translate(entry.heading))
        self.hint.setText(translate(entry.hint) if entry.hint else "")
        self.hint.setVisible(entry.hint is not None)
        self.field.setText(entry.text + "▏")
        self.field.setAccessibleName(translate(msg("text_entry.field")))
        self.composing.setText(entry.composing)
        self.composing.setVisible(bool(entry.composing))
        for number, button in enumerate(self.candidate_buttons, start=1):
            shown = number <= len(entry.candidates)
            if shown:
                candidate = entry.candidates[number - 1]
                button.setText(f"{number} {candidate}")
                button.setAccessibleName(
                    translate(msg("text_entry.candidate", digit=number, text=candidate))
                )
            button.setVisible(shown)
        if self.more_button is not None:
            self.more_button.setText(f"0 {translate(msg('text_entry.key.more'))}")
            self.more_button.setAccessibleName(self.more_button.text())
            self.more_button.setVisible(entry.candidate_pages > 1)

    def _button(self, name: str, side: int, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setMinimumSize(side, side)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # clicked() passes `checked`, which the key's own argument must not receive.
        button.clicked.connect(lambda _checked=False: action())
        button.show()
        return button

    def forget(self) -> None:
        """Requirement 17: the last resident's text leaves the screen with them."""
        self.editor = None
        self._look = ()
        self.field.clear()
        self.composing.clear()
        for button in self.candidate_buttons:
            button.setText("")
            button.setAccessibleName("")

    # --- presses ----------------------------------------------------------------------------

    def _editor(self) -> TextEditor:
        assert self.editor is not None
        return self.editor

    def _choose(self, number: int) -> None:
        self._editor().choose(number)

    def _press(self, key: str) -> None:
        editor = self._editor()
        if key.isdigit():
            editor.press_digit(key)
        else:
            editor.press(key)

    def handle_key(self, key: int, action: Keypad | None, digit: str) -> bool:
        """The keypad and a USB keyboard on this screen; False leaves the key to the window
        (Esc goes home, the speech keys, F2, Backspace with nothing left to delete goes back)."""
        editor = self.editor
        if editor is None:
            return False
        if action is Keypad.DIGIT:
            editor.press_digit(digit)
            return True
        if action is Keypad.BACK:
            if not (editor.text or editor.composing):
                return False
            editor.backspace()
            return True
        if action is Keypad.ENTER:
            focused = QApplication.focusWidget()
            if isinstance(focused, QPushButton) and focused.isVisible():
                focused.click()
            else:
                editor.accept()
            return True
        if key in _ARROWS:
            return self._move(*_ARROWS[key])
        if action is None and KeyCode.LETTER_A <= key <= KeyCode.LETTER_Z:
            editor.press(chr(key).lower())  # the editor makes it a capital where codes want
            return True
        if action is None and key == KeyCode.SPACE:
            editor.space()
            return True
        return False

    def _move(self, rows: int, columns: int) -> bool:
        """Up and down go to the key above or below, left and right along the row; the focus
        leaves the keyboard (to the footer) only past its last row."""
        grid = [[b for b in row if b.isVisible()] for row in self._rows]
        grid = [row for row in grid if row]
        focused = QApplication.focusWidget()
        where = next(
            ((r, c) for r, row in enumerate(grid) for c, b in enumerate(row) if b is focused),
            None,
        )
        if where is None:
            return False
        r, c = where
        if columns:
            c += columns
            if c < 0 and r > 0:
                r, c = r - 1, len(grid[r - 1]) - 1
            elif c >= len(grid[r]) and r < len(grid) - 1:
                r, c = r + 1, 0
            elif not 0 <= c < len(grid[r]):
                return False
        else:
            r += rows
            if not 0 <= r < len(grid):
                return False
            # The key at the same place across, as far as the other row reaches.
            x = focused.mapTo(self, focused.rect().center()).x()  # type: ignore[union-attr]
            c = min(
                range(len(grid[r])),
                key=lambda i: abs(grid[r][i].mapTo(self, grid[r][i].rect().center()).x() - x),
            )
        from PySide6.QtCore import Qt

        grid[r][c].setFocus(Qt.FocusReason.TabFocusReason)
        return True


def _clear(layout: QGridLayout | QHBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
