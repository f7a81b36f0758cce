"""A card reader in the process, for the demo, the dev panel and the UI tests.

Cards are inserted and removed by calling insert() and remove() from any thread. Reading goes
through the real protocol code (kiosk.devices.card.protocol) against the same virtual card that
`kiosk card emulate` serves to pcscd, so what the simulator shows is what the parser makes of
real APDUs. Each profile object inserted keeps its own chip, so PIN tries used up stay used up
when that card is removed and inserted again within the process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from kiosk.devices.card import protocol
from kiosk.devices.card.chip import ChipPinOperations, SilentListener
from kiosk.devices.card.interface import CardReaderListener
from kiosk.devices.card.profile import CardProfile, ProfileError, load_demo_profiles, load_profile
from kiosk.devices.card.protocol import PinReset, SecureAccess
from kiosk.devices.card.virtual_card import CardPulled, VirtualSocialSecurityCard
from kiosk.domain.card import CardSnapshot
from kiosk.domain.errors import CardRemoved, ReaderUnavailable

__all__ = [
    "CardProfile",
    "ProfileError",
    "SimulatedCardReader",
    "load_demo_profiles",
    "load_profile",
]

log = logging.getLogger(__name__)

DEFAULT_NAME = "Simulated reader"


class SimulatedCardReader(ChipPinOperations):
    """Implements CardReader. Constructed empty and plugged in; see insert(), remove(), unplug()."""

    def __init__(
        self,
        name: str = DEFAULT_NAME,
        secure_access: SecureAccess | None = None,
        pin_reset: PinReset | None = None,
    ) -> None:
        self._name = name
        self._secure_access = secure_access
        self._pin_reset = pin_reset
        self._lock = threading.RLock()
        self._listener: CardReaderListener = SilentListener()
        self._started = False
        self._plugged = True
        self._chips: dict[int, tuple[CardProfile, VirtualSocialSecurityCard]] = {}
        self._card: VirtualSocialSecurityCard | None = None
        # Bumped at every insertion and removal, so a read can tell its card is gone.
        self._generation = 0

    # --- CardReader ----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    def start(self, listener: CardReaderListener) -> None:
        with self._lock:
            self._listener = listener
            self._started = True
            plugged, card = self._plugged, self._card
        listener.reader_changed(plugged, self._name if plugged else None)
        if plugged and card is not None:
            listener.card_inserted()

    def stop(self) -> None:
        with self._lock:
            self._started = False
            self._listener = SilentListener()

    def read(self) -> CardSnapshot:
        card, transport = self._session()
        info, holder = protocol.read_card(transport, self._secure_access)
        transport.check()
        return CardSnapshot(reader=self._name, atr=card.atr.hex().upper(), card=info, holder=holder)

    # --- the dev panel's hands -----------------------------------------------------------

    def insert(self, profile: CardProfile) -> None:
        """Put the card of this profile in the reader, taking out any card already there."""
        self.remove()
        with self._lock:
            entry = self._chips.get(id(profile))
            if entry is None:
                entry = (profile, VirtualSocialSecurityCard(profile))
                self._chips[id(profile)] = entry
            card = entry[1]
            card.power_on()
            self._card = card
            listener = self._card_changed()
        log.info("simulated card inserted")
        if listener is not None:
            listener.card_inserted()

    def remove(self) -> None:
        """Take the card out, if there is one."""
        with self._lock:
            card, self._card = self._card, None
            if card is None:
                return
            card.power_off()
            listener = self._card_changed()
        log.info("simulated card removed")
        if listener is not None:
            listener.card_removed()

    def _card_changed(self) -> CardReaderListener | None:
        """Under the lock: a card went in or out. The listener to tell, once the lock is let
        go; none while the reader is stopped or unplugged, which hear of it when that ends."""
        self._generation += 1
        return self._listener if self._started and self._plugged else None

    def unplug(self) -> None:
        """The reader's cable pulled: reader_changed(False, None); a card in it is lost to it."""
        with self._lock:
            if not self._plugged:
                return
            self._plugged = False
            self._generation += 1
            notify, listener, had_card = self._started, self._listener, self._card is not None
        if notify:
            if had_card:
                listener.card_removed()
            listener.reader_changed(False, None)

    def plug(self) -> None:
        with self._lock:
            if self._plugged:
                return
            self._plugged = True
            self._generation += 1
            if self._card is not None:
                self._card.power_on()
            notify, listener, has_card = self._started, self._listener, self._card is not None
        if notify:
            listener.reader_changed(True, self._name)
            if has_card:
                listener.card_inserted()

    @property
    def inserted(self) -> CardProfile | None:
        """The profile of the card in the reader, if any."""
        with self._lock:
            return None if self._card is None else self._card.profile

    def pin_tries_left(self, profile: CardProfile) -> int:
        """How many PIN tries this profile's chip has left (its starting count if never used)."""
        with self._lock:
            entry = self._chips.get(id(profile))
        return profile.pin_tries_left if entry is None else entry[1].pin_tries_left

    # --- inside ----------------------------------------------------------------------------

    def _session(self) -> tuple[VirtualSocialSecurityCard, _ChipTransport]:
        with self._lock:
            if not self._plugged:
                raise ReaderUnavailable()
            if self._card is None:
                raise CardRemoved("no card in the reader")
            return self._card, _ChipTransport(self, self._card, self._generation)

    @contextmanager
    def _chip(self) -> Iterator[protocol.Transport]:
        yield self._session()[1]

    def _still_there(self, generation: int) -> None:
        with self._lock:
            if not self._plugged:
                raise ReaderUnavailable()
            if generation != self._generation:
                raise CardRemoved()

    def _pulled(self, card: VirtualSocialSecurityCard, generation: int) -> None:
        with self._lock:
            if self._card is not card or generation != self._generation:
                return
        self.remove()


class _ChipTransport:
    """APDUs to the chip of one insertion; CardRemoved as soon as that insertion is over."""

    def __init__(
        self, reader: SimulatedCardReader, card: VirtualSocialSecurityCard, generation: int
    ) -> None:
        self._reader = reader
        self._card = card
        self._generation = generation

    def check(self) -> None:
        self._reader._still_there(self._generation)

    def transmit(self, apdu: bytes | bytearray) -> bytes:
        self.check()
        try:
            response = self._card.answer(apdu)
        except CardPulled:
            self._reader._pulled(self._card, self._generation)
            raise CardRemoved() from None
        # A slow card can be pulled while it "thinks": its answer must not be used.
        self.check()
        return response
