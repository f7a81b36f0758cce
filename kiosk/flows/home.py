"""The tasks the home screen offers, in the order it offers them (ui.md: at most six).

A task joins the home screen by being listed here; where a profile allows fewer choices per
screen (requirement 20), home is paged (kiosk.flows.session_views.home_page), so the most used
come first. Home puts the service catalog before these and "finish" after them, so four tasks
fill the six tiles: the certificate is reached from the records it is made of, and the card's
status heads the card's own menu.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

from kiosk.domain.messages import N_

if TYPE_CHECKING:
    from kiosk.flows.tasks import Task, TaskContext


# A named tuple, not a dataclass: home is offered from the first frame on, and a dataclass's
# generated methods are compiled on the way to it.
class HomeTask(NamedTuple):
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
