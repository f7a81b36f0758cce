"""The window's header and footer (shared/reference/ui.md), around whatever body is shown.

The header carries the service's name, the voice, elderly and language switches and the clock;
the footer back, home and finish as the session allows them, the call for staff on every screen
(requirement 21) and the time left; above the footer, the inactivity warning (requirement 16).
Each button also says what it shows, for the voice guide when the keypad moves onto it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from kiosk.domain.messages import N_, Message, msg

if TYPE_CHECKING:
    from kiosk.accessibility.profile import Profile
    from kiosk.accessibility.theme import Theme
    from kiosk.flows.session import SessionFlow

Translate = Callable[[Message | str], str]

STAFF_CALL_LABELS = {
    None: N_("footer.call_staff"),
    "sending": N_("footer.call_staff.sending"),
    "called": N_("footer.call_staff.called"),
    "failed": N_("footer.call_staff.failed"),
}


def _row_margins(row: QHBoxLayout, theme: Theme, spacing: int) -> None:
    pad = theme.mm(6)
    row.setContentsMargins(pad, theme.mm(3), pad, theme.mm(3))
    row.setSpacing(spacing)


def _named(button: QPushButton, text: str, name: str | None = None) -> None:
    button.setText(text)
    button.setAccessibleName(name if name is not None else text)


class Header(QFrame):
    """The service's name, the resident's switches and the clock."""

    def __init__(
        self,
        *,
        toggle_voice: Callable[[], None],
        toggle_elderly: Callable[[], None],
        toggle_language: Callable[[], None],
    ) -> None:
        super().__init__()
        self.setObjectName("header")
        self._row = QHBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("serviceTitle")
        self._row.addWidget(self.title, 1)
        self.voice_button = QPushButton()
        self.voice_button.setCheckable(True)
        self.voice_button.clicked.connect(toggle_voice)
        self.elderly_button = QPushButton()
        self.elderly_button.clicked.connect(toggle_elderly)
        self.language_button = QPushButton()
        self.language_button.clicked.connect(toggle_language)
        self.clock_label = QLabel()
        for widget in (
            self.voice_button,
            self.elderly_button,
            self.language_button,
            self.clock_label,
        ):
            self._row.addWidget(widget)

    def apply_theme(self, theme: Theme) -> None:
        _row_margins(self._row, theme, theme.mm(4))

    def show_state(
        self, t: Translate, profile: Profile, voice_mode: bool | None, now: dt.datetime
    ) -> None:
        """`voice_mode` None: the kiosk has no voice guide, and no switch for it."""
        self.title.setText(t("header.title"))
        for button, said in self.words(profile, voice_mode):
            if button is self.language_button:
                # Named in both languages: a screen reader reading Chinese says what it does.
                _named(button, t("header.switch_language"), t(said))
            else:
                _named(button, t(said))
        self.voice_button.setVisible(voice_mode is not None)
        self.voice_button.setChecked(bool(voice_mode))
        self.clock_label.setText(now.strftime("%H:%M"))

    def words(self, profile: Profile, voice_mode: bool | None) -> list[tuple[QPushButton, Message]]:
        """The buttons with the message each says."""
        return [
            (
                self.voice_button,
                msg(N_("header.voice_off") if voice_mode else N_("header.voice_on")),
            ),
            (
                self.elderly_button,
                msg(N_("header.elderly_off") if profile.elderly else N_("header.elderly_on")),
            ),
            (self.language_button, msg("attract.choice.language")),
        ]


class Footer(QFrame):
    """Back, home and finish as the session allows them, the call for staff, the time left;
    and the warning band shown above the footer when the time runs short."""

    def __init__(self, flow: SessionFlow, call_staff: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("footer")
        self._row = QHBoxLayout(self)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(flow.back)
        self.home_button = QPushButton()
        self.home_button.clicked.connect(flow.home)
        self.finish_button = QPushButton()
        self.finish_button.clicked.connect(flow.logout)
        # Requirement 21: on every screen, reachable by keypad (F2, or the focus and Enter).
        self.staff_button = QPushButton()
        self.staff_button.setObjectName("staffButton")
        self.staff_button.clicked.connect(call_staff)
        self.time_left = QLabel()
        self.time_left.setObjectName("timeLeft")
        for button in (self.back_button, self.home_button, self.finish_button, self.staff_button):
            self._row.addWidget(button)
        self._row.addWidget(self.time_left, 1)
        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self._staff_call: str | None = None

    def apply_theme(self, theme: Theme) -> None:
        _row_margins(self._row, theme, theme.gap_px)

    def show_state(self, t: Translate, flow: SessionFlow) -> None:
        for button, said in self.words(flow):
            _named(button, t(said))
        in_session = flow.session is not None
        self.back_button.setVisible(flow.offers_back)
        self.home_button.setVisible(flow.offers_home)
        self.finish_button.setVisible(in_session)
        left = flow.seconds_left()
        if left is None:
            self.time_left.setText("")
            self.warning.hide()
        else:
            seconds = math.ceil(left)
            self.time_left.setText(t(msg("footer.time_left", seconds=seconds)))
            self.warning.setText(t(msg("footer.warning", seconds=seconds)))
            self.warning.setVisible(flow.warning_shown)

    def staff_call_news(self, flow: SessionFlow) -> Message | None:
        """What the call for staff came to since last asked, if anything: said aloud as well as
        shown, for a resident who cannot see must know help is coming."""
        if flow.staff_call == self._staff_call:
            return None
        self._staff_call = flow.staff_call
        return msg(STAFF_CALL_LABELS[flow.staff_call]) if flow.staff_call is not None else None

    def words(self, flow: SessionFlow) -> list[tuple[QPushButton, Message]]:
        """The buttons with the message each says."""
        return [
            (self.back_button, msg("footer.back")),
            (self.home_button, msg("footer.home")),
            (self.finish_button, msg("footer.finish")),
            (self.staff_button, msg(STAFF_CALL_LABELS[flow.staff_call])),
        ]
