"""Every screen the audit measures, as a scene: how to put the stage (kiosk.testing.stage) into
it from a fresh start.

A scene is a start (where it begins: home, a task, the attract screen's 没带卡...) and then the
presses a resident makes there, in the words of `_act`. The stand-ins answer at once with the
demo card A holder's data and the reference platform's published catalog, so screens carry
realistic lengths of text.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.admin_pin import DEMO_PIN
from kiosk.domain.card import CardStatus
from kiosk.domain.errors import CardNotInService, PlatformUnavailable
from kiosk.flows.card_life import CardLifeTask
from kiosk.flows.complaints import ComplaintsTask
from kiosk.flows.records import RecordsTask
from kiosk.flows.service_menu import MenuState
from kiosk.flows.services import ServiceSearchTask
from kiosk.flows.session import IDLE_AFTER_S, Step
from kiosk.flows.tasks import Task, TaskContext
from kiosk.flows.view import Content, DigitEntry, PinEntry, TextEntry
from kiosk.testing.printing import FakeA4Printer, FakePrinter
from kiosk.testing.stage import Stage, build_stage

__all__ = ["SCENES", "Stage", "build_stage", "unknown_steps"]

Arrange = Callable[[Stage], None]

# The demo holder's e-code, as the scanner reads it off a phone.
DEMO_ECODE = "DEMO-ECODE-A00000011"


def scene(start: Arrange, *presses: str) -> Arrange:
    """The stage reset, `start` run, then each press made on the screen it leads to."""

    def arrange(stage: Stage) -> None:
        stage.reset()
        start(stage)
        for press in presses:
            _act(stage, press)
        stage.window.refresh(force=True)

    return arrange


def _view(stage: Stage) -> Content:
    task = stage.flow.task
    assert task is not None, f"no task on {stage.flow.step}"
    return task.view()


def _act(stage: Stage, press: str) -> None:
    """One press in the task shown: a digit takes that choice; "next" turns the page, as
    keypad 0 does; "=..." submits what is typed on the keypad (a PIN, a number); "type:..."
    presses the on-screen keyboard's keys, "type:<done>" accepts; "label:..." takes the choice
    with that label; "scan" holds the demo e-code to the scanner; "late" lets a one-time code
    run out while the resident is still there."""
    view = _view(stage)
    if press == "next":
        view.pager_actions[1][1]()
    elif press.startswith("="):
        if isinstance(view, PinEntry):
            view.submit(bytearray(press[1:].encode()))
        else:
            assert isinstance(view, DigitEntry), f"no keypad entry on {view.heading.id}"
            view.submit(press[1:])
    elif press.startswith("type:"):
        assert isinstance(view, TextEntry) and view.editor is not None, "no keyboard shown"
        keys = press.removeprefix("type:")
        if keys == "<done>":
            view.editor.accept()
            return
        for key in keys:
            view.editor.press_digit(key) if key.isdigit() else view.editor.press(key)
    elif press.startswith("label:"):
        next(c for c in view.choices if c.label.id == press[6:]).action()
    elif press == "scan":
        stage.flow.ecode_scanned(DEMO_ECODE)
    elif press == "late":
        # The code expires; a press just now keeps the session's own idle timer from running
        # out with it.
        stage.clock.advance(301)
        stage.flow.activity()
    else:
        view.choose(press)


# --- starts -------------------------------------------------------------------------------


def _nothing(stage: Stage) -> None:
    """The attract screen, as the reset leaves it."""


def _insert(stage: Stage) -> None:
    """The card in and read, and the privacy notice (Art. 13) accepted: the PIN is asked."""
    stage.flow.card_inserted()
    stage.flow.accept_privacy()


def _home(stage: Stage) -> None:
    _insert(stage)
    stage.flow.submit_pin(bytearray(b"123456"))


def _idle(slide: int) -> Arrange:
    """The first screen with nobody there (Art. 15): a notice, then what the card does."""

    def start(stage: Stage) -> None:
        stage.clock.advance(IDLE_AFTER_S + 1)
        stage.flow.tick()
        stage.flow.tick()
        stage.flow.slide = slide

    return start


def _browsing(category: int | None) -> Arrange:
    """The catalog from the first screen, without a card."""

    def start(stage: Stage) -> None:
        stage.flow.browse_catalog()
        if category is not None:
            stage.flow.choose_category(category)

    return start


def _reading(stage: Stage) -> None:
    # Held in READING: the stand-in card answers at once, so step in by hand.
    stage.flow.card_present = True
    stage.flow.step = Step.READING


def _pin(stage: Stage) -> None:
    _insert(stage)
    for digit in "123":
        stage.window.pin_screen.add_digit(digit)


def _pin_wrong(stage: Stage) -> None:
    stage.card.wrong_pin = True
    _insert(stage)
    stage.flow.submit_pin(bytearray(b"111111"))


def _verifying(stage: Stage) -> None:
    _insert(stage)
    stage.flow.step = Step.VERIFYING


def _home_warning(stage: Stage) -> None:
    _home(stage)
    stage.clock.advance(stage.flow.timeout_s - 20)
    stage.flow.tick()


def _catalog(category: int | None = None) -> Arrange:
    def start(stage: Stage) -> None:
        _home(stage)
        stage.flow.open_catalog()
        if category is not None:
            stage.flow.choose_category(category)

    return start


def _platform_down(stage: Stage) -> None:
    for call in ("open_session_by_card", "open_session_by_ecode", "catalog"):
        stage.platform.errors[call] = PlatformUnavailable()
    _home(stage)


def _take_card(stage: Stage) -> None:
    _home(stage)
    stage.flow.logout()


def _task(factory: Callable[[TaskContext], Task]) -> Arrange:
    """A task started from home."""

    def start(stage: Stage) -> None:
        _home(stage)
        stage.flow.start_task(factory)

    return start


def _search(*queries: str) -> Arrange:
    def start(stage: Stage) -> None:
        _task(ServiceSearchTask)(stage)
        task = stage.flow.task
        assert isinstance(task, ServiceSearchTask)
        for query in queries:
            task.find(query)

    return start


def _without_card(stage: Stage) -> None:
    """The attract screen's 没带卡, the privacy notice accepted."""
    stage.flow.start_without_card()
    stage.flow.accept_privacy()


