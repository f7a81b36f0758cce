"""Home in a profile with fewer choices per screen: paged, and no task left out (Art. 10, 16)."""

from __future__ import annotations

import pytest

from kiosk.flows.home import HOME_TASKS, home_page


@pytest.mark.parametrize("max_choices", [4, 6])
def test_every_entry_is_on_some_page_and_each_page_keeps_a_tile_for_finishing(
    max_choices: int,
) -> None:
    entries = ["services", *(task.label for task in HOME_TASKS)]
    first, page, pages = home_page(entries, max_choices, 0)
    seen = []
    for number in range(pages):
        shown, at, total = home_page(entries, max_choices, number)
        assert at == number and total == pages
        assert 1 <= len(shown) <= max_choices - 1
        seen += shown
    assert seen == entries
    assert first == seen[: len(first)] and page == 0


def test_elderly_home_has_two_pages_and_the_page_wraps() -> None:
    entries = ["services", *(task.label for task in HOME_TASKS)]
    _, _, pages = home_page(entries, 4, 0)
    assert pages == 2
    assert home_page(entries, 4, 2)[1] == 0  # 0 on the last page comes back to the first
    assert home_page(entries, 6, 1)[2] == 1  # six tiles: everything on one page
