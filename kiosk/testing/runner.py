"""Task runners that run platform calls on the caller's thread, at once or when told."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from kiosk.domain.errors import KioskError

T = TypeVar("T")
Failed = Callable[[KioskError], None]


class InlineRunner:
    """Runs each job where it is asked: the stand-ins answer at once, and the caller can wait."""

    def run(self, job: Callable[[], T], on_done: Callable[[T], None], on_error: Failed) -> None:
        try:
            result = job()
        except KioskError as error:
            on_error(error)
        else:
            on_done(result)


@dataclass
class HeldJob:
    # Any: jobs of every result type wait in one queue; each pairs with its own on_done.
    job: Callable[[], Any]
    on_done: Callable[[Any], None]
    on_error: Failed


class ManualRunner:
    """Holds jobs until the test runs them, so it chooses their order and what happens between."""

    def __init__(self) -> None:
        self.jobs: list[HeldJob] = []

    def run(self, job: Callable[[], T], on_done: Callable[[T], None], on_error: Failed) -> None:
        self.jobs.append(HeldJob(job, on_done, on_error))

    def finish_all(self) -> None:
        """Runs the held jobs in order, and those they start, until none is left."""
        while self.jobs:
            held = self.jobs.pop(0)
            InlineRunner().run(held.job, held.on_done, held.on_error)
