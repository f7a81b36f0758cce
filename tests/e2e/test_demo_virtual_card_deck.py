"""The demo's dev panel on a development machine: demo cards go into vpcd and are read through
pcscd, as a deployed kiosk reads a real card (issue: the dev panel uses the virtual card)."""

from __future__ import annotations

import pytest
from card_fixtures import (
    VPCD_READER,
    card_present,
    pcsc_stack_fixture,  # noqa: F401 - the fixture pcsc_stack
    wait_until,
)

from kiosk.assembly.demo_deck import VirtualCardDeck, only_virtual_readers
from kiosk.devices.card.pcsc import PcscCardReader

pytestmark = pytest.mark.e2e


def test_the_deck_inserts_and_removes_demo_cards_through_pcscd(pcsc_stack) -> None:
    deck = VirtualCardDeck()
    assert [card.key for card in deck.cards()] == ["demo_a", "demo_b"]
    reader = PcscCardReader(reader_pattern="Virtual PCD 00 00")
    assert only_virtual_readers()
    deck.insert("demo_a")
    try:
        wait_until(lambda: card_present(VPCD_READER), what="the demo card in the reader")
        snapshot = reader.read()
        assert snapshot.holder is not None and snapshot.holder.name == "王秀英"
        assert snapshot.card.number == "A00000011"
    finally:
        deck.remove()
    wait_until(lambda: not card_present(VPCD_READER), what="the reader empty again")
