"""The hall's time: the clock on screen and every date said or printed, in the hall's zone.

A kiosk's operating system is often left on UTC (a fresh install, an image made elsewhere); in
Zhengzhou that is eight hours behind, and before 08:00 a certificate would carry yesterday's
date. So the kiosk never asks the operating system for its zone: the configuration names it
(`kiosk.timezone`, Asia/Shanghai by default), and every moment is read from UTC and turned into
that zone here. zoneinfo reads the system's tz database, or the `tzdata` package where there is
none (Windows).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

DEFAULT_ZONE = "Asia/Shanghai"
# China has kept UTC+8 without summer time since 1991, so the default zone needs no tz
# database: not zoneinfo's import (milliseconds before the first frame), nor tzdata on Windows.
# Every moment the kiosk shows is recent; the tests hold this to zoneinfo's answer.
_FIXED = {DEFAULT_ZONE: dt.timezone(dt.timedelta(hours=8), "CST")}


class UnknownZone(ValueError):
    """The zone name is not in the tz database."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def load_zone(name: str) -> dt.tzinfo:
    """The zone called `name` ("Asia/Shanghai"); UnknownZone if there is none by that name."""
    if name in _FIXED:
        return _FIXED[name]
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownZone(name) from None


class HallClock:
    """Now, today and a moment's local time in one zone. `utc_now` is the one source of time:
    tests give a fixed instant, the kiosk the system's (which is right in UTC whatever the
    system's zone is, as long as the system clock is set)."""

    def __init__(
        self, zone: str = DEFAULT_ZONE, utc_now: Callable[[], dt.datetime] = _utc_now
    ) -> None:
        self._zone = load_zone(zone)
        self._utc_now = utc_now

    @property
    def zone(self) -> dt.tzinfo:
        return self._zone

    def now(self) -> dt.datetime:
        """An aware moment in the hall's zone."""
        return self._utc_now().astimezone(self._zone)

    def today(self) -> dt.date:
        return self.now().date()

    def local(self, moment: dt.datetime) -> dt.datetime:
        """`moment` (aware: the platform's answers always carry their zone) in the hall's zone.
        A naive moment is taken to be the hall's already."""
        if moment.tzinfo is None:
            return moment.replace(tzinfo=self._zone)
        return moment.astimezone(self._zone)


_lock = threading.Lock()
_clock: HallClock | None = None


def clock() -> HallClock:
    """The kiosk's clock: the configured zone once the composition root has set it, else the
    default zone."""
    global _clock
    with _lock:
        if _clock is None:
            _clock = HallClock()
        return _clock


def use(hall_clock: HallClock) -> None:
    """Makes `hall_clock` the kiosk's clock (the composition root, from the configuration)."""
    global _clock
    with _lock:
        _clock = hall_clock


def now() -> dt.datetime:
    return clock().now()


def today() -> dt.date:
    return clock().today()


def local(moment: dt.datetime) -> dt.datetime:
    return clock().local(moment)
