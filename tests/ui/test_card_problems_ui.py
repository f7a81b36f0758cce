"""An expired card and a blocked PIN at a kiosk, through the window, against the real reference
platform over HTTP: by keypad and by touch, in Chinese and in English, with the voice guide's
speech recorded and the slips through the simulated receipt printer."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers.rig import on_platform, platform_client
from helpers.screen import recorded_voice
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel
from window_rig import KEYS, open_window, press, said, tap

from kiosk.backend.client import PlatformClient
from kiosk.devices.speech.simulated import RecordingPlayer
from kiosk.flows.card_problems import ExpiredCardTask, PinBlockedTask
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.server import demo
from kiosk.server.demo import demo_ecode
from kiosk.server.embedded import EmbeddedServer
from kiosk.testing.card import InstantCard
from kiosk.testing.data import SNAPSHOT
from kiosk.ui.window import KioskWindow

pytestmark = pytest.mark.e2e

WAIT_MS = 15_000
EXPIRED_HEADING = {"zh_CN": "这张卡已过有效期", "en": "This card has expired"}
BLOCKED_HEADING = {"zh_CN": "社保卡密码已锁定", "en": "The card's PIN is locked"}
BRING_ID = {"zh_CN": "本人居民身份证原件", "en": "Your resident identity card"}


def _expired_person() -> demo.Person:
    (person,) = [p for p in demo.people(demo.DEFAULT_SEED) if p.status == "expired"]
    return person


def _screen_said(spoken: list[str], heading: str) -> list[str]:
    """What was said from the screen's heading on (the PIN's "digit entered" comes before)."""
    assert heading in spoken, spoken
    return spoken[spoken.index(heading) :]


@pytest.fixture
def fresh_server() -> Iterator[EmbeddedServer]:
    """A platform of its own for each test that files the one expired demo card's replacement,
    which the platform takes once."""
    with EmbeddedServer.start() as started:
        started.wait_ready(timeout_s=90)
        yield started


@pytest.fixture(scope="module")
def shared_server() -> Iterator[EmbeddedServer]:
    """One platform for the tests that file nothing on it (a blocked PIN opens no session)."""
    with EmbeddedServer.start() as started:
        started.wait_ready(timeout_s=90)
        yield started


@dataclass
class Kiosk:
    window: KioskWindow
    flow: SessionFlow
    slot: InstantCard
    client: PlatformClient
    printer: Any
    player: RecordingPlayer

    def shown(self) -> str:
        parts = [w.text() for w in self.window.findChildren(QLabel) if w.isVisible()]
        parts += [w.text() for w in self.window.findChildren(QAbstractButton) if w.isVisible()]
        return "\n".join(parts)

    def pin(self, qtbot, digits: str, by: str) -> None:
        if by == "keypad":
            press(qtbot, self.window, *(KEYS[d] for d in digits), Qt.Key.Key_Return)
            return
        pad = self.window.pin_screen.pad
        assert pad is not None
        for digit in digits:
            qtbot.mouseClick(pad.buttons[digit], Qt.MouseButton.LeftButton)
        qtbot.mouseClick(pad.buttons["confirm"], Qt.MouseButton.LeftButton)

    def choose(self, qtbot, digit: str, by: str) -> None:
        if by == "keypad":
            press(qtbot, self.window, KEYS[digit])
        else:
            tap(qtbot, self.window, digit)


@pytest.fixture
def kiosk_on(qtbot, tmp_path: Path) -> Iterator[Callable[[EmbeddedServer, InstantCard], Kiosk]]:
    """The kiosk on this real platform with this card in its reader. A test names its platform
    before this fixture, so the kiosk is closed while its platform still serves."""
    with ExitStack() as stack:

        def make(server: EmbeddedServer, card: InstantCard) -> Kiosk:
            translations = Translations(tmp_path / "tr")
            voice = recorded_voice(translations)
            client = platform_client(server, tmp_path)
            rig = stack.enter_context(on_platform(client, tmp_path, card=card))
            window = open_window(
                qtbot, rig.flow, translations, monotonic=rig.clock, guide=voice.guide
            )
            return Kiosk(window, rig.flow, card, client, rig.printer, voice.player)

        yield make


@pytest.mark.parametrize("by", ["keypad", "touch"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_an_expired_card_asks_for_its_replacement(
    qtbot, fresh_server: EmbeddedServer, kiosk_on, language: str, by: str
) -> None:
    person = _expired_person()
    card = dataclasses.replace(
        SNAPSHOT.card,
        identifier=person.card_identifier,
        number=person.card_number,
        expires=person.card_expires,
    )
    kiosk = kiosk_on(fresh_server, InstantCard(dataclasses.replace(SNAPSHOT, card=card)))
    if language == "en":
        kiosk.window.toggle_language()
    kiosk.flow.card_inserted()
    assert kiosk.flow.step is Step.PIN  # no longer turned away before the PIN
    said(kiosk.player)
    kiosk.pin(qtbot, "123456", by)
    qtbot.waitUntil(lambda: isinstance(kiosk.flow.task, ExpiredCardTask), timeout=WAIT_MS)
    assert EXPIRED_HEADING[language] in kiosk.shown()
    spoken = _screen_said(said(kiosk.player), "card_problems.expired.heading")
    assert spoken[:2] == ["card_problems.expired.heading", "card_problems.expired.hint"]
    assert kiosk.flow.session is None
    kiosk.choose(qtbot, "1", by)  # ask for a new card
    kiosk.choose(qtbot, "1", by)  # the first hall
    assert kiosk.window.content.heading.id == "card_life.confirm_heading"
    kiosk.choose(qtbot, "1", by)  # confirm
    qtbot.waitUntil(lambda: kiosk.printer.emulator.printed.cuts == 1, timeout=WAIT_MS)
    assert "换领新卡" in "\n".join(kiosk.printer.emulator.printed.lines)
    assert kiosk.window.content.hint is not None
    assert kiosk.window.content.hint.id == "submit.delivered"
    # The platform has it: the holder's e-code session sees the request.
    session = kiosk.client.open_session_by_ecode(demo_ecode(person.card_number))
    try:
        requests = kiosk.client.card(session.token).requests
    finally:
        kiosk.client.close_session(session.token)
    assert [r.kind for r in requests] == ["replacement"]
    assert [c.label.id for c in kiosk.window.content.choices] == ["task.done"]
    kiosk.choose(qtbot, "1", by)  # done
    assert kiosk.flow.step is Step.TAKE_CARD


@pytest.mark.parametrize("by", ["keypad", "touch"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_blocked_pin_says_what_to_bring_and_prints_it(
    qtbot, kiosk_on, shared_server: EmbeddedServer, language: str, by: str
) -> None:
    kiosk = kiosk_on(shared_server, InstantCard(SNAPSHOT, blocked=True))
    if language == "en":
        kiosk.window.toggle_language()
    kiosk.flow.card_inserted()
    said(kiosk.player)
    kiosk.pin(qtbot, "123456", by)
    assert isinstance(kiosk.flow.task, PinBlockedTask)
    text = kiosk.shown()
    assert BLOCKED_HEADING[language] in text and BRING_ID[language] in text
    spoken = _screen_said(said(kiosk.player), "card_problems.blocked.heading")
    assert spoken[:2] == ["card_problems.blocked.heading", "card_problems.blocked.hint"]
    assert "card_problems.blocked.bring.id_card" in spoken
    kiosk.choose(qtbot, "1", by)  # print what to bring
    qtbot.waitUntil(lambda: kiosk.printer.emulator.printed.cuts == 1, timeout=WAIT_MS)
    slip = "\n".join(kiosk.printer.emulator.printed.lines)
    assert "居民身份证" in slip and SNAPSHOT.card.number not in slip
    assert kiosk.window.content.panels[0].title.id == "slip.printed"
    kiosk.choose(qtbot, "1", by)  # done
    assert kiosk.flow.step is Step.TAKE_CARD
