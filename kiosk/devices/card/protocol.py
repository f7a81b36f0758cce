"""The social security card's protocol, with no reader and no Qt: APDUs, TLV, encodings, errors.

Everything here talks to the card through a `Transport` (one APDU in, one response out), so the
same code runs against PC/SC, the in-process simulator and recorded transcripts. The layout of
the files and the status words follow shared/reference/ssc-card.md.

Privacy: nothing here logs data bytes. Log lines carry the instruction byte, the status word and
lengths only, because record values are personal data and VERIFY carries the PIN.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple, Protocol

from kiosk.domain.card import CardInfo, CardVersion, Holder
from kiosk.domain.errors import (
    CardError,
    CardLocked,
    CardMisread,
    NotSocialSecurityCard,
    PinBlocked,
    SecureAccessRequired,
    WrongPin,
)

log = logging.getLogger(__name__)
_DEBUG = logging.DEBUG

# The SSSE application: ASCII "sx1.sh." then GBK "社会保障".
SSSE_AID = b"sx1.sh." + "社会保障".encode("gbk")

SFI_CARD = 5  # EF05: the card
SFI_HOLDER = 6  # EF06: the holder

SW_OK = 0x9000
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_PIN_BLOCKED = 0x6983
SW_NOT_FOUND = 0x6A82
SW_RECORD_NOT_FOUND = 0x6A83
SW_APPLICATION_LOCKED = 0x9303

CHALLENGE_LENGTH = 8
CRYPTOGRAM_LENGTH = 16
# RELOAD PIN (重装PIN) ends with a 4-byte MAC, as in the PBOC family of card commands.
RELOAD_MAC_LENGTH = 4
SW_MAC_WRONG = 0x6988

# A card answering 61xx or 6Cxx forever must not hold the worker thread: real cards need one
# round, a chained answer a few.
_MAX_CHAINED_ANSWERS = 8

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12


class Encoding(Enum):
    HEX = "hex"  # binary, shown as upper-case hex
    ASCII = "ascii"  # right-padded with 00
    GBK = "gbk"  # right-padded with 00
    BCD = "bcd"  # right-padded with F nibbles
    BCD_DATE = "bcd_date"  # YYYYMMDD


@dataclass(frozen=True, slots=True)
class Field:
    sfi: int
    tag: int
    name: str
    length: int
    encoding: Encoding


CARD_FIELDS: tuple[Field, ...] = (
    Field(SFI_CARD, 0x01, "identifier", 16, Encoding.HEX),
    Field(SFI_CARD, 0x02, "type", 1, Encoding.ASCII),
    Field(SFI_CARD, 0x03, "version", 4, Encoding.ASCII),
    Field(SFI_CARD, 0x04, "issuer", 12, Encoding.HEX),
    Field(SFI_CARD, 0x05, "issued", 4, Encoding.BCD_DATE),
    Field(SFI_CARD, 0x06, "expires", 4, Encoding.BCD_DATE),
    Field(SFI_CARD, 0x07, "number", 9, Encoding.ASCII),
)

TAG_NAME = 0x09
TAG_NAME_EXTENSION = 0x4E

HOLDER_FIELDS: tuple[Field, ...] = (
    Field(SFI_HOLDER, 0x08, "ssn", 18, Encoding.ASCII),
    Field(SFI_HOLDER, TAG_NAME, "name", 30, Encoding.GBK),
    Field(SFI_HOLDER, TAG_NAME_EXTENSION, "name_extension", 20, Encoding.GBK),
    Field(SFI_HOLDER, 0x0A, "sex", 1, Encoding.ASCII),
    Field(SFI_HOLDER, 0x0B, "ethnicity", 1, Encoding.BCD),
    Field(SFI_HOLDER, 0x0C, "birthplace", 3, Encoding.BCD),
    Field(SFI_HOLDER, 0x0D, "birth_date", 4, Encoding.BCD_DATE),
)


class Transport(Protocol):
    """One command APDU to the card, its response (data and status word) back.

    Raises CardRemoved when the card left, ReaderUnavailable when the reader did, and
    CardMisread for any other transmission failure.
    """

    def transmit(self, apdu: bytes | bytearray) -> bytes: ...


class SecureAccess(Protocol):
    """Computes the cryptogram a version 3.00 card wants before it opens its holder file.

    Implementations: a PSAM in a reader slot, a platform HSM, or the demo scheme of
    kiosk.devices.card.secure_access. The keys belong to the card issuer.
    """

    @property
    def name(self) -> str: ...

    def cryptogram(self, card: CardInfo, challenge: bytes) -> bytes: ...


class PinReset(Protocol):
    """Computes the MAC a card wants before it takes a new PIN without the old one (RELOAD PIN).

    Only a service counter resets a blocked PIN, after staff have checked the holder's identity
    card. Implementations: a PSAM in a reader slot, a platform HSM, or the demo scheme of
    kiosk.devices.card.secure_access. The reset keys belong to the card issuer.
    """

    @property
    def name(self) -> str: ...

    def reload_pin_mac(self, card: CardInfo, challenge: bytes, packed_pin: bytes) -> bytes: ...


class RecordNotFound(CardMisread):
    """6A83: the record is absent. Only an error where the record is not optional."""


class SecureAccessRejected(SecureAccessRequired):
    """The card refused the secure access module's cryptogram: wrong keys for this card."""


