"""The card protocol and its recorded transcripts, checked against the card reference's own bytes.

The transcripts under tests/data/cards/transcripts/ were recorded with the project's own
protocol (kiosk/devices/card/protocol.py) talking to its own virtual card: on their own they
prove only that the protocol agrees with itself. This module checks both, once, against an
independent source: the working reference for the social security card (ssc-card.md, in the
project's shared references; compiled from public reader code, the national specification not
being public in full). Every byte below marked "reference" is copied from that document's
examples and tables, not computed by the project's code; the section it comes from is named.
"""

from __future__ import annotations

import pytest
from card_helpers import TRANSCRIPTS, ScriptedTransport, load_transcript

from kiosk.devices.card import protocol
from kiosk.domain.card import CardVersion
from kiosk.domain.errors import (
    CardLocked,
    NotSocialSecurityCard,
    PinBlocked,
    SecureAccessRequired,
    WrongPin,
)

# --- the reference's bytes, literally -----------------------------------------------------------

# "The SSSE application": SELECT by name, AID ASCII `sx1.sh.` then GBK `社会保障`.
REFERENCE_SELECT = bytes.fromhex("00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF")
# "Reading a record": `00 B2 08 30 14` reads the social security number from EF06 by tag.
REFERENCE_READ_SSN = bytes.fromhex("00 B2 08 30 14")
# "Reading a record": by tag, P2 = (SFI << 3) | 0b000: 0x28 for EF05, 0x30 for EF06.
REFERENCE_P2 = {5: 0x28, 6: 0x30}
# "The SSSE application": a T=0 reader may answer 61xx: GET RESPONSE `00 C0 00 00 xx`.
REFERENCE_GET_RESPONSE_HEAD = bytes.fromhex("00 C0 00 00")
# "Version 3.00 cards and the PSAM": GET CHALLENGE, then EXTERNAL AUTHENTICATE + 16 bytes.
REFERENCE_GET_CHALLENGE = bytes.fromhex("00 84 00 00 08")
REFERENCE_EXTERNAL_AUTHENTICATE_HEAD = bytes.fromhex("00 82 00 0A 10")
# "PIN": VERIFY `00 20 00 00 Lc PIN`, PIN in packed BCD, e.g. `00 20 00 00 03 12 34 56`.
REFERENCE_VERIFY_123456 = bytes.fromhex("00 20 00 00 03 12 34 56")
# "PIN": CHANGE `80 5E 01 00 Lc old || FF || new`.
REFERENCE_CHANGE_HEAD = bytes.fromhex("80 5E 01 00")
# "Files and records": (SFI, tag) -> field length in bytes, from the table.
REFERENCE_FIELDS = {
    (5, 0x01): 16,  # 卡识别码 card identifier
    (5, 0x02): 1,  # 卡类别 card type
    (5, 0x03): 4,  # 规范版本 spec version
    (5, 0x04): 12,  # 初始化机构编号 initialising organisation
    (5, 0x05): 4,  # 发卡日期 issue date
    (5, 0x06): 4,  # 卡有效期 expiry date
    (5, 0x07): 9,  # 卡号 card number
    (6, 0x08): 18,  # 社会保障号码 social security number
    (6, 0x09): 30,  # 姓名 name
    (6, 0x4E): 20,  # 姓名扩展 name extension
    (6, 0x0A): 1,  # 性别 sex
    (6, 0x0B): 1,  # 民族 ethnic group
    (6, 0x0C): 3,  # 出生地 birthplace
    (6, 0x0D): 4,  # 出生日期 birth date
}
# "Reading a record", a complete read: EF05 tags 01 to 07, then EF06 tags 08, 09, 4E, 0A to 0D.
REFERENCE_READ_ORDER = [
    (5, 0x01), (5, 0x02), (5, 0x03), (5, 0x04), (5, 0x05), (5, 0x06), (5, 0x07),
    (6, 0x08), (6, 0x09), (6, 0x4E), (6, 0x0A), (6, 0x0B), (6, 0x0C), (6, 0x0D),
]  # fmt: skip
# "Files and records": the card identifier is region BCD + RID `D156000005` + 8 unique bytes.
REFERENCE_RID = bytes.fromhex("D1 56 00 00 05")
# "The SSSE application": the FCI may carry `9F0C 03 86 01 xx`.
REFERENCE_FCI_FLAG_HEAD = bytes.fromhex("9F 0C 03 86 01")
# "Status words worth naming", and 61xx / 6Cxx / 63Cx as families.
REFERENCE_STATUS_WORDS = {0x9000, 0x6983, 0x6982, 0x6A82, 0x6A83, 0x9303}
REFERENCE_STATUS_FAMILIES = {0x61, 0x6C}  # 61xx bytes waiting, 6Cxx wrong Le
# "Test data": GBK encodes the middle dot of a long (Uyghur) name as A1A4.
REFERENCE_MIDDLE_DOT = bytes.fromhex("A1 A4")

