"""The customer-facing window as the staff console sees it: the resident's own SessionFlow.

The consent question is a task of the resident's session (kiosk.counter.consent.ConsentTask), so
the customer window is the kiosk's own window, in large print and with speech, and the question
ends with the session like any other screen. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.counter.consent import LEFT, ConsentDesk, ConsentTask
from kiosk.flows.session import Step

if TYPE_CHECKING:
    from kiosk.flows.session import SessionFlow
    from kiosk.flows.tasks import TaskContext


class SessionCustomer:
    """kiosk.counter.flow.CustomerSide over the customer window's SessionFlow."""

    def __init__(self, flow: SessionFlow, desk: ConsentDesk) -> None:
        self._flow = flow
        self._desk = desk

    def resident_present(self) -> bool:
        # Signed in, and past the privacy notice (Art. 13): staff ask nothing before it.
        return self._flow.session is not None and self._flow.step is not Step.PRIVACY

    def ask(self, consent_id: str, answered: Callable[[str], None]) -> None:
        flow, desk = self._flow, self._desk
        if flow.session is None:
            answered(LEFT)
            return

        def consent_task(context: TaskContext) -> ConsentTask:
            return ConsentTask(context, desk, consent_id, answered)

        # The question comes before whatever the resident had open; a task left this way
        # is closed as "back to home" would close it.
        flow.home()
        flow.start_task(consent_task)
        if not isinstance(flow.task, ConsentTask):  # pragma: no cover - home() made it so
            answered(LEFT)

    def withdraw(self) -> None:
        task = self._flow.task
        if isinstance(task, ConsentTask):
            task.withdraw()

    def card_for_pin_reset(self) -> tuple[str, str] | None:
        snapshot = self._flow.card_for_pin_reset()
        if snapshot is None:
            return None
        return snapshot.card.identifier, snapshot.card.number

    def start_pin_reset(self, reported: Callable[[bool], None]) -> bool:
        return self._flow.start_pin_reset(reported)

    def withdraw_pin_reset(self) -> None:
        from kiosk.flows.card_problems import PinResetTask

        task = self._flow.task
        if isinstance(task, PinResetTask):
            task.withdraw()
