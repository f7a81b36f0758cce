"""Big widgets for walk-up use: choice tiles with their keypad digit, and the PIN keypad."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.theme import Theme


def wrapped_label(text: str, object_name: str, parent: QWidget) -> QLabel:
    """A label that wraps its words, styled by its object name (kiosk.ui.style). Inside a
    button, presses go through it to the button: a plain label ignores them.

    Made with its parent: a parentless label shown before its layout is installed would open
    as a window of its own and take the focus from the kiosk.
    """
    label = QLabel(text, parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


class BodyScreen(QWidget):
    """A screen of the window's body: its heading and hint on top, as on every kiosk screen
    (shared/reference/ui.md); what is particular to it is laid out below them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("body")
        self._layout = QVBoxLayout(self)
        self.heading = wrapped_label("", "heading", self)
        self.hint = wrapped_label("", "hint", self)
        self._layout.addWidget(self.heading)
        self._layout.addWidget(self.hint)


class ChoiceTile(QPushButton):
    """One choice: the keypad digit in a badge, a short label, and a line of examples.

    The accessible name says the digit, the label and the examples, the same words the voice
    guide speaks, so a screen reader and the kiosk agree (requirement 22).

    A screen keeps its tiles and gives them new words (set_choice) when its content changes:
    making and styling a tile costs more than a frame at 60 Hz, changing its text does not.
    """

    def __init__(
        self, digit: str, label: str, examples: str, theme: Theme, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.digit = digit
        self.setObjectName("tile")
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._row = row = QHBoxLayout(self)
        self.badge = badge = wrapped_label(digit, "tileBadge", self)
        badge.setWordWrap(False)
        # Stretch above and below keep the badge in the middle of a tall tile.
        badge_column = QVBoxLayout()
        badge_column.addStretch(1)
        badge_column.addWidget(badge)
        badge_column.addStretch(1)
        row.addLayout(badge_column)
        self._texts = texts = QVBoxLayout()
        self.label = wrapped_label(label, "tileLabel", self)
        texts.addWidget(self.label)
        self.examples = wrapped_label(examples, "muted", self)
        texts.addWidget(self.examples)
        row.addLayout(texts, 1)
        self._theme: Theme | None = None
        self._min_height = 0
        self.apply_theme(theme)
        self.set_choice(digit, label, examples)

    def apply_theme(self, theme: Theme) -> None:
        """The sizes of a theme (its colours and fonts come from the window's style sheet)."""
        if theme == self._theme:
            return
        self._theme = theme
        self._row.setContentsMargins(theme.mm(4), theme.mm(3), theme.mm(4), theme.mm(3))
        self._row.setSpacing(theme.mm(4))
        self._texts.setSpacing(theme.mm(1.5))
        side = theme.badge_px
        self.badge.setFixedSize(side, side)
        self._min_height = max(theme.target_px, theme.mm(30))
        self.setMinimumHeight(self._min_height)

    def set_choice(self, digit: str, label: str, examples: str) -> None:
        self.digit = digit
        self.badge.setText(digit)
        self.label.setText(label)
        self.examples.setText(examples)
        if self.examples.isHidden() == bool(examples):
            self.examples.setVisible(bool(examples))
        self.setAccessibleName(f"{digit}. {label}")
        self.setAccessibleDescription(examples)

    # QPushButton sizes itself from its own text; this one has a layout of wrapping labels, so
    # its height follows the layout's, and a long label grows the tile instead of being clipped.
    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        layout = self.layout()
        return max(self._min_height, layout.totalHeightForWidth(width)) if layout else 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        layout = self.layout()
        hint = layout.totalSizeHint() if layout else QSize(0, 0)
        return QSize(hint.width(), max(self._min_height, hint.height()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._min_height, self._min_height)


class PinPad(QWidget):
    """A large 12-key keypad for the PIN: digits, 更正 (delete) and 确认 (confirm).

    The digits are in telephone order, like the hardware keypad beside the screen, so a
    resident who learnt one can use the other.
    """

    digit_pressed = Signal(str)
    delete_pressed = Signal()
    confirm_pressed = Signal()

    def __init__(self, theme: Theme, labels: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(theme.gap_px)
        grid.setContentsMargins(0, 0, 0, 0)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "delete", "0", "confirm"]
        self.buttons: dict[str, QPushButton] = {}
        side = max(theme.target_px, theme.mm(20))
        for index, key in enumerate(keys):
            text = labels.get(key, key)
            button = QPushButton(text)
            button.setObjectName("keypadKey")
            button.setMinimumSize(side, side)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setAccessibleName(text)
            if key == "delete":
                # Signal to signal, inside Qt: PySide keeps a connection to a signal's bound
                # emit() alive after the pad is deleted, and the kiosk makes a pad per PIN
                # screen (bench soak measured it).
                button.clicked.connect(self.delete_pressed)
            elif key == "confirm":
                button.clicked.connect(self.confirm_pressed)
            else:
                button.clicked.connect(self._handler(key))
            grid.addWidget(button, index // 3, index % 3)
            self.buttons[key] = button

    def _handler(self, key: str) -> Callable[[], None]:
        return lambda: self.digit_pressed.emit(key)