def _card_not_in_service(status: CardStatus) -> Arrange:
    """A card the platform has as lost or expired, its PIN right on the chip."""

    def start(stage: Stage) -> None:
        stage.platform.session = CardNotInService(status.value)
        _home(stage)

    return start


def _blocked(*, at_counter: bool = False) -> Arrange:
    def start(stage: Stage) -> None:
        stage.card.blocked = True
        stage.flow.at_counter = at_counter
        _home(stage)

    return start


def _pin_reset(stage: Stage) -> None:
    """At a counter, staff have checked the identity card: the new PIN on the keypad."""
    _blocked(at_counter=True)(stage)
    stage.flow.start_pin_reset(lambda _written: None)


def _a4(*, slip_too: bool = True) -> Arrange:
    """The records where the hall has an A4 printer (and a receipt printer)."""

    def start(stage: Stage) -> None:
        _home(stage)
        stage.flow.a4printer = FakeA4Printer()
        stage.flow.printer = FakePrinter() if slip_too else None
        stage.flow.start_task(RecordsTask)

    return start


def _service(state: MenuState) -> Arrange:
    """The staff's service menu over the attract screen (lock-down)."""

    def start(stage: Stage) -> None:
        menu = stage.service
        # An earlier scene's lock-out is not this one's: the stand-in clock does not move. Undone
        # before, not after, arranging the scene, so the locked screen stays locked until
        # captured, with the minutes a resident would see.
        menu._locked_until = 0.0
        menu.open()
        if state is MenuState.LOCKED:
            for _ in range(3):
                menu.submit_pin(bytearray(b"11111111"))
        elif state is not MenuState.PIN:
            menu.submit_pin(bytearray(DEMO_PIN.encode()))
        if state is MenuState.HEALTH:
            menu.show_health()
        elif state is MenuState.CONFIRM_EXIT:
            menu.ask_exit()

    return start


def _consent(purpose: str, answer: str = "") -> Arrange:
    """The counter's consent question, kept in kiosk.audit.counter_scenes."""

    def start(stage: Stage) -> None:
        from kiosk.audit import counter_scenes

        _home(stage)
        counter_scenes.ask_consent(stage, purpose, answer)

    return start


