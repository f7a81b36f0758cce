"""The checks of `kiosk doctor`, one function each, from a Config to a Check, and the order a
technician works through them.

A check never raises: whatever goes wrong is its finding. Details are for the technician
installing the kiosk and name devices, addresses and reasons, never a resident's data. The
checks of the machine's devices are in kiosk.doctor.hardware, those beyond it in
kiosk.doctor.service; run_all calls them through this module's names.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.config import Config
from kiosk.doctor.finding import Check, Status, error_name
from kiosk.doctor.hardware import (
    alsa_cards,
    check_a4_printer,
    check_card_reader,
    check_fonts,
    check_headset,
    check_receipt_printer,
    check_scanner,
    check_sound,
    keyboard_devices,
    parse_lpstat,
)
from kiosk.doctor.service import PlatformLook, check_disk, check_platform, outbox_folder

__all__ = [
    "Check",
    "PlatformLook",
    "Status",
    "alsa_cards",
    "check_a4_printer",
    "check_card_reader",
    "check_disk",
    "check_fonts",
    "check_headset",
    "check_platform",
    "check_receipt_printer",
    "check_scanner",
    "check_sound",
    "keyboard_devices",
    "outbox_folder",
    "parse_lpstat",
    "run_all",
]


def run_all(config: Config) -> list[Check]:
    """Every check, in the order a technician works through the machine."""

    def safely(name: str, check: Callable[[], Check]) -> Check:
        # A check that breaks is itself a finding; the technician never sees a traceback.
        try:
            return check()
        except Exception as error:
            return Check(name, "fault", f"the check itself failed: {error_name(error)}")

    try:
        platform = check_platform(config)
    except Exception as error:
        failed = Check("platform", "fault", f"the check itself failed: {error_name(error)}")
        platform = PlatformLook(failed, Check("clock", "absent", "the platform was not reached"))
    return [
        safely("card_reader", lambda: check_card_reader(config)),
        safely("receipt_printer", lambda: check_receipt_printer(config)),
        safely("a4_printer", lambda: check_a4_printer(config)),
        safely("scanner", lambda: check_scanner(config)),
        safely("sound", lambda: check_sound(config)),
        safely("headset", lambda: check_headset(config)),
        safely("fonts", lambda: check_fonts(config)),
        platform.reachable,
        platform.clock,
        safely("outbox_disk", check_disk),
    ]
