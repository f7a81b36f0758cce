"""Text messages to the phone on record: how a one-time code reaches the resident (Art. 2).

The reference platform has no SMS gateway. A deployment plugs its gateway in behind
TextMessages; without one, codes go nowhere (and are never logged). The throwaway demo platform
keeps the last code for the demo's dev panel instead, so that a visitor can finish the task.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentCode:
    phone_masked: str
    code: str
    expires: dt.datetime

    def __repr__(self) -> str:  # the code stays out of any log
        return "SentCode(<one-time code>)"


class TextMessages(Protocol):
    def send_code(self, phone: str, code: str, expires: dt.datetime) -> None: ...


class NoTexting:
    """No gateway configured: the resident is told a code was sent, as for an unknown ID."""

    def send_code(self, phone: str, code: str, expires: dt.datetime) -> None:
        log.warning("a one-time code was not sent: no text message gateway is configured")


class DemoPhone:
    """The demo's phone: holds the last code sent, for GET /v1/demo/loss-code."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: SentCode | None = None

    def send_code(self, phone: str, code: str, expires: dt.datetime) -> None:
        masked = phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"
        with self._lock:
            self._last = SentCode(masked, code, expires)

    def last(self) -> SentCode | None:
        with self._lock:
            return self._last
