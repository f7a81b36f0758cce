"""The staff's way into a locked-down kiosk: the service PIN, the device health screen and the
one way out of the kiosk program.

A walk-up kiosk runs full screen with no way out for a resident (issue: lock-down). Staff open
this menu with the cabinet's service key (F12 on a PC keyboard) while no resident is being
served, prove themselves with the service PIN, and then see the devices' health or close the
program. Wrong PINs lock the menu for a while; an idle menu closes itself, so a member of staff
who walks away does not leave it open to the next person. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain.admin_pin import MAX_DIGITS, MIN_DIGITS
from kiosk.domain.messages import N_, Message, msg
from kiosk.flows.view import Choice, Content, Panel, PinEntry

if TYPE_CHECKING:
    from kiosk.flows.health import DeviceHealth, HealthMonitor
    from kiosk.flows.ports import Clock

MAX_ATTEMPTS = 3
LOCK_S = 300.0
IDLE_S = 120.0

# Each device's state as one sentence, so that it reads (and is spoken) on its own.
READER_WORDS = {
    "ok": N_("service.reader.ok"),
    "absent": N_("service.reader.absent"),
    "unknown": N_("service.reader.unknown"),
}
SCANNER_WORDS = {
    "ok": N_("service.scanner.ok"),
    "absent": N_("service.scanner.absent"),
    "unknown": N_("service.scanner.unknown"),
}
PRINTER_WORDS = {
    "ok": N_("service.printer.ok"),
    "degraded": N_("service.printer.degraded"),
    "fault": N_("service.printer.fault"),
    "absent": N_("service.printer.absent"),
}
# The paper is said in the printer's line when it is the trouble: the devices panel keeps to
# three lines, scanner included, which is what fits the largest print.
PRINTER_PAPER_WORDS = {
    "low": N_("service.printer.paper_low"),
    "out": N_("service.printer.paper_out"),
}
PLATFORM_WORDS = {
    "reachable": N_("service.platform.reachable"),
    "unreachable": N_("service.platform.unreachable"),
    "unknown": N_("service.platform.unknown"),
}


def _printer_words(look: DeviceHealth) -> str:
    if look.printer != "absent" and look.paper in PRINTER_PAPER_WORDS:
        return PRINTER_PAPER_WORDS[look.paper]
    return PRINTER_WORDS.get(look.printer, PRINTER_WORDS["fault"])


class MenuState(StrEnum):
    CLOSED = "closed"
    PIN = "pin"
    LOCKED = "locked"
    MENU = "menu"
    HEALTH = "health"
    CONFIRM_EXIT = "confirm_exit"


@dataclass(frozen=True)
class ServiceActions:
    """What the menu may do to the kiosk around it."""

    check_pin: Callable[[bytearray], bool]
    exit_kiosk: Callable[[], None]
    changed: Callable[[], None]
    # False where the program must not be closed from the screen at all.
    can_exit: bool = True


class ServiceMenu:
    def __init__(
        self,
        actions: ServiceActions,
        health: HealthMonitor | None,
        clock: Clock,
    ) -> None:
        self._actions = actions
        self._health = health
        self._clock = clock
        self.state = MenuState.CLOSED
        self._failures = 0
        self._locked_until = 0.0
        self._last_activity = 0.0
        self._pin_error: Message | None = None
        self._look: DeviceHealth | None = None
        if health is not None:
            health.listeners.append(self._health_changed)

    @property
    def is_open(self) -> bool:
        return self.state is not MenuState.CLOSED

    def open(self) -> None:
        self._last_activity = self._clock()
        self._pin_error = None
        self._go(MenuState.LOCKED if self._is_locked() else MenuState.PIN)

    def close(self) -> None:
        self._go(MenuState.CLOSED)

    def back(self) -> None:
        """The keypad's Back: one level up; out of the menu from its first screen."""
        self._last_activity = self._clock()
        if self.state in (MenuState.HEALTH, MenuState.CONFIRM_EXIT):
            self._go(MenuState.MENU)
        else:
            self.close()

    def tick(self) -> None:
        now = self._clock()
        if self.state is MenuState.LOCKED and not self._is_locked():
            self._go(MenuState.PIN)
        elif self.is_open and now - self._last_activity >= IDLE_S:
            self.close()

    def screen_key(self) -> tuple[object, ...]:
        return (self.state, self._pin_error, self._look if self.state is MenuState.HEALTH else None)

    # --- the PIN ------------------------------------------------------------------------

    def _is_locked(self) -> bool:
        return self._clock() < self._locked_until

    def submit_pin(self, pin: bytearray) -> None:
        self._last_activity = self._clock()
        try:
            if self._is_locked():
                self._go(MenuState.LOCKED)
                return
            if self._actions.check_pin(pin):
                self._failures = 0
                self._pin_error = None
                self._go(MenuState.MENU)
                return
        finally:
            pin[:] = bytes(len(pin))
        self._failures += 1
        if self._failures >= MAX_ATTEMPTS:
            self._failures = 0
            self._locked_until = self._clock() + LOCK_S
            self._pin_error = None
            self._go(MenuState.LOCKED)
        else:
            self._pin_error = msg("service.pin.wrong", left=MAX_ATTEMPTS - self._failures)
            self._actions.changed()

    # --- the menu -----------------------------------------------------------------------

    def show_health(self) -> None:
        self._last_activity = self._clock()
        if self._health is not None:
            self._look = self._health.snapshot()
            self._health.check_now()
        self._go(MenuState.HEALTH)

    def ask_exit(self) -> None:
        self._last_activity = self._clock()
        self._go(MenuState.CONFIRM_EXIT)

    def confirm_exit(self) -> None:
        self.close()
        self._actions.exit_kiosk()

    def _health_changed(self, look: DeviceHealth) -> None:
        if self.state is MenuState.HEALTH:
            self._look = look
            self._actions.changed()

    def _go(self, state: MenuState) -> None:
        self.state = state
        self._actions.changed()

    # --- what the screen shows ----------------------------------------------------------

    def view(self) -> Content:
        state = self.state
        if state is MenuState.PIN:
            return PinEntry(
                msg("service.pin.heading"),
                self._pin_error or msg("service.pin.hint"),
                submit=self.submit_pin,
                min_digits=MIN_DIGITS,
                max_digits=MAX_DIGITS,
            )
        if state is MenuState.LOCKED:
            minutes = max(1, round((self._locked_until - self._clock()) / 60))
            return Content(
                msg("service.locked.heading"),
                msg("service.locked.hint", minutes=minutes),
                choices=(Choice("1", msg("service.leave"), None, self.close),),
            )
        if state is MenuState.HEALTH:
            return Content(
                msg("service.health.heading"),
                panels=self._health_panels(),
                choices=(
                    Choice("1", msg("service.health.refresh"), None, self.show_health),
                    Choice("2", msg("service.back_to_menu"), None, self.back),
                ),
                columns=2,
            )
        if state is MenuState.CONFIRM_EXIT:
            return Content(
                msg("service.exit.heading"),
                msg("service.exit.hint"),
                choices=(
                    Choice("1", msg("service.exit.confirm"), None, self.confirm_exit),
                    Choice("2", msg("service.exit.cancel"), None, self.back),
                ),
                columns=2,
            )
        choices = [
            Choice("1", msg("service.menu.health"), None, self.show_health),
            Choice("2", msg("service.leave"), None, self.close),
        ]
        if self._actions.can_exit:
            choices.append(Choice("3", msg("service.menu.exit"), None, self.ask_exit))
        return Content(msg("service.menu.heading"), self._version(), choices=choices, columns=3)

    def _version(self) -> Message:
        """The menu's hint: which software runs, and for how long (for a call to support)."""
        if self._health is None:
            return msg("service.menu.hint")
        look = self._health.snapshot()
        return msg(
            "service.health.version",
            version=look.software_version,
            hours=look.uptime_s // 3600,
            minutes=look.uptime_s % 3600 // 60,
        )

    def _health_panels(self) -> tuple[Panel, ...]:
        look = self._look
        if look is None:
            return (Panel(msg("service.health.none"), ()),)
        heartbeat = (
            msg("service.health.heartbeat_at", time=look.last_heartbeat.strftime("%H:%M:%S"))
            if look.last_heartbeat is not None
            else msg("service.health.heartbeat_never")
        )
        return (
            Panel(
                msg("service.health.devices"),
                (
                    msg(READER_WORDS.get(look.reader, READER_WORDS["unknown"])),
                    msg(_printer_words(look)),
                    *(
                        (msg(SCANNER_WORDS.get(look.scanner, SCANNER_WORDS["absent"])),)
                        if look.scanner != "none"
                        else ()
                    ),
                ),
            ),
            Panel(
                msg("service.health.platform"),
                (
                    msg(PLATFORM_WORDS.get(look.platform, PLATFORM_WORDS["unknown"])),
                    heartbeat,
                    msg("service.health.outbox_count", count=look.outbox_pending),
                ),
            ),
        )
