"""Waiting for what another thread or process does: a bounded poll, so a test that goes wrong
fails with a reason instead of hanging."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_until(condition: Callable[[], object], timeout: float = 5.0, what: str = "") -> None:
    """Returns once the condition holds; fails the test if it does not within `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.02)
