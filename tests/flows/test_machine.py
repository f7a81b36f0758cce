"""A task's screens as a state machine: the path back, the screens back cannot leave."""

from __future__ import annotations

from enum import StrEnum

from kiosk.flows.machine import Screens


class Screen(StrEnum):
    MENU = "menu"
    REASON = "reason"
    PICKUP = "pickup"
    CONFIRM = "confirm"
    SENDING = "sending"


def machine() -> tuple[Screens[Screen], list[Screen]]:
    told: list[Screen] = []
    screens: Screens[Screen] = Screens(
        Screen.MENU, lambda: told.append(screens.current), stuck=(Screen.SENDING,)
    )
    return screens, told


def test_back_retraces_the_path_and_stops_at_the_root() -> None:
    screens, told = machine()
    screens.go(Screen.REASON)
    screens.go(Screen.PICKUP)
    assert told == [Screen.REASON, Screen.PICKUP]  # every move forward tells the view
    assert screens.back() and screens.current is Screen.REASON
    assert screens.back() and screens.current is Screen.MENU
    assert not screens.back() and screens.current is Screen.MENU


def test_a_screen_that_replaces_another_is_skipped_on_the_way_back() -> None:
    screens, _ = machine()
    screens.go(Screen.REASON)
    screens.go(Screen.PICKUP, remember=False)
    assert screens.back() and screens.current is Screen.MENU


def test_a_summary_goes_back_to_the_root_and_work_under_way_not_at_all() -> None:
    screens, _ = machine()
    screens.go(Screen.REASON)
    screens.go(Screen.PICKUP)
    screens.go(Screen.CONFIRM, back_to=Screen.MENU)
    screens.go(Screen.SENDING, remember=False)
    assert not screens.back() and screens.current is Screen.SENDING
    screens.go(Screen.CONFIRM, back_to=Screen.MENU)  # the platform did not answer
    assert screens.back() and screens.current is Screen.MENU


def test_rewind_returns_along_the_path_and_start_clears_it() -> None:
    screens, told = machine()
    screens.go(Screen.REASON)
    screens.go(Screen.PICKUP)
    screens.go(Screen.CONFIRM)
    screens.rewind(Screen.REASON)
    assert screens.current is Screen.REASON and told[-1] is Screen.REASON
    assert screens.back() and screens.current is Screen.MENU
    screens.go(Screen.PICKUP)
    screens.start(Screen.MENU)
    assert not screens.back()
    screens.rewind(Screen.REASON)  # not on the path: forward to it
    assert screens.back() and screens.current is Screen.MENU


def test_a_summary_reached_from_its_back_screen_keeps_the_path() -> None:
    screens, _ = machine()
    screens.go(Screen.REASON)
    screens.go(Screen.CONFIRM, back_to=Screen.REASON)
    assert screens.back() and screens.current is Screen.REASON
    assert screens.back() and screens.current is Screen.MENU


def test_back_from_a_summary_goes_to_the_root_and_a_failure_returns_along_the_path() -> None:
    told: list[Screen] = []
    screens: Screens[Screen] = Screens(
        Screen.MENU, lambda: told.append(screens.current), to_root=(Screen.CONFIRM,)
    )
    screens.go(Screen.REASON)
    screens.go(Screen.PICKUP)
    screens.go(Screen.CONFIRM)
    screens.go(Screen.SENDING, remember=False)
    screens.rewind(Screen.PICKUP)  # the platform turned the answer down: ask it again
    assert screens.back() and screens.current is Screen.REASON
    screens.go(Screen.PICKUP)
    screens.go(Screen.CONFIRM, tell=False)
    assert told[-1] is Screen.PICKUP  # not told: the caller redraws
    assert screens.back() and screens.current is Screen.MENU
    assert not screens.back()
