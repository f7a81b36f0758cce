"""Card readers in a slot: one that holds each request for the test to answer, one that answers
at once. They wipe the PIN buffers they are handed, as the real card layer does."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.card import CardSnapshot
from kiosk.domain.errors import CardError, PinBlocked, WrongPin
from kiosk.flows.ports import CardPort
from kiosk.testing.data import demo_pin, demo_snapshot

Done = Callable[[None], None]
Failed = Callable[[CardError], None]


def _wipe(*buffers: bytearray) -> None:
    for buffer in buffers:
        buffer[:] = bytes(len(buffer))


class RecordingCard:
    """Records what the flow asks of the card; the test answers when it chooses."""

    def __init__(self) -> None:
        self.reads: list[tuple[Callable[[CardSnapshot], None], Failed]] = []
        self.pins: list[tuple[bytes, Done, Failed]] = []
        self.resets: list[tuple[bytes, Done, Failed]] = []
        self.changes: list[tuple[bytes, bytes, Done, Failed]] = []

    def read(self, on_done: Callable[[CardSnapshot], None], on_error: Failed) -> None:
        self.reads.append((on_done, on_error))

    def verify_pin(self, pin: bytearray, on_done: Done, on_error: Failed) -> None:
        self.pins.append((bytes(pin), on_done, on_error))
        _wipe(pin)

    def reset_pin(self, new: bytearray, on_done: Done, on_error: Failed) -> None:
        self.resets.append((bytes(new), on_done, on_error))
        _wipe(new)

    def change_pin(self, old: bytearray, new: bytearray, on_done: Done, on_error: Failed) -> None:
        # Left as handed over: the tests check the task wipes both itself once the chip answers.
        self.changes.append((bytes(old), bytes(new), on_done, on_error))


class InstantCard:
    """Answers at once: read straight away, and the PIN right unless `pin` is set and another
    is typed, or `wrong_pin` or `blocked` say otherwise."""

    def __init__(
        self, snapshot: CardSnapshot, pin: str | None = None, *, blocked: bool = False
    ) -> None:
        self.snapshot = snapshot
        self.pin = pin
        self.wrong_pin = False
        self.blocked = blocked

    def read(self, on_done: Callable[[CardSnapshot], None], on_error: Failed) -> None:
        on_done(self.snapshot)

    def verify_pin(self, pin: bytearray, on_done: Done, on_error: Failed) -> None:
        wrong = self.wrong_pin or (self.pin is not None and bytes(pin) != self.pin.encode())
        _wipe(pin)
        if self.blocked:
            on_error(PinBlocked())
        elif wrong:
            on_error(WrongPin(tries_left=2))
        else:
            on_done(None)

    def change_pin(self, old: bytearray, new: bytearray, on_done: Done, on_error: Failed) -> None:
        _wipe(old, new)
        on_done(None)

    def reset_pin(self, new: bytearray, on_done: Done, on_error: Failed) -> None:
        _wipe(new)
        on_done(None)


def demo_card(key: str = "demo_a", reader: str = "Test reader") -> InstantCard:
    """A demo card that answers at once, its own PIN right and any other wrong."""
    return InstantCard(demo_snapshot(key, reader), pin=demo_pin(key))


class CardSlot:
    """The reader's slot, as the flow's card port: whichever card is in it answers, so a test
    can put another card in after the flow is built."""

    def __init__(self, card: CardPort | None = None) -> None:
        self.card = card

    def _inserted(self) -> CardPort:
        assert self.card is not None, "no card in the slot"
        return self.card

    def read(self, on_done: Callable[[CardSnapshot], None], on_error: Failed) -> None:
        self._inserted().read(on_done, on_error)

    def verify_pin(self, pin: bytearray, on_done: Done, on_error: Failed) -> None:
        self._inserted().verify_pin(pin, on_done, on_error)

    def change_pin(self, old: bytearray, new: bytearray, on_done: Done, on_error: Failed) -> None:
        self._inserted().change_pin(old, new, on_done, on_error)

    def reset_pin(self, new: bytearray, on_done: Done, on_error: Failed) -> None:
        self._inserted().reset_pin(new, on_done, on_error)
