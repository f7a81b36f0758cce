"""RELOAD PIN: a counter sets a new PIN on a blocked card through the PIN reset module."""

from __future__ import annotations

from dataclasses import replace

import pytest
from card_helpers import card_profile

from kiosk.devices.card import protocol
from kiosk.devices.card.secure_access import DEMO_MASTER_KEY, SimulatedPsam
from kiosk.devices.card.simulated import SimulatedCardReader, load_demo_profiles
from kiosk.devices.card.virtual_card import VirtualSocialSecurityCard
from kiosk.domain.errors import PinBlocked, SecureAccessRequired, WrongPin


class ChipTransport:
    """The virtual card as a Transport, recording each command."""

    def __init__(self, chip: VirtualSocialSecurityCard) -> None:
        self.chip = chip
        self.sent: list[bytes] = []
        chip.power_on()

    def transmit(self, apdu: bytes | bytearray) -> bytes:
        self.sent.append(bytes(apdu))
        return self.chip.answer(apdu)


def _block(chip: VirtualSocialSecurityCard, transport: ChipTransport) -> None:
    protocol.select(transport)
    while True:
        try:
            protocol.verify_pin(transport, bytearray(b"000000"))
        except WrongPin:
            continue
        except PinBlocked:
            break
    assert chip.pin_tries_left == 0


def test_reload_unblocks_and_sets_the_new_pin_and_wipes_it() -> None:
    profile = card_profile("v2_expired_elderly")
    chip = VirtualSocialSecurityCard(profile)
    transport = ChipTransport(chip)
    _block(chip, transport)
    card = protocol.read_card_info(transport)
    new = bytearray(b"112233")
    protocol.reload_pin(transport, card, SimulatedPsam(), new)
    assert new == bytearray(6)
    assert chip.pin_tries_left == profile.pin_tries_max
    reload = transport.sent[-1]
    # GET CHALLENGE, then 80 5E 00 00 Lc, the packed PIN and a 4-byte MAC
    assert transport.sent[-2] == bytes.fromhex("0084000008")
    assert reload[:5] == bytes.fromhex("805E000007")
    assert reload[5:8] == bytes.fromhex("112233")
    protocol.verify_pin(transport, bytearray(b"112233"))
    with pytest.raises(WrongPin):
        protocol.verify_pin(transport, bytearray(profile.pin.encode()))


def test_a_module_with_the_wrong_keys_is_refused_and_the_pin_stays_blocked() -> None:
    chip = VirtualSocialSecurityCard(load_demo_profiles()["demo_a"])
    transport = ChipTransport(chip)
    _block(chip, transport)
    card = protocol.read_card_info(transport)
    forger = SimulatedPsam(master_key=DEMO_MASTER_KEY[::-1])
    with pytest.raises(protocol.SecureAccessRejected):
        protocol.reload_pin(transport, card, forger, bytearray(b"112233"))
    assert chip.pin_tries_left == 0


def test_a_mac_is_good_for_one_challenge_only() -> None:
    """A recorded RELOAD PIN cannot be replayed: the card asks for a fresh challenge."""
    chip = VirtualSocialSecurityCard(load_demo_profiles()["demo_a"])
    transport = ChipTransport(chip)
    protocol.select(transport)
    card = protocol.read_card_info(transport)
    protocol.reload_pin(transport, card, SimulatedPsam(), bytearray(b"135790"))
    recorded = transport.sent[-1]
    assert chip.answer(recorded)[-2:] == bytes.fromhex("6985")
    chip.answer(bytes.fromhex("0084000008"))
    assert chip.answer(recorded)[-2:] == bytes.fromhex("6988")


def test_without_a_module_nothing_is_sent_and_the_pin_is_wiped() -> None:
    chip = VirtualSocialSecurityCard(load_demo_profiles()["demo_a"])
    transport = ChipTransport(chip)
    protocol.select(transport)
    card = protocol.read_card_info(transport)
    sent = len(transport.sent)
    new = bytearray(b"135790")
    with pytest.raises(SecureAccessRequired):
        protocol.reload_pin(transport, card, None, new)
    assert new == bytearray(6)
    assert len(transport.sent) == sent


def test_the_simulated_reader_resets_a_blocked_pin() -> None:
    profile = replace(load_demo_profiles()["demo_a"], pin_tries_left=0)
    reader = SimulatedCardReader(pin_reset=SimulatedPsam())
    reader.insert(profile)
    with pytest.raises(PinBlocked):
        reader.verify_pin(bytearray(profile.pin.encode()))
    reader.reset_pin(bytearray(b"975310"))
    reader.verify_pin(bytearray(b"975310"))
