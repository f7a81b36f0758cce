"""The body of the kiosk screen: a heading, a line on how, then at most six large choices.

Screens are built from plain content (texts and actions) by kiosk.ui.window; they hold no flow
state of their own, so a change of language, size or contrast re-renders them from the flow.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap, QResizeEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.theme import Theme
from kiosk.domain.messages import Message
from kiosk.flows.view import Choice, Content, Panel, QrPanel

__all__ = ["Choice", "ChoiceScreen", "Content", "Panel", "PinScreen"]
from kiosk.ui.widgets import ChoiceTile, PinPad

ICON_DIR = Path(__file__).resolve().parent.parent / "assets" / "icons"


Translate = Callable[[Message], str]


def _clear(layout: QGridLayout | QVBoxLayout | QHBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()


class ChoiceScreen(QWidget):
    """Heading, hint, tiles: the shape of every kiosk screen's body (shared/reference/ui.md)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("body")
        self._layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self._layout.addWidget(self.heading)
        self._layout.addWidget(self.hint)
        self._panels = QVBoxLayout()
        self._layout.addLayout(self._panels)
        self._content_row = QHBoxLayout()
        self.illustration = QLabel()
        self.illustration.setObjectName("illustration")
        self._content_row.addWidget(self.illustration)
        self._grid = QGridLayout()
        self._content_row.addLayout(self._grid, 1)
        self._layout.addLayout(self._content_row)
        self._pager_row = QHBoxLayout()
        self.pager = QLabel()
        self.pager.setObjectName("hint")
        self._pager_row.addWidget(self.pager, 1)
        self._pager_buttons = QHBoxLayout()
        self._pager_row.addLayout(self._pager_buttons)
        self._layout.addLayout(self._pager_row)
        self._layout.addStretch(1)
        self.tiles: list[ChoiceTile] = []
        self.pager_buttons: list[QPushButton] = []
        self._columns = 1
        self._choices: dict[str, Choice] = {}

    def show_content(self, content: Content, theme: Theme, translate: Translate) -> None:
        margin = theme.mm(10)
        self._layout.setContentsMargins(margin, theme.mm(6), margin, theme.mm(4))
        self._layout.setSpacing(theme.mm(3))
        self._grid.setSpacing(theme.gap_px)
        self._content_row.setSpacing(theme.mm(10))
        if content.illustration:
            side = theme.mm(80)
            self.illustration.setPixmap(render_illustration(content.illustration, theme, side))
            self.illustration.setFixedSize(side, side)
            self.illustration.show()
        else:
            self.illustration.clear()
            self.illustration.hide()
        self.heading.setText(translate(content.heading))
        self.hint.setText(translate(content.hint) if content.hint else "")
        self.hint.setVisible(content.hint is not None)
        _clear(self._grid)
        _clear(self._panels)
        _clear(self._pager_buttons)
        self.pager_buttons = []
        self.tiles = []
        self._choices = {c.digit: c for c in content.choices}
        for panel in content.panels:
            self._panels.addWidget(_panel_widget(panel, theme, translate))
        columns = max(1, content.columns)
        for index, choice in enumerate(content.choices):
            examples = translate(choice.examples) if choice.examples else ""
            tile = ChoiceTile(choice.digit, translate(choice.label), examples, theme)
            tile.clicked.connect(choice.action)
            self._grid.addWidget(tile, index // columns, index % columns)
            tile.show()
            self.tiles.append(tile)
        # A column left over from a wider screen before would keep its share of the width.
        for column in range(max(columns, self._grid.columnCount())):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        self._columns = columns
        self._fit_tiles()
        self.pager.setText(translate(content.pager) if content.pager else "")
        self.pager.setVisible(content.pager is not None)
        for label, action in content.pager_actions:
            button = QPushButton(translate(label))
            button.setAccessibleName(button.text())
            button.clicked.connect(action)
            self._pager_buttons.addWidget(button)
            self.pager_buttons.append(button)
        # The focus starts on the body, never on a header switch a stray Enter would flip.
        if self.tiles:
            self.tiles[0].setFocus()
        elif self.pager_buttons:
            self.pager_buttons[-1].setFocus()
        else:
            self.setFocus()

    def _fit_tiles(self) -> None:
        """Gives each row of tiles the height its longest label needs at the column's width.

        A grid lays out buttons by their size hints, not by the height their wrapped text needs
        at the width they get, so a long label would be cut off; the audit checks it is not.
        """
        if not self.tiles:
            return
        margins = self._layout.contentsMargins()
        inner = self.width() - margins.left() - margins.right()
        if self.illustration.isVisible():
            inner -= self.illustration.width() + self._content_row.spacing()
        spacing = self._grid.horizontalSpacing()
        width = max(1, (inner - spacing * (self._columns - 1)) // self._columns)
        for tile in self.tiles:
            tile.ensurePolished()  # the style sheet's fonts decide the height, so apply them first
        for start in range(0, len(self.tiles), self._columns):
            row = self.tiles[start : start + self._columns]
            height = max(tile.heightForWidth(width) for tile in row)
            for tile in row:
                tile.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_tiles()

    def choose(self, digit: str) -> bool:
        choice = self._choices.get(digit)
        if choice is None:
            return False
        choice.action()
        return True


def render_illustration(name: str, theme: Theme, side: int) -> QPixmap:
    """Draws an SVG from assets/icons in the theme's colours, so it keeps the theme's contrast."""
    p = theme.palette
    svg = (ICON_DIR / name).read_text(encoding="utf-8")
    for slot, colour in (
        ("{page}", p.page),
        ("{tile}", p.tile),
        ("{line}", p.tile_border),
        ("{accent}", p.focus),
    ):
        svg = svg.replace(slot, colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(side, side)
    pixmap.fill(QColor(p.page))
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


def qr_pixmap(payload: str, side: int) -> QPixmap:
    """A QR code of `payload`, `side` pixels square, black on white whatever the theme: phone
    cameras read dark modules on a light ground."""
    import qrcode

    code = qrcode.QRCode(border=2)
    code.add_data(payload)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")  # type: ignore[call-overload]
    return pixmap.scaled(side, side)


def _panel_widget(panel: Panel, theme: Theme, translate: Translate) -> QFrame:
    frame = QFrame()
    frame.setObjectName("panel")
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    outer = QHBoxLayout(frame)
    outer.setContentsMargins(0, 0, 0, 0)
    box = QVBoxLayout()
    outer.addLayout(box, 1)
    if isinstance(panel, QrPanel) and panel.payload:
        # A document the printer could not print stays in the resident's hands this way.
        code = QLabel(frame)
        code.setObjectName("qrCode")
        code.setPixmap(qr_pixmap(panel.payload, theme.mm(45)))
        code.setAccessibleName(translate(panel.title))
        outer.addWidget(code)
    box.setContentsMargins(theme.mm(4), theme.mm(2), theme.mm(4), theme.mm(2))
    title = QLabel(translate(panel.title))
    title.setObjectName("tileLabel")
    title.setWordWrap(True)
    box.addWidget(title)
    for line in panel.lines:
        label = QLabel(translate(line))
        label.setObjectName("muted")
        label.setWordWrap(True)
        box.addWidget(label)
    frame.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return frame


class PinScreen(QWidget):
    """The PIN: shown as dots, entered on the large keypad or the hardware one.

    The digits live in a bytearray that is wiped as soon as it is handed on; nothing else
    holds them, and the screen never shows or speaks one (ssc-card.md, requirement 5). The same
    screen takes other numbers a task asks for (a phone number), shown as typed.
    """

    submitted = Signal(bytearray)
    typed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("body")
        self._pin = bytearray()
        self._max = 6
        self._layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.display = QLabel()
        self.display.setObjectName("pinDisplay")
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self._layout.addWidget(self.heading)
        self._layout.addWidget(self.hint)
        self._row = QHBoxLayout()
        self._left = QVBoxLayout()
        self._left.addWidget(self.display)
        self._left.addWidget(self.error)
        self._left.addStretch(1)
        self._row.addLayout(self._left, 1)
        self._layout.addLayout(self._row, 1)
        self.pad: PinPad | None = None
        self._entered_text = "{count}"
        self._masked = True

    def setup(
        self,
        heading: str,
        hint: str,
        error: str,
        key_labels: dict[str, str],
        entered_text: str,
        theme: Theme,
        rebuild: bool,
        *,
        masked: bool = True,
        max_digits: int = 6,
    ) -> None:
        margin = theme.mm(10)
        self._layout.setContentsMargins(margin, theme.mm(6), margin, theme.mm(4))
        self._row.setSpacing(theme.mm(12))
        self.heading.setText(heading)
        self.hint.setText(hint)
        self.error.setText(error)
        self.error.setVisible(bool(error))
        self._entered_text = entered_text
        if masked != self._masked or max_digits != self._max:
            self.clear()
        self._masked, self._max = masked, max_digits
        if rebuild or self.pad is None:
            if self.pad is not None:
                self.pad.hide()
                self.pad.deleteLater()
            self.pad = PinPad(theme, key_labels)
            self.pad.digit_pressed.connect(self.add_digit)
            self.pad.delete_pressed.connect(self.delete_digit)
            self.pad.confirm_pressed.connect(self.confirm)
            self._row.addWidget(self.pad, 1)
            self.pad.buttons["confirm"].setFocus()
        self._refresh()

    @property
    def length(self) -> int:
        return len(self._pin)

    def add_digit(self, digit: str) -> None:
        if len(self._pin) < self._max and digit.isdigit():
            self._pin.append(ord(digit))
            self._refresh()
            self.typed.emit()

    def delete_digit(self) -> None:
        if self._pin:
            self._pin[-1] = 0
            del self._pin[-1]
            self._refresh()
            self.typed.emit()

    def clear(self) -> None:
        self._pin[:] = bytes(len(self._pin))
        self._pin.clear()
        self._refresh()

    def confirm(self) -> None:
        handed = bytearray(self._pin)
        self.clear()
        self.submitted.emit(handed)

    def _refresh(self) -> None:
        if self._masked:
            shown = " ".join("●" * len(self._pin) + "○" * (self._max - len(self._pin)))
        else:
            shown = self._pin.decode("ascii") or "_" * self._max
        self.display.setText(shown)
        self.display.setAccessibleName(self._entered_text.format(count=len(self._pin)))
