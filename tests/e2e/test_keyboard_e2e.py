"""Text typed on the on-screen keyboard, through the window, against the real reference server
over HTTP: a complaint in the resident's own words typed with the keypad alone in Chinese, the
department's reply, and the complaint read back by its tracking number typed by touch in
English by another resident (Art. 16: the result is fed back)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers.rig import on_platform, platform_client
from helpers.screen import recorded_voice, shown_texts
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from window_rig import KEYS, keypad_type, open_window, press, walk_to

from kiosk.accessibility.profile import Profile
from kiosk.backend.client import PlatformClient
from kiosk.devices.speech.simulated import RecordingPlayer
from kiosk.flows.complaints import ComplaintsTask
from kiosk.flows.services import ServiceSearchTask
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.server.embedded import EmbeddedServer
from kiosk.ui.window import KioskWindow

pytestmark = pytest.mark.e2e


class SeeingClient(PlatformClient):
    """The real client, keeping a copy of each submission's body for the test to read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[dict[str, object]] = []

    def submit(self, kind: str, body: Mapping[str, object], **kwargs: Any) -> Any:
        self.sent.append(dict(body))
        return super().submit(kind, body, **kwargs)


@dataclass
class Kiosk:
    window: KioskWindow
    flow: SessionFlow
    client: SeeingClient
    player: RecordingPlayer

    def press(self, qtbot, *keys: Qt.Key) -> None:
        press(qtbot, self.window, *keys)

    def walk_to(self, qtbot, target: QPushButton) -> None:
        walk_to(qtbot, self.window, target)

    def keypad_type(self, qtbot, letters: str) -> None:
        keypad_type(qtbot, self.window, letters)

    def sign_in(self, qtbot, ecode: str) -> None:
        self.flow.sign_in_by_ecode(ecode)
        assert self.flow.step is Step.HOME

    def texts(self) -> str:
        return " ".join(shown_texts(self.window))


@pytest.fixture
def kiosk(qtbot, tmp_path: Path, server: EmbeddedServer) -> Iterator[Kiosk]:
    client = platform_client(server, tmp_path / "cache", SeeingClient)
    translations = Translations(tmp_path / "translations")
    voice = recorded_voice(translations)
    with on_platform(client, tmp_path) as rig:
        window = open_window(qtbot, rig.flow, translations, guide=voice.guide)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        yield Kiosk(window, rig.flow, client, voice.player)


