"""Home in a profile with fewer choices per screen: paged, and no task left out (Art. 10, 16)."""

from __future__ import annotations

import pytest

from kiosk.flows.home import HOME_TASKS
from kiosk.flows.session_views import home_page
from kiosk.flows.view import Pager


@pytest.mark.parametrize("max_choices", [4, 6])
def test_every_entry_is_on_some_page_and_each_page_keeps_a_tile_for_finishing(
    max_choices: int,
) -> None:
    entries = ["services", *(task.label for task in HOME_TASKS)]
    turns: list[int] = []
    pager = Pager(lambda: turns.append(pager.page))
    first = list(home_page(pager, entries, max_choices))
    seen = list(first)
    while True:
        pager.turn(1)
        if pager.page == 0:
            break
        shown = home_page(pager, entries, max_choices)
        assert 1 <= len(shown) <= max_choices - 1
        seen += shown
    assert seen == entries
    assert 1 <= len(first) <= max_choices - 1
    assert turns[-1] == 0  # the turn after the last page comes back to the first


def test_elderly_home_has_two_pages_and_the_page_wraps() -> None:
    entries = ["services", *(task.label for task in HOME_TASKS)]
    pager = Pager(lambda: None)
    first = home_page(pager, entries, 4)
    pager.turn(1)
    second = home_page(pager, entries, 4)
    assert pager.page == 1 and [*first, *second] == entries
    pager.turn(1)
    assert pager.page == 0  # 0 on the last page comes back to the first
    assert home_page(pager, entries, 6) == entries  # six tiles: everything on one page
