"""The tasks the home screen offers, in the order it offers them (ui.md: at most six).

A task joins the home screen by being listed here; where a profile allows fewer choices per
screen (requirement 20), home is paged (home_page), so the most used come first. The window
puts the service catalog before these and "finish" after them, so four tasks fill the six
tiles: the certificate is reached from the records it is made of, and the card's status heads
the card's own menu.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from kiosk.domain.messages import N_

if TYPE_CHECKING:
    from kiosk.flows.tasks import Task, TaskContext

T = TypeVar("T")


@dataclass(frozen=True)
class HomeTask:
    label: str  # message id
    examples: str  # message id
    # "module:Class". A task's module is loaded when a resident starts it: the search's pinyin
    # dictionary and Babel's locale data would otherwise delay the attract screen by a third
    # of a second.
    factory: str

    def start(self, context: TaskContext) -> Task:
        module, name = self.factory.split(":")
        task: Task = getattr(importlib.import_module(module), name)(context)
        return task


HOME_TASKS: tuple[HomeTask, ...] = (
    HomeTask(
        N_("home.choice.records"),
        N_("home.choice.records.examples"),
        "kiosk.flows.records:RecordsTask",
    ),
    HomeTask(
        N_("home.choice.card"),
        N_("home.choice.card.examples"),
        "kiosk.flows.card_life:CardLifeTask",
    ),
    HomeTask(
        N_("home.choice.search"),
        N_("home.choice.search.examples"),
        "kiosk.flows.services:ServiceSearchTask",
    ),
    HomeTask(
        N_("home.choice.complaints"),
        N_("home.choice.complaints.examples"),
        "kiosk.flows.complaints:ComplaintsTask",
    ),
)


def home_page(entries: Sequence[T], max_choices: int, page: int) -> tuple[list[T], int, int]:
    """The entries one home page shows, the page it is (wrapped) and how many there are.

    A profile that allows fewer choices per screen (requirement 20's elderly mode, the largest
    print) pages home rather than dropping what does not fit: the people Art. 10 names first
    must reach every task, Art. 16's complaints among them. One tile of each page is kept for
    finishing, which the caller adds; 0 turns the page, as on every other list.
    """
    return page_of(entries, max(1, max_choices - 1), page)


def page_of(entries: Sequence[T], per_page: int, page: int) -> tuple[list[T], int, int]:
    """One page of a list of choices, the page it is (wrapped) and how many there are."""
    pages = max(1, math.ceil(len(entries) / per_page))
    page %= pages
    return list(entries[page * per_page : (page + 1) * per_page]), page, pages
