"""The one place that decides which card reader the kiosk uses.

The app imports this, the interface and (for the dev panel) the simulator; never pcsc directly,
so a kiosk without pyscard or pcscd still starts.
"""

from __future__ import annotations

import logging

from kiosk.devices.card.interface import CardReader
from kiosk.devices.card.secure_access import make_pin_reset, make_secure_access
from kiosk.devices.card.simulated import SimulatedCardReader

log = logging.getLogger(__name__)

READER_KINDS = ("simulated", "pcsc", "auto")


def make_card_reader(
    kind: str,
    reader_pattern: str | None = None,
    secure_access: str = "none",
    pin_reset: str = "none",
) -> CardReader:
    """ "simulated", "pcsc", or "auto": PC/SC if pyscard imports and a matching reader is
    present now, else the simulator. A "pcsc" reader with no service or no reader still starts
    and reports reader_changed(False, None) until one appears.

    `reader_pattern` is a case-insensitive regular expression over reader names; PSAM/SAM slots
    never match. `secure_access` is "none" or "simulated" (the demo PSAM); so is `pin_reset`, the
    module that lets a counter reset a blocked PIN. Raises ValueError on an unknown kind.
    """
    access = make_secure_access(secure_access)
    reset = make_pin_reset(pin_reset)
    if kind == "simulated":
        return SimulatedCardReader(secure_access=access, pin_reset=reset)
    if kind not in ("pcsc", "auto"):
        raise ValueError(f"unknown card reader kind {kind!r}; known: {', '.join(READER_KINDS)}")
    try:
        from kiosk.devices.card.pcsc import PcscCardReader, matching_readers
    except ImportError:
        if kind == "pcsc":
            raise
        log.info("pyscard is not importable: using the simulated card reader")
        return SimulatedCardReader(secure_access=access, pin_reset=reset)
    if kind == "auto" and not matching_readers(reader_pattern):
        log.info("no matching PC/SC reader: using the simulated card reader")
        return SimulatedCardReader(secure_access=access, pin_reset=reset)
    return PcscCardReader(reader_pattern=reader_pattern, secure_access=access, pin_reset=reset)
