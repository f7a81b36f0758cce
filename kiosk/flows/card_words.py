"""The card's life in words: its status, the requests on it, the halls where a new card is
collected, and the steps of a request's progress. The platform decides them (Art. 2); the kiosk
says them."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.card import CardStatus
from kiosk.domain.messages import N_, Message, msg
from kiosk.flows.task_kit import day, numbered
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from kiosk.domain.card_requests import CardRequest

STATUS_TEXT = {
    CardStatus.NORMAL: N_("card_status.status.normal"),
    CardStatus.TEMPORARILY_LOST: N_("card_status.status.temporarily_lost"),
    CardStatus.LOST: N_("card_status.status.lost"),
    CardStatus.CANCELLED: N_("card_status.status.cancelled"),
    CardStatus.EXPIRED: N_("card_status.status.expired"),
}
# The service halls where a new card is collected (the platform's list).
PICKUP_HALLS = {
    "zhengzhou-city-hall": (N_("card_life.hall.city"), "郑州市民服务中心"),
    "jinshui-district-hall": (N_("card_life.hall.jinshui"), "金水区服务大厅"),
    "zhongyuan-district-hall": (N_("card_life.hall.zhongyuan"), "中原区服务大厅"),
}
# The same halls in the summary: "collect the new card at ..." (a message per hall, since a
# message cannot carry another message as a value).
PICKUP_LINES = {
    "zhengzhou-city-hall": N_("card_life.pickup_at.city"),
    "jinshui-district-hall": N_("card_life.pickup_at.jinshui"),
    "zhongyuan-district-hall": N_("card_life.pickup_at.zhongyuan"),
}
REPLACEMENT_REASONS = {
    "damaged": N_("card_life.reason.damaged"),
    "expired": N_("card_life.reason.expired"),
    "information_changed": N_("card_life.reason.information_changed"),
}
REQUEST_NAMES = {
    "loss_report": N_("card_life.kind.loss_report"),
    "loss_lifting": N_("card_life.kind.loss_lifting"),
    "reissue": N_("card_life.kind.reissue"),
    "replacement": N_("card_life.kind.replacement"),
}
STEP_NAMES = {
    "submitted": N_("card_life.step.submitted"),
    "reviewed": N_("card_life.step.reviewed"),
    "in_production": N_("card_life.step.in_production"),
    "ready_for_pickup": N_("card_life.step.ready_for_pickup"),
    "completed": N_("card_life.step.completed"),
}
# "Next: in production, expected by 3 May": the step still to come, and when.
NEXT_STEP_NAMES = {
    "submitted": N_("card_life.next.submitted"),
    "reviewed": N_("card_life.next.reviewed"),
    "in_production": N_("card_life.next.in_production"),
    "ready_for_pickup": N_("card_life.next.ready_for_pickup"),
    "completed": N_("card_life.next.completed"),
}


def request_panel(request: CardRequest, language: str) -> Panel:
    """A request's progress in words: each step said as done or still to come."""
    done = [step for step in request.progress if step.done]
    lines: list[Message] = [
        msg("complaints.tracking", tracking=request.tracking_number),
        msg(STEP_NAMES[done[-1].step if done else "submitted"]),
    ]
    upcoming = [step for step in request.progress if not step.done]
    if upcoming and upcoming[0].at is not None:
        lines.append(
            msg(
                NEXT_STEP_NAMES[upcoming[0].step],
                date=day(hall_time.local(upcoming[0].at).date(), language),
            )
        )
    return Panel(msg(REQUEST_NAMES[request.kind]), tuple(lines))


def summary_view(
    what: Panel,
    effect: str,
    hint: Message,
    confirm: tuple[str, Callable[[], None]],
    cancel: tuple[str, Callable[[], None]],
) -> Content:
    """A request with legal effect, shown before it is sent (requirement 19): what it is, what
    it does to the card, and the choice to confirm or to go without sending."""
    panels = [what, Panel(msg("card_life.effect_title"), (msg(effect),))]
    choices = numbered([(confirm[0], None, confirm[1]), (cancel[0], None, cancel[1])])
    return Content(msg("card_life.confirm_heading"), hint, choices, panels=panels)


def pin_summary(
    title: Message,
    number_masked: str,
    effect: str,
    confirm: Callable[[], None],
    cancel: Callable[[], None],
) -> Content:
    """The summary before a new PIN is written to the chip (requirement 19): the card, what
    writing it does, and the choice to write it or to go without."""
    number = msg("card_status.number", number=number_masked)
    return summary_view(
        Panel(title, (number,)),
        effect,
        msg("card_life.hint.confirm"),
        ("card_life.pin.confirm", confirm),
        ("card_life.cancel", cancel),
    )


def choices_for(labels: Mapping[str, str], choose: Callable[[str], None]) -> list[Choice]:
    """One choice per option, in order: its label's message id shown, its key handed on."""
    return numbered([(label, None, partial(choose, key)) for key, label in labels.items()])


HALL_LABELS = {hall: label for hall, (label, _) in PICKUP_HALLS.items()}
