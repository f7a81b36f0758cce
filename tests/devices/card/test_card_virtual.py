"""The virtual card (one class behind the simulator and the vpcd emulator) and its profiles."""

from __future__ import annotations

import random
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
from card_helpers import CARDS, card_profile

from kiosk.devices.card import protocol
from kiosk.devices.card.profile import Faults, ProfileError, load_profile, parse_profile
from kiosk.devices.card.secure_access import SimulatedPsam
from kiosk.devices.card.virtual_card import CardPulled, VirtualSocialSecurityCard

DEMO_A = Path(__file__).resolve().parents[3] / "kiosk" / "assets" / "demo_cards" / "demo_a.toml"


def powered(stem: str = "v2_long_name", **changes: object) -> VirtualSocialSecurityCard:
    card = VirtualSocialSecurityCard(replace(card_profile(stem), **changes), rng=random.Random(1))
    card.power_on()
    return card


def sw(response: bytes) -> str:
    return response[-2:].hex().upper()


def test_select_of_another_application_is_not_found() -> None:
    card = powered()
    assert sw(card.answer(bytes.fromhex("00A4040007A0000000031010"))) == "6A82"


def test_records_need_the_application_selected() -> None:
    card = powered()
    assert sw(card.answer(bytes.fromhex("00B2012812"))) == "6A82"
    card.answer(protocol.select_ssse())
    assert sw(card.answer(bytes.fromhex("00B2012812"))) == "9000"


def test_a_wrong_le_is_answered_with_6c_and_the_right_length() -> None:
    card = powered()
    card.answer(protocol.select_ssse())
    assert card.answer(bytes.fromhex("00B2093000")).hex().upper() == "6C20"
    response = card.answer(bytes.fromhex("00B2093020"))
    assert response[:2] == bytes((0x09, 0x1E)) and sw(response) == "9000"


def test_records_by_number_follow_the_file_order() -> None:
    card = powered()
    card.answer(protocol.select_ssse())
    by_number = card.answer(bytes.fromhex("00B2032C06"))
    by_tag = card.answer(bytes.fromhex("00B2032806"))
    assert by_number == by_tag == bytes.fromhex("0304322E3030") + b"\x90\x00"


def test_the_name_is_cut_at_a_character_boundary_between_09_and_4e() -> None:
    card = powered()
    card.answer(protocol.select_ssse())
    head = card.answer(bytes.fromhex("00B2093020"))[2:-2]
    tail = card.answer(bytes.fromhex("00B24E3016"))[2:-2]
    assert len(head) == 30 and len(tail) == 20
    assert head.decode("gbk") + tail.rstrip(b"\x00").decode("gbk") == (
        "阿卜杜热合曼·买买提艾力·库尔班江"
    )
    assert "·".encode("gbk") == bytes.fromhex("A1A4")


def test_a_version_1_card_has_no_tag_4e() -> None:
    card = powered("v1_two_char_name", t0_get_response=False)
    card.answer(protocol.select_ssse())
    assert sw(card.answer(bytes.fromhex("00B24E3016"))) == "6A83"


def test_a_version_3_card_guards_ef06_until_authenticated() -> None:
    card = powered("v3_four_char_name")
    card.answer(protocol.select_ssse())
    assert sw(card.answer(bytes.fromhex("00B2083014"))) == "6982"
    assert sw(card.answer(protocol.external_authenticate(bytes(16)))) == "6985"
    challenge = card.answer(protocol.get_challenge())[:-2]
    assert len(challenge) == 8
    assert sw(card.answer(protocol.external_authenticate(bytes(16)))) == "6300"
    assert sw(card.answer(bytes.fromhex("00B2083014"))) == "6982"
    challenge = card.answer(protocol.get_challenge())[:-2]
    cryptogram = SimulatedPsam().cryptogram(protocol.read_card_info(_Session(card)), challenge)
    assert sw(card.answer(protocol.external_authenticate(cryptogram))) == "9000"
    assert sw(card.answer(bytes.fromhex("00B2083014"))) == "9000"


class _Session:
    def __init__(self, card: VirtualSocialSecurityCard) -> None:
        self.card = card

    def transmit(self, apdu: bytes | bytearray) -> bytes:
        return self.card.answer(apdu)


def test_verify_without_data_tells_tries_without_using_one() -> None:
    card = powered()
    card.answer(protocol.select_ssse())
    assert card.answer(bytes.fromhex("00200000")).hex().upper() == "63C3"
    assert card.answer(bytes.fromhex("0020000003111111")).hex().upper() == "63C2"
    assert card.answer(bytes.fromhex("00200000")).hex().upper() == "63C2"
    assert card.pin_tries_left == 2


def test_pin_tries_survive_a_power_cycle_and_the_right_pin_restores_them() -> None:
    card = powered()
    card.answer(protocol.select_ssse())
    card.answer(bytes.fromhex("0020000003111111"))
    card.power_off()
    card.power_on()
    card.answer(protocol.select_ssse())
    assert card.pin_tries_left == 2
    assert sw(card.answer(bytes.fromhex("0020000003654321"))) == "9000"
    assert card.pin_tries_left == 3