_records, _card_life, _complaints = _task(RecordsTask), _task(CardLifeTask), _task(ComplaintsTask)
_lost = _card_not_in_service(CardStatus.TEMPORARILY_LOST)
_expired = _card_not_in_service(CardStatus.EXPIRED)
_ID, _CODE = "=410105198807160014", "=123456"
_NEW_PIN = ("3", "=123456", "=654321", "=654321")

# Scene name -> (the flow step it shows, how to get there).
SCENES: dict[str, tuple[Step, Arrange]] = {
    "attract": (Step.ATTRACT, scene(_nothing)),
    "idle-notice": (Step.ATTRACT, scene(_idle(0))),
    "idle-catalog": (Step.ATTRACT, scene(_idle(2))),
    "public-catalog": (Step.CATALOG, scene(_browsing(None))),
    "public-category": (Step.CATEGORY, scene(_browsing(10))),
    "reading": (Step.READING, scene(_reading)),
    "privacy-notice": (Step.PRIVACY, scene(lambda stage: stage.flow.card_inserted())),
    "pin": (Step.PIN, scene(_pin)),
    "pin-wrong": (Step.PIN, scene(_pin_wrong)),
    "verifying": (Step.VERIFYING, scene(_verifying)),
    "home": (Step.HOME, scene(_home)),
    "home-timeout-warning": (Step.HOME, scene(_home_warning)),
    "catalog": (Step.CATALOG, scene(_catalog())),
    # Financial services: shows the Art. 19 lock.
    "category": (Step.CATEGORY, scene(_catalog(10))),
    "notice": (Step.NOTICE, scene(_platform_down)),
    "task-records": (Step.TASK, scene(_records)),
    "task-records-contributions": (Step.TASK, scene(_records, "1")),
    "task-records-insurance": (Step.TASK, scene(_records, "1", "1")),
    "task-records-medical": (Step.TASK, scene(_records, "2")),
    "task-certificate-choose": (Step.TASK, scene(_records, "3")),
    "task-certificate-period": (Step.TASK, scene(_records, "3", "1")),
    "task-certificate-years": (Step.TASK, scene(_records, "3", "1", "4")),
    "task-certificate-preview": (Step.TASK, scene(_records, "3", "1", "1")),
    "task-certificate-preview-period": (Step.TASK, scene(_records, "3", "1", "2")),
    "task-certificate-slip": (Step.TASK, scene(_records, "3", "1", "1", "1")),
    "task-card-life": (Step.TASK, scene(_card_life)),
    "task-card-life-loss": (Step.TASK, scene(_card_life, "1")),
    "task-card-life-confirm": (Step.TASK, scene(_card_life, "1", "1")),
    "task-card-life-sent": (Step.TASK, scene(_card_life, "1", "1", "1")),
    "task-card-life-replacement": (Step.TASK, scene(_card_life, "2")),
    "task-card-life-pickup": (Step.TASK, scene(_card_life, "2", "1")),
    "task-complaints": (Step.TASK, scene(_complaints)),
    "task-complaints-topic": (Step.TASK, scene(_complaints, "1")),
    "task-complaints-place": (Step.TASK, scene(_complaints, "1", "1")),
    "task-complaints-phrase": (Step.TASK, scene(_complaints, "1", "1", "1")),
    "task-complaints-contact": (Step.TASK, scene(_complaints, "2", "1", "1", "1")),
    "task-complaints-review": (Step.TASK, scene(_complaints, "2", "1", "1", "1", "4")),
    "task-complaints-sent": (Step.TASK, scene(_complaints, "2", "1", "1", "1", "4", "1")),
    "task-complaints-landline": (Step.TASK, scene(_complaints, "1", "1", "1", "1", "2")),
    "task-complaints-at-kiosk": (Step.TASK, scene(_complaints, "1", "1", "1", "1", "3")),
    "task-services": (Step.TASK, scene(_search())),
    "task-services-results": (Step.TASK, scene(_search("dt"))),
    # The on-screen keyboard: pinyin with candidates, Latin letters for codes.
    "task-complaints-own-words": (
        Step.TASK,
        scene(_complaints, "1", "1", "1", "3", "type:paidui"),
    ),
    "task-complaints-lookup": (Step.TASK, scene(_complaints, "4", "type:K7Q2M9")),
    "task-complaints-lookup-found": (
        Step.TASK,
        scene(_complaints, "4", "type:K7Q2M9XT2B4N", "type:<done>"),
    ),
    "task-services-typing": (Step.TASK, scene(_search(), "label:services.type", "type:dt")),
    "take-card": (Step.TAKE_CARD, scene(_take_card)),
    # Without the card, and a lost card in hand (Art. 2; kiosk.flows.lost_card, card_life).
    "no-card": (Step.TASK, scene(_without_card)),
    "no-card-sign-in": (Step.TASK, scene(_without_card, "1")),
    "lost-card-way": (Step.TASK, scene(_without_card, "2")),
    "lost-card-ecode": (Step.TASK, scene(_without_card, "2", "2")),
    "lost-card-ecode-confirm": (Step.TASK, scene(_without_card, "2", "2", "scan")),
    "lost-card-id": (Step.TASK, scene(_without_card, "2", "1")),
    "lost-card-id-wrong": (Step.TASK, scene(_without_card, "2", "1", "=12345")),
    "lost-card-code": (Step.TASK, scene(_without_card, "2", "1", _ID)),
    "lost-card-code-expired": (Step.TASK, scene(_without_card, "2", "1", _ID, "late", _CODE)),
    "lost-card-confirm": (Step.TASK, scene(_without_card, "2", "1", _ID, _CODE)),
    "lost-card-sent": (Step.TASK, scene(_without_card, "2", "1", _ID, _CODE, "1")),
    "task-card-life-pin-confirm": (Step.TASK, scene(_card_life, *_NEW_PIN)),
    "task-card-life-pin-done": (Step.TASK, scene(_card_life, *_NEW_PIN, "1")),
    "lift-confirm": (Step.TASK, scene(_lost)),
    "lift-sent": (Step.TASK, scene(_lost, "1")),
    # An expired card, a blocked PIN (Art. 2; kiosk.flows.card_problems).
    "expired-offer": (Step.TASK, scene(_expired)),
    "expired-pickup": (Step.TASK, scene(_expired, "1")),
    "expired-confirm": (Step.TASK, scene(_expired, "1", "1")),
    "expired-sent": (Step.TASK, scene(_expired, "1", "1", "1")),
    "pin-blocked": (Step.TASK, scene(_blocked())),
    "pin-blocked-slip": (Step.TASK, scene(_blocked(), "1")),
    "pin-blocked-counter": (Step.TASK, scene(_blocked(at_counter=True))),
    "pin-reset-new": (Step.TASK, scene(_pin_reset)),
    "pin-reset-confirm": (Step.TASK, scene(_pin_reset, "=135790", "=135790")),
    "pin-reset-done": (Step.TASK, scene(_pin_reset, "=135790", "=135790", "1")),
    # The certificate on A4 or as a slip, and the rights statement (A4 only).
    "task-certificate-medium": (Step.TASK, scene(_a4(), "3", "1", "1", "1")),
    "task-certificate-sheet": (Step.TASK, scene(_a4(), "3", "1", "1", "1", "1")),
    "task-rights-statement": (Step.TASK, scene(_a4(), "next", "3")),
    # The counter: the resident's consent question on the customer window. (The staff console
    # is a desktop window with its own tests: tests/counter/.)
    "consent-question": (Step.TASK, scene(_consent("card_service"))),
    "consent-question-whole-id": (Step.TASK, scene(_consent("card_reissue"))),
    "consent-question-complaints": (Step.TASK, scene(_consent("complaint_handling"))),
    "consent-granted": (Step.TASK, scene(_consent("card_service", "1"))),
    "consent-refused": (Step.TASK, scene(_consent("card_service", "2"))),
    "consent-withdrawn": (Step.TASK, scene(_consent("card_service", "withdrawn"))),
    # The staff's service menu over the attract screen (lock-down).
    **{
        f"service-{state.value.replace('_', '-')}": (Step.ATTRACT, scene(_service(state)))
        for state in MenuState
        if state is not MenuState.CLOSED
    },
}


def unknown_steps() -> list[str]:
    """Flow steps no scene shows: each is a failed check of its own."""
    covered = {step for step, _ in SCENES.values()}
    missing = sorted(step.value for step in Step if step not in covered)
    # The service menu's screens are not flow steps: each needs its own scene.
    missing += [
        f"service:{state.value}"
        for state in MenuState
        if state is not MenuState.CLOSED
        and f"service-{state.value.replace('_', '-')}" not in SCENES
    ]
    return missing
