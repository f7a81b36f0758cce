"""The card protocol against recorded APDU transcripts of each card version, and its pieces."""

from __future__ import annotations

import datetime as dt

import pytest
from card_helpers import ReplayTransport, ScriptedTransport, load_transcript

from kiosk.devices.card import protocol
from kiosk.devices.card.secure_access import SimulatedPsam
from kiosk.domain.card import CardVersion
from kiosk.domain.errors import (
    CardLocked,
    CardMisread,
    NotSocialSecurityCard,
    PinBlocked,
    SecureAccessRequired,
    WrongPin,
)


def test_the_aid_is_ascii_then_gbk() -> None:
    assert protocol.select_ssse().hex().upper() == ("00A404000F7378312E73682EC9E7BBE1B1A3D5CF")


def test_read_record_addresses_by_tag() -> None:
    ssn = next(f for f in protocol.HOLDER_FIELDS if f.tag == 0x08)
    assert protocol.read_record_by_tag(ssn) == bytes.fromhex("00B2083014")


def test_version_1_card_answering_like_t0() -> None:
    replay = ReplayTransport(load_transcript("v1_t0"))
    card, holder = protocol.read_card(replay, None)
    assert replay.finished
    assert card.version is CardVersion.V1
    assert card.identifier == "410100D15600000510000000000000C1"
    assert card.type == "1"
    assert card.issuer == "410100000000000000000002"
    assert card.issued == dt.date(2011, 6, 30)
    assert card.expires == dt.date(2021, 6, 30)
    assert card.number == "C10000013"
    assert holder is not None
    assert (holder.ssn, holder.name, holder.sex) == ("410103196511230034", "张伟", "1")
    assert (holder.ethnicity, holder.birthplace) == ("01", "410103")
    assert holder.birth_date == dt.date(1965, 11, 23)
    tags_read = [c[2] for c, _ in replay.pairs if c[1] == 0xB2 and c[3] == 0x30]
    assert protocol.TAG_NAME_EXTENSION not in tags_read


def test_version_2_card_with_a_name_spilling_into_tag_4e() -> None:
    replay = ReplayTransport(load_transcript("v2_long_name"))
    card, holder = protocol.read_card(replay, None)
    assert card.version is CardVersion.V2
    assert holder is not None
    assert holder.name == "阿卜杜热合曼·买买提艾力·库尔班江"
    assert holder.ethnicity == "05"
    protocol.verify_pin(replay, bytearray(b"654321"))
    assert replay.finished


def test_version_3_card_through_the_demo_psam() -> None:
    replay = ReplayTransport(load_transcript("v3_psam"))
    card, holder = protocol.read_card(replay, SimulatedPsam())
    assert replay.finished
    assert card.version is CardVersion.V3
    assert card.issued == dt.date(2024, 2, 29)
    assert holder is not None
    assert (holder.name, holder.ssn) == ("欧阳晓雯", "41010819900101002X")


def test_version_3_card_without_secure_access_reads_ef05_only() -> None:
    replay = ReplayTransport(load_transcript("v3_no_secure_access"))
    card, holder = protocol.read_card(replay, None)
    assert replay.finished
    assert holder is None
    assert (card.version, card.number) == (CardVersion.V3, "B00000022")


def test_quirks_of_real_cards() -> None:
    replay = ReplayTransport(load_transcript("v2_quirks"))
    card, holder = protocol.read_card(replay, None)
    assert replay.finished
    assert card.number == "A00000011"
    assert holder is not None
    assert holder.name == "王秀英"
    assert holder.birthplace == "4101"


def test_a_wrong_psam_cryptogram_is_refused_with_a_typed_error() -> None:
    pairs = load_transcript("v3_psam")
    auth = next(i for i, (c, _) in enumerate(pairs) if c[1] == 0x82)
    pairs[auth] = (pairs[auth][0], bytes.fromhex("6300"))
    with pytest.raises(SecureAccessRequired) as refused:
        protocol.read_card(ReplayTransport(pairs), SimulatedPsam())
    assert isinstance(refused.value, protocol.SecureAccessRejected)


