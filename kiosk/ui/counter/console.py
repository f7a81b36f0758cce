"""The staff console: a plain desktop window for a member of staff at a counter.

It draws kiosk.counter.flow.CounterFlow and nothing else: a sign-in form, then the flow's
Content (heading, hint, panels, numbered choices). Everything works from the keyboard: the
digits press the numbered choices, Enter signs in, Esc goes back, Tab walks the controls; every
control has an accessible name in the console's language (Chinese or English, switched with
F2 or the language button), so a screen reader says what it is.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.counter.flow import CounterFlow, CounterStep
from kiosk.domain.messages import Message, msg
from kiosk.flows.view import Content
from kiosk.i18n import Translations

LANGUAGES = ("zh_CN", "en")
_STYLE = """
#counterRoot { background: #f4f6f8; }
QLabel#counterHeading { font-size: 22pt; font-weight: bold; color: #10243a; }
QLabel#counterHint { font-size: 14pt; color: #1f2d3a; }
QLabel#counterError { font-size: 14pt; color: #8a1010; font-weight: bold; }
QLabel#counterPanel { font-size: 13pt; color: #111; background: #ffffff;
    border: 1px solid #b8c2cc; border-radius: 4px; padding: 8px; }
QPushButton { font-size: 14pt; padding: 8px 14px; text-align: left; color: #0b1f33;
    background: #ffffff; border: 2px solid #5a6b7c; border-radius: 4px; }
QPushButton:focus { border: 3px solid #0050b3; background: #e6f0ff; }
QLineEdit { font-size: 14pt; padding: 6px; border: 2px solid #5a6b7c; }
QLineEdit:focus { border: 3px solid #0050b3; }
#counterHeader { background: #10243a; }
#counterHeader QLabel { color: #ffffff; font-size: 13pt; }
#counterHeader QPushButton { background: #10243a; color: #ffffff; border: 2px solid #ffffff; }
#counterHeader QPushButton:focus { border: 3px solid #ffd666; }
"""


class StaffConsole(QWidget):
    """The member of staff's window. Never shows a resident's data outside RESULT."""

    def __init__(
        self,
        flow: CounterFlow,
        translations: Translations,
        font_family: str,
        *,
        language: str = "zh_CN",
    ) -> None:
        super().__init__()
        self.setObjectName("counterRoot")
        self.flow = flow
        self._translations = translations
        self.language = language
        self._choice_actions: dict[str, Callable[[], None]] = {}
        font = QFont(font_family)
        font.setPointSize(13)
        self.setFont(font)
        self.setStyleSheet(_STYLE)
        self._build()
        flow.add_listener(lambda _flow: self.refresh())
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        language_key = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        language_key.activated.connect(self.toggle_language)
        self.refresh()

    # --- building --------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        header = QFrame()
        header.setObjectName("counterHeader")
        row = QHBoxLayout(header)
        self.title = QLabel()
        self.staff_label = QLabel()
        self.idle_label = QLabel()
        self.language_button = QPushButton()
        self.language_button.clicked.connect(self.toggle_language)
        self.sign_out_button = QPushButton()
        self.sign_out_button.clicked.connect(lambda: self.flow.sign_out())
        row.addWidget(self.title, 1)
        for widget in (self.staff_label, self.idle_label):
            row.addWidget(widget)
        row.addWidget(self.language_button)
        row.addWidget(self.sign_out_button)
        root.addWidget(header)

        body = QVBoxLayout()
        body.setContentsMargins(24, 16, 24, 16)
        self.heading = QLabel()
        self.heading.setObjectName("counterHeading")
        self.heading.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("counterHint")
        self.hint.setWordWrap(True)
        body.addWidget(self.heading)
        body.addWidget(self.hint)

        self.pages = QStackedWidget()
        self.login_page = QWidget()
        form = QFormLayout(self.login_page)
        self.username = QLineEdit()
        self.username.setMaxLength(64)
        self.password = QLineEdit()
        self.password.setMaxLength(128)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.username_label = QLabel()
        self.username_label.setBuddy(self.username)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password)
        self.sign_in_button = QPushButton()
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self._sign_in)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._sign_in)
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        form.addRow("", self.sign_in_button)
        self.pages.addWidget(self.login_page)

        # A PIN reset: the number on the identity card staff hold, typed here.
        self.id_page = QWidget()
        id_form = QFormLayout(self.id_page)
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(18)
        self.id_number_label = QLabel()
        self.id_number_label.setBuddy(self.id_number)
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self._check_identity)
        self.id_number.returnPressed.connect(self._check_identity)
        id_form.addRow(self.id_number_label, self.id_number)
        id_form.addRow("", self.check_button)
        self.pages.addWidget(self.id_page)

        self.content_page = QWidget()
        content = QVBoxLayout(self.content_page)
        content.setContentsMargins(0, 0, 0, 0)
        self.panels_area = QScrollArea()
        self.panels_area.setWidgetResizable(True)
        self.panels_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.panels_holder = QWidget()
        self.panels_layout = QVBoxLayout(self.panels_holder)
        self.panels_area.setWidget(self.panels_holder)
        content.addWidget(self.panels_area, 1)
        self.choices_row = QWidget()
        self.choices_layout = QVBoxLayout(self.choices_row)
        self.choices_layout.setContentsMargins(0, 0, 0, 0)
        content.addWidget(self.choices_row)
        self.keys_label = QLabel()
        self.keys_label.setObjectName("counterHint")
        content.addWidget(self.keys_label)
        self.pages.addWidget(self.content_page)
        body.addWidget(self.pages, 1)
        root.addLayout(body, 1)
        self.resize(1000, 720)

    # --- drawing ---------------------------------------------------------------------------

    def t(self, message: Message | str) -> str:
        return self._translations.get(self.language).text(message)

    def toggle_language(self) -> None:
        self.language = LANGUAGES[(LANGUAGES.index(self.language) + 1) % len(LANGUAGES)]
        self.refresh()

    def refresh(self) -> None:
        flow = self.flow
        t = self.t
        self.setWindowTitle(t("counter.title"))
        self.title.setText(t("counter.title"))
        other = "English" if self.language == "zh_CN" else "中文"
        self.language_button.setText(f"{other} (F2)")
        self.language_button.setAccessibleName(other)
        self.sign_out_button.setText(t("counter.logout"))
        self.sign_out_button.setAccessibleName(t("counter.logout"))
        self.sign_out_button.setVisible(flow.staff is not None)
        self.staff_label.setText(flow.staff.name if flow.staff is not None else "")
        self._show_idle()
        content = flow.view(self.language)
        self.heading.setText(t(content.heading))
        self.heading.setAccessibleName(t(content.heading))
        hint = t(content.hint) if content.hint is not None else ""
        self.hint.setText(hint)
        self.hint.setAccessibleName(hint)
        error = (flow.step is CounterStep.LOGIN and flow.login_error is not None) or (
            flow.step is CounterStep.ID_CHECK and flow.id_error is not None
        )
        self.hint.setObjectName("counterError" if error else "counterHint")
        self.hint.setStyleSheet("")  # the object name changed: apply the sheet again
        if flow.step in (CounterStep.LOGIN, CounterStep.SIGNING_IN):
            self._draw_login(busy=flow.step is CounterStep.SIGNING_IN)
        elif flow.step in (CounterStep.ID_CHECK, CounterStep.CHECKING):
            self._draw_id_check(busy=flow.step is CounterStep.CHECKING)
        else:
            self._draw_content(content)

    def _draw_login(self, *, busy: bool) -> None:
        t = self.t
        self.pages.setCurrentWidget(self.login_page)
        self._choice_actions = {}
        for label, field, message in (
            (self.username_label, self.username, "counter.login.username"),
            (self.password_label, self.password, "counter.login.password"),
        ):
            label.setText(t(message))
            field.setAccessibleName(t(message))
        self.sign_in_button.setText(t("counter.login.submit"))
        self.sign_in_button.setAccessibleName(t("counter.login.submit"))
        for widget in (self.username, self.password, self.sign_in_button):
            widget.setEnabled(not busy)
        if not busy and not self.username.hasFocus() and not self.password.hasFocus():
            (self.password if self.username.text() else self.username).setFocus()

    def _draw_id_check(self, *, busy: bool) -> None:
        t = self.t
        self.password.clear()
        self.pages.setCurrentWidget(self.id_page)
        self._choice_actions = {}
        self.id_number_label.setText(t("counter.pin_reset.id_number"))
        self.id_number.setAccessibleName(t("counter.pin_reset.id_number"))
        self.check_button.setText(t("counter.pin_reset.check"))
        self.check_button.setAccessibleName(t("counter.pin_reset.check"))
        for widget in (self.id_number, self.check_button):
            widget.setEnabled(not busy)
        if not busy:
            self.id_number.setFocus()

    def _check_identity(self) -> None:
        typed = self.id_number.text()
        self.id_number.clear()  # personal data: not kept in the field
        self.flow.check_identity(typed)

    def _draw_content(self, content: Content) -> None:
        t = self.t
        self.password.clear()  # never kept past the sign-in
        self.id_number.clear()
        self.pages.setCurrentWidget(self.content_page)
        _clear(self.panels_layout)
        for panel in content.panels:
            lines = [t(panel.title), *(t(line) for line in panel.lines)]
            # The block's title in bold; the values as plain text, whatever characters they hold.
            label = QLabel("<br>".join([f"<b>{escape(lines[0])}</b>", *map(escape, lines[1:])]))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setObjectName("counterPanel")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
            label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            label.setAccessibleName(" ".join(lines))
            self.panels_layout.addWidget(label)
            label.show()  # now, not after the next event: the focus below needs it shown
        self.panels_layout.addStretch(1)
        self.panels_area.setVisible(bool(content.panels))
        _clear(self.choices_layout)
        self._choice_actions = {}
        first: QPushButton | None = None
        for choice in content.choices:
            text = f"{choice.digit}  {t(choice.label)}"
            if choice.examples is not None:
                text += f"\n      {t(choice.examples)}"
            button = QPushButton(text)
            button.setAccessibleName(f"{choice.digit} {t(choice.label)}")
            if choice.examples is not None:
                button.setAccessibleDescription(t(choice.examples))
            button.clicked.connect(choice.action)
            self.choices_layout.addWidget(button)
            button.show()
            self._choice_actions[choice.digit] = choice.action
            first = first or button
        self.keys_label.setText(t("counter.keys"))
        if first is not None:
            first.setFocus()

    def _show_idle(self) -> None:
        left = self.flow.seconds_left()
        if left is None:
            self.idle_label.setText("")
            return
        minutes = max(1, int(left + 59) // 60)
        self.idle_label.setText(self.t(msg("counter.idle_left", minutes=minutes)))

    # --- input -----------------------------------------------------------------------------

    def _sign_in(self) -> None:
        username, password = self.username.text(), self.password.text()
        self.password.clear()
        self.flow.sign_in(username, password)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        self.flow.activity()
        text = event.text()
        if text in self._choice_actions and not isinstance(self.focusWidget(), QLineEdit):
            self._choice_actions[text]()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.flow.back()
            return
        super().keyPressEvent(event)

    def _tick(self) -> None:
        self.flow.tick()
        self._show_idle()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._ticker.stop()
        self.flow.sign_out()
        super().closeEvent(event)


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
