"""The kiosk window: header, body and footer (shared/reference/ui.md), rendered from the flow.

The window owns presentation only: the accessibility profile (language, size, contrast, elderly
mode), which page of a long list is shown, and the keypad mapping. Everything else it reads from
the SessionFlow and hands back to it.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.profile import Profile
from kiosk.accessibility.theme import Theme, make_theme
from kiosk.domain import hall_time
from kiosk.domain.messages import N_, Message, msg
from kiosk.flows.home import HOME_TASKS, home_page, page_of
from kiosk.flows.privacy import privacy_notice
from kiosk.flows.session import SessionFlow, Step
from kiosk.flows.view import DigitEntry, PinEntry, TextEntry
from kiosk.i18n import Translations
from kiosk.ui.keys import Keypad, keypad_key
from kiosk.ui.screens import Choice, ChoiceScreen, Content, Panel, PinScreen
from kiosk.ui.style import style_sheet

if TYPE_CHECKING:
    from kiosk.accessibility.voice import VoiceGuide
    from kiosk.domain.catalog import CatalogCategory
    from kiosk.flows.service_menu import ServiceMenu
    from kiosk.flows.tasks import TaskFactory
    from kiosk.ui.keyboard import KeyboardScreen

# Keypad actions the voice guide answers, with the guide's method for each.
_SPEECH_KEYS = {
    Keypad.REPEAT: "repeat",
    Keypad.STOP: "stop",
    Keypad.QUIETER: "quieter",
    Keypad.LOUDER: "louder",
    Keypad.SLOWER: "slower",
    Keypad.FASTER: "faster",
}
NEXT_PAGE_DIGIT = "0"
VOICE_HOLD_S = 2.0
STAFF_CALL_LABELS = {
    None: N_("footer.call_staff"),
    "sending": N_("footer.call_staff.sending"),
    "called": N_("footer.call_staff.called"),
    "failed": N_("footer.call_staff.failed"),
}
# Catalog items per page by size mode: each item is a paragraph, and large print needs room.
ITEMS_PER_PAGE = {"default": 3, "elderly": 2, "largest": 1}


# Items of a category on one slide of the idle loop: few, so the print stays large.
IDLE_ITEMS = 3


def published(text: str) -> Message:
    """A text the platform publishes already in the resident's language (a catalog name)."""
    return msg("published", text=text)


