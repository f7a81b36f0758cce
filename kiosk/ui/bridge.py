"""Hands work between threads: results from the card worker and platform calls reach the flows
on the UI thread only (the Anki pattern: run this off the UI thread, then on success do this)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject

from kiosk.domain.errors import KioskError

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger(__name__)
T = TypeVar("T")


# A callback travels as an event rather than a queued signal: posting an event is as
# thread-safe, and it spares the start-up the 36 ms Qt takes to build its `Qt` namespace enums,
# which a queued connection's type would pull in before the first frame.
_CALL_EVENT = QEvent.Type(QEvent.registerEventType())


class _PostedCall(QEvent):
    def __init__(self, fn: Callable[[], None]) -> None:
        super().__init__(_CALL_EVENT)
        self.fn = fn


class QtDispatcher(QObject):
    """post(fn) from any thread runs fn on the thread that owns this object, later.

    Always later, even when posted from the UI thread itself: a callback never runs inside the
    call that caused it, so flows see one event at a time."""

    def post(self, fn: Callable[[], None]) -> None:
        QCoreApplication.postEvent(self, _PostedCall(fn))

    def event(self, event: QEvent) -> bool:
        if not isinstance(event, _PostedCall):
            return super().event(event)
        try:
            event.fn()
        except Exception:
            # A bug in one handler must not take the kiosk down in front of a resident.
            log.exception("a posted callback failed")
        return True


class QtTaskRunner:
    """Runs blocking jobs on a small pool; reports back through the dispatcher."""

    def __init__(self, dispatcher: QtDispatcher, workers: int = 2) -> None:
        self._dispatcher = dispatcher
        self._workers = workers
        self._pool: ThreadPoolExecutor | None = None
        self._pending = 0
        self._finished = 0
        self._finished_listeners: list[Callable[[], None]] = []

    @property
    def pending(self) -> int:
        """Jobs started whose answer has not yet reached the flow: 0 once every platform call
        made so far has been answered and shown. Read on the UI thread."""
        return self._pending

    @property
    def finished(self) -> int:
        """How many jobs' answers have reached the flow since the start."""
        return self._finished

    def add_finished_listener(self, listener: Callable[[], None]) -> None:
        """`listener()` runs on the UI thread after each job's answer has reached the flow, and
        so the screen: a definite signal for whoever waits on the platform (a health probe, a
        test), where waiting for the screen to stay unchanged a while would only guess."""
        self._finished_listeners.append(listener)

    def run(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[KioskError], None],
    ) -> None:
        def work() -> None:
            try:
                result = job()
            except KioskError as error:
                self._dispatcher.post(partial(self._answer, on_error, error))
            except Exception:
                log.exception("a background job failed unexpectedly")
                self._dispatcher.post(partial(self._answer, on_error, KioskError()))
            else:
                self._dispatcher.post(partial(self._answer, on_done, result))

        self._pending += 1
        if self._pool is None:
            # Made at the first job, after the first frame: its import is not needed before.
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="platform")
        self._pool.submit(work)

    def _answer(self, callback: Callable[[T], None], value: T) -> None:
        """On the UI thread: hands the flow its answer, then says the job has finished."""
        try:
            callback(value)
        finally:
            self._pending -= 1
            self._finished += 1
            for listener in self._finished_listeners:
                listener()

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
