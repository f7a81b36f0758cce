"""The steps of the resident's session (kiosk.flows.session), each a screen of its own.

Apart from the flow so that what each step shows (kiosk.flows.session_views) and the ways in
before sign-in (kiosk.flows.signed_out) can name them; the session imports both.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import datetime as dt

    from kiosk.domain.session import ResidentSession
    from kiosk.flows.ports import Platform, TaskRunner


class Step(StrEnum):
    ATTRACT = "attract"  # no card: invite the resident
    READING = "reading"  # a card is in and being read
    PIN = "pin"  # waiting for the PIN on the keypad
    VERIFYING = "verifying"  # PIN on the chip, then the platform session
    HOME = "home"  # the session is open: choose a task
    CATALOG = "catalog"  # the thirteen categories of Art. 7
    CATEGORY = "category"  # the applications of one category
    NOTICE = "notice"  # something went wrong, said in words; may offer to try again
    TAKE_CARD = "take_card"  # the session is over; the card is still in the reader
    TASK = "task"  # a resident task started from home (kiosk.flows.tasks) draws the screen
    PRIVACY = "privacy"  # Art. 13: what is read, for what, how long kept; once per session


class SessionCore(Protocol):
    """What of SessionFlow the parts mixed into it use in common (kiosk.flows.idle_loop,
    kiosk.flows.signed_out): its step, the epoch answers are checked against, its clocks and
    its ports, and how it moves on."""

    step: Step
    session: ResidentSession | None
    _epoch: int
    _last_activity: float
    _clock: Callable[[], float]
    _today: Callable[[], dt.date]
    _platform: Platform
    _runner: TaskRunner

    def _go(self, step: Step) -> None: ...
    def _changed(self) -> None: ...
    def _if_current(self, epoch: int, handler: Callable[..., None], value: object) -> None: ...
