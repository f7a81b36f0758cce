"""The kiosk window: header, body and footer (shared/reference/ui.md), rendered from the flow.

The window owns presentation only: the accessibility profile (language, size, contrast, elderly
mode), the screen blanked for privacy and lock-down. What the body shows is the flow's view of
its current step (kiosk.flows.session_views), drawn as it comes; the header and footer are
kiosk.ui.chrome, the keypad kiosk.ui.keypad_router, the press filter kiosk.ui.press_filter.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.profile import Profile
from kiosk.accessibility.theme import Theme, make_theme
from kiosk.domain import hall_time
from kiosk.domain.messages import Message, msg
from kiosk.flows.session import SessionFlow
from kiosk.flows.view import Content, PinEntry
from kiosk.i18n import Translations
from kiosk.ui.blank import BlankScreen
from kiosk.ui.body import Body, is_entry
from kiosk.ui.chrome import Footer, Header
from kiosk.ui.keypad_router import KeypadRouter
from kiosk.ui.press_filter import PressFilter
from kiosk.ui.style import style_sheet

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.accessibility.voice import VoiceGuide
    from kiosk.flows.service_menu import ServiceMenu


class KioskWindow(QWidget):
    """The resident's screen. Renders SessionFlow; never touches a device."""

    def __init__(
        self,
        flow: SessionFlow,
        translations: Translations,
        font_family: str,
        *,
        default_profile: Profile,
        dpi: float,
        design_size: tuple[int, int],
        scale: float = 1.0,
        clock: Callable[[], dt.datetime] = hall_time.now,
        debounce_s: float = 0.04,
        long_debounce_s: float = 0.4,
        monotonic: Callable[[], float] = time.monotonic,
        guide: VoiceGuide | None = None,
        watch_presses: bool = True,
        illustrations: Path | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("kioskRoot")
        self.flow = flow
        self._translations = translations
        self._family = font_family
        self._default_profile = default_profile
        self.profile = default_profile
        self._dpi = dpi
        self._scale = scale
        self._wall_clock = clock
        # Speaks each screen, the PIN's progress and the keypad's feedback (requirements 1-8).
        self.guide = guide
        # A key's mechanical bounce, always ignored; the long debounce for unsteady hands
        # (requirement 15) only while the resident's profile asks for it.
        self._presses = PressFilter(
            self, debounce_s=debounce_s, long_debounce_s=long_debounce_s, monotonic=monotonic
        )
        self._keypad = KeypadRouter(self)
        self._render_key: tuple[object, ...] = ()
        # Requirement 6: the screen blanked for privacy, speech and keypad still on.
        self._blank = BlankScreen(self, lambda: self.guide)
        self._last_step: object = flow.step
        # The staff's service menu (kiosk.flows.service_menu), opened by the service key while
        # no resident is being served; None where the kiosk has none.
        self.service: ServiceMenu | None = None
        self._locked_down = False
        self._may_close = False
        self.theme = self._make_theme()
        self.tr_ = translations.get(self.profile.language)
        self.resize(round(design_size[0] * scale), round(design_size[1] * scale))
        self._build(illustrations)
        self._apply_theme()
        flow.add_listener(lambda _flow: self.refresh())
        flow.timeout_scale = self.profile.timeout_scale
        # Tasks ask the flow for the language: a kiosk that starts in English is English there too.
        flow.language = self.profile.language
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()
        if watch_presses:
            self.watch_presses()
        self.refresh()

    def watch_presses(self) -> None:
        """Sees every key and button press of the application: to ignore double presses and
        to count any press as activity. The kiosk calls this after its first frame: the filter
        is offered every event of every object, and wrapping those objects for Python (Qt's
        style among them) would cost the first frame some 10 ms."""
        QApplication.instance().installEventFilter(self._presses)  # type: ignore[union-attr]

    @property
    def long_debounce_s(self) -> float:
        """The long debounce the resident may choose; the first screen says how long it is."""
        return self._presses.long_debounce_s

    @property
    def voice_mode(self) -> bool | None:
        return self.guide.voice_mode if self.guide is not None else None

    # --- building ------------------------------------------------------------------------

    def _build(self, illustrations: Path | None) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        # The window is the screen's size: a screen's content never grows it past the panel's
        # edge (the footer with 呼叫工作人员 would go off the glass). The audit's fits_screen
        # check is what keeps every screen's content within it.
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)

        self.header = Header(
            toggle_voice=self.toggle_voice,
            toggle_elderly=self.toggle_elderly,
            toggle_language=self.toggle_language,
        )
        root.addWidget(self.header)

        self.body = self.stack = Body(lambda: self.guide, illustrations)
        self.choice_screen = self.body.choice_screen
        self.pin_screen = self.body.pin_screen
        root.addWidget(self.body, 1)

        self.footer = Footer(self.flow, self.call_staff)
        root.addWidget(self.footer.warning)
        root.addWidget(self.footer)

    def _make_theme(self) -> Theme:
        return make_theme(
            self.profile.colour_mode,
            self.profile.size_mode,
            elderly=self.profile.elderly,
            dpi=self._dpi,
            scale=self._scale,
        )

    def _apply_theme(self) -> None:
        self.setStyleSheet(style_sheet(self.theme, self._family))
        self.header.apply_theme(self.theme)
        self.footer.apply_theme(self.theme)

    # --- the profile (requirement 12: switching keeps what was entered) --------------------

    def set_default_profile(self, profile: Profile) -> None:
        """The profile each session starts with and returns to (requirement 17)."""
        self._default_profile = profile
        self.set_profile(profile)

    def set_profile(self, profile: Profile) -> None:
        if profile == self.profile:
            return
        self.profile = profile
        self.flow.language = profile.language
        if self.guide is not None:
            self.guide.set_language(profile.language)
            self.guide.set_elderly(profile.elderly)
        self.tr_ = self._translations.get(profile.language)
        self.theme = self._make_theme()
        self.flow.timeout_scale = profile.timeout_scale
        self._apply_theme()
        # Pages are cut to the print's size: a new size starts the list over.
        self.flow.pager.reset()
        self.refresh(force=True)

    def attach_guide(self, guide: VoiceGuide) -> None:
        """Speech comes up after the first frame; from then on the window speaks through it."""
        self.guide = guide
        guide.set_language(self.profile.language)
        guide.set_elderly(self.profile.elderly)
        self.refresh(force=True)

    def call_staff(self) -> None:
        self.flow.call_staff()

    def toggle_voice(self) -> None:
        """语音播报: the header's switch, for those who can see it; the keypad has its own."""
        if self.guide is None:
            return
        if self.guide.voice_mode and self.audio_only:
            self.set_audio_only(False)  # never a dark screen and no voice
        self.guide.set_voice_mode(not self.guide.voice_mode)
        self.refresh()

    def toggle_elderly(self) -> None:
        self.set_profile(self.profile.toggled_elderly())
        self._say_long_debounce()

    def toggle_long_debounce(self) -> None:
        self.set_profile(self.profile.toggled_long_debounce())
        self._say_long_debounce()

    def _say_long_debounce(self) -> None:
        """Said when the resident's choice turns it on or off: whoever finds a second press
        ignored knows why."""
        if self.guide is None:
            return
        if self.profile.long_debounce:
            seconds = f"{self.long_debounce_s:g}"
            self.guide.action(msg("voice.long_debounce_on", seconds=seconds))
        else:
            self.guide.action(msg("voice.long_debounce_off"))

    def toggle_language(self) -> None:
        other = "en" if self.profile.language == "zh_CN" else "zh_CN"
        self.set_profile(self.profile.with_language(other))

    # --- rendering -----------------------------------------------------------------------

    def t(self, message: Message | str, **params: object) -> str:
        if isinstance(message, str):
            message = Message(message, dict(params))
        return self.tr_.text(message)

    def refresh(self, force: bool = False) -> None:
        """Shows the flow's current state; rebuilds the body only when its content changed."""
        flow = self.flow
        if flow.step != self._last_step:
            if flow.at_rest:
                self._session_over()
            elif flow.card_to_take:
                # The session is over though the card is still in (finished, timed out): digits
                # half typed go now, not when the card is taken (Art. 12). The profile stays
                # until then, so "take your card" is said the way the resident chose.
                self.pin_screen.clear()
            self._last_step = flow.step
        self.render_chrome()
        news = self.footer.staff_call_news(flow)
        if news is not None and self.guide is not None:
            self.guide.action(news)
        key = (
            flow.screen_key(),
            self.profile,
            self.service.screen_key() if self.service is not None else None,
            self.voice_mode,
        )
        if force or key != self._render_key:
            self._render_key = key
            self._render_body()

    def _session_over(self) -> None:
        """Requirement 17: personal data leaves the screen, settings return to the default."""
        self.body.forget()
        self._blank.drop()
        if self.guide is not None:
            self.guide.reset_for_new_session()
        if self.profile != self._default_profile:
            self.set_profile(self._default_profile)

    def render_chrome(self) -> None:
        self.header.show_state(self.t, self.profile, self.voice_mode, self._wall_clock())
        self.footer.show_state(self.t, self.flow)

    def _view(self) -> Content:
        """The staff's menu while it is open; a PIN, a number or text the flow asks for
        still comes first, as the keypad is the resident's."""
        view = self.flow.view(self)
        if not self.service_open:
            return view
        assert self.service is not None
        menu = self.service.view()
        return view if is_entry(view) and not isinstance(menu, PinEntry) else menu

    def _render_body(self) -> None:
        # A screen's Content is made once per render: a task's or the menu's view may format
        # amounts and dates, or count the outbox.
        self.body.show_view(self._view(), self.theme, self.tr_.text, (self.profile, self._scale))

    @property
    def content(self) -> Content:
        """What the body shows now, as message ids: the voice guide and the audit read it."""
        return self.body.content

    def on_keyboard(self) -> bool:
        return self.body.on_keyboard()

    # --- time and the keypad --------------------------------------------------------------

    def tick(self) -> None:
        """Once a second: the session's timer and the clock."""
        self.flow.tick()
        if self.service is not None:
            self.service.tick()
        self.render_chrome()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self.handle_key(event.key()):
            event.accept()
        else:
            super().keyPressEvent(event)

    def handle_key(self, key: int) -> bool:
        """A keypad key (kiosk.ui.keypad_router); True when it did something."""
        return self._keypad.handle_key(key)

    def say_focused(self) -> None:
        """Requirement 2: moving the focus cuts off the speech and says what is focused now."""
        if self.guide is None:
            return
        focused = QApplication.focusWidget()
        said = self.choice_screen.spoken_for(focused)
        if not said and isinstance(focused, QPushButton):
            chrome = self.header.words(self.profile, self.voice_mode) + self.footer.words(self.flow)
            said = [m for b, m in chrome if b is focused]
        self.guide.action(*said)

    # --- the audio-only mode (requirement 6) ----------------------------------------------

    @property
    def audio_only(self) -> bool:
        return self._blank.on

    def set_audio_only(self, on: bool) -> bool:
        """Blanks the screen for privacy; False without a voice guide (kiosk.ui.blank)."""
        return self._blank.switch(on)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._blank.fit()

    # --- lock-down and the service menu ---------------------------------------------------

    def attach_service_menu(self, menu: ServiceMenu) -> None:
        self.service = menu

    @property
    def service_open(self) -> bool:
        return self.service is not None and self.service.is_open

    def open_service_menu(self) -> bool:
        """The service key: only while no resident is being served, so staff never open the
        menu over a resident's data (Art. 12)."""
        if self.service is None or self.service.is_open or not self.flow.at_rest:
            return False
        self.service.open()
        return True

    def lock_down(self) -> None:
        """A walk-up kiosk: the window cannot be closed by the window manager's keys (Alt+F4)
        or buttons; only the service menu's exit closes it. What the window system itself
        offers (switching tasks, other terminals) is closed off by the kiosk session it runs
        in: docs/lockdown.md."""
        self._locked_down = True

    def close_from_service_menu(self) -> None:
        self._may_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._locked_down and not self._may_close:
            event.ignore()
            return
        self._ticker.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._presses)
        super().closeEvent(event)
