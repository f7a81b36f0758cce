"""What the rest of the kiosk may know about a card reader.

The UI and the flows see only these names; which implementation stands behind them (PC/SC
through pyscard, or the simulator) is decided once, in kiosk.assembly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.domain.card import CardSnapshot


class CardReaderListener(Protocol):
    """Receives reader and card events. Called on the reader's own thread: only queue work."""

    def reader_changed(self, available: bool, name: str | None) -> None: ...

    def card_inserted(self) -> None: ...

    def card_removed(self) -> None: ...


class CardReader(Protocol):
    """A reader slot for the resident's card.

    read(), verify_pin(), change_pin() and reset_pin() block and must run on one thread only:
    the card worker of kiosk.devices.card.service. They raise the typed errors of
    kiosk.domain.errors.
    """

    @property
    def name(self) -> str: ...

    def start(self, listener: CardReaderListener) -> None: ...

    def stop(self) -> None: ...

    def read(self) -> CardSnapshot: ...

    def verify_pin(self, pin: bytearray) -> None:
        """Verify on the chip; the caller's PIN bytes are wiped whatever happens."""
        ...

    def change_pin(self, old: bytearray, new: bytearray) -> None: ...

    def reset_pin(self, new: bytearray) -> None:
        """A new PIN without the old one (RELOAD PIN through the PIN reset module), which also
        unblocks it: for a service counter, after staff checked the holder's identity card."""
        ...