def test_a_complaint_typed_on_the_keypad_is_answered_and_read_back_by_its_number(
    kiosk: Kiosk, qtbot
) -> None:
    kiosk.sign_in(qtbot, "DEMO-ECODE-A00000011")
    kiosk.flow.start_task(ComplaintsTask)
    # A complaint; the service, on the topics' second page (0) after Art. 18's wrongs; no place.
    kiosk.press(qtbot, KEYS["1"], KEYS["0"], KEYS["2"], KEYS["1"])
    kiosk.press(qtbot, KEYS["3"])  # in my own words
    screen = kiosk.window.body.keyboard_screen
    assert kiosk.window.stack.currentWidget() is screen
    kiosk.keypad_type(qtbot, "paidui")
    assert screen.candidate_buttons[0].text() == "1 排队"
    kiosk.press(qtbot, KEYS["1"])
    kiosk.keypad_type(qtbot, "taijiu")
    kiosk.press(qtbot, KEYS["1"])
    assert screen.field.text() == "排队太久▏"
    kiosk.walk_to(qtbot, screen.control_buttons["done"])
    kiosk.press(qtbot, Qt.Key.Key_Return)
    kiosk.press(qtbot, KEYS["1"])  # a phone number for the answer
    kiosk.press(qtbot, *(KEYS[d] for d in "13900001234"), Qt.Key.Key_Return)
    review = kiosk.window.content
    assert review.heading.id == "complaints.review.heading"
    assert "排队太久" in kiosk.texts()
    kiosk.press(qtbot, KEYS["1"])  # submit
    sent = kiosk.window.content
    assert sent.hint is not None and sent.hint.id == "submit.delivered"
    tracking = str(sent.hint.params["tracking"])
    assert kiosk.client.sent[-1]["text"] == "排队太久"
    assert kiosk.flow.session is not None
    filed = kiosk.client.complaint(tracking, kiosk.flow.session.token)  # the filer's own
    assert (filed.kind, filed.category, filed.status) == ("complaint", "service", "received")

    # The department answers at the counter (Art. 16).
    counter = kiosk.client.staff_login("demo-counter", "demo-counter-pass")
    kiosk.client.reply_to_complaint(counter.token, tracking, "已增开两个窗口，谢谢您的意见")

    # Another resident, in English, looks it up by the number on the slip, by touch: the
    # stage only; the subject and the reply are the filer's (Art. 12).
    kiosk.flow.logout()
    assert kiosk.flow.step is Step.ATTRACT
    kiosk.window.set_profile(Profile(language="en"))
    kiosk.sign_in(qtbot, "DEMO-ECODE-B00000022")
    kiosk.flow.start_task(ComplaintsTask)
    lookup = next(t for t in kiosk.window.choice_screen.tiles if t.digit == "4")
    assert lookup.accessibleName() == "4. Look up by number"
    qtbot.mouseClick(lookup, Qt.MouseButton.LeftButton)
    assert kiosk.window.stack.currentWidget() is screen
    assert "I" not in screen.key_buttons and "O" not in screen.key_buttons
    for char in tracking.removeprefix("C-").replace("-", ""):
        qtbot.mouseClick(screen.key_buttons[char], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.control_buttons["done"], Qt.MouseButton.LeftButton)
    found = kiosk.window.content
    assert found.heading.id == "complaints.lookup.heading"
    shown = kiosk.texts()
    assert tracking in shown and "Answered" in shown
    assert "已增开两个窗口" not in shown and "排队太久" not in shown
    lines = [m.id for p in found.panels for m in p.lines]
    assert "complaints.lookup.filer_only" in lines and "complaints.status.reply" not in lines

    # A number nobody filed says so, in English.
    kiosk.press(qtbot, KEYS["1"])  # look up another number
    for char in "000000000000":
        qtbot.mouseClick(screen.key_buttons[char], Qt.MouseButton.LeftButton)
    kiosk.press(qtbot, Qt.Key.Key_Return)  # the focus is on the last key pressed: a 0
    assert kiosk.window.stack.currentWidget() is screen  # twelve characters at most
    qtbot.mouseClick(screen.control_buttons["done"], Qt.MouseButton.LeftButton)
    assert kiosk.window.content.hint is not None
    assert kiosk.window.content.hint.id == "complaints.lookup.unknown"
    assert "No complaint has this number" in kiosk.texts()


def test_service_search_typed_by_touch_in_chinese_and_by_keypad_in_english(
    kiosk: Kiosk, qtbot
) -> None:
    kiosk.sign_in(qtbot, "DEMO-ECODE-A00000011")
    kiosk.flow.start_task(ServiceSearchTask)
    kiosk.press(qtbot, KEYS["4"])  # type to search
    screen = kiosk.window.body.keyboard_screen
    for letter in "dt":  # the initials of 地铁
        qtbot.mouseClick(screen.key_buttons[letter], Qt.MouseButton.LeftButton)
    for _ in range(5):  # 地铁 is among the first pages of candidates for d-t: turn to it
        shown = [b for b in screen.candidate_buttons if b.isVisible()]
        metro = [b for b in shown if b.text().endswith(" 地铁")]
        if metro:
            break
        assert screen.more_button is not None
        qtbot.mouseClick(screen.more_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(metro[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.control_buttons["done"], Qt.MouseButton.LeftButton)
    results = kiosk.window.content
    assert results.heading.params["query"] == "地铁" and results.heading.params["count"] >= 1
    assert "地铁" in kiosk.texts()

    kiosk.flow.logout()
    kiosk.window.set_profile(Profile(language="en"))
    kiosk.sign_in(qtbot, "DEMO-ECODE-B00000022")
    kiosk.flow.start_task(ServiceSearchTask)
    kiosk.press(qtbot, KEYS["4"])
    assert screen.control_buttons["switch"].accessibleName() == "Switch to Pinyin"
    kiosk.keypad_type(qtbot, "library")
    kiosk.walk_to(qtbot, screen.control_buttons["done"])
    kiosk.press(qtbot, Qt.Key.Key_Return)
    results = kiosk.window.content
    assert results.heading.params == {"query": "library", "count": results.heading.params["count"]}
    assert results.heading.params["count"] >= 1 and "Library" in kiosk.texts()
