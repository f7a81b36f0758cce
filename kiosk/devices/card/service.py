"""One worker thread for all card I/O, with results handed back through a dispatcher.

PC/SC handles are not safe to share across threads and pyscard's monitor calls observers on its
own thread, so events are only queued there; every APDU goes through the single worker here.
Results reach the caller through `post`, which the application points at the UI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from kiosk.devices.card.interface import CardReader, CardReaderListener
from kiosk.domain.card import CardSnapshot
from kiosk.domain.errors import CardError, CardMisread

log = logging.getLogger(__name__)

T = TypeVar("T")
Post = Callable[[Callable[[], None]], None]


class CardService:
    """Serialises card operations on one thread and reports back through `post`."""

    def __init__(self, reader: CardReader, post: Post) -> None:
        self._reader = reader
        self._post = post
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="card-io")
        self._worker_thread: threading.Thread | None = None
        self._closed = False

    @property
    def reader_name(self) -> str:
        return self._reader.name

    def start(self, listener: CardReaderListener) -> None:
        self._reader.start(_PostingListener(listener, self._post))

    def close(self) -> None:
        self._closed = True
        self._reader.stop()
        self._worker.shutdown(wait=True, cancel_futures=True)

    def read(
        self, on_done: Callable[[CardSnapshot], None], on_error: Callable[[CardError], None]
    ) -> None:
        self._submit(self._reader.read, on_done, on_error)

    def verify_pin(
        self, pin: bytearray, on_done: Callable[[None], None], on_error: Callable[[CardError], None]
    ) -> None:
        self._submit(lambda: self._reader.verify_pin(pin), on_done, on_error)

    def change_pin(
        self,
        old: bytearray,
        new: bytearray,
        on_done: Callable[[None], None],
        on_error: Callable[[CardError], None],
    ) -> None:
        self._submit(lambda: self._reader.change_pin(old, new), on_done, on_error)

    def _submit(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[CardError], None],
    ) -> None:
        if self._closed:
            return

        def run() -> None:
            try:
                result = job()
            except CardError as error:
                self._post(partial(on_error, error))
            except Exception:
                # A reader driver can fail in ways no typed error foresaw; the resident still
                # gets "could not read the card" and the details go to the log only.
                log.exception("card operation failed unexpectedly")
                self._post(lambda: on_error(CardMisread()))
            else:
                self._post(partial(on_done, result))

        self._worker.submit(run)


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
