"""PcscCardReader end to end: pyscard -> pcscd -> vpcd -> the virtual card (in this process).

The virtual card runs on a thread here so that a test can pull it after any APDU; the same
class answers in `kiosk card emulate`, which test_card_cli.py drives as a process.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
from card_fixtures import (
    VPCD_READER,
    PcscStack,
    card_present,
    card_profile,
    inserted,
    pcsc_stack_fixture,  # noqa: F401 - the fixture pcsc_stack
    wait_until,
)

from kiosk.devices.card.pcsc import PcscCardReader
from kiosk.devices.card.profile import Faults
from kiosk.devices.card.secure_access import SimulatedPsam
from kiosk.devices.card.virtual_card import VirtualSocialSecurityCard
from kiosk.domain.card import CardVersion
from kiosk.domain.errors import (
    CardRemoved,
    NotSocialSecurityCard,
    PinBlocked,
    ReaderUnavailable,
    SecureAccessRequired,
    WrongPin,
)

pytestmark = pytest.mark.e2e


class Events:
    def __init__(self) -> None:
        self.seen: list[tuple[str, object]] = []
        self._lock = threading.Lock()

    def reader_changed(self, available: bool, name: str | None) -> None:
        with self._lock:
            self.seen.append(("reader_changed", (available, name)))

    def card_inserted(self) -> None:
        with self._lock:
            self.seen.append(("card_inserted", None))

    def card_removed(self) -> None:
        with self._lock:
            self.seen.append(("card_removed", None))

    def has(self, event: tuple[str, object]) -> bool:
        with self._lock:
            return event in self.seen


@pytest.fixture
def reader(pcsc_stack: PcscStack) -> PcscCardReader:
    return PcscCardReader(reader_pattern=VPCD_READER, secure_access=SimulatedPsam())


@pytest.mark.parametrize(
    ("stem", "version", "name"),
    [
        ("v1_two_char_name", CardVersion.V1, "张伟"),
        ("demo_a", CardVersion.V2, "王秀英"),
        ("v2_long_name", CardVersion.V2, "阿卜杜热合曼·买买提艾力·库尔班江"),
        ("v3_four_char_name", CardVersion.V3, "欧阳晓雯"),
    ],
)
def test_reads_each_version(
    reader: PcscCardReader, stem: str, version: CardVersion, name: str
) -> None:
    profile = card_profile(stem)
    with inserted(profile):
        snapshot = reader.read()
    assert snapshot.reader == VPCD_READER
    assert snapshot.atr == profile.atr
    assert snapshot.card.version is version
    assert snapshot.card == replace(profile.card, version=version)
    assert snapshot.holder == profile.holder
    assert snapshot.holder is not None and snapshot.holder.name == name


def test_version_3_without_secure_access_reads_the_card_only(pcsc_stack: PcscStack) -> None:
    profile = card_profile("demo_b")
    reader = PcscCardReader(reader_pattern=VPCD_READER)
    with inserted(profile):
        snapshot = reader.read()
    assert snapshot.holder is None
    assert snapshot.card.number == profile.card.number


def test_wrong_pin_down_to_blocked(reader: PcscCardReader) -> None:
    profile = card_profile("v2_expired_elderly")
    chip = VirtualSocialSecurityCard(profile)
    with inserted(profile, chip):
        left = []
        for _ in range(profile.pin_tries_left - 1):
            with pytest.raises(WrongPin) as wrong:
                reader.verify_pin(bytearray(b"000000"))
            left.append(wrong.value.tries_left)
        with pytest.raises(PinBlocked):
            reader.verify_pin(bytearray(b"000000"))
        right = bytearray(profile.pin.encode())
        with pytest.raises(PinBlocked):
            reader.verify_pin(right)
        assert right == bytearray(len(right))
    assert left == list(range(profile.pin_tries_left - 1, 0, -1))
    assert chip.pin_tries_left == 0


def test_right_pin_then_change(reader: PcscCardReader) -> None:
    profile = card_profile("demo_a")
    chip = VirtualSocialSecurityCard(profile)
    with inserted(profile, chip):
        reader.verify_pin(bytearray(profile.pin.encode()))
        reader.change_pin(bytearray(profile.pin.encode()), bytearray(b"2468"))
        reader.verify_pin(bytearray(b"2468"))
        with pytest.raises(WrongPin):
            reader.verify_pin(bytearray(profile.pin.encode()))
    assert chip.pin_tries_left == profile.pin_tries_max - 1


def test_blocked_pin_reset_through_the_pin_reset_module(pcsc_stack: PcscStack) -> None:
    """A counter's RELOAD PIN over the real stack: GET CHALLENGE, the demo PSAM's MAC, the new
    PIN, and the chip's retry counter back to full."""
    profile = card_profile("v2_expired_elderly")
    chip = VirtualSocialSecurityCard(profile)
    counter = PcscCardReader(reader_pattern=VPCD_READER, pin_reset=SimulatedPsam())
    kiosk = PcscCardReader(reader_pattern=VPCD_READER)
    with inserted(profile, chip):
        for _ in range(profile.pin_tries_left - 1):
            with pytest.raises(WrongPin):
                counter.verify_pin(bytearray(b"000000"))
        with pytest.raises(PinBlocked):
            counter.verify_pin(bytearray(b"000000"))
        with pytest.raises(SecureAccessRequired):
            kiosk.reset_pin(bytearray(b"864209"))
        assert chip.pin_tries_left == 0
        new = bytearray(b"864209")
        counter.reset_pin(new)
        assert new == bytearray(len(new))
        assert chip.pin_tries_left == profile.pin_tries_max
        counter.verify_pin(bytearray(b"864209"))
    assert chip.pin_tries_left == profile.pin_tries_max


