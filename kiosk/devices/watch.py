"""A device watched from a daemon thread of its own until it is stopped.

The serial scanner's port and the headset's jack are polled this way: a read that blocks, or a
sound tool that hangs, then holds only its own thread, never the screen or the other devices.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class WatchLoop:
    """One watch at a time: start() runs the loop, which returns once `stopping` is set."""

    def __init__(self, name: str, join_timeout_s: float) -> None:
        self.name = name
        self.stopping = threading.Event()
        self._join_timeout_s = join_timeout_s
        self._thread: threading.Thread | None = None

    def start(self, loop: Callable[[], None]) -> None:
        self.stopping.clear()
        self._thread = threading.Thread(target=loop, name=self.name, daemon=True)
        self._thread.start()

    def stop(self, wake: Callable[[], None] | None = None) -> None:
        """Asks the loop to end, `wake` cuts short a wait it may be in, then waits for it."""
        self.stopping.set()
        if wake is not None:
            wake()
        if self._thread is not None:
            self._thread.join(timeout=self._join_timeout_s)
            self._thread = None
