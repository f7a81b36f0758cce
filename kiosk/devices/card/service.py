"""One worker thread for all card I/O, with results handed back through a dispatcher.

PC/SC handles are not safe to share across threads and pyscard's monitor calls observers on its
own thread, so events are only queued there; every APDU goes through the single worker here.
Results reach the caller through `post`, which the application points at the UI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from kiosk.devices.card.interface import CardReader, CardReaderListener
from kiosk.domain.errors import CardError, CardMisread, ReaderUnavailable

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from kiosk.domain.card import CardSnapshot

log = logging.getLogger(__name__)

T = TypeVar("T")
Post = Callable[[Callable[[], None]], None]


class CardService:
    """Serialises card operations on one thread and reports back through `post`.

    The reader is handed over in start(), not at construction, so that the kiosk can paint its
    first frame before it probes the PC/SC service (which may take a while to answer).
    """

    def __init__(self, post: Post) -> None:
        self._reader: CardReader | None = None
        self._post = post
        self._worker: ThreadPoolExecutor | None = None
        self._closed = False
        self._pending = 0

    @property
    def pending(self) -> int:
        """Operations asked for whose answer has not yet been handed back through `post`: 0
        once the card has answered everything asked of it. Read on the thread that asks."""
        return self._pending

    @property
    def reader(self) -> CardReader | None:
        return self._reader

    def start(self, reader: CardReader, listener: CardReaderListener) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="card-io")
        self._reader = reader
        reader.start(_PostingListener(listener, self._post))

    def close(self) -> None:
        self._closed = True
        if self._reader is not None:
            self._reader.stop()
        if self._worker is not None:
            self._worker.shutdown(wait=True, cancel_futures=True)

    def read(
        self, on_done: Callable[[CardSnapshot], None], on_error: Callable[[CardError], None]
    ) -> None:
        self._submit(lambda: self._started().read(), on_done, on_error)

    def verify_pin(
        self, pin: bytearray, on_done: Callable[[None], None], on_error: Callable[[CardError], None]
    ) -> None:
        self._submit(lambda: self._started().verify_pin(pin), on_done, on_error)

    def change_pin(
        self,
        old: bytearray,
        new: bytearray,
        on_done: Callable[[None], None],
        on_error: Callable[[CardError], None],
    ) -> None:
        self._submit(lambda: self._started().change_pin(old, new), on_done, on_error)

    def reset_pin(
        self, new: bytearray, on_done: Callable[[None], None], on_error: Callable[[CardError], None]
    ) -> None:
        self._submit(lambda: self._started().reset_pin(new), on_done, on_error)

    def _started(self) -> CardReader:
        if self._reader is None:
            raise ReaderUnavailable()
        return self._reader

    def _submit(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[CardError], None],
    ) -> None:
        if self._closed:
            return
        self._pending += 1
        if self._worker is None:  # not started: no reader to ask
            self._post(partial(self._answer, on_error, ReaderUnavailable()))
            return

        def run() -> None:
            try:
                result = job()
            except CardError as error:
                self._post(partial(self._answer, on_error, error))
            except Exception:
                # A reader driver can fail in ways no typed error foresaw; the resident still
                # gets "could not read the card" and the details go to the log only.
                log.exception("card operation failed unexpectedly")
                self._post(partial(self._answer, on_error, CardMisread()))
            else:
                self._post(partial(self._answer, on_done, result))

        self._worker.submit(run)

    def _answer(self, callback: Callable[[T], None], value: T) -> None:
        try:
            callback(value)
        finally:
            self._pending -= 1


class _PostingListener:
    """Moves reader events off the reader's thread, through the dispatcher."""

    def __init__(self, listener: CardReaderListener, post: Post) -> None:
        self._listener = listener
        self._post = post

    def reader_changed(self, available: bool, name: str | None) -> None:
        self._post(lambda: self._listener.reader_changed(available, name))

    def card_inserted(self) -> None:
        self._post(self._listener.card_inserted)

    def card_removed(self) -> None:
        self._post(self._listener.card_removed)
