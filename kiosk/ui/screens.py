"""The body of the kiosk screen: a heading, a line on how, then at most six large choices.

Screens are built from plain content (texts and actions) by kiosk.ui.body; they hold no flow
state of their own, so a change of language, size or contrast re-renders them from the flow.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.theme import Palette, Theme
from kiosk.domain.messages import Message, msg
from kiosk.flows.view import Choice, Content, Panel, QrPanel
from kiosk.ui.illustration import illustration
from kiosk.ui.widgets import BodyScreen, ChoiceTile, PinPad, wrapped_label

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["Choice", "ChoiceScreen", "Content", "Panel", "PinScreen"]

Translate = Callable[[Message], str]


class ChoiceScreen(BodyScreen):
    """Heading, hint, tiles: the shape of every kiosk screen's body (shared/reference/ui.md).

    A screen change must draw within one frame at 60 Hz (bench/transition.py). Making, styling
    and laying out new widgets for every change took longer than that, so the screen keeps its
    tiles, panels and pager buttons, gives them the new words, and hides the spares; only a
    content with more of them than ever before makes new ones.
    """

    def __init__(self, parent: QWidget | None = None, *, illustrations: Path | None = None) -> None:
        super().__init__(parent)
        # Where drawn illustrations are kept between starts (kiosk.ui.illustration); None
        # draws them each time.
        self._illustrations = illustrations
        # Tiles and panels live in boxes of their own: showing a hidden widget lays out every
        # parent up to the window, so they are shown and hidden while their box is hidden, and
        # the window is laid out once, when the box is shown.
        self._panel_box = QWidget(self)
        self._panels = QVBoxLayout(self._panel_box)
        self._panels.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self._panel_box)
        self._content_row = QHBoxLayout()
        self.illustration = QLabel()
        self.illustration.setObjectName("illustration")
        self._content_row.addWidget(self.illustration)
        self._tile_box = QWidget(self)
        self._grid = QGridLayout(self._tile_box)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._content_row.addWidget(self._tile_box, 1)
        self._layout.addLayout(self._content_row)
        self._pager_row = QHBoxLayout()
        self.pager = QLabel()
        self.pager.setObjectName("hint")
        self._pager_row.addWidget(self.pager, 1)
        self._pager_buttons = QHBoxLayout()
        self._pager_row.addLayout(self._pager_buttons)
        self._layout.addLayout(self._pager_row)
        self._layout.addStretch(1)
        # The tiles and pager buttons of the content shown, in reading order.
        self.tiles: list[ChoiceTile] = []
        self.pager_buttons: list[QPushButton] = []
        self._tile_pool: list[ChoiceTile] = []
        self._panel_pool: list[PanelBox] = []
        self._pager_pool: list[QPushButton] = []
        self._grid_columns = 0
        self._theme: Theme | None = None
        self._illustration_key: tuple[str, Palette, int] | None = None
        self._columns = 1
        self._content = Content(msg("attract.heading"))  # no choices until the first screen
        self._pager_actions: list[Callable[[], None]] = []
        self._pager_labels: list[Message] = []

    def show_content(self, content: Content, theme: Theme, translate: Translate) -> None:
        # One paint when it is all in place, not one for each widget that changed.
        self.setUpdatesEnabled(False)
        try:
            self._show_content(content, theme, translate)
        finally:
            self.setUpdatesEnabled(True)
        self._fit_tiles()
        # Laid out now, so the first paint already has the new screen's geometry.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _show_content(self, content: Content, theme: Theme, translate: Translate) -> None:
        if theme != self._theme:
            self._theme = theme
            margin = theme.mm(10)
            self._layout.setContentsMargins(margin, theme.mm(6), margin, theme.mm(4))
            self._layout.setSpacing(theme.mm(3))
            self._grid.setSpacing(theme.gap_px)
            self._panels.setSpacing(theme.mm(3))
            self._content_row.setSpacing(theme.mm(10))
        self._show_illustration(content.illustration, theme)
        self.heading.setText(translate(content.heading))
        self.hint.setText(translate(content.hint) if content.hint else "")
        self.hint.setVisible(content.hint is not None)
        self._show_panels(content.panels, theme, translate)
        self._show_choices(content, theme, translate)
        self.pager.setText(translate(content.pager) if content.pager else "")
        self.pager.setVisible(content.pager is not None)
        self._show_pager_actions(content, translate)
        # The focus starts on the body, never on a header switch a stray Enter would flip.
        if self.tiles:
            self.tiles[0].setFocus()
        elif self.pager_buttons:
            self.pager_buttons[-1].setFocus()
        else:
            self.setFocus()

    def _show_illustration(self, name: str, theme: Theme) -> None:
        if not name:
            self._illustration_key = None
            self.illustration.clear()
            self.illustration.hide()
            return
        side = theme.mm(80)
        key = (name, theme.palette, side)
        if key != self._illustration_key:
            self._illustration_key = key
            drawing = illustration(name, theme.palette, side, self._illustrations)
            self.illustration.setPixmap(drawing)
            self.illustration.setFixedSize(side, side)
        self.illustration.show()

    def _show_panels(self, panels: Sequence[Panel], theme: Theme, translate: Translate) -> None:
        while len(self._panel_pool) < len(panels):
            box = PanelBox(self._panel_box)
            self._panels.addWidget(box)
            self._panel_pool.append(box)
        shown, spares = self._panel_pool[: len(panels)], self._panel_pool[len(panels) :]
        for box, panel in zip(shown, panels, strict=True):
            box.set_panel(panel, theme, translate)
        for box in spares:
            # A spare keeps no words: the last screen's may be a resident's (Art. 12).
            box.forget()
        if any(box.isHidden() for box in shown) or any(not box.isHidden() for box in spares):
            # Hidden while boxes come and go, the screen is laid out once, not once for each.
            # With the same boxes as before, hiding it would only make the next show lay out
            # and polish the whole box again (a third of a millisecond each screen).
            self._panel_box.hide()
            for box in shown:
                box.show()
            for box in spares:
                box.hide()
        self._panel_box.setVisible(bool(panels))

    def _show_choices(self, content: Content, theme: Theme, translate: Translate) -> None:
        choices = content.choices
        placed = len(self._tile_pool)
        while len(self._tile_pool) < len(choices):
            tile = ChoiceTile("", "", "", theme, self._tile_box)
            tile.clicked.connect(partial(self._tile_pressed, tile))
            if self._tile_pool:
                # Focus follows reading order, even for a tile made after the pager buttons.
                QWidget.setTabOrder(self._tile_pool[-1], tile)
            self._tile_pool.append(tile)
        self._content = content
        self.tiles = self._tile_pool[: len(choices)]
        for tile, choice in zip(self.tiles, choices, strict=True):
            tile.apply_theme(theme)
            examples = translate(choice.examples) if choice.examples else ""
            tile.set_choice(choice.digit, translate(choice.label), examples)
        columns = max(1, content.columns)
        # A hidden tile takes no room in the grid, so the spares keep their places.
        if columns != self._grid_columns or placed < len(self._tile_pool):
            for tile in self._tile_pool:
                self._grid.removeWidget(tile)
            for index, tile in enumerate(self._tile_pool):
                self._grid.addWidget(tile, index // columns, index % columns)
            # A column left over from a wider screen before would keep its share of the width.
            for column in range(max(columns, self._grid.columnCount())):
                self._grid.setColumnStretch(column, 1 if column < columns else 0)
            self._grid_columns = columns
        spares = self._tile_pool[len(choices) :]
        if any(t.isHidden() for t in self.tiles) or any(not t.isHidden() for t in spares):
            focus = QApplication.focusWidget()
            if focus is not None and self._tile_box.isAncestorOf(focus):
                # Parked on the body, or Qt would hand it to a header switch on the way.
                self.setFocus()
            self._tile_box.hide()
            for tile in spares:
                tile.hide()
            for tile in self.tiles:
                tile.show()
        for tile in spares:
            tile.set_choice("", "", "")
        self._tile_box.setVisible(bool(choices))
        self._columns = columns

    def _show_pager_actions(self, content: Content, translate: Translate) -> None:
        actions = content.pager_actions
        while len(self._pager_pool) < len(actions):
            button = QPushButton(self)
            button.clicked.connect(partial(self._pager_pressed, len(self._pager_pool)))
            self._pager_buttons.addWidget(button)
            self._pager_pool.append(button)
        self._pager_actions = [action for _label, action in actions]
        self._pager_labels = [label for label, _action in actions]
        self.pager_buttons = self._pager_pool[: len(actions)]
        for button, (label, _action) in zip(self.pager_buttons, actions, strict=True):
            button.setText(translate(label))
            button.setAccessibleName(button.text())
            button.show()
        for button in self._pager_pool[len(actions) :]:
            button.hide()

    def _tile_pressed(self, tile: ChoiceTile) -> None:
        choice = self._content.choice(tile.digit)
        if choice is not None and tile in self.tiles:
            choice.action()

    def _pager_pressed(self, index: int) -> None:
        if index < len(self._pager_actions):
            self._pager_actions[index]()

    def _fit_tiles(self) -> None:
        """Gives each row of tiles the height its longest label needs at the column's width.

        A grid lays out buttons by their size hints, not by the height their wrapped text needs
        at the width they get, so a long label would be cut off; the audit checks it is not.
        """
        # Before the window is first shown the screen has no width yet: the resize that shows
        # it fits the tiles, once, at the width they get.
        if not self.tiles or not self.window().isVisible():
            return
        margins = self._layout.contentsMargins()
        inner = self.width() - margins.left() - margins.right()
        if self.illustration.isVisible():
            inner -= self.illustration.width() + self._content_row.spacing()
        spacing = self._grid.horizontalSpacing()
        width = max(1, (inner - spacing * (self._columns - 1)) // self._columns)
        for tile in self.tiles:
            tile.ensurePolished()  # the style sheet's fonts decide the height, so apply them first
            layout = tile.layout()
            if layout is not None:
                # A reused tile's inner layouts still hold the heights of its old words until
                # the layout is activated; Qt would do it on the next event loop, too late.
                layout.activate()
        for start in range(0, len(self.tiles), self._columns):
            row = self.tiles[start : start + self._columns]
            height = max(tile.heightForWidth(width) for tile in row)
            for tile in row:
                tile.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_tiles()

    def spoken_for(self, widget: QWidget | None) -> list[Message]:
        """What the voice guide says when the keypad moves the focus to `widget`: a tile says
        its digit, label and examples, as the screen's reading does; a pager button its label."""
        if isinstance(widget, ChoiceTile) and widget in self.tiles:
            choice = self._content.choice(widget.digit)
            if choice is None:
                return []
            said = [msg("prompt.press_digit", digit=choice.digit), choice.label]
            return [*said, choice.examples] if choice.examples is not None else said
        for button, label in zip(self.pager_buttons, self._pager_labels, strict=True):
            if button is widget:
                return [label]
        return []

    def choose(self, digit: str) -> bool:
        return self._content.choose(digit)


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


