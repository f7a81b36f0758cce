"""The first screen's idle loop and the catalog without signing in (Art. 15), on a fake clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from helpers.rig import KioskRig

from kiosk.domain.catalog import LocalText, Notice
from kiosk.domain.errors import PlatformUnavailable
from kiosk.flows.session import IDLE_AFTER_S, SLIDE_S, SessionFlow, Step
from kiosk.testing.card import RecordingCard
from kiosk.testing.clock import ManualClock
from kiosk.testing.data import SNAPSHOT, TODAY, make_catalog
from kiosk.testing.platform import FakePlatform
from kiosk.testing.runner import ManualRunner

NOTICE = Notice(
    id=1,
    title=LocalText("春节服务时间", "Spring Festival hours"),
    body=LocalText("大厅上午开放。", "Halls open in the morning."),
    starts=TODAY - dt.timedelta(days=1),
    ends=TODAY + dt.timedelta(days=1),
)
OLD_NOTICE = replace(NOTICE, id=2, ends=TODAY - dt.timedelta(days=1))


def make_flow(
    platform: FakePlatform,
) -> tuple[SessionFlow, ManualRunner, ManualClock, RecordingCard]:
    rig = KioskRig(platform=platform)
    return rig.flow, rig.runner, rig.clock, rig.card


@pytest.fixture
def platform() -> FakePlatform:
    catalog = replace(make_catalog(), notices=(NOTICE, OLD_NOTICE))
    return FakePlatform(catalog_answer=catalog)


def idle(flow: SessionFlow, clock: ManualClock, seconds: float) -> None:
    for _ in range(int(seconds)):
        clock.now += 1
        flow.tick()


def test_nobody_there_for_a_minute_shows_notices_then_categories(platform: FakePlatform) -> None:
    flow, runner, clock, _card = make_flow(platform)
    idle(flow, clock, IDLE_AFTER_S - 2)
    assert not flow.showcase_on and platform.catalog_calls == 0
    idle(flow, clock, 2)
    runner.finish_all()
    idle(flow, clock, 1)
    assert flow.showcase_on and flow.step is Step.ATTRACT
    categories = len(platform.catalog_answer.categories)  # type: ignore[union-attr]
    # Only the notice in force today, then every category.
    assert flow.slides() == 1 + categories
    assert flow.slide == 0
    idle(flow, clock, SLIDE_S)
    assert flow.slide == 1
    idle(flow, clock, SLIDE_S * flow.slides())
    assert flow.slide == 1  # round and round
    # Any press: "insert your card" again, and the minute starts over.
    flow.activity()
    assert not flow.showcase_on
    idle(flow, clock, IDLE_AFTER_S - 1)
    assert not flow.showcase_on
    assert platform.catalog_calls == 1  # fetched once, not at every turn


def test_a_press_on_the_first_screen_keeps_the_loop_away(platform: FakePlatform) -> None:
    flow, runner, clock, _card = make_flow(platform)
    for _ in range(5):
        idle(flow, clock, IDLE_AFTER_S - 5)
        flow.pressed()
    runner.finish_all()
    assert not flow.showcase_on and platform.catalog_calls == 0


def test_a_card_ends_the_loop(platform: FakePlatform) -> None:
    flow, runner, clock, card = make_flow(platform)
    idle(flow, clock, IDLE_AFTER_S)
    runner.finish_all()
    idle(flow, clock, 1)
    assert flow.showcase_on
    flow.card_inserted()
    card.reads[-1][0](SNAPSHOT)
    assert flow.step is Step.PIN and not flow.showcase_on
    flow.card_removed()
    assert flow.step is Step.ATTRACT and not flow.showcase_on


def test_without_the_platform_the_first_screen_stays(platform: FakePlatform) -> None:
    platform.catalog_answer = PlatformUnavailable()
    flow, runner, clock, _card = make_flow(platform)
    idle(flow, clock, IDLE_AFTER_S + 5)
    runner.finish_all()
    idle(flow, clock, 5)
    assert not flow.showcase_on and flow.step is Step.ATTRACT


def test_the_catalog_without_signing_in_and_back(platform: FakePlatform) -> None:
    flow, runner, _clock, _card = make_flow(platform)
    flow.browse_catalog()
    assert flow.busy
    runner.finish_all()
    assert flow.step is Step.CATALOG and flow.session is None and flow.browsing
    flow.choose_category(10)
    assert flow.step is Step.CATEGORY and flow.browsing
    flow.back()
    flow.back()
    assert flow.step is Step.ATTRACT
    flow.browse_catalog()  # the second time, at once from what was fetched
    assert flow.step is Step.CATALOG and platform.catalog_calls == 1
    flow.home()
    assert flow.step is Step.ATTRACT


def test_browsing_ends_when_left_alone_and_a_card_takes_over(platform: FakePlatform) -> None:
    flow, runner, clock, card = make_flow(platform)
    flow.browse_catalog()
    runner.finish_all()
    clock.now += flow.timeout_s + 1
    flow.tick()
    assert flow.step is Step.ATTRACT
    flow.browse_catalog()
    flow.card_inserted()
    card.reads[-1][0](SNAPSHOT)
    assert flow.step is Step.PIN and not flow.browsing


def test_a_failed_fetch_says_so_and_goes_back(platform: FakePlatform) -> None:
    platform.catalog_answer = PlatformUnavailable()
    flow, runner, _clock, _card = make_flow(platform)
    flow.browse_catalog()
    runner.finish_all()
    assert flow.step is Step.NOTICE and not flow.busy
    flow.back()
    assert flow.step is Step.ATTRACT
