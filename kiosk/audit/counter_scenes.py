"""The counter's customer-window screens in the audit: the consent question and its
answers, drawn by the kiosk window like any task's.

Kept apart from kiosk.audit.scenes, which names these scenes and calls them. The stand-in
answers at once with fictional demo data of realistic length.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kiosk.counter.consent import ConsentTask
from kiosk.domain.staff import ConsentView

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.audit.scenes import Stage
    from kiosk.flows.tasks import TaskContext

ASKED = dt.datetime(2026, 11, 27, 10, 40, tzinfo=dt.UTC)
FIELDS = {
    "card_service": ("name", "id_number_masked", "card"),
    "card_reissue": ("name", "id_number", "card"),
    "contribution_inquiry": ("name", "id_number_masked", "contributions"),
    "medical_inquiry": ("name", "id_number_masked", "medical_balance"),
    "certificate_service": ("name", "id_number_masked", "certificates"),
    "complaint_handling": ("name", "complaints"),
}


def _consent(purpose: str, status: str = "pending") -> ConsentView:
    return ConsentView(
        id="c0a1b2c3d4e5f60718293a4b5c6d7e8f",
        purpose=purpose,
        fields=FIELDS[purpose],
        status=status,
        staff_name="演示柜员",
        staff_username="demo-counter",
        asked=ASKED,
        expires=ASKED + dt.timedelta(minutes=10),
    )


class AuditConsentDesk:
    """The platform's consent calls, answered at once."""

    def __init__(self, purpose: str) -> None:
        self.purpose = purpose

    def consent_request(self, token: str, consent_id: str) -> ConsentView:
        return _consent(self.purpose)

    def answer_consent(self, token: str, consent_id: str, *, granted: bool) -> ConsentView:
        return _consent(self.purpose, "granted" if granted else "refused")


def consent_scene(purpose: str, answer: str = "") -> Callable[[Stage], None]:
    """The resident's consent question for `purpose`, answered with digit `answer` if given;
    "withdrawn": the staff withdrew it."""

    def enter(stage: Stage) -> None:
        from kiosk.audit.scenes import _home

        _home(stage)
        desk = AuditConsentDesk(purpose)

        def factory(context: TaskContext) -> ConsentTask:
            return ConsentTask(context, desk, "audit", lambda _: None)

        stage.flow.start_task(factory)
        task = stage.flow.task
        assert isinstance(task, ConsentTask)
        if answer == "withdrawn":
            task.withdraw()
        elif answer:
            for choice in task.view().choices:
                if choice.digit == answer:
                    choice.action()
        stage.window.refresh(force=True)

    return enter