class Response(NamedTuple):
    """Response data and status word. A tuple: built once per APDU, so it must be cheap."""

    data: bytes
    sw: int

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF


# --- commands ----------------------------------------------------------------------------


def select_ssse() -> bytes:
    return bytes((0x00, 0xA4, 0x04, 0x00, len(SSSE_AID))) + SSSE_AID


def read_record_by_tag(field: Field) -> bytes:
    return bytes((0x00, 0xB2, field.tag, field.sfi << 3, (2 + field.length) & 0xFF))


_READ_RECORD = {(f.sfi, f.tag): read_record_by_tag(f) for f in (*CARD_FIELDS, *HOLDER_FIELDS)}


def get_response(length: int) -> bytes:
    return bytes((0x00, 0xC0, 0x00, 0x00, length & 0xFF))


def get_challenge() -> bytes:
    return bytes((0x00, 0x84, 0x00, 0x00, CHALLENGE_LENGTH))


def external_authenticate(cryptogram: bytes) -> bytes:
    return bytes((0x00, 0x82, 0x00, 0x0A, len(cryptogram))) + cryptogram


def pack_pin(pin: bytearray) -> bytearray:
    """ASCII digits -> packed BCD, an odd last digit padded with F. Raises ValueError."""
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS or not all(0x30 <= b <= 0x39 for b in pin):
        raise ValueError(f"a PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")
    packed = bytearray((len(pin) + 1) // 2)
    for i in range(len(packed)):
        high = pin[2 * i] - 0x30
        low = pin[2 * i + 1] - 0x30 if 2 * i + 1 < len(pin) else 0x0F
        packed[i] = (high << 4) | low
    return packed


def wipe(buffer: bytearray) -> None:
    buffer[:] = bytes(len(buffer))


# --- exchanging APDUs --------------------------------------------------------------------


def exchange(transport: Transport, apdu: bytes | bytearray) -> Response:
    """Send one command, following 61xx (GET RESPONSE) and 6Cxx (resend with Le = xx)."""
    return _complete(transport, apdu, transport.transmit(apdu))


def _complete(transport: Transport, apdu: bytes | bytearray, raw: bytes) -> Response:
    if len(raw) < 2:
        raise CardMisread(f"a response of {len(raw)} bytes")
    response = Response(raw[:-2], (raw[-2] << 8) | raw[-1])
    if log.isEnabledFor(_DEBUG):
        _log(apdu, response)
    if raw[-2] != 0x61 and raw[-2] != 0x6C:
        return response
    data = bytearray(response.data)
    rounds = 0
    while response.sw1 in (0x61, 0x6C):
        rounds += 1
        if rounds > _MAX_CHAINED_ANSWERS:
            raise CardMisread("the card keeps asking for another round")
        if response.sw1 == 0x61:
            follow_up: bytes | bytearray = get_response(response.sw2)
        else:
            if len(apdu) != 5:
                # 6Cxx only makes sense for a case-2 command (header and Le).
                raise CardMisread(f"status {response.sw:04X} on a command with data")
            follow_up = bytes(apdu[:4]) + bytes((response.sw2,))
            data.clear()
        response = _split(transport.transmit(follow_up))
        if _debug():
            _log(follow_up, response)
        data += response.data
    return Response(bytes(data), response.sw)


def _split(raw: bytes) -> Response:
    if len(raw) < 2:
        raise CardMisread(f"a response of {len(raw)} bytes")
    return Response(raw[:-2], (raw[-2] << 8) | raw[-1])


def _debug() -> bool:
    return log.isEnabledFor(_DEBUG)


def _log(apdu: bytes | bytearray, response: Response) -> None:
    ins = apdu[1] if len(apdu) > 1 else -1
    log.debug("INS %02X -> SW %04X, %d bytes", ins, response.sw, len(response.data))


def read_error(sw: int) -> CardError:
    """The typed error for a status word answered to SELECT, READ RECORD or authentication."""
    if sw == SW_NOT_FOUND:
        return NotSocialSecurityCard()
    if sw == SW_RECORD_NOT_FOUND:
        return RecordNotFound("record not found")
    if sw == SW_SECURITY_NOT_SATISFIED:
        return SecureAccessRequired()
    if sw == SW_APPLICATION_LOCKED:
        return CardLocked()
    return CardMisread(f"status {sw:04X}")


def pin_error(sw: int) -> CardError:
    """The typed error for a status word answered to VERIFY or CHANGE PIN."""
    if sw & 0xFFF0 == 0x63C0:
        tries = sw & 0x0F
        return PinBlocked() if tries == 0 else WrongPin(tries)
    if sw == SW_PIN_BLOCKED:
        return PinBlocked()
    if sw == SW_APPLICATION_LOCKED:
        return CardLocked()
    if sw == SW_NOT_FOUND:
        return NotSocialSecurityCard()
    return CardMisread(f"status {sw:04X}")


# --- decoding ----------------------------------------------------------------------------


def parse_record(field: Field, response: Response) -> bytes:
    """The value of a `TAG LEN VALUE` record. Raises CardMisread if it is not that record."""
    data = response.data
    if len(data) < 2 or data[0] != field.tag:
        raise CardMisread(f"record {field.tag:02X}: unexpected layout")
    length = data[1]
    if length > len(data) - 2:
        raise CardMisread(f"record {field.tag:02X}: length {length} of {len(data) - 2}")
    return data[2 : 2 + length]


def decode_ascii(value: bytes) -> str:
    value = value.rstrip(b"\x00\xff ")
    if not value.isascii():
        raise CardMisread("not ASCII")
    text = value.decode("ascii")
    if not text.isprintable():
        raise CardMisread("control characters in text")
    return text


def strip_gbk(value: bytes) -> bytes:
    # Safe on GBK bytes: 00, FF and space never occur as the trailing byte of a pair.
    return value.rstrip(b"\x00\xff ")


def decode_gbk(value: bytes) -> str:
    try:
        text = value.decode("gbk")
    except UnicodeDecodeError:
        raise CardMisread("not GBK text") from None
    if not text.isprintable():
        raise CardMisread("control characters in text")
    return text


def decode_bcd(value: bytes) -> str:
    digits = value.hex().upper().rstrip("F")
    if digits and not digits.isdigit():
        raise CardMisread("not BCD")
    return digits


def decode_date(value: bytes) -> dt.date | None:
    digits = decode_bcd(value)
    if not digits or set(digits) == {"0"}:
        return None
    if len(digits) != 8:
        raise CardMisread("a date of the wrong length")
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise CardMisread("not a date") from None


def decode_version(text: str) -> CardVersion:
    versions = {"1": CardVersion.V1, "2": CardVersion.V2, "3": CardVersion.V3}
    version = versions.get(text[:1])
    if version is None:
        raise CardMisread(f"unknown specification version {text[:4]!r}")
    return version


def decode_hex(value: bytes) -> str:
    return value.hex().upper()


# --- the sequences -----------------------------------------------------------------------


def select(transport: Transport) -> bytes:
    """SELECT the SSSE application; its FCI back. Any refusal means this is not an SSC."""
    response = exchange(transport, select_ssse())
    if response.sw == SW_OK:
        return response.data
    if response.sw == SW_APPLICATION_LOCKED:
        raise CardLocked()
    # A card without the SSSE application may answer 6A82, 6A86, 6D00, 6E00...: whatever it
    # says, it is not the resident's social security card.
    raise NotSocialSecurityCard(f"SELECT answered {response.sw:04X}")


def read_field(transport: Transport, field: Field) -> bytes:
    command = _READ_RECORD.get((field.sfi, field.tag)) or read_record_by_tag(field)
    raw = transport.transmit(command)
    # The common case, kept short: a read costs one of these per field.
    if (
        raw[-2:] == b"\x90\x00"
        and len(raw) >= 4
        and raw[0] == field.tag
        and raw[1] <= len(raw) - 4
        and not log.isEnabledFor(_DEBUG)
    ):
        return raw[2 : 2 + raw[1]]
    data, sw = _complete(transport, command, raw)
    if sw != SW_OK:
        raise read_error(sw)
    if len(data) < 2 or data[0] != field.tag or data[1] > len(data) - 2:
        return parse_record(field, Response(data, sw))  # raises, naming what is wrong
    return data[2 : 2 + data[1]]


def read_card_info(transport: Transport) -> CardInfo:
    """EF05, after SELECT."""
    values = {field.tag: read_field(transport, field) for field in CARD_FIELDS}
    return CardInfo(
        identifier=decode_hex(values[0x01]),
        type=decode_ascii(values[0x02]),
        version=decode_version(decode_ascii(values[0x03])),
        issuer=decode_hex(values[0x04]),
        issued=decode_date(values[0x05]),
        expires=decode_date(values[0x06]),
        number=decode_ascii(values[0x07]),
    )


def authenticate(transport: Transport, card: CardInfo, secure_access: SecureAccess) -> None:
    """GET CHALLENGE, the module's cryptogram, EXTERNAL AUTHENTICATE."""
    response = exchange(transport, get_challenge())
    if response.sw != SW_OK:
        raise read_error(response.sw)
    if len(response.data) != CHALLENGE_LENGTH:
        raise CardMisread(f"a challenge of {len(response.data)} bytes")
    cryptogram = secure_access.cryptogram(card, response.data)
    response = exchange(transport, external_authenticate(cryptogram))
    if response.sw == SW_OK:
        return
    if response.sw in (SW_APPLICATION_LOCKED, SW_NOT_FOUND):
        raise read_error(response.sw)
    raise SecureAccessRejected(f"EXTERNAL AUTHENTICATE answered {response.sw:04X}")


def read_holder(transport: Transport, version: CardVersion) -> Holder:
    """EF06, after SELECT (and, on a 3.00 card, authentication)."""
    values: dict[int, bytes] = {}
    for field in HOLDER_FIELDS:
        if field.tag == TAG_NAME_EXTENSION:
            if version is CardVersion.V1:
                continue
            with contextlib.suppress(RecordNotFound):
                values[field.tag] = read_field(transport, field)
            continue
        values[field.tag] = read_field(transport, field)
    # Joined as bytes, so a character split across the two records still decodes.
    name = strip_gbk(values[TAG_NAME]) + strip_gbk(values.get(TAG_NAME_EXTENSION, b""))
    return Holder(
        ssn=decode_ascii(values[0x08]),
        name=decode_gbk(name),
        sex=decode_ascii(values[0x0A]),
        ethnicity=decode_bcd(values[0x0B]),
        birthplace=decode_bcd(values[0x0C]),
        birth_date=decode_date(values[0x0D]),
    )


def read_card(
    transport: Transport, secure_access: SecureAccess | None
) -> tuple[CardInfo, Holder | None]:
    """The complete read: SELECT, EF05, the version branch, EF06.

    The holder is None when EF06 needs secure access and none is configured; the platform then
    names the holder from the card identifier and number once the PIN is proven on the chip.
    Raises only CardError subclasses.
    """
    select(transport)
    card = read_card_info(transport)
    if card.version is CardVersion.V3:
        if secure_access is None:
            return card, None
        authenticate(transport, card, secure_access)
        return card, read_holder(transport, card.version)
    try:
        return card, read_holder(transport, card.version)
    except SecureAccessRequired as error:
        # Some issuers guard EF06 on older cards too; treat them like a 3.00 card.
        if isinstance(error, SecureAccessRejected):
            raise
        if secure_access is None:
            return card, None
        authenticate(transport, card, secure_access)
        return card, read_holder(transport, card.version)


def verify_pin(transport: Transport, pin: bytearray) -> None:
    """VERIFY after SELECT. The caller's PIN is wiped whatever happens."""
    packed = bytearray()
    apdu = bytearray()
    try:
        packed = pack_pin(pin)
        apdu = bytearray((0x00, 0x20, 0x00, 0x00, len(packed))) + packed
        _pin_command(transport, apdu)
    finally:
        wipe(pin)
        wipe(packed)
        wipe(apdu)


def change_pin(transport: Transport, old: bytearray, new: bytearray) -> None:
    """CHANGE PIN after SELECT: `80 5E 01 00 Lc old FF new`. Both PINs are wiped."""
    packed_old = bytearray()
    packed_new = bytearray()
    apdu = bytearray()
    try:
        packed_old = pack_pin(old)
        packed_new = pack_pin(new)
        body = packed_old + b"\xff" + packed_new
        apdu = bytearray((0x80, 0x5E, 0x01, 0x00, len(body))) + body
        wipe(body)
        _pin_command(transport, apdu)
    finally:
        for buffer in (old, new, packed_old, packed_new, apdu):
            wipe(buffer)


def reload_pin(
    transport: Transport, card: CardInfo, module: PinReset | None, new: bytearray
) -> None:
    """RELOAD PIN after SELECT: GET CHALLENGE, then `80 5E 00 00 Lc new MAC`, the MAC from the
    secure access module over the challenge and the packed new PIN. The card takes the new PIN
    and sets its retry counter back to the full count. The new PIN is wiped whatever happens.

    Raises SecureAccessRequired when there is no module (the kiosk cannot reset PINs), and
    SecureAccessRejected when the card refuses the module's MAC (wrong keys for this card).
    """
    packed = bytearray()
    apdu = bytearray()
    try:
        if module is None:
            raise SecureAccessRequired("no secure access module to reset the PIN")
        packed = pack_pin(new)
        response = exchange(transport, get_challenge())
        if response.sw != SW_OK:
            raise read_error(response.sw)
        if len(response.data) != CHALLENGE_LENGTH:
            raise CardMisread(f"a challenge of {len(response.data)} bytes")
        mac = module.reload_pin_mac(card, response.data, bytes(packed))
        if len(mac) != RELOAD_MAC_LENGTH:
            raise CardMisread(f"a MAC of {len(mac)} bytes from the module")
        apdu = bytearray((0x80, 0x5E, 0x00, 0x00, len(packed) + len(mac))) + packed + mac
        answer = _split(transport.transmit(apdu))
        if _debug():
            _log(apdu, answer)
        if answer.sw == SW_OK:
            return
        if answer.sw in (SW_MAC_WRONG, SW_SECURITY_NOT_SATISFIED):
            raise SecureAccessRejected(f"RELOAD PIN answered {answer.sw:04X}")
        raise pin_error(answer.sw)
    finally:
        wipe(new)
        wipe(packed)
        wipe(apdu)


def _pin_command(transport: Transport, apdu: bytearray) -> None:
    response = _split(transport.transmit(apdu))
    if _debug():
        _log(apdu, response)
    if response.sw1 == 0x61:
        # Some T=0 readers still say "bytes waiting" after a command without data.
        response = exchange(transport, get_response(response.sw2))
    if response.sw != SW_OK:
        raise pin_error(response.sw)
