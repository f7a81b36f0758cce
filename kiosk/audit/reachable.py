"""Every task's first screen, reached from home by keypad presses alone and by touch alone.

Art. 10 names the elderly and the disabled first, and Art. 16 gives everyone the complaint: a
profile that shows fewer choices per screen must still lead to every task. The walk acts as a
person does on the rendered window: real key events for the digit the screen says (0 for the
next page), or real clicks on the tile that shows the task (or the page's "next" button), and
the real session flow answers. A walk that needs more than a few presses, or finds neither the
task nor a next page, fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.audit.checks import Check
from kiosk.flows.home import HOME_TASKS
from kiosk.flows.session import Step
from kiosk.ui.window import KioskWindow

# Presses of "next page" a walk may spend before it counts as lost.
MAX_PAGE_TURNS = 4
FACES = ("keypad", "touch")
_DIGIT_KEYS = {str(d): getattr(Qt.Key, f"Key_{d}") for d in range(10)}


@dataclass(frozen=True)
class Destination:
    name: str
    label_id: str  # the home choice's message id
    reached: Callable[[KioskWindow], bool]


def _task_started(factory: str) -> Callable[[KioskWindow], bool]:
    module, name = factory.split(":")

    def reached(window: KioskWindow) -> bool:
        task = window.flow.task
        kind = type(task)
        return (
            window.flow.step is Step.TASK
            and task is not None
            and (kind.__module__, kind.__name__) == (module, name)
        )

    return reached


def destinations() -> list[Destination]:
    """The catalog of Art. 7 and every task home lists: a task added to home is walked too."""
    found = [Destination("services", "home.choice.services", lambda w: w.flow.step is Step.CATALOG)]
    for task in HOME_TASKS:
        name = task.label.rsplit(".", 1)[-1]  # records, card, search...
        found.append(Destination(name, task.label, _task_started(task.factory)))
    return found


def _settle() -> None:
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _key(window: KioskWindow, digit: str) -> None:
    target = QApplication.focusWidget() or window
    QTest.keyClick(target, _DIGIT_KEYS[digit])
    _settle()


def _click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    _settle()


def walk(window: KioskWindow, destination: Destination, face: str) -> Check:
    """From the home screen shown now to the destination's first screen; the presses made."""
    presses: list[str] = []
    for _turn in range(MAX_PAGE_TURNS + 1):
        if window.flow.step is not Step.HOME:
            break
        content = window.content
        digits = [c.digit for c in content.choices if c.label.id == destination.label_id]
        if face == "keypad":
            if digits:
                presses.append(digits[0])
                _key(window, digits[0])
                break
            if content.pager is None:
                break
            presses.append("0")
            _key(window, "0")
            continue
        shown = window.choice_screen.tiles
        tiles = [t for t in shown if digits and t.digit == digits[0] and t.isVisible()]
        if tiles:
            presses.append(f"tile {digits[0]}")
            _click(tiles[0])
            break
        turners = [b for b in window.choice_screen.pager_buttons if b.isVisible()]
        if not turners:
            break
        presses.append("next page")
        _click(turners[-1])  # the page's last button is "next"
    passed = destination.reached(window)
    return Check(
        "reachable",
        passed,
        ", ".join(presses) or "no press",
        f"{destination.name} from home by {face} alone",
        "" if passed else f"stopped on step {window.flow.step.value}",
    )
