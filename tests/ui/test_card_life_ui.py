"""The card's life and the certificate through the kiosk window, against the real reference
platform over HTTP (the embedded demo server, whose one-time codes the demo route shows): by
keypad and by touch, with the voice guide's speech recorded, in both languages. Every slip goes
through the simulated receipt printer; the platform is asked afterwards what it holds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers.rig import on_platform, platform_client
from helpers.screen import recorded_voice
from PySide6.QtCore import Qt
from window_rig import KEYS, Listened, open_window, tap, type_digits

from kiosk.backend.client import PlatformClient
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.domain.card import CardStatus
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.server.demo import demo_ecode, demo_ecode_digits
from kiosk.server.embedded import EmbeddedServer
from kiosk.testing.card import RecordingCard
from kiosk.testing.data import SNAPSHOT
from kiosk.ui.window import KioskWindow

pytestmark = pytest.mark.e2e

# Demo residents with a card in service, by language: each test run reports one lost.
IN_SERVICE = {
    "zh_CN": ("410105198807160014", "B00000022"),  # 李明, demo card B's holder
    "en": ("410102197908090672", "D00000005"),  # 赵磊
}
# Demo residents whose card is temporarily lost in the demo data.
ALREADY_LOST = {"en": "D00000010", "zh_CN": "D00000003"}  # 孙婷, 陈志强
SCAN_HINT = {"en": "Open the e-code on your phone", "zh_CN": "请打开手机上的电子社保卡"}


@dataclass
class Kiosk(Listened):
    window: KioskWindow
    flow: SessionFlow
    card: RecordingCard
    client: PlatformClient
    printer: Any
    player: RecordingPlayer
    engine: RecordingEngine

    def type_digits(self, qtbot, digits: str) -> None:
        type_digits(qtbot, self.window, digits)
        self.press(qtbot, Qt.Key.Key_Return)

    def tap(self, qtbot, digit: str) -> None:
        tap(qtbot, self.window, digit)

    def tap_digits(self, qtbot, digits: str) -> None:
        pad = self.window.pin_screen.pad
        assert pad is not None
        for digit in digits:
            qtbot.mouseClick(pad.buttons[digit], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(pad.buttons["confirm"], Qt.MouseButton.LeftButton)

    def heading(self) -> str:
        return self.window.content.heading.id

    def hint(self) -> str:
        hint = self.window.content.hint
        return hint.id if hint is not None else ""

    def printed(self) -> int:
        return len(self.printer.emulator.pages()) if hasattr(self.printer, "emulator") else 0


@pytest.fixture
def kiosk(qtbot, tmp_path: Path, server: EmbeddedServer) -> Iterator[Kiosk]:
    translations = Translations(tmp_path / "tr")
    voice = recorded_voice(translations)
    client = platform_client(server, tmp_path)
    with on_platform(client, tmp_path) as rig:
        window = open_window(qtbot, rig.flow, translations, monotonic=rig.clock, guide=voice.guide)
        yield Kiosk(window, rig.flow, rig.card, client, rig.printer, voice.player, voice.engine)


def card_status_of(client: PlatformClient, ecode: str) -> CardStatus:
    session = client.open_session_by_ecode(ecode)
    try:
        return client.card(session.token).status
    finally:
        client.close_session(session.token)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_loss_report_by_id_number_and_code_by_keypad(kiosk: Kiosk, qtbot, language: str) -> None:
    id_number, card_number = IN_SERVICE[language]
    if language == "en":
        kiosk.window.toggle_language()
    kiosk.said()
    kiosk.press(qtbot, KEYS["4"])  # 没带卡
    assert kiosk.flow.step is Step.TASK and kiosk.heading() == "lost_card.heading"
    assert kiosk.said()[:2] == ["lost_card.heading", "lost_card.hint.menu"]
    kiosk.press(qtbot, KEYS["2"], KEYS["1"])  # report it, by ID number
    assert kiosk.hint() == "lost_card.id.hint"
    assert kiosk.window.stack.currentWidget() is kiosk.window.pin_screen
    kiosk.type_digits(qtbot, id_number[:16])  # one digit short
    assert kiosk.hint() == "lost_card.error.id"
    kiosk.type_digits(qtbot, id_number)
    assert kiosk.hint() == "lost_card.code.hint"
    texted = kiosk.client.demo_loss_code()  # the demo platform's stand-in for the phone
    assert texted is not None and len(texted.code) == 6
    kiosk.type_digits(qtbot, texted.code)
    assert kiosk.heading() == "card_life.confirm_heading"
    said = kiosk.said()
    assert said[-10:-4] == [
        "card_life.confirm_heading",
        "card_life.hint.confirm",
        "card_life.loss.temporary",
        "voice.private_withheld",  # the masked ID number: in a headset only (requirement 5)
        "card_life.effect_title",
        "card_life.effect.temporary",
    ]
    assert card_status_of(kiosk.client, demo_ecode(card_number)) is CardStatus.NORMAL
    kiosk.press(qtbot, KEYS["1"])  # confirm
    assert kiosk.hint() == "submit.delivered"
    assert kiosk.window.content.panels[0].title.id == "slip.printed"
    assert kiosk.printer.last_png() is not None  # the slip came out of the receipt printer
    assert card_status_of(kiosk.client, demo_ecode(card_number)) is CardStatus.TEMPORARILY_LOST
    # Neither the ID number nor the code was said aloud on the loudspeaker.
    spoken = "".join(kiosk.texts()).replace(" ", "")
    assert id_number not in spoken and texted.code not in spoken
    kiosk.press(qtbot, KEYS["1"])  # done
    assert kiosk.flow.step is Step.ATTRACT


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_e_code_sign_in_then_reissue_and_progress_by_touch(
    kiosk: Kiosk, qtbot, language: str
) -> None:
    if language == "en":
        qtbot.mouseClick(kiosk.window.header.language_button, Qt.MouseButton.LeftButton)
    kiosk.said()
    kiosk.tap(qtbot, "4")
    kiosk.tap(qtbot, "1")  # sign in with the e-code
    assert kiosk.hint() == "lost_card.sign_in.hint"
    assert SCAN_HINT[language] in " ".join(kiosk.texts())
    kiosk.flow.ecode_scanned("NOT-A-DEMO-CODE")  # the scanner reads a stale code
    assert kiosk.hint() == "notice.ecode_invalid"
    if language == "zh_CN":  # the digits under the QR code, typed on the screen's keypad
        kiosk.tap_digits(qtbot, demo_ecode_digits(ALREADY_LOST[language]))
    else:
        kiosk.flow.ecode_scanned(demo_ecode(ALREADY_LOST[language]))
    assert kiosk.flow.step is Step.HOME and kiosk.flow.snapshot is None
    kiosk.tap(qtbot, "3")  # the card
    menu = [c.label.id for c in kiosk.window.content.choices]
    assert menu == ["card_life.menu.lift", "card_life.menu.reissue"]
    kiosk.tap(qtbot, "2")  # a new card
    assert kiosk.hint() == "card_life.hint.pickup"
    kiosk.tap(qtbot, "2")  # 金水区服务大厅
    assert kiosk.heading() == "card_life.confirm_heading"
    assert "card_life.pickup_at.jinshui" in kiosk.said()
    kiosk.tap(qtbot, "1")
    assert kiosk.hint() == "submit.delivered"
    tracking = kiosk.window.content.hint.params["tracking"]  # type: ignore[union-attr]
    assert kiosk.printer.last_png() is not None
    assert kiosk.client.card_request(tracking).kind == "reissue"
    kiosk.tap(qtbot, "1")  # done: back to the card's menu via home
    kiosk.tap(qtbot, "3")
    labels = [c.label.id for c in kiosk.window.content.choices]
    assert "card_life.menu.progress" in labels
    kiosk.tap(qtbot, str(labels.index("card_life.menu.progress") + 1))
    assert kiosk.window.content.panels[0].title.id == "card_life.kind.reissue"
    assert kiosk.window.content.panels[0].lines[0].params == {"tracking": tracking}
    assert tracking in " ".join(kiosk.texts())  # the progress is said, with the number


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_found_card_lifts_its_loss_then_a_certificate_by_keypad(
    kiosk: Kiosk, qtbot, language: str
) -> None:
    if language == "en":
        kiosk.window.toggle_language()
    # Card A's holder reports it lost by e-code at the kiosk, without the card.
    kiosk.press(qtbot, KEYS["4"], KEYS["2"], KEYS["2"])
    assert kiosk.hint() == "lost_card.ecode.hint"
    kiosk.flow.ecode_scanned(demo_ecode("A00000011"))
    assert kiosk.heading() == "card_life.confirm_heading"
    kiosk.press(qtbot, KEYS["1"])
    assert kiosk.hint() == "submit.delivered"
    kiosk.press(qtbot, KEYS["1"])
    assert card_status_of(kiosk.client, demo_ecode("A00000011")) is CardStatus.TEMPORARILY_LOST
    # Then the card turns up: in the reader, PIN on the chip, and lifting is offered.
    kiosk.flow.card_inserted()
    kiosk.card.reads[-1][0](SNAPSHOT)
    kiosk.type_digits(qtbot, "123456")
    kiosk.card.pins[-1][1](None)
    assert kiosk.flow.step is Step.TASK and kiosk.hint() == "card_life.lift.hint"
    kiosk.said()
    kiosk.press(qtbot, KEYS["1"])
    assert kiosk.hint() == "submit.delivered"
    assert card_status_of(kiosk.client, demo_ecode("A00000011")) is CardStatus.NORMAL
    assert kiosk.window.content.choices[0].label.id == "card_life.lift.continue"
    kiosk.press(qtbot, KEYS["1"])
    assert kiosk.flow.step is Step.HOME
    # A certificate of the pension insurance for the last twelve months.
    kiosk.press(qtbot, KEYS["2"], KEYS["3"], KEYS["2"])  # records, certificate, pension
    assert kiosk.hint() == "certificate.hint.period"
    kiosk.press(qtbot, KEYS["2"])
    assert kiosk.hint() == "certificate.hint.preview_period"
    kiosk.press(qtbot, KEYS["1"])
    assert kiosk.hint() == "certificate.hint.verify"
    code = kiosk.window.content.panels[0].lines[0].params["code"]
    check = kiosk.client.verify_certificate(code)  # anyone can verify it by its code
    assert check.valid and [i.insurance for i in check.insurances] == ["pension"]
    assert kiosk.printer.last_png() is not None


def test_the_dev_panel_shows_the_code_the_demo_platform_texted(
    qtbot, tmp_path: Path, server: EmbeddedServer
) -> None:
    from kiosk.assembly.demo_deck import demo_text_messages
    from kiosk.backend.connection import PlatformConnection
    from kiosk.backend.transport import Endpoint
    from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
    from kiosk.ui.dev_panel import DemoCard, DevPanel

    # As the kiosk starts: the dev panel has the client before the platform is reached.
    client = PlatformClient.reached_later(cache_dir=tmp_path)
    endpoint = Endpoint(server.url, server.kiosk_id, server.kiosk_key)
    connection = PlatformConnection(client, lambda _closing: endpoint)
    connection.start()
    runner = QtTaskRunner(QtDispatcher())

    class Deck:
        def cards(self) -> list[DemoCard]:
            return []

        def insert(self, key: str) -> None: ...

        def remove(self) -> None: ...

    panel = DevPanel(
        Deck(),
        Translations(tmp_path / "tr").get("en"),
        text_messages=demo_text_messages(client, runner),
    )
    qtbot.addWidget(panel)
    panel.show()
    client.request_loss_code("410102195203120027")  # demo card A's holder
    sent = client.demo_loss_code()
    assert sent is not None
    panel.check_text_messages()
    qtbot.waitUntil(lambda: sent.code in panel.loss_code.text(), timeout=5000)
    assert sent.phone_masked in panel.loss_code.text()
    runner.shutdown()
    connection.close()


def test_backspace_on_an_empty_number_goes_back_a_step(kiosk: Kiosk, qtbot) -> None:
    kiosk.press(qtbot, KEYS["4"], KEYS["2"], KEYS["1"])  # no card: report it, by ID
    assert kiosk.hint() == "lost_card.id.hint"
    kiosk.press(qtbot, KEYS["4"], KEYS["1"])
    kiosk.press(qtbot, Qt.Key.Key_Backspace)  # a digit goes first
    assert kiosk.window.pin_screen.length == 1 and kiosk.hint() == "lost_card.id.hint"
    kiosk.press(qtbot, Qt.Key.Key_Backspace, Qt.Key.Key_Backspace)  # then the step
    assert kiosk.window.stack.currentWidget() is not kiosk.window.pin_screen
    assert kiosk.flow.step is Step.TASK and kiosk.hint() != "lost_card.id.hint"