def _pages(count: int, per_page: int) -> int:
    return max(1, math.ceil(count / per_page))


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
        self._held_since: float | None = None
        # A key's mechanical bounce, always ignored; the long debounce for unsteady hands
        # (requirement 15) only while the resident's profile asks for it.
        self._debounce_s = debounce_s
        self._long_debounce_s = long_debounce_s
        self._monotonic = monotonic
        self._last_press: tuple[object, float] = (None, float("-inf"))
        self._page = 0
        self._render_key: tuple[object, ...] = ()
        self._pad_key: tuple[object, ...] = ()
        self._pin_count = 0
        self._last_staff_call: str | None = None
        # Requirement 6: the screen blanked for privacy, speech and keypad still on.
        self.audio_only = False
        self._blank: QFrame | None = None
        # What the body shows now, as message ids: the voice guide and the audit read it.
        self.content = Content(msg("attract.heading"))
        self._last_step = flow.step
        # The staff's service menu (kiosk.flows.service_menu), opened by the service key while
        # no resident is being served; None where the kiosk has none.
        self.service: ServiceMenu | None = None
        self._locked_down = False
        self._may_close = False
        self.theme = self._make_theme()
        self.tr_ = translations.get(self.profile.language)
        self.resize(round(design_size[0] * scale), round(design_size[1] * scale))
        self._build()
        self._apply_theme()
        flow.add_listener(lambda _flow: self.refresh())
        flow.timeout_scale = self.profile.timeout_scale
        # Tasks ask the flow for the language: a kiosk that starts in English is English there too.
        flow.language = self.profile.language
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        if watch_presses:
            self.watch_presses()
        self.refresh()

    def watch_presses(self) -> None:
        """Sees every key and button press of the application: to ignore double presses and
        to count any press as activity. The kiosk calls this after its first frame: the filter
        is offered every event of every object, and wrapping those objects for Python (Qt's
        style among them) would cost the first frame some 10 ms."""
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    # --- building ------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        # The window is the screen's size: a screen's content never grows it past the panel's
        # edge (the footer with 呼叫工作人员 would go off the glass). The audit's fits_screen
        # check is what keeps every screen's content within it.
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)

        self.header = QFrame()
        self.header.setObjectName("header")
        self._header_row = header_row = QHBoxLayout(self.header)
        self.title = QLabel()
        self.title.setObjectName("serviceTitle")
        header_row.addWidget(self.title, 1)
        self.voice_button = QPushButton()
        self.voice_button.setCheckable(True)
        self.voice_button.clicked.connect(self.toggle_voice)
        self.elderly_button = QPushButton()
        self.elderly_button.clicked.connect(self.toggle_elderly)
        self.language_button = QPushButton()
        self.language_button.clicked.connect(self.toggle_language)
        self.clock_label = QLabel()
        for widget in (
            self.voice_button,
            self.elderly_button,
            self.language_button,
            self.clock_label,
        ):
            header_row.addWidget(widget)
        root.addWidget(self.header)

        self.stack = QStackedWidget()
        self.choice_screen = ChoiceScreen()
        self.pin_screen = PinScreen()
        self.pin_screen.submitted.connect(self._entry_submitted)
        self.pin_screen.typed.connect(self._pin_typed)
        self.stack.addWidget(self.choice_screen)
        self.stack.addWidget(self.pin_screen)
        # Text typed on the on-screen keyboard (issue #7): kiosk.ui.keyboard draws it. Made
        # when first needed: nobody types before the first frame, and it is 90 keys.
        self._keyboard: KeyboardScreen | None = None
        root.addWidget(self.stack, 1)

        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        root.addWidget(self.warning)

        self.footer = QFrame()
        self.footer.setObjectName("footer")
        self._footer_row = footer_row = QHBoxLayout(self.footer)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.flow.back)
        self.home_button = QPushButton()
        self.home_button.clicked.connect(self.flow.home)
        self.finish_button = QPushButton()
        self.finish_button.clicked.connect(self.flow.logout)
        # Requirement 21: on every screen, reachable by keypad (F2, or the focus and Enter).
        self.staff_button = QPushButton()
        self.staff_button.setObjectName("staffButton")
        self.staff_button.clicked.connect(self.call_staff)
        self.time_left = QLabel()
        self.time_left.setObjectName("timeLeft")
        for button in (self.back_button, self.home_button, self.finish_button, self.staff_button):
            footer_row.addWidget(button)
        footer_row.addWidget(self.time_left, 1)
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
        theme = self.theme
        self.setStyleSheet(style_sheet(theme, self._family))
        pad = theme.mm(6)
        self._header_row.setContentsMargins(pad, theme.mm(3), pad, theme.mm(3))
        self._header_row.setSpacing(theme.mm(4))
        self._footer_row.setContentsMargins(pad, theme.mm(3), pad, theme.mm(3))
        self._footer_row.setSpacing(theme.gap_px)

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
        self._page = 0
        self.refresh(force=True)

    def _long_debounce_said(self) -> Message:
        if self.profile.long_debounce:
            return msg("voice.long_debounce_on", seconds=self._seconds(self._long_debounce_s))
        return msg("voice.long_debounce_off")

    @staticmethod
    def _seconds(value: float) -> str:
        return f"{value:g}"

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
        if self.guide is not None:
            self.guide.action(self._long_debounce_said())

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
        if flow.step is not self._last_step:
            if flow.step in (Step.ATTRACT,) and self._last_step is not Step.ATTRACT:
                self._session_over()
            elif flow.step is Step.TAKE_CARD:
                # The session is over though the card is still in (finished, timed out): digits
                # half typed go now, not when the card is taken (Art. 12). The profile stays
                # until then, so "take your card" is said the way the resident chose.
                self.pin_screen.clear()
            self._last_step = flow.step
            self._page = 0
        self._render_chrome()
        if flow.staff_call != self._last_staff_call:
            # Said aloud as well as shown: a resident who cannot see must know help is coming.
            self._last_staff_call = flow.staff_call
            if self.guide is not None and flow.staff_call is not None:
                self.guide.action(msg(STAFF_CALL_LABELS[flow.staff_call]))
        key = self._content_key()
        if force or key != self._render_key:
            self._render_key = key
            self._render_body()

    def _session_over(self) -> None:
        """Requirement 17: personal data leaves the screen, settings return to the default."""
        self.pin_screen.clear()
        if self._keyboard is not None:
            self._keyboard.forget()
        if self.audio_only:
            self.audio_only = False
            self._blank_screen().hide()
        if self.guide is not None:
            self.guide.reset_for_new_session()
        if self.profile != self._default_profile:
            self.set_profile(self._default_profile)

    def _content_key(self) -> tuple[object, ...]:
        f = self.flow
        return (
            f.step,
            self.profile,
            self._page,
            f.category.number if f.category else None,
            f.notice,
            f.pin_error,
            f.busy,
            f.reader_available,
            f.can_retry,
            f.card_present,
            f.task.screen_key() if f.task is not None else None,
            self.service.screen_key() if self.service is not None else None,
            self.guide.voice_mode if self.guide is not None else None,
            (f.showcase_on, f.slide, id(f.showcase)),
        )

    def _render_chrome(self) -> None:
        flow = self.flow
        self.title.setText(self.t("header.title"))
        self.elderly_button.setText(
            self.t(N_("header.elderly_off") if self.profile.elderly else N_("header.elderly_on"))
        )
        self.elderly_button.setAccessibleName(self.elderly_button.text())
        voice_on = self.guide is not None and self.guide.voice_mode
        self.voice_button.setVisible(self.guide is not None)
        self.voice_button.setChecked(voice_on)
        self.voice_button.setText(
            self.t(N_("header.voice_off") if voice_on else N_("header.voice_on"))
        )
        self.voice_button.setAccessibleName(self.voice_button.text())
        self.language_button.setText(self.t("header.switch_language"))
        # Named in both languages: a screen reader reading Chinese says what the switch does.
        self.language_button.setAccessibleName(self.t("attract.choice.language"))
        self.clock_label.setText(self._wall_clock().strftime("%H:%M"))
        in_session = flow.session is not None
        self.back_button.setText(self.t("footer.back"))
        self.home_button.setText(self.t("footer.home"))
        self.finish_button.setText(self.t("footer.finish"))
        self.staff_button.setText(self.t(STAFF_CALL_LABELS[flow.staff_call]))
        for button in (self.back_button, self.home_button, self.finish_button, self.staff_button):
            button.setAccessibleName(button.text())
        self.back_button.setVisible(
            flow.step in (Step.CATALOG, Step.CATEGORY, Step.TASK)
            or (flow.step is Step.NOTICE and in_session)
        )
        self.home_button.setVisible(in_session and flow.step not in (Step.HOME, Step.PRIVACY))
        self.finish_button.setVisible(in_session)
        left = flow.seconds_left()
        if left is None:
            self.time_left.setText("")
            self.warning.hide()
        else:
            seconds = math.ceil(left)
            self.time_left.setText(self.t("footer.time_left", seconds=seconds))
            self.warning.setText(self.t("footer.warning", seconds=seconds))
            self.warning.setVisible(flow.warning_shown)

    def _render_body(self) -> None:
        flow = self.flow
        # A screen's Content is made once per render: a task's or the menu's view may format
        # amounts and dates, or count the outbox.
        shown: Content | None = None
        if self._service_open():
            shown = self._content()
            if isinstance(shown, PinEntry):
                self._render_keypad_entry(shown, None, masked=True, max_digits=shown.max_digits)
                return
        if flow.step is Step.PIN:
            pin = Content(msg("pin.heading"), flow.pin_error or msg("pin.hint"))
            self._render_keypad_entry(pin, flow.pin_error, masked=True, max_digits=6)
            return
        if flow.step is Step.TASK and flow.task is not None:
            view = flow.task.view()
            if isinstance(view, PinEntry | DigitEntry):
                masked = isinstance(view, PinEntry)
                digits = view.max_digits
                self._render_keypad_entry(view, None, masked=masked, max_digits=digits)
                return
            if isinstance(view, TextEntry) and view.editor is not None:
                self._render_text_entry(view)
                return
            if shown is None:  # the menu's view, when open, comes first, as in _content
                shown = view
        self.stack.setCurrentWidget(self.choice_screen)
        self.content = shown if shown is not None else self._content()
        self.choice_screen.show_content(self.content, self.theme, self.tr_.text)
        self._speak_screen()

    @property
    def keyboard_screen(self) -> KeyboardScreen:
        if self._keyboard is None:
            from kiosk.ui.keyboard import KeyboardScreen  # its module too waits for first use

            self._keyboard = KeyboardScreen()
            self.stack.addWidget(self._keyboard)
        return self._keyboard

    def _on_keyboard(self) -> bool:
        return self._keyboard is not None and self.stack.currentWidget() is self._keyboard

    def _render_text_entry(self, view: TextEntry) -> None:
        """A new keyboard screen is said whole; a press says only its result (view.said)."""
        current = self._on_keyboard()
        fresh = self.keyboard_screen.show_entry(view, self.theme, self.tr_.text, current=current)
        self.stack.setCurrentWidget(self.keyboard_screen)
        self.content = view
        if fresh or self.guide is None:
            self._speak_screen()
        elif self.guide.voice_mode:
            self.guide.action(*view.said)
        else:
            self.guide.screen_opened(view.spoken())  # silent: kept for the repeat key

    def _speak_screen(self) -> None:
        """A new screen cuts off the last one's speech; in voice mode it is said at once."""
        if self.guide is not None:
            self.guide.screen_opened(self.content.spoken())

    def _pin_typed(self) -> None:
        if self.guide is None:
            return
        count = self.pin_screen.length
        if count > self._pin_count:
            self.guide.pin_digit_entered(count)
        elif count == 0 and self._pin_count > 1:
            self.guide.pin_cleared()
        else:
            self.guide.pin_digit_deleted(count)
        self._pin_count = count

    def _render_keypad_entry(
        self, content: Content, error: Message | None, *, masked: bool, max_digits: int
    ) -> None:
        """The card's PIN, a task's PIN (PinEntry) or a number it asks for (DigitEntry)."""
        # The keypad is rebuilt only when its look changes, so focus and typed digits stay put.
        pad_key = (self.profile, self._scale)
        rebuild = self.stack.currentWidget() is not self.pin_screen or pad_key != self._pad_key
        self._pad_key = pad_key
        self.stack.setCurrentWidget(self.pin_screen)
        self.content = content
        hint = content.hint if error is None else None
        self.pin_screen.setup(
            heading=self.t(content.heading),
            hint=self.t(hint) if hint is not None else "",
            error=self.t(error) if error is not None else "",
            key_labels={"delete": self.t("pin.key.delete"), "confirm": self.t("pin.key.confirm")},
            entered_text=self.tr_.text(msg("pin.entered", count="{count}")),
            theme=self.theme,
            rebuild=rebuild,
            masked=masked,
            max_digits=max_digits,
        )
        self._pin_count = self.pin_screen.length
        self._speak_screen()

    def _entry_submitted(self, digits: bytearray) -> None:
        """The keypad's Confirm: to the card's PIN check, or to the task that asked."""
        task_view = self.content
        asked_by_menu_or_task = self._service_open() or self.flow.step is Step.TASK
        if asked_by_menu_or_task and isinstance(task_view, PinEntry):
            task_view.submit(digits)
        elif self.flow.step is Step.TASK and isinstance(task_view, DigitEntry):
            text = digits.decode("ascii")
            digits[:] = bytes(len(digits))
            task_view.submit(text)
        else:
            self.flow.submit_pin(digits)

    def _content(self) -> Content:
        if self.service is not None and self.service.is_open:
            return self.service.view()
        flow = self.flow
        step = flow.step
        if step is Step.ATTRACT:
            if flow.showcase_on:
                return self._showcase_content()
            return self._attract_content()
        if step is Step.READING:
            return Content(msg("reading.heading"), msg("reading.hint"))
        if step is Step.VERIFYING:
            return Content(msg("verifying.heading"), msg("verifying.hint"))
        if step is Step.HOME:
            return self._home_content()
        if step is Step.CATALOG:
            return self._catalog_content()
        if step is Step.CATEGORY and flow.category is not None:
            return self._category_content(flow.category)
        if step is Step.NOTICE:
            return self._notice_content()
        if step is Step.TAKE_CARD:
            return Content(msg("take_card.heading"), flow.notice or msg("take_card.hint"))
        if step is Step.TASK and flow.task is not None:
            return flow.task.view()
        if step is Step.PRIVACY:
            return privacy_notice(flow)
        return Content(msg("error.generic"))

    def _attract_content(self) -> Content:
        flow = self.flow
        hint = msg("attract.hint")
        if flow.reader_available is False:
            hint = msg("error.card.reader_unavailable")
        elderly_label = (
            N_("attract.choice.elderly_off")
            if self.profile.elderly
            else N_("attract.choice.elderly")
        )
        choices = [
            Choice(
                "1",
                msg(elderly_label),
                msg("attract.choice.elderly.examples"),
                self.toggle_elderly,
            ),
            Choice(
                "2",
                msg("attract.choice.language"),
                msg("attract.choice.language.examples"),
                self.toggle_language,
            ),
        ]
        if self.guide is not None:
            voice_label = N_("header.voice_off") if self.guide.voice_mode else N_("header.voice_on")
            choices.append(
                Choice(
                    "3", msg(voice_label), msg("attract.choice.voice.examples"), self.toggle_voice
                )
            )
        # Art. 2: without the card in hand, sign in with the e-code or report the card lost.
        choices.append(
            Choice(
                str(len(choices) + 1),
                msg("attract.choice.no_card"),
                msg("attract.choice.no_card.examples"),
                flow.start_without_card,
            )
        )
        # Art. 15: what the card does, for anyone, without signing in.
        choices.append(
            Choice(
                str(len(choices) + 1),
                msg("attract.choice.services"),
                msg("attract.choice.services.examples"),
                flow.browse_catalog,
            )
        )
        if flow.busy:
            hint = msg("catalog.loading")
        # Requirement 15: the long debounce for unsteady hands, the resident's own choice.
        steady_label = (
            N_("attract.choice.long_debounce_off")
            if self.profile.long_debounce
            else N_("attract.choice.long_debounce")
        )
        choices.append(
            Choice(
                str(len(choices) + 1),
                msg(steady_label),
                msg(
                    "attract.choice.long_debounce.examples",
                    seconds=self._seconds(self._long_debounce_s),
                ),
                self.toggle_long_debounce,
            )
        )
        # Fewer choices per screen in large print: the last ones go to a second page.
        shown, self._page, pages = page_of(choices, self.theme.max_choices, self._page)
        shown = [replace(c, digit=str(number)) for number, c in enumerate(shown, start=1)]
        content = Content(
            msg("attract.heading"),
            hint,
            shown,
            # One column reads best; four rows of large print do not fit the screen's height.
            columns=1 if len(shown) <= 3 else 2,
            illustration="insert-card.svg",
        )
        return self._paged(content, pages)

    def _showcase_content(self) -> Content:
        """The idle loop (Art. 15): one notice, or one category of what the card does, large
        and calm; any press brings "insert your card" back."""
        flow = self.flow
        catalog = flow.showcase
        assert catalog is not None
        language = self.profile.language
        notices = flow.notices_now()
        total = len(notices) + len(catalog.categories)
        index = flow.slide % total
        footer = msg("attract.idle.footer", slide=index + 1, slides=total)
        if index < len(notices):
            notice = notices[index]
            return Content(
                published(notice.title.get(language)),
                msg("attract.idle.notice"),
                panels=[Panel(published(notice.body.get(language)), ())],
                pager=footer,
            )
        category = catalog.categories[index - len(notices)]
        return Content(
            published(category.name.get(language)),
            msg("attract.idle.heading"),
            panels=[
                Panel(
                    published(item.name.get(language)),
                    (msg("category.where", text=item.where.get(language)),),
                )
                for item in category.items[:IDLE_ITEMS]
            ],
            pager=footer,
        )

    def _home_content(self) -> Content:
        flow = self.flow
        offered: list[tuple[Message, Message, Callable[[], None]]] = [
            (msg("home.choice.services"), msg("home.choice.services.examples"), flow.open_catalog)
        ]
        offered += [
            (msg(task.label), msg(task.examples), self._starter(task.start)) for task in HOME_TASKS
        ]
        # Fewer choices per screen page home: no task disappears (home_page). Finishing stays
        # a choice of its own on every page; in large print the footer also offers it.
        offered, self._page, pages = home_page(offered, self.theme.max_choices, self._page)
        offered.append((msg("home.choice.finish"), msg("home.choice.finish.examples"), flow.logout))
        choices = [
            Choice(str(number), label, examples, action)
            for number, (label, examples, action) in enumerate(offered, start=1)
        ]
        heading = msg("home.heading", name=flow.greeting_name, private=("name",))
        hint = msg("catalog.loading") if flow.busy else msg("home.hint")
        return self._paged(Content(heading, hint, choices, columns=2), pages)

    def _catalog_content(self) -> Content:
        catalog = self.flow.catalog
        assert catalog is not None
        per_page = self.theme.max_choices
        categories = list(catalog.categories)
        pages = _pages(len(categories), per_page)
        self._page %= pages
        shown = categories[self._page * per_page : (self._page + 1) * per_page]
        language = self.profile.language
        separator = self.t("list.separator")
        examples = 2 if self.theme.large_print else 3
        choices = [
            Choice(
                str(index + 1),
                published(category.name.get(language)),
                published(separator.join(i.name.get(language) for i in category.items[:examples])),
                self._chooser(category.number),
            )
            for index, category in enumerate(shown)
        ]
        content = Content(
            msg("catalog.heading"),
            msg("catalog.hint", count=len(categories)),
            choices,
            columns=self.theme.choice_columns,
        )
        return self._paged(content, pages)

    def _starter(self, factory: TaskFactory) -> Callable[[], None]:
        return lambda: self.flow.start_task(factory)

    def _chooser(self, number: int) -> Callable[[], None]:
        return lambda: self.flow.choose_category(number)

    def _category_content(self, category: CatalogCategory) -> Content:
        language = self.profile.language
        per_page = ITEMS_PER_PAGE[self.theme.size_mode]
        items = list(category.items)
        pages = _pages(len(items), per_page)
        self._page %= pages
        panels = []
        for item in items[self._page * per_page : (self._page + 1) * per_page]:
            lines = [
                msg("category.where", text=item.where.get(language)),
                msg("category.how", text=item.how.get(language)),
            ]
            if item.needs_financial_account:
                # Art. 19: the financial functions work only once the account is activated;
                # whether they are for this holder, only the card can tell.
                if self.flow.browsing:
                    lines.append(msg("category.financial_needs_card"))
                else:
                    lines.append(
                        msg("category.open_financial")
                        if self.flow.financial_account_active
                        else msg("category.locked")
                    )
            panels.append(Panel(published(item.name.get(language)), tuple(lines)))
        content = Content(
            published(category.name.get(language)), msg("category.hint"), panels=panels
        )
        return self._paged(content, pages)

    def _paged(self, content: Content, pages: int) -> Content:
        """The content with the page line and buttons of a list longer than one screen."""
        if pages <= 1:
            return content
        return replace(
            content,
            pager=msg("pager.position", page=self._page + 1, pages=pages),
            pager_actions=(
                (msg("pager.previous"), lambda: self.turn_page(-1)),
                (msg("pager.next"), lambda: self.turn_page(1)),
            ),
        )

    def turn_page(self, delta: int) -> None:
        self._page += delta
        self.flow.activity()
        self.refresh(force=True)

    def _notice_content(self) -> Content:
        flow = self.flow
        choices = []
        if flow.can_retry:
            choices.append(Choice("1", msg("notice.retry"), None, flow.retry))
        if flow.session is not None:
            choices.append(Choice(str(len(choices) + 1), msg("footer.home"), None, flow.home))
        hint = msg("notice.take_card") if flow.session is None and flow.card_present else None
        return Content(flow.notice or msg("error.generic"), hint, choices, columns=2)

    # --- time ----------------------------------------------------------------------------

    def _tick(self) -> None:
        self.flow.tick()
        if self.service is not None:
            self.service.tick()
        self._render_chrome()

    # --- the keypad ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Offered every event of the application (hundreds per screen change): the class test
        # is cheap, reading the event's type through the binding is not.
        if not isinstance(event, QKeyEvent | QMouseEvent):
            return False
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            return False
        if self.flow.showcase_on and self.flow.step is Step.ATTRACT and not self._service_open():
            # Art. 15's idle loop: a press brings "insert your card" back and does nothing else.
            self.flow.activity()
            return True
        if self._is_double_press(watched, event):
            return True  # eaten: requirement 15
        # Any press anywhere is activity: it extends the session (requirement 16), and on the
        # first screen it keeps the idle loop away.
        if self.flow.seconds_left() is not None:
            self.flow.activity()
        elif self.flow.step is Step.ATTRACT:
            self.flow.pressed()
        return self._move_focus_aloud(watched, event)

    def _move_focus_aloud(self, watched: QObject, event: QEvent) -> bool:
        """A push button moves the focus itself on an arrow key, and silently. On the choice
        screen the window moves it instead, so the guide says where it landed (requirement 2)."""
        if not isinstance(event, QKeyEvent) or watched is not QApplication.focusWidget():
            return False
        pressed = keypad_key(event.key())
        if pressed is None or pressed[0] not in (Keypad.NEXT, Keypad.PREVIOUS):
            return False
        if self.stack.currentWidget() is not self.choice_screen:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self:
            return False
        return self.handle_key(event.key())

    def _is_double_press(self, watched: QObject, event: QEvent) -> bool:
        """The same key, or a press on the same button, again within the debounce time.

        The application's filter sees an event once for each widget it is offered to on its
        way up the parents; only its first receiver counts as a press.
        """
        if isinstance(event, QKeyEvent):
            first_receiver = QApplication.focusWidget() or self
            if watched is not first_receiver:
                return False
            if not isinstance(watched, QWidget) or watched.window() is not self:
                return False  # another window's keys (the staff console's) are its own
            self._held_key(event)
            if event.isAutoRepeat():
                return True  # a key held down is one press, not many
            if self._on_keyboard():
                return False  # text typed from a keyboard: every press is a letter
            what: object = ("key", event.key())
        elif isinstance(watched, QAbstractButton) and watched.window() is self:
            what = ("button", id(watched))
        else:
            return False
        now = self._monotonic()
        last_what, last_time = self._last_press
        self._last_press = (what, now)
        limit = self._long_debounce_s if self.profile.long_debounce else self._debounce_s
        return what == last_what and now - last_time < limit

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self.handle_key(event.key()):
            event.accept()
        else:
            super().keyPressEvent(event)

    def handle_key(self, key: int) -> bool:
        """The keypad (kiosk.ui.keys): digits choose, Enter selects, Backspace goes back, Esc
        goes home; * repeats the screen, # stops the speech, F5/F6 volume, F7/F8 speed, F2
        calls staff, F3 blanks the screen (requirements 6, 7, 21)."""
        pressed = keypad_key(key)
        if pressed is None:
            # Letters of a USB keyboard type on the on-screen keyboard; elsewhere they do nothing.
            return self._on_keyboard() and self.keyboard_screen.handle_key(key, None, "")
        action, digit = pressed
        on_pin = self.stack.currentWidget() is self.pin_screen
        guide = self.guide
        if self._on_keyboard():
            if action is Keypad.REPEAT and guide is not None:
                # What is typed now, not what the screen said when it opened.
                guide.screen_opened(self.content.spoken())
                if not guide.voice_mode:
                    guide.repeat()
                return True
            if self.keyboard_screen.handle_key(key, action, digit):
                return True
        if action is Keypad.SERVICE:
            return self.open_service_menu()
        if self._service_open() and action in (Keypad.BACK, Keypad.CANCEL) and not on_pin:
            assert self.service is not None
            self.service.back() if action is Keypad.BACK else self.service.close()
            return True
        if self._service_open() and action is Keypad.CANCEL:
            assert self.service is not None
            self.pin_screen.clear()
            self.service.close()
            return True
        if action is Keypad.CALL_STAFF:
            self.call_staff()
        elif action in _SPEECH_KEYS:
            if guide is None:
                return False
            getattr(guide, _SPEECH_KEYS[action])()
            self._render_chrome()
        elif action is Keypad.DIGIT:
            if on_pin:
                self.pin_screen.add_digit(digit)
            elif digit == NEXT_PAGE_DIGIT and self._has_pages():
                if self.flow.step is Step.TASK and self.content.pager_actions:
                    # A task keeps its own pages: its last pager action is "next".
                    self.content.pager_actions[-1][1]()
                else:
                    self.turn_page(1)
            else:
                return self.choice_screen.choose(digit)
        elif action is Keypad.ENTER:
            # On the PIN screen Enter confirms, wherever the focus is: the ATM convention, and
            # what a resident typing on the hardware keypad expects.
            focused = QApplication.focusWidget()
            if on_pin:
                self.pin_screen.confirm()
            elif isinstance(focused, QPushButton) and focused.isVisible():
                focused.click()
            else:
                return False
        elif action is Keypad.BACK:
            # On an empty entry a task asked for, Back leaves it, as it does on any other
            # screen: a keypad user has no other way back than the footer.
            leaves = on_pin and self.pin_screen.length == 0 and self.flow.step is Step.TASK
            if on_pin and not leaves:
                self.pin_screen.delete_digit()
            elif self._service_open():
                assert self.service is not None
                self.service.back()
            else:
                self.flow.back()
        elif action is Keypad.CANCEL:
            self.pin_screen.clear() if on_pin else self.flow.home()
        elif action is Keypad.NEXT:
            self.focusNextChild()
            self._say_focused()
        elif action is Keypad.PREVIOUS:
            self.focusPreviousChild()
            self._say_focused()
        elif action is Keypad.SCREEN:
            return self.set_audio_only(not self.audio_only)
        return True

    def _say_focused(self) -> None:
        """Requirement 2: moving the focus cuts off the speech and says what is focused now."""
        if self.guide is None:
            return
        focused = QApplication.focusWidget()
        said = self.choice_screen.spoken_for(focused)
        if not said and isinstance(focused, QPushButton):
            said = [m for b, m in self._chrome_words() if b is focused]
        self.guide.action(*said)

    def _chrome_words(self) -> list[tuple[QPushButton, Message]]:
        """The header's and footer's buttons with the message each shows."""
        voice_on = self.guide is not None and self.guide.voice_mode
        return [
            (self.voice_button, msg(N_("header.voice_off") if voice_on else N_("header.voice_on"))),
            (
                self.elderly_button,
                msg(N_("header.elderly_off") if self.profile.elderly else N_("header.elderly_on")),
            ),
            (self.language_button, msg("attract.choice.language")),
            (self.back_button, msg("footer.back")),
            (self.home_button, msg("footer.home")),
            (self.finish_button, msg("footer.finish")),
            (self.staff_button, msg(STAFF_CALL_LABELS[self.flow.staff_call])),
        ]

    # --- the audio-only mode (requirement 6) ----------------------------------------------

    def set_audio_only(self, on: bool) -> bool:
        """Blanks the screen for privacy while speech and the keypad go on; False (and nothing
        changes) without a voice guide, as a dark screen with no voice would leave no way on."""
        guide = self.guide
        if guide is None:
            return False
        if on == self.audio_only:
            return True
        self.audio_only = on
        if on:
            self._blank_screen().show()
            self._blank_screen().raise_()
            guide.voice_on_with(msg("voice.screen_off"))
        else:
            self._blank_screen().hide()
            guide.action(msg("voice.screen_on"))
        return True

    def _blank_screen(self) -> QFrame:
        """A black cover over the whole window; made on first use, after the first frame. It
        takes no focus, so the keypad still works the screen under it, and it catches touches:
        a hand on a dark screen presses nothing it cannot see."""
        if self._blank is None:
            self._blank = QFrame(self)
            self._blank.setObjectName("blankScreen")
            self._blank.setGeometry(self.rect())
        return self._blank

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._blank is not None:
            self._blank.setGeometry(self.rect())

    def _held_key(self, event: QKeyEvent) -> None:
        """Requirement 8: holding # for two seconds on the attract screen switches voice on,
        for a resident who cannot see the screen's switch. The attract screen says so."""
        pressed = keypad_key(event.key())
        if pressed is None or pressed[0] is not Keypad.STOP or self.flow.step is not Step.ATTRACT:
            self._held_since = None
            return
        now = self._monotonic()
        if not event.isAutoRepeat() or self._held_since is None:
            self._held_since = now
        elif now - self._held_since >= VOICE_HOLD_S and self.guide is not None:
            self._held_since = None
            if not self.guide.voice_mode:
                self.guide.set_voice_mode(True)
                self.refresh()

    def _has_pages(self) -> bool:
        return self.choice_screen.pager.isVisible()

    # --- lock-down and the service menu ---------------------------------------------------

    def attach_service_menu(self, menu: ServiceMenu) -> None:
        self.service = menu

    def _service_open(self) -> bool:
        return self.service is not None and self.service.is_open

    def open_service_menu(self) -> bool:
        """The service key: only while no resident is being served, so staff never open the
        menu over a resident's data (Art. 12)."""
        if self.service is None or self.service.is_open or self.flow.step is not Step.ATTRACT:
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
            app.removeEventFilter(self)
        super().closeEvent(event)
