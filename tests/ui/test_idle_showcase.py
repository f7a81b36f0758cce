"""The first screen's idle loop and the catalog without signing in (Art. 15), through the window:
keys and touches as a person makes them, the fake clock for the minute nobody is there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from helpers.rig import KioskRig
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from window_rig import open_window, press, tap

from kiosk.accessibility.profile import Profile
from kiosk.domain.catalog import LocalText, Notice
from kiosk.flows.session import IDLE_AFTER_S, SLIDE_S, SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.testing.clock import ManualClock
from kiosk.testing.data import make_catalog
from kiosk.testing.platform import FakePlatform
from kiosk.testing.runner import ManualRunner
from kiosk.ui.window import KioskWindow

TODAY = dt.date(2026, 11, 27)
NOTICE = Notice(
    id=1,
    title=LocalText("春节服务时间", "Spring Festival hours"),
    body=LocalText("服务大厅上午开放。", "Halls open in the morning."),
    starts=TODAY,
    ends=TODAY + dt.timedelta(days=3),
)


@dataclass
class Idle:
    window: KioskWindow
    flow: SessionFlow
    platform: FakePlatform
    runner: ManualRunner
    clock: ManualClock

    def wait(self, seconds: float) -> None:
        for _ in range(int(seconds)):
            self.clock.now += 1
            self.flow.tick()
            self.runner.finish_all()

    def heading(self) -> str:
        return self.window.choice_screen.heading.text()


@pytest.fixture
def idle(qtbot, tmp_path: Path) -> Iterator[Idle]:
    platform = FakePlatform(catalog_answer=replace(make_catalog(), notices=(NOTICE,)))
    rig = KioskRig(platform=platform, printer=None, outbox=None)
    window = open_window(
        qtbot,
        rig.flow,
        Translations(tmp_path),
        monotonic=rig.clock,
        clock=lambda: dt.datetime(2026, 11, 27, 10, 42),
    )
    yield Idle(window, rig.flow, platform, rig.runner, rig.clock)


def test_after_a_minute_alone_it_shows_the_notice_then_what_the_card_does(idle: Idle) -> None:
    assert idle.heading() == "请插入社保卡"
    idle.wait(IDLE_AFTER_S + 1)
    assert idle.flow.showcase_on
    assert idle.heading() == "春节服务时间"
    assert idle.window.choice_screen.tiles == [] or not any(
        t.isVisible() for t in idle.window.choice_screen.tiles
    )
    idle.wait(SLIDE_S)
    first = idle.flow.showcase.categories[0]  # type: ignore[union-attr]
    assert idle.heading() == first.name.zh
    assert idle.window.choice_screen.hint.text() == "社保卡能办这些事"
    assert "按任意键或触摸屏幕开始" in " ".join(
        label.text() for label in idle.window.choice_screen.findChildren(QLabel)
    )


def test_any_key_brings_back_insert_your_card_and_does_nothing_else(qtbot, idle: Idle) -> None:
    idle.wait(IDLE_AFTER_S + 1)
    assert idle.flow.showcase_on
    press(qtbot, idle.window, Qt.Key.Key_1)  # on the first screen, 1 is the senior mode
    assert not idle.flow.showcase_on and idle.heading() == "请插入社保卡"
    assert idle.window.profile == Profile()  # the press only woke the screen


def test_a_touch_brings_it_back_too(qtbot, idle: Idle) -> None:
    idle.wait(IDLE_AFTER_S + 1)
    qtbot.mouseClick(idle.window.choice_screen, Qt.MouseButton.LeftButton)
    assert not idle.flow.showcase_on and idle.heading() == "请插入社保卡"


def test_the_catalog_from_the_first_screen_without_a_card(qtbot, idle: Idle) -> None:
    tiles = {t.digit: t for t in idle.window.choice_screen.tiles if t.isVisible()}
    services = next(d for d, t in tiles.items() if "社保卡能办什么" in t.accessibleName())
    tap(qtbot, idle.window, services)
    idle.runner.finish_all()
    assert idle.flow.step is Step.CATALOG and idle.flow.session is None
    assert (
        idle.window.footer.back_button.isVisible()
        and not idle.window.footer.finish_button.isVisible()
    )
    press(qtbot, idle.window, Qt.Key.Key_Backspace)
    assert idle.flow.step is Step.ATTRACT


def test_in_large_print_the_catalog_choice_is_still_offered(qtbot, idle: Idle) -> None:
    idle.window.set_profile(Profile().toggled_elderly())
    seen: list[str] = []
    for _ in range(2):  # each page of the first screen, within the large print's limit
        visible = [t for t in idle.window.choice_screen.tiles if t.isVisible()]
        assert len(visible) <= idle.window.theme.max_choices
        seen += [t.accessibleName() for t in visible]
        press(qtbot, idle.window, Qt.Key.Key_0)
    assert any("社保卡能办什么" in n for n in seen)