def test_blocked_pin_answers_6983() -> None:
    card = powered(pin_tries_left=1)
    card.answer(protocol.select_ssse())
    assert card.answer(bytes.fromhex("0020000003111111")).hex().upper() == "63C0"
    assert card.answer(bytes.fromhex("0020000003654321")).hex().upper() == "6983"


def test_unknown_commands() -> None:
    card = powered()
    assert sw(card.answer(bytes.fromhex("00CA9F7F00"))) == "6D00"
    assert sw(card.answer(bytes.fromhex("A0A4000002"))) == "6E00"
    assert sw(card.answer(b"\x00")) == "6700"


def test_remove_after_pulls_the_card_at_that_command() -> None:
    card = powered(faults=Faults(remove_after=2))
    card.answer(protocol.select_ssse())
    card.answer(bytes.fromhex("00B2012812"))
    with pytest.raises(CardPulled):
        card.answer(bytes.fromhex("00B2022803"))
    assert not card.powered


def test_garbage_after_answers_noise() -> None:
    card = powered(faults=Faults(garbage_after=1))
    assert sw(card.answer(protocol.select_ssse())) == "9000"
    noise = [card.answer(bytes.fromhex("00B2012812")) for _ in range(5)]
    assert all(1 <= len(n) <= 24 for n in noise)
    assert len(set(noise)) > 1


def test_delay_waits_before_each_answer() -> None:
    waits: list[float] = []
    profile = replace(card_profile("v2_long_name"), faults=Faults(delay_ms=250))
    card = VirtualSocialSecurityCard(profile, sleep=waits.append)
    card.power_on()
    card.answer(protocol.select_ssse())
    card.answer(bytes.fromhex("00B2012812"))
    assert waits == [0.25, 0.25]


def test_not_a_social_security_card_refuses_the_select() -> None:
    card = VirtualSocialSecurityCard(card_profile("not_ssc"))
    card.power_on()
    assert sw(card.answer(protocol.select_ssse())) == "6A82"


# --- profiles ------------------------------------------------------------------------------


def test_the_demo_profile_keys_keep_their_meaning() -> None:
    data = tomllib.loads(DEMO_A.read_text(encoding="utf-8"))
    profile = load_profile(DEMO_A)
    assert profile.label == data["label"]
    assert profile.version.value == data["version"]
    assert (profile.pin, profile.pin_tries_left, profile.atr) == (
        data["pin"],
        data["pin_tries_left"],
        data["atr"],
    )
    for key, value in data["card"].items():
        assert getattr(profile.card, key) == value
    for key, value in data["holder"].items():
        assert getattr(profile.holder, key) == value
    assert not profile.faults.any


def test_every_test_profile_loads() -> None:
    stems = sorted(p.stem for p in CARDS.glob("*.toml"))
    assert len(stems) >= 5
    assert all(load_profile(CARDS / f"{stem}.toml").label for stem in stems)


def test_the_profile_repr_keeps_personal_data_out() -> None:
    profile = card_profile("v2_long_name")
    assert profile.holder.name not in repr(profile)
    assert profile.pin not in repr(profile)


def _minimal(**top: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": "2.00",
        "card": {
            "identifier": "410100D156000005A0000000000000A1",
            "issuer": "410100000000000000000001",
            "number": "A00000011",
        },
        "holder": {"ssn": "410102195203120027", "name": "王秀英", "birthplace": "410102"},
    }
    data.update(top)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": "2.5"}, "version must be"),
        ({"card": None}, "card is missing"),
        ({"pin": "12ab"}, "pin must be"),
        ({"pin_tries_left": 9}, "pin_tries_left"),
        ({"atr": "XYZ"}, "atr must be hex"),
        ({"faults": {"remove_after": "soon"}}, "faults.remove_after"),
        (
            {"version": "1.00", "holder": {"ssn": "1", "name": "买" * 16, "birthplace": "410102"}},
            "GBK bytes",
        ),
        ({"records": {"EF06": "00"}}, "SFI.TAG"),
    ],
)
def test_profile_errors_name_the_key(change: dict[str, object], message: str) -> None:
    data = _minimal()
    for key, value in change.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    with pytest.raises(ProfileError, match=message):
        parse_profile(data, "test.toml")


def test_raw_records_replace_the_encoded_field() -> None:
    profile = parse_profile(_minimal(records={"06.0C": "4101FF"}))
    card = VirtualSocialSecurityCard(profile)
    card.power_on()
    card.answer(protocol.select_ssse())
    assert card.answer(bytes.fromhex("00B20C3005")).hex().upper() == "0C034101FF9000"


def test_dates_may_be_strings_and_defaults_apply() -> None:
    profile = parse_profile(
        _minimal(
            card={
                "identifier": "410100D156000005A0000000000000A1",
                "issuer": "410100000000000000000001",
                "number": "A00000011",
                "issued": "2020-01-02",
            }
        )
    )
    assert profile.card.issued is not None and profile.card.issued.isoformat() == "2020-01-02"
    assert profile.card.expires is None
    assert (profile.pin_tries_left, profile.holder.sex) == (3, "0")


def test_a_missing_file_is_a_profile_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"missing\.toml"):
        load_profile(tmp_path / "missing.toml")
