"""What every card reader does alike once it can reach a chip: the PIN operations of the
CardReader protocol, and the listener a reader holds before start() and after stop().

A reader gives its way to the chip (PC/SC, or the simulator's virtual card) and inherits the
rest, so that the order of the APDUs and the wiping of the caller's PIN bytes (Art. 13: a PIN is
never kept) are written once.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from kiosk.devices.card import protocol
from kiosk.devices.card.protocol import PinReset, Transport


class SilentListener:
    """Hears nothing: a reader's listener when nobody has started it."""

    def reader_changed(self, available: bool, name: str | None) -> None:
        pass

    def card_inserted(self) -> None:
        pass

    def card_removed(self) -> None:
        pass


class ChipPinOperations:
    """verify_pin, change_pin and reset_pin over a reader's _chip(): each selects the social
    security application first, and wipes the caller's PIN bytes whatever happens, even when
    the chip cannot be reached at all."""

    _pin_reset: PinReset | None

    def _chip(self) -> AbstractContextManager[Transport]:
        raise NotImplementedError

    def verify_pin(self, pin: bytearray) -> None:
        try:
            with self._chip() as transport:
                protocol.select(transport)
                protocol.verify_pin(transport, pin)
        finally:
            protocol.wipe(pin)

    def change_pin(self, old: bytearray, new: bytearray) -> None:
        try:
            with self._chip() as transport:
                protocol.select(transport)
                protocol.change_pin(transport, old, new)
        finally:
            protocol.wipe(old)
            protocol.wipe(new)

    def reset_pin(self, new: bytearray) -> None:
        try:
            with self._chip() as transport:
                protocol.select(transport)
                card = protocol.read_card_info(transport)
                protocol.reload_pin(transport, card, self._pin_reset, new)
        finally:
            protocol.wipe(new)