TRANSCRIPT_NAMES = sorted(path.stem for path in TRANSCRIPTS.glob("*.apdu"))


class RecordingTransport(ScriptedTransport):
    """Keeps a copy of each command as sent: the protocol wipes PIN commands right after."""

    def transmit(self, apdu: bytes | bytearray) -> bytes:
        return super().transmit(bytes(apdu))


# --- the protocol's commands against the reference -------------------------------------------


def test_select_is_the_references_select_by_name() -> None:
    assert protocol.select_ssse() == REFERENCE_SELECT
    assert REFERENCE_SELECT[5:] == protocol.SSSE_AID


def test_reading_the_social_security_number_is_the_references_example() -> None:
    ssn = next(f for f in protocol.HOLDER_FIELDS if f.tag == 0x08)
    assert protocol.read_record_by_tag(ssn) == REFERENCE_READ_SSN


def test_the_protocols_fields_are_the_references_table() -> None:
    fields = {(f.sfi, f.tag): f.length for f in (*protocol.CARD_FIELDS, *protocol.HOLDER_FIELDS)}
    assert fields == REFERENCE_FIELDS


def test_every_read_record_addresses_by_tag_as_the_reference_says() -> None:
    for field in (*protocol.CARD_FIELDS, *protocol.HOLDER_FIELDS):
        command = protocol.read_record_by_tag(field)
        length = REFERENCE_FIELDS[(field.sfi, field.tag)]
        assert command == bytes((0x00, 0xB2, field.tag, REFERENCE_P2[field.sfi], 2 + length))


def test_get_response_challenge_and_external_authenticate_are_the_references() -> None:
    assert protocol.get_response(0x1B) == REFERENCE_GET_RESPONSE_HEAD + b"\x1b"
    assert protocol.get_challenge() == REFERENCE_GET_CHALLENGE
    cryptogram = bytes(range(16))
    assert (
        protocol.external_authenticate(cryptogram)
        == REFERENCE_EXTERNAL_AUTHENTICATE_HEAD + cryptogram
    )


def test_verify_sends_the_references_example_apdu() -> None:
    transport = RecordingTransport([bytes.fromhex("9000")])
    protocol.verify_pin(transport, bytearray(b"123456"))
    assert transport.sent == [REFERENCE_VERIFY_123456]


def test_change_pin_sends_old_ff_new_as_the_reference_says() -> None:
    transport = RecordingTransport([bytes.fromhex("9000")])
    protocol.change_pin(transport, bytearray(b"123456"), bytearray(b"246810"))
    old, new = bytes.fromhex("12 34 56"), bytes.fromhex("24 68 10")
    body = old + b"\xff" + new
    assert transport.sent == [REFERENCE_CHANGE_HEAD + bytes([len(body)]) + body]


@pytest.mark.parametrize(
    ("status_word", "error"),
    [
        ("63C2", WrongPin),  # 63Cx: wrong PIN, x tries left
        ("6983", PinBlocked),  # PIN blocked
        ("9303", CardLocked),  # application permanently locked
    ],
)
def test_pin_status_words_mean_what_the_reference_says(status_word: str, error: type) -> None:
    transport = ScriptedTransport([bytes.fromhex(status_word)])
    with pytest.raises(error) as caught:
        protocol.verify_pin(transport, bytearray(b"123456"))
    if status_word.startswith("63C"):
        assert caught.value.tries_left == int(status_word[3], 16)  # type: ignore[attr-defined]


def test_6a82_on_select_is_not_a_social_security_card() -> None:
    with pytest.raises(NotSocialSecurityCard):
        protocol.select(ScriptedTransport([bytes.fromhex("6A82")]))


def test_6982_on_the_holder_file_asks_for_secure_access() -> None:
    with pytest.raises(SecureAccessRequired):
        protocol.read_holder(ScriptedTransport([bytes.fromhex("6982")]), CardVersion.V2)


# --- the recorded transcripts against the reference ------------------------------------------