class PanelBox(QFrame):
    """A block of information (a Panel): a title, its lines, and a QR code for a QrPanel.
    Kept by the screen and given new words, like its tiles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._outer = QHBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._box = QVBoxLayout()
        self._outer.addLayout(self._box, 1)
        self.title = wrapped_label("", "tileLabel", self)
        self._box.addWidget(self.title)
        self.lines: list[QLabel] = []
        self.code: QLabel | None = None
        self._code_key: tuple[str, int] | None = None

    def set_panel(self, panel: Panel, theme: Theme, translate: Translate) -> None:
        self._box.setContentsMargins(theme.mm(4), theme.mm(2), theme.mm(4), theme.mm(2))
        title = translate(panel.title)
        self.title.setText(title)
        while len(self.lines) < len(panel.lines):
            label = wrapped_label("", "muted", self)
            self._box.addWidget(label)
            self.lines.append(label)
        for label, line in zip(self.lines, panel.lines, strict=False):
            label.setText(translate(line))
            label.show()
        for label in self.lines[len(panel.lines) :]:
            label.hide()
            label.clear()
        self._show_code(panel, theme, title)

    def forget(self) -> None:
        """Empties the box once it is not shown: a hidden label still holds its text."""
        self.title.clear()
        for label in self.lines:
            label.clear()
        self._forget_code()

    def _forget_code(self) -> None:
        if self.code is not None:
            self.code.hide()
            self.code.clear()
            self.code.setAccessibleName("")
            self._code_key = None

    def _show_code(self, panel: Panel, theme: Theme, title: str) -> None:
        if not (isinstance(panel, QrPanel) and panel.payload):
            self._forget_code()
            return
        # A document the printer could not print stays in the resident's hands this way.
        if self.code is None:
            self.code = QLabel(self)
            self.code.setObjectName("qrCode")
            self._outer.addWidget(self.code)
        key = (panel.payload, theme.mm(45))
        if key != self._code_key:
            self._code_key = key
            self.code.setPixmap(qr_pixmap(*key))
        self.code.setAccessibleName(title)
        self.code.show()


class PinScreen(BodyScreen):
    """The PIN: shown as dots, entered on the large keypad or the hardware one.

    The digits live in a bytearray that is wiped as soon as it is handed on; nothing else
    holds them, and the screen never shows or speaks one (ssc-card.md, requirement 5). The same
    screen takes other numbers a task asks for (a phone number), shown as typed.
    """

    submitted = Signal(bytearray)
    typed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pin = bytearray()
        self._max = 6
        self.display = QLabel()
        self.display.setObjectName("pinDisplay")
        self.error = wrapped_label("", "error", self)
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
