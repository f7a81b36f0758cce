"""SimulatedCardReader: the dev panel's and the UI tests' reader, through the real protocol."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace

import pytest
from card_helpers import RecordingListener, card_profile

from kiosk.devices.card.factory import make_card_reader
from kiosk.devices.card.interface import CardReader
from kiosk.devices.card.profile import Faults
from kiosk.devices.card.secure_access import SimulatedPsam
from kiosk.devices.card.simulated import SimulatedCardReader, load_demo_profiles
from kiosk.domain.card import CardVersion
from kiosk.domain.errors import (
    CardMisread,
    CardRemoved,
    NotSocialSecurityCard,
    PinBlocked,
    ReaderUnavailable,
    WrongPin,
)


def test_demo_profiles_are_loaded_by_stem() -> None:
    profiles = load_demo_profiles()
    assert set(profiles) >= {"demo_a", "demo_b"}
    assert profiles["demo_a"].version is CardVersion.V2
    assert profiles["demo_b"].version is CardVersion.V3
    assert profiles["demo_a"].holder.name == "王秀英"


def test_reads_the_demo_card_a_through_the_protocol(listener: RecordingListener) -> None:
    reader = SimulatedCardReader()
    reader.start(listener)
    demo = load_demo_profiles()["demo_a"]
    reader.insert(demo)
    snapshot = reader.read()
    assert snapshot.reader == reader.name
    assert snapshot.atr == demo.atr
    assert snapshot.card == replace(demo.card, version=CardVersion.V2)
    assert snapshot.holder == demo.holder
    assert listener.names() == ["reader_changed", "card_inserted"]
    assert listener.events[0] == ("reader_changed", (True, reader.name))


def test_version_3_card_without_secure_access_has_no_holder() -> None:
    reader = SimulatedCardReader()
    demo = load_demo_profiles()["demo_b"]
    reader.insert(demo)
    snapshot = reader.read()
    assert snapshot.holder is None
    assert snapshot.card.number == demo.card.number
    assert snapshot.card.version is CardVersion.V3


def test_version_3_card_with_the_simulated_psam_has_its_holder() -> None:
    reader = SimulatedCardReader(secure_access=SimulatedPsam())
    demo = load_demo_profiles()["demo_b"]
    reader.insert(demo)
    assert reader.read().holder == demo.holder


def test_a_psam_with_the_wrong_key_is_refused() -> None:
    from kiosk.domain.errors import SecureAccessRequired

    reader = SimulatedCardReader(secure_access=SimulatedPsam(master_key=b"not the demo key"))
    reader.insert(load_demo_profiles()["demo_b"])
    with pytest.raises(SecureAccessRequired):
        reader.read()


def test_read_without_a_card_says_removed() -> None:
    reader = SimulatedCardReader()
    with pytest.raises(CardRemoved):
        reader.read()


def test_insert_and_remove_send_events_and_replace_the_card(listener: RecordingListener) -> None:
    reader = SimulatedCardReader()
    reader.start(listener)
    profiles = load_demo_profiles()
    reader.insert(profiles["demo_a"])
    reader.insert(profiles["demo_b"])
    assert reader.inserted is profiles["demo_b"]
    reader.remove()
    reader.remove()
    assert reader.inserted is None
    assert listener.names() == [
        "reader_changed",
        "card_inserted",
        "card_removed",
        "card_inserted",
        "card_removed",
    ]


def test_start_with_a_card_already_in_reports_it(listener: RecordingListener) -> None:
    reader = SimulatedCardReader()
    reader.insert(load_demo_profiles()["demo_a"])
    reader.start(listener)
    assert listener.names() == ["reader_changed", "card_inserted"]


def test_pin_tries_persist_per_card_object_across_insertions() -> None:
    reader = SimulatedCardReader()
    profiles = load_demo_profiles()
    card_a = profiles["demo_a"]
    reader.insert(card_a)
    with pytest.raises(WrongPin) as first:
        reader.verify_pin(bytearray(b"000000"))
    assert first.value.tries_left == card_a.pin_tries_left - 1
    reader.remove()
    reader.insert(profiles["demo_b"])
    reader.insert(card_a)
    with pytest.raises(WrongPin) as second:
        reader.verify_pin(bytearray(b"000000"))
    assert second.value.tries_left == card_a.pin_tries_left - 2
    assert reader.pin_tries_left(card_a) == card_a.pin_tries_left - 2
    # Another reader is another process's worth of cards: it starts afresh.
    assert SimulatedCardReader().pin_tries_left(card_a) == card_a.pin_tries_left


def test_wrong_pin_down_to_blocked_and_right_pin_refused_after() -> None:
    reader = SimulatedCardReader()
    card = load_demo_profiles()["demo_a"]
    reader.insert(card)
    seen = []
    for _ in range(card.pin_tries_left - 1):
        with pytest.raises(WrongPin) as wrong:
            reader.verify_pin(bytearray(b"999999"))
        seen.append(wrong.value.tries_left)
    assert seen == list(range(card.pin_tries_left - 1, 0, -1))
    with pytest.raises(PinBlocked):
        reader.verify_pin(bytearray(b"999999"))
    with pytest.raises(PinBlocked):
        reader.verify_pin(bytearray(card.pin.encode()))


def test_right_pin_verifies_and_the_pin_buffer_is_wiped() -> None:
    reader = SimulatedCardReader()
    card = load_demo_profiles()["demo_a"]
    reader.insert(card)
    pin = bytearray(card.pin.encode())
    reader.verify_pin(pin)
    assert pin == bytearray(len(pin))


def test_wrong_pin_buffer_is_wiped_too() -> None:
    reader = SimulatedCardReader()
    reader.insert(load_demo_profiles()["demo_a"])
    pin = bytearray(b"000000")
    with pytest.raises(WrongPin):
        reader.verify_pin(pin)
    assert pin == bytearray(6)


def test_change_pin_then_the_new_pin_verifies() -> None:
    reader = SimulatedCardReader()
    card = load_demo_profiles()["demo_a"]
    reader.insert(card)
    old, new = bytearray(card.pin.encode()), bytearray(b"8642")
    reader.change_pin(old, new)
    assert old == bytearray(len(old)) and new == bytearray(4)
    reader.verify_pin(bytearray(b"8642"))
    with pytest.raises(WrongPin):
        reader.verify_pin(bytearray(card.pin.encode()))


def test_unplugged_reader_is_unavailable_then_back(listener: RecordingListener) -> None:
    reader = SimulatedCardReader()
    reader.start(listener)
    card = load_demo_profiles()["demo_a"]
    reader.insert(card)
    reader.unplug()
    with pytest.raises(ReaderUnavailable):
        reader.read()
    reader.plug()
    assert reader.read().card.number == card.card.number
    assert listener.events[-4:] == [
        ("card_removed", None),
        ("reader_changed", (False, None)),
        ("reader_changed", (True, reader.name)),
        ("card_inserted", None),
    ]


def test_card_pulled_after_each_apdu_gives_card_removed(listener: RecordingListener) -> None:
    card = card_profile("v2_long_name")
    reader = SimulatedCardReader()
    reader.insert(card)
    apdus_in_a_read = 1 + 7 + 7
    for index in range(apdus_in_a_read):
        reader.start(listener)
        pulled = replace(card, faults=Faults(remove_after=index))
        reader.insert(pulled)
        with pytest.raises(CardRemoved):
            reader.read()
        assert reader.inserted is None
        assert listener.names()[-1] == "card_removed"
    reader.insert(replace(card, faults=Faults(remove_after=apdus_in_a_read)))
    assert reader.read().holder == card.holder


def test_removed_from_another_thread_while_slow_gives_card_removed() -> None:
    card = replace(card_profile("v2_expired_elderly"), faults=Faults(delay_ms=30))
    reader = SimulatedCardReader()
    reader.insert(card)
    timer = threading.Timer(0.1, reader.remove)
    timer.start()
    try:
        with pytest.raises(CardRemoved):
            reader.read()
    finally:
        timer.join()


def test_not_a_social_security_card() -> None:
    reader = SimulatedCardReader()
    reader.insert(card_profile("not_ssc"))
    with pytest.raises(NotSocialSecurityCard):
        reader.read()


def test_garbage_answers_give_a_misread() -> None:
    reader = SimulatedCardReader()
    reader.insert(replace(card_profile("v1_two_char_name"), faults=Faults(garbage_after=3)))
    with pytest.raises(CardMisread):
        reader.read()


def test_expired_card_reads_with_its_dates() -> None:
    card = card_profile("v2_expired_elderly")
    reader = SimulatedCardReader()
    reader.insert(card)
    snapshot = reader.read()
    assert snapshot.card.expired_on(dt.date(2024, 1, 1))
    assert snapshot.holder is not None and snapshot.holder.birth_date == dt.date(1938, 7, 7)


def test_factory_makes_a_simulated_reader_that_satisfies_the_interface() -> None:
    reader: CardReader = make_card_reader("simulated", secure_access="simulated")
    assert isinstance(reader, SimulatedCardReader)
    demo = load_demo_profiles()["demo_b"]
    reader.insert(demo)
    assert reader.read().holder == demo.holder


def test_factory_refuses_unknown_kinds() -> None:
    with pytest.raises(ValueError, match="unknown card reader kind"):
        make_card_reader("usb")
    with pytest.raises(ValueError, match="unknown secure access"):
        make_card_reader("simulated", secure_access="hsm")
