"""The thin path through the UI against the real reference server over HTTP on loopback.

Everything is real but the card: the simulated reader runs the real card protocol against a
virtual chip (the PC/SC path is tests/e2e/test_card_pcsc.py), the platform is `kiosk server` in
its own process, and results reach the window through the same dispatcher the kiosk uses.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.screen import shown_texts
from PySide6.QtCore import Qt
from window_rig import card_stack, open_window, press, type_digits

from kiosk.devices.card.profile import CardProfile, load_demo_profiles
from kiosk.devices.card.simulated import SimulatedCardReader
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.server.embedded import EmbeddedServer
from kiosk.ui.window import KioskWindow

pytestmark = pytest.mark.e2e


@dataclass
class Kiosk:
    window: KioskWindow
    flow: SessionFlow
    reader: SimulatedCardReader
    profiles: dict[str, CardProfile]

    def press(self, qtbot, *keys: Qt.Key) -> None:
        press(qtbot, self.window, *keys)

    def type_pin(self, qtbot, pin: str) -> None:
        type_digits(qtbot, self.window, pin)
        self.press(qtbot, Qt.Key.Key_Return)

    def texts(self) -> list[str]:
        return shown_texts(self.window)

    def wait_for(self, qtbot, step: Step, timeout_ms: int = 20_000) -> None:
        qtbot.waitUntil(lambda: self.flow.step is step, timeout=timeout_ms)


@pytest.fixture
def kiosk(qtbot, tmp_path: Path, server: EmbeddedServer) -> Iterator[Kiosk]:
    with card_stack(server, tmp_path / "cache") as stack:
        flow = SessionFlow(stack.card_service, stack.client, stack.runner, time.monotonic)
        translations = Translations(tmp_path / "translations")
        window = open_window(qtbot, flow, translations, activate=False)
        stack.card_service.start(stack.reader, flow)
        yield Kiosk(window, flow, stack.reader, load_demo_profiles())


def test_card_pin_home_catalog_and_out_by_keypad(kiosk: Kiosk, qtbot) -> None:
    kiosk.reader.insert(kiosk.profiles["demo_a"])
    kiosk.wait_for(qtbot, Step.PIN)
    kiosk.type_pin(qtbot, kiosk.profiles["demo_a"].pin)
    kiosk.wait_for(qtbot, Step.HOME)
    assert "王**，您好。请选择要办理的事项" in kiosk.texts()
    kiosk.press(qtbot, Qt.Key.Key_1)
    kiosk.wait_for(qtbot, Step.CATALOG)
    catalog = kiosk.flow.catalog
    assert catalog is not None
    # Art. 7 names thirteen categories; the platform publishes at least 40 applications.
    assert [c.number for c in catalog.categories] == list(range(1, 14))
    assert catalog.item_count >= 40
    assert len(kiosk.window.choice_screen.tiles) == 6
    kiosk.press(qtbot, Qt.Key.Key_6)  # Art. 7 item 6: public transport
    kiosk.wait_for(qtbot, Step.CATEGORY)
    assert kiosk.flow.category is not None and kiosk.flow.category.number == 6
    texts = " ".join(kiosk.texts())
    assert "在哪里用：" in texts and "怎么用：" in texts
    kiosk.press(qtbot, Qt.Key.Key_Escape)
    kiosk.wait_for(qtbot, Step.HOME)
    kiosk.press(qtbot, Qt.Key.Key_3)  # the card's life: status from the platform (Art. 2, 19)
    kiosk.wait_for(qtbot, Step.TASK)
    qtbot.waitUntil(lambda: any("正常使用" in t for t in kiosk.texts()), timeout=10_000)
    kiosk.press(qtbot, Qt.Key.Key_Backspace)
    kiosk.wait_for(qtbot, Step.HOME)
    kiosk.press(qtbot, Qt.Key.Key_6)
    kiosk.wait_for(qtbot, Step.TAKE_CARD)
    kiosk.reader.remove()
    kiosk.wait_for(qtbot, Step.ATTRACT)
    assert not any("王" in t for t in kiosk.texts())


def test_a_version_3_card_without_secure_access_is_named_by_the_platform(
    kiosk: Kiosk, qtbot
) -> None:
    profile = kiosk.profiles["demo_b"]
    kiosk.reader.insert(profile)
    kiosk.wait_for(qtbot, Step.PIN)
    snapshot = kiosk.flow.snapshot
    assert snapshot is not None and snapshot.holder is None
    kiosk.type_pin(qtbot, profile.pin)
    kiosk.wait_for(qtbot, Step.HOME)
    assert kiosk.flow.greeting_name == "李*"


def test_a_wrong_pin_says_how_many_tries_are_left(kiosk: Kiosk, qtbot) -> None:
    profile = kiosk.profiles["demo_a"]
    kiosk.reader.insert(profile)
    kiosk.wait_for(qtbot, Step.PIN)
    wrong = "000000" if profile.pin != "000000" else "111111"
    kiosk.type_pin(qtbot, wrong)
    qtbot.waitUntil(lambda: kiosk.flow.pin_error is not None, timeout=10_000)
    assert kiosk.flow.pin_error is not None
    assert kiosk.flow.pin_error.params["tries"] == profile.pin_tries_left - 1
    assert any(t.startswith("密码不正确") for t in kiosk.texts())
    kiosk.type_pin(qtbot, profile.pin)
    kiosk.wait_for(qtbot, Step.HOME)


def test_removing_the_card_mid_session_ends_it(kiosk: Kiosk, qtbot) -> None:
    profile = kiosk.profiles["demo_a"]
    kiosk.reader.insert(profile)
    kiosk.wait_for(qtbot, Step.PIN)
    kiosk.type_pin(qtbot, profile.pin)
    kiosk.wait_for(qtbot, Step.HOME)
    kiosk.reader.remove()
    kiosk.wait_for(qtbot, Step.ATTRACT)
    assert kiosk.flow.session is None and kiosk.flow.snapshot is None