def test_card_removed_after_each_apdu_of_the_read(reader: PcscCardReader) -> None:
    profile = card_profile("v2_long_name")
    # SELECT, seven EF05 records, seven EF06 records (4E included on a 2.00 card).
    sequence = 15
    for index in range(sequence):
        pulled = replace(profile, faults=Faults(remove_after=index))
        emulator_chip = VirtualSocialSecurityCard(pulled)
        with inserted(pulled, emulator_chip) as emulator:
            with pytest.raises(CardRemoved):
                reader.read()
            assert emulator.wait(2.0) is not None
        # No stale data: the next card is read afresh, not served from the last one.
        assert not card_present()
    other = card_profile("demo_a")
    with inserted(other):
        snapshot = reader.read()
    assert snapshot.holder == other.holder


def test_no_card(reader: PcscCardReader) -> None:
    with pytest.raises(CardRemoved):
        reader.read()
    started = time.monotonic()
    with pytest.raises(CardRemoved):
        reader.wait_for_card(0.3)
    assert time.monotonic() - started >= 0.25


def test_no_matching_reader(pcsc_stack: PcscStack) -> None:
    reader = PcscCardReader(reader_pattern="no such reader")
    with pytest.raises(ReaderUnavailable):
        reader.read()
    with pytest.raises(ReaderUnavailable):
        reader.wait_for_card(0.2)


def test_not_a_social_security_card(reader: PcscCardReader) -> None:
    with inserted(card_profile("not_ssc")), pytest.raises(NotSocialSecurityCard):
        reader.read()


def test_monitor_reports_insertion_and_removal(reader: PcscCardReader) -> None:
    events = Events()
    reader.start(events)
    try:
        wait_until(lambda: events.has(("reader_changed", (True, VPCD_READER))))
        with inserted(card_profile("demo_a")):
            wait_until(lambda: events.has(("card_inserted", None)), what="card_inserted")
            assert reader.read().holder is not None
        wait_until(lambda: events.has(("card_removed", None)), what="card_removed")
    finally:
        reader.stop()
    names = [name for name, _ in events.seen]
    assert names == ["reader_changed", "card_inserted", "card_removed"]


def test_reader_unplugged_and_back(pcsc_stack: PcscStack) -> None:
    """pcscd stopped and started again: the reader goes away and comes back to the monitor."""
    if not pcsc_stack.owned:
        pytest.skip("pcscd was started outside the tests; restarting it is not theirs to do")
    reader = PcscCardReader(reader_pattern=VPCD_READER)
    events = Events()
    reader.start(events)
    profile = card_profile("demo_a")
    try:
        wait_until(lambda: events.has(("reader_changed", (True, VPCD_READER))))
        with inserted(profile) as emulator:
            assert reader.read().card.number == profile.card.number
            pcsc_stack.stop()
            wait_until(lambda: events.has(("reader_changed", (False, None))), what="unplug")
            with pytest.raises(ReaderUnavailable):
                reader.read()
            assert emulator.wait(2.0) is not None  # vpcd went away with pcscd
            pcsc_stack.start()
            pcsc_stack.wait_for_reader()
            emulator.insert()
            wait_until(card_present, what="the card back in the reader")
            assert reader.read().card.number == profile.card.number
        seen = list(events.seen)
    finally:
        reader.stop()
    assert seen.count(("reader_changed", (True, VPCD_READER))) == 2
    assert seen.index(("reader_changed", (False, None))) > seen.index(("card_inserted", None))
