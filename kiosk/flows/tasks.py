"""Resident tasks started from the home screen: records, certificate, the card's life, complaints.

Each task is its own small state machine that describes its current screen as Content (message
ids and actions, kiosk.flows.view). The session flow runs one task at a time and ends it with the
session, so a task never outlives the card that opened it. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.domain.card import CardSnapshot
    from kiosk.domain.session import ResidentSession
    from kiosk.flows.ports import A4Printer, CardPort, Clock, Outbox, Platform, Printer, TaskRunner
    from kiosk.flows.view import Content


@dataclass(frozen=True)
class TaskContext:
    """What a task may use: the open session and the ports of the kiosk.

    Call `platform` only through `runner`, which keeps blocking calls off the screen's thread.
    `changed` tells the screen to draw the task's view again; `finish` hands control back to the
    home screen.
    """

    session: ResidentSession
    snapshot: CardSnapshot | None
    platform: Platform
    runner: TaskRunner
    card: CardPort
    clock: Clock
    changed: Callable[[], None]
    finish: Callable[[], None]
    language: Callable[[], str]
    # The receipt printer (blocking: call it through `runner`) and the submission outbox. None
    # where the kiosk has none; a task then offers its document as a QR code on screen instead.
    printer: Printer | None = None
    outbox: Outbox | None = None
    # The hall's A4 printer, None where there is none; and whether this is a service counter,
    # where documents may name the holder in full (staff have the card and the holder there).
    a4printer: A4Printer | None = None
    at_counter: bool = False


class Task(Protocol):
    """One resident task. The session flow calls these from the screen's thread only."""

    def view(self) -> Content:
        """The task's current screen."""
        ...

    def screen_key(self) -> tuple[object, ...]:
        """Changes whenever the screen must be drawn again (not on every clock tick)."""
        ...

    def back(self) -> bool:
        """Goes one step back inside the task; False when at its first screen."""
        ...

    def close(self) -> None:
        """The session is ending: drop every personal value now (requirement 17)."""
        ...


TaskFactory = Callable[[TaskContext], Task]
