"""Whatever the card answers, the protocol gives the card's value or a typed CardError."""

from __future__ import annotations

import contextlib

import pytest
from card_helpers import ScriptedTransport, card_profile, load_transcript
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.devices.card import protocol
from kiosk.devices.card.secure_access import SimulatedPsam
from kiosk.devices.card.virtual_card import VirtualSocialSecurityCard
from kiosk.domain.card import CardInfo, Holder
from kiosk.domain.errors import CardError

TRANSCRIPTS = ("v1_t0", "v2_long_name", "v3_psam", "v2_quirks")
V3_CARD = card_profile("v3_four_char_name")
RECORDED = {name: [response for _, response in load_transcript(name)] for name in TRANSCRIPTS}


def _read(responses: list[bytes], with_psam: bool) -> None:
    transport = ScriptedTransport(responses)
    try:
        card, holder = protocol.read_card(transport, SimulatedPsam() if with_psam else None)
    except CardError:
        return
    assert isinstance(card, CardInfo)
    assert holder is None or isinstance(holder, Holder)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=48), max_size=40), st.booleans())
def test_random_answers(responses: list[bytes], with_psam: bool) -> None:
    _read(responses, with_psam)


@st.composite
def mutated(draw: st.DrawFn) -> list[bytes]:
    """A recorded read with some answers damaged: bytes changed, cut short, or the SW swapped."""
    responses = list(RECORDED[draw(st.sampled_from(TRANSCRIPTS))])
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(responses) - 1))
        answer = bytearray(responses[index])
        how = draw(st.sampled_from(("byte", "cut", "sw", "grow")))
        if how == "byte" and answer:
            answer[draw(st.integers(0, len(answer) - 1))] = draw(st.integers(0, 255))
        elif how == "cut":
            del answer[draw(st.integers(0, len(answer))) :]
        elif how == "sw":
            answer[-2:] = draw(st.binary(min_size=2, max_size=2))
        else:
            answer[:-2] += draw(st.binary(max_size=8))
        responses[index] = bytes(answer)
    return responses


@settings(max_examples=400, deadline=None)
@given(mutated(), st.booleans())
def test_damaged_recorded_answers(responses: list[bytes], with_psam: bool) -> None:
    _read(responses, with_psam)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=10))
def test_pin_commands_answered_anything(responses: list[bytes]) -> None:
    pin = bytearray(b"123456")
    with contextlib.suppress(CardError):
        protocol.verify_pin(ScriptedTransport(responses), pin)
    assert pin == bytearray(6)


@pytest.mark.parametrize("name", TRANSCRIPTS)
def test_the_undamaged_recordings_read(name: str) -> None:
    card, _ = protocol.read_card(ScriptedTransport(RECORDED[name]), SimulatedPsam())
    assert card.identifier.startswith("410100D156000005")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(min_size=0, max_size=40), max_size=12))
def test_the_virtual_card_answers_any_command_with_a_status_word(commands: list[bytes]) -> None:
    card = VirtualSocialSecurityCard(V3_CARD)
    card.power_on()
    card.answer(protocol.select_ssse())
    for command in commands:
        response = card.answer(command)
        assert len(response) >= 2
    assert 0 <= card.pin_tries_left <= 3
