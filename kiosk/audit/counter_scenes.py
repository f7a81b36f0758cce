"""The counter's customer-window screens in the audit: the consent question and its
answers, drawn by the kiosk window like any task's.

Kept apart from kiosk.audit.scenes, which names these scenes and calls them. The platform
stand-in answers the question at once, with fictional demo data of realistic length.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kiosk.counter.consent import ConsentTask
from kiosk.domain.staff import ConsentView

if TYPE_CHECKING:
    from kiosk.testing.stage import Stage

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


def ask_consent(stage: Stage, purpose: str, answer: str = "") -> None:
    """The resident's consent question for `purpose`, answered with digit `answer` if given;
    "withdrawn": the staff withdrew it."""
    stage.platform.consent = _consent(purpose)
    desk = stage.platform
    stage.flow.start_task(lambda context: ConsentTask(context, desk, "audit", lambda _: None))
    task = stage.flow.task
    assert isinstance(task, ConsentTask)
    if answer == "withdrawn":
        task.withdraw()
    elif answer:
        task.view().choose(answer)