def _command_is_in_the_reference(command: bytes, previous_sw: int | None) -> str | None:
    """None when the command has a shape the reference gives; else what is wrong with it."""
    if command in (REFERENCE_SELECT, REFERENCE_GET_CHALLENGE):
        return None
    head = command[:4]
    if head == REFERENCE_GET_RESPONSE_HEAD:
        ok = len(command) == 5 and previous_sw is not None and previous_sw >> 8 == 0x61
        ok = ok and command[4] == (previous_sw or 0) & 0xFF
        return None if ok else "GET RESPONSE not after 61xx, or for another length"
    if command[:2] == b"\x00\xb2":
        tag, p2, le = command[2], command[3], command[4]
        sfi = next((s for s, p in REFERENCE_P2.items() if p == p2), None)
        if sfi is None or (sfi, tag) not in REFERENCE_FIELDS:
            return f"READ RECORD of no field of the reference (tag {tag:02X}, P2 {p2:02X})"
        resent = previous_sw is not None and previous_sw >> 8 == 0x6C  # resend with Le = xx
        wanted = (previous_sw or 0) & 0xFF if resent else 2 + REFERENCE_FIELDS[(sfi, tag)]
        return None if le == wanted else f"READ RECORD with Le {le:02X}, not {wanted:02X}"
    if command[:5] == REFERENCE_EXTERNAL_AUTHENTICATE_HEAD:
        return None if len(command) == 5 + 16 else "EXTERNAL AUTHENTICATE without 16 bytes"
    if head == bytes.fromhex("00 20 00 00"):
        return None if len(command) == 5 + command[4] else "VERIFY with a wrong Lc"
    if head == REFERENCE_CHANGE_HEAD:
        return None if b"\xff" in command[5:] else "CHANGE without the FF separator"
    return f"a command the reference does not give: {command.hex(' ').upper()}"


@pytest.mark.parametrize("name", TRANSCRIPT_NAMES)
def test_every_transcript_command_is_one_the_reference_gives(name: str) -> None:
    pairs = load_transcript(name)
    assert pairs[0][0] == REFERENCE_SELECT, "a read starts with SELECT of the SSSE application"
    previous_sw: int | None = None
    for index, (command, response) in enumerate(pairs):
        # A resent READ RECORD's answer follows the 6Cxx, so the SW before is what matters.
        problem = _command_is_in_the_reference(command, previous_sw)
        assert problem is None, f"{name} command {index}: {problem}"
        previous_sw = (response[-2] << 8) | response[-1]


@pytest.mark.parametrize("name", TRANSCRIPT_NAMES)
def test_every_transcript_status_word_is_one_the_reference_names(name: str) -> None:
    for command, response in load_transcript(name):
        sw = (response[-2] << 8) | response[-1]
        named = sw in REFERENCE_STATUS_WORDS or sw >> 8 in REFERENCE_STATUS_FAMILIES
        assert named, f"{name}: {command.hex().upper()} answered {sw:04X}"


@pytest.mark.parametrize("name", TRANSCRIPT_NAMES)
def test_transcript_records_are_tag_length_value_with_the_references_lengths(name: str) -> None:
    """Each record answers TAG(1) LEN(1) VALUE(LEN) (reference, "Files and records"); reads go
    in the reference's order; the card identifier carries the RID."""
    pairs = load_transcript(name)
    read: list[tuple[int, int]] = []
    for index, (command, response) in enumerate(pairs):
        if command[:2] != b"\x00\xb2":
            continue
        key = (next(s for s, p in REFERENCE_P2.items() if p == command[3]), command[2])
        if not read or read[-1] != key:
            read.append(key)
        data, sw = response[:-2], (response[-2] << 8) | response[-1]
        if sw >> 8 == 0x61:  # the record follows by GET RESPONSE
            data = pairs[index + 1][1][:-2]
        elif sw != 0x9000:
            continue
        assert data[0] == key[1], f"{name}: record of tag {data[0]:02X} for tag {key[1]:02X}"
        assert data[1] == len(data) - 2 <= REFERENCE_FIELDS[key]
        if key == (5, 0x01):
            assert data[2 + 3 : 2 + 8] == REFERENCE_RID
    assert read == [k for k in REFERENCE_READ_ORDER if k in read], f"{name}: read out of order"


def test_the_select_answer_carries_the_references_fci_flag() -> None:
    pairs = load_transcript("v1_t0")
    fci = pairs[1][1]  # after 61xx, the GET RESPONSE brings the FCI
    assert REFERENCE_FCI_FLAG_HEAD in fci
    assert REFERENCE_SELECT[5:] in fci


def test_a_long_names_middle_dot_is_the_references_gbk_bytes() -> None:
    assert "·".encode("gbk") == REFERENCE_MIDDLE_DOT
    padded = b"AB" + REFERENCE_MIDDLE_DOT + b"\x00\x00"  # right-padded with 00, as on the card
    assert protocol.decode_gbk(protocol.strip_gbk(padded)) == "AB·"