@pytest.mark.parametrize(
    ("sw", "error"),
    [
        ("6A82", NotSocialSecurityCard),
        ("6D00", NotSocialSecurityCard),
        ("6E00", NotSocialSecurityCard),
        ("9303", CardLocked),
    ],
)
def test_select_refusals(sw: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        protocol.read_card(ScriptedTransport([bytes.fromhex(sw)]), None)


@pytest.mark.parametrize(
    ("sw", "error"),
    [
        ("6982", SecureAccessRequired),
        ("6A82", NotSocialSecurityCard),
        ("6A83", protocol.RecordNotFound),
        ("9303", CardLocked),
        ("6F00", CardMisread),
    ],
)
def test_read_record_status_words(sw: str, error: type[Exception]) -> None:
    transport = ScriptedTransport([bytes.fromhex("9000"), bytes.fromhex(sw)])
    with pytest.raises(error):
        protocol.read_card(transport, None)
    assert len(transport.sent) == 2


def test_ef06_guarded_on_a_version_2_card_gives_no_holder_without_secure_access() -> None:
    pairs = load_transcript("v2_long_name")
    first_holder = next(i for i, (c, _) in enumerate(pairs) if c[3] == 0x30)
    transport = ReplayTransport([*pairs[:first_holder], (pairs[first_holder][0], b"\x69\x82")])
    card, holder = protocol.read_card(transport, None)
    assert holder is None
    assert card.number == "E20000047"


@pytest.mark.parametrize(
    ("sw", "error", "tries"),
    [
        ("63C2", WrongPin, 2),
        ("63C1", WrongPin, 1),
        ("63C0", PinBlocked, None),
        ("6983", PinBlocked, None),
        ("9303", CardLocked, None),
        ("6700", CardMisread, None),
    ],
)
def test_pin_status_words(sw: str, error: type[Exception], tries: int | None) -> None:
    pin = bytearray(b"123456")
    transport = ScriptedTransport([bytes.fromhex(sw)])
    with pytest.raises(error) as raised:
        protocol.verify_pin(transport, pin)
    assert transport.sent == [bytes.fromhex("0020000003123456")]
    assert pin == bytearray(6)
    if tries is not None:
        assert isinstance(raised.value, WrongPin)
        assert raised.value.tries_left == tries


def test_change_pin_sends_old_ff_new_in_bcd_and_wipes_both() -> None:
    old, new = bytearray(b"12345"), bytearray(b"9876")
    transport = ScriptedTransport([bytes.fromhex("9000")])
    protocol.change_pin(transport, old, new)
    assert transport.sent == [bytes.fromhex("805E010006") + bytes.fromhex("12345FFF9876")]
    assert old == bytearray(5) and new == bytearray(4)


@pytest.mark.parametrize("pin", [b"123", b"12a456", b"1234567890123", b""])
def test_malformed_pins_are_refused_before_the_card_and_wiped(pin: bytes) -> None:
    buffer = bytearray(pin)
    transport = ScriptedTransport([])
    with pytest.raises(ValueError):
        protocol.verify_pin(transport, buffer)
    assert transport.sent == []
    assert buffer == bytearray(len(pin))


def test_endless_61xx_is_a_misread_not_a_hang() -> None:
    transport = ScriptedTransport([bytes.fromhex("6110")] * 50)
    with pytest.raises(CardMisread):
        protocol.read_card(transport, None)
    assert len(transport.sent) <= 10


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (bytes.fromhex("410102"), "410102"),
        (bytes.fromhex("4101FF"), "4101"),
        (bytes.fromhex("01"), "01"),
        (bytes.fromhex("FFFF"), ""),
    ],
)
def test_bcd_strips_f_padding(value: bytes, text: str) -> None:
    assert protocol.decode_bcd(value) == text


def test_bcd_with_a_nibble_above_9_is_a_misread() -> None:
    with pytest.raises(CardMisread):
        protocol.decode_bcd(bytes.fromhex("41A1"))


def test_dates() -> None:
    assert protocol.decode_date(bytes.fromhex("20240229")) == dt.date(2024, 2, 29)
    assert protocol.decode_date(bytes.fromhex("00000000")) is None
    assert protocol.decode_date(bytes.fromhex("FFFFFFFF")) is None
    with pytest.raises(CardMisread):
        protocol.decode_date(bytes.fromhex("20230230"))


def test_gbk_name_joined_across_a_split_character() -> None:
    # A card that cut "·" (A1A4) between tag 09 and tag 4E still gives the whole name.
    name = "买买提·艾力".encode("gbk")
    head, tail = name[:7], name[7:]
    joined = protocol.strip_gbk(head) + protocol.strip_gbk(tail + b"\x00\x00")
    assert protocol.decode_gbk(joined) == "买买提·艾力"


def test_ascii_strips_zero_padding_and_refuses_binary() -> None:
    assert protocol.decode_ascii(b"A0000001\x00") == "A0000001"
    with pytest.raises(CardMisread):
        protocol.decode_ascii(b"\x81\x02")


def test_unknown_version_is_a_misread() -> None:
    with pytest.raises(CardMisread):
        protocol.decode_version("4.00")
