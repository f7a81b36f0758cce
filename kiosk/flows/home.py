"""The tasks the home screen offers, in the order it offers them (ui.md: at most six).

A task joins the home screen by being listed here; the elderly mode shows the first four
(requirement 20), so the most used come first.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.messages import N_
from kiosk.flows.card_status import CardStatusTask
from kiosk.flows.tasks import TaskFactory


@dataclass(frozen=True)
class HomeTask:
    label: str  # message id
    examples: str  # message id
    start: TaskFactory


HOME_TASKS: tuple[HomeTask, ...] = (
    HomeTask(N_("home.choice.card"), N_("home.choice.card.examples"), CardStatusTask),
)
