"""A social security card in software: command APDUs in, response APDUs out.

This one class stands behind both the in-process simulator (kiosk.devices.card.simulated) and
the virtual card served to pcscd through vpcd (kiosk.devices.card.vpcd), so the kiosk's real
protocol code is what reads the simulated cards too. It follows shared/reference/ssc-card.md,
including the faults a profile asks for. It never logs what it holds.
"""

from __future__ import annotations

import hmac
import random
import threading
import time
from collections.abc import Callable

from kiosk.devices.card.profile import CardProfile
from kiosk.devices.card.protocol import (
    CARD_FIELDS,
    CHALLENGE_LENGTH,
    CRYPTOGRAM_LENGTH,
    HOLDER_FIELDS,
    RELOAD_MAC_LENGTH,
    SFI_HOLDER,
    SSSE_AID,
    TAG_NAME,
    TAG_NAME_EXTENSION,
    Encoding,
    Field,
)
from kiosk.devices.card.secure_access import (
    demo_card_key,
    demo_cryptogram,
    demo_reload_key,
    demo_reload_mac,
)
from kiosk.domain.card import CardVersion

SW_OK = b"\x90\x00"
SW_WRONG_LENGTH = b"\x67\x00"
SW_AUTH_FAILED = b"\x63\x00"
SW_SECURITY = b"\x69\x82"
SW_MAC_WRONG = b"\x69\x88"
SW_PIN_BLOCKED = b"\x69\x83"
SW_CONDITIONS = b"\x69\x85"
SW_NOT_FOUND = b"\x6a\x82"
SW_RECORD_NOT_FOUND = b"\x6a\x83"
SW_WRONG_P1P2 = b"\x6a\x86"
SW_INS_UNKNOWN = b"\x6d\x00"
SW_CLA_UNKNOWN = b"\x6e\x00"
SW_LOCKED = b"\x93\x03"

_NAME_LENGTH = 30
_NAME_EXTENSION_LENGTH = 20


class CardPulled(Exception):
    """The profile's remove_after fault: the card left the reader instead of answering."""


class VirtualSocialSecurityCard:
    """The chip of one fictional card. PIN tries survive power cycles, as on a real chip."""

    def __init__(
        self,
        profile: CardProfile,
        *,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.profile = profile
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._lock = threading.Lock()
        self._pin = profile.pin
        self._tries_left = profile.pin_tries_left
        self._records = _encode_records(profile)
        self._card_key = demo_card_key(bytes.fromhex(profile.card.identifier))
        self._reload_key = demo_reload_key(bytes.fromhex(profile.card.identifier))
        self._powered = False
        self._challenge: bytes | None = None
        self._forget_session()

    @property
    def atr(self) -> bytes:
        return bytes.fromhex(self.profile.atr)

    @property
    def pin_tries_left(self) -> int:
        return self._tries_left

    @property
    def powered(self) -> bool:
        return self._powered

    def power_on(self) -> bytes:
        """Power on (or reset): forget the session, keep the PIN state. The ATR back."""
        with self._lock:
            self._powered = True
            self._forget_session()
        return self.atr

    def power_off(self) -> None:
        with self._lock:
            self._powered = False
            self._forget_session()

    def _forget_session(self) -> None:
        """What a chip forgets when its power goes: the application selected, the terminal's
        authentication, a challenge and a pending response. Its PIN state it keeps."""
        self._selected = False
        self._authenticated = False
        self._challenge = None
        self._pending = b""
        self._commands = 0

    def answer(self, apdu: bytes | bytearray) -> bytes:
        """The response APDU (data and status word) to one command APDU.

        Raises CardPulled when the profile says the card is pulled out at this command.
        """
        faults = self.profile.faults
        if faults.delay_ms:
            self._sleep(faults.delay_ms / 1000)
        with self._lock:
            index = self._commands
            self._commands += 1
            if faults.remove_after is not None and index >= faults.remove_after:
                self._powered = False
                raise CardPulled()
            if faults.garbage_after is not None and index >= faults.garbage_after:
                return self._rng.randbytes(self._rng.randint(1, 24))
            return self._answer(bytes(apdu))

    # --- commands ------------------------------------------------------------------------

    def _answer(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return SW_WRONG_LENGTH
        cla, ins = apdu[0], apdu[1]
        if ins == 0xC0 and cla == 0x00:
            return self._get_response(apdu)
        # Anything but GET RESPONSE drops an unclaimed answer, as on a real T=0 card.
        self._pending = b""
        handlers: dict[tuple[int, int], Callable[[bytes], bytes]] = {
            (0x00, 0xA4): self._select,
            (0x00, 0xB2): self._read_record,
            (0x00, 0x84): self._get_challenge,
            (0x00, 0x82): self._external_authenticate,
            (0x00, 0x20): self._verify,
            (0x80, 0x5E): self._change_pin,
        }
        handler = handlers.get((cla, ins))
        if handler is None:
            known_class = any(c == cla for c, _ in handlers)
            return SW_INS_UNKNOWN if known_class else SW_CLA_UNKNOWN
        if self.profile.faults.not_social_security_card:
            return SW_NOT_FOUND if ins == 0xA4 else SW_CONDITIONS
        return handler(apdu)

    def _select(self, apdu: bytes) -> bytes:
        body = _body(apdu)
        if body is None:
            return SW_WRONG_LENGTH
        if apdu[2] != 0x04 or body != SSSE_AID:
            self._selected = False
            return SW_NOT_FOUND
        if self.profile.faults.application_locked:
            return SW_LOCKED
        self._selected = True
        self._authenticated = False
        return self._respond(self._fci())

    def _fci(self) -> bytes:
        proprietary = bytes.fromhex("9F0C03860101")
        inner = bytes((0x84, len(SSSE_AID))) + SSSE_AID
        inner += bytes((0xA5, len(proprietary))) + proprietary
        return bytes((0x6F, len(inner))) + inner

    def _read_record(self, apdu: bytes) -> bytes:
        if not self._selected:
            return SW_NOT_FOUND
        p1, p2 = apdu[2], apdu[3]
        sfi = p2 >> 3
        files = {f.sfi for f in (*CARD_FIELDS, *HOLDER_FIELDS)}
        if sfi not in files:
            return SW_NOT_FOUND
        guarded = sfi == SFI_HOLDER and self.profile.version is CardVersion.V3
        if guarded and not self._authenticated:
            return SW_SECURITY
        record = self._find_record(sfi, p1, by_number=(p2 & 0x07) == 0x04)
        if record is None:
            return SW_RECORD_NOT_FOUND if (p2 & 0x07) in (0x00, 0x04) else SW_WRONG_P1P2
        return self._respond(record, _le(apdu))

    def _find_record(self, sfi: int, p1: int, by_number: bool) -> bytes | None:
        if by_number:
            in_file = [record for (s, _), record in self._records.items() if s == sfi]
            return in_file[p1 - 1] if 1 <= p1 <= len(in_file) else None
        return self._records.get((sfi, p1))

    def _respond(self, data: bytes, le: int | None = None) -> bytes:
        if le is not None and le != len(data) and len(data) < 256:
            return bytes((0x6C, len(data)))
        if self.profile.t0_get_response and data:
            self._pending = data
            return bytes((0x61, len(data) & 0xFF))
        return data + SW_OK

    def _get_response(self, apdu: bytes) -> bytes:
        if not self._pending:
            return SW_CONDITIONS
        le = _le(apdu)
        data = self._pending
        if le not in (None, 0, len(data) & 0xFF):
            return bytes((0x6C, len(data) & 0xFF))
        self._pending = b""
        return data + SW_OK

    def _get_challenge(self, apdu: bytes) -> bytes:
        if _le(apdu) != CHALLENGE_LENGTH:
            return SW_WRONG_LENGTH
        self._challenge = self._rng.randbytes(CHALLENGE_LENGTH)
        return self._challenge + SW_OK

    def _external_authenticate(self, apdu: bytes) -> bytes:
        body = _body(apdu)
        if body is None or len(body) != CRYPTOGRAM_LENGTH:
            return SW_WRONG_LENGTH
        challenge, self._challenge = self._challenge, None
        if challenge is None:
            return SW_CONDITIONS
        expected = demo_cryptogram(self._card_key, challenge)
        if not hmac.compare_digest(expected, body):
            return SW_AUTH_FAILED
        self._authenticated = True
        return SW_OK

    def _verify(self, apdu: bytes) -> bytes:
        if not self._selected:
            return SW_CONDITIONS
        if len(apdu) == 4:
            # VERIFY without data asks how many tries are left, consuming none.
            return (
                SW_PIN_BLOCKED if self._tries_left == 0 else bytes((0x63, 0xC0 | self._tries_left))
            )
        body = _body(apdu)
        if body is None:
            return SW_WRONG_LENGTH
        return self._check_pin(body, on_success=None)

    def _change_pin(self, apdu: bytes) -> bytes:
        if not self._selected:
            return SW_CONDITIONS
        if apdu[2] == 0x00:
            return self._reload_pin(apdu)
        body = _body(apdu)
        if body is None or apdu[2] != 0x01 or b"\xff" not in body:
            return SW_WRONG_LENGTH
        old, new = body.split(b"\xff", 1)
        new_pin = _unpack_pin(new)
        if new_pin is None:
            return SW_WRONG_LENGTH
        return self._check_pin(old, on_success=new_pin)

    def _reload_pin(self, apdu: bytes) -> bytes:
        """RELOAD PIN (`80 5E 00 00`): a new PIN with the MAC of the issuer's reload key over the
        last challenge. It works on a blocked PIN too: that is what a counter uses it for."""
        body = _body(apdu)
        challenge, self._challenge = self._challenge, None
        if body is None or len(body) <= RELOAD_MAC_LENGTH:
            return SW_WRONG_LENGTH
        if challenge is None:
            return SW_CONDITIONS
        packed, mac = body[:-RELOAD_MAC_LENGTH], body[-RELOAD_MAC_LENGTH:]
        new_pin = _unpack_pin(packed)
        if new_pin is None:
            return SW_WRONG_LENGTH
        if not hmac.compare_digest(demo_reload_mac(self._reload_key, challenge, packed), mac):
            return SW_MAC_WRONG
        self._pin = new_pin
        self._tries_left = self.profile.pin_tries_max
        return SW_OK

    def _check_pin(self, packed: bytes, on_success: str | None) -> bytes:
        if self._tries_left == 0:
            return SW_PIN_BLOCKED
        if not hmac.compare_digest(packed, _pack_pin(self._pin)):
            self._tries_left -= 1
            return bytes((0x63, 0xC0 | self._tries_left))
        self._tries_left = self.profile.pin_tries_max
        if on_success is not None:
            self._pin = on_success
        return SW_OK


# --- encoding a profile into records --------------------------------------------------------


def _encode_records(profile: CardProfile) -> dict[tuple[int, int], bytes]:
    """(sfi, tag) -> the whole record, `TAG LEN VALUE`, in the file's tag order."""
    card, holder = profile.card, profile.holder
    name = holder.name.encode("gbk")
    head, tail = _split_gbk(name, _NAME_LENGTH)
    values: dict[int, object] = {
        0x01: card.identifier,
        0x02: card.type,
        0x03: profile.version.value,
        0x04: card.issuer,
        0x05: card.issued,
        0x06: card.expires,
        0x07: card.number,
        0x08: holder.ssn,
        TAG_NAME: head,
        TAG_NAME_EXTENSION: tail,
        0x0A: holder.sex,
        0x0B: holder.ethnicity,
        0x0C: holder.birthplace,
        0x0D: holder.birth_date,
    }
    raw = dict(profile.raw_records)
    records: dict[tuple[int, int], bytes] = {}
    for field in (*CARD_FIELDS, *HOLDER_FIELDS):
        address = (field.sfi, field.tag)
        absent = field.tag == TAG_NAME_EXTENSION and profile.version is CardVersion.V1
        if absent and address not in raw:
            continue
        value = raw[address] if address in raw else _encode(field, values[field.tag])
        records[address] = bytes((field.tag, len(value))) + value
    return records


def _split_gbk(name: bytes, limit: int) -> tuple[bytes, bytes]:
    """Cut at a character boundary at most `limit` bytes in."""
    cut = 0
    i = 0
    while i < len(name):
        width = 2 if name[i] >= 0x81 else 1
        if i + width > limit:
            break
        i += width
        cut = i
    return name[:cut], name[cut:]


def _encode(field: Field, value: object) -> bytes:
    length = field.length
    if field.encoding is Encoding.HEX:
        return bytes.fromhex(str(value)).ljust(length, b"\x00")[:length]
    if field.encoding is Encoding.ASCII:
        return str(value).encode("ascii").ljust(length, b"\x00")[:length]
    if field.encoding is Encoding.GBK:
        data = value if isinstance(value, bytes) else str(value).encode("gbk")
        return data.ljust(length, b"\x00")[:length]
    if field.encoding is Encoding.BCD:
        return _bcd(str(value), length)
    # BCD_DATE
    return _bcd(value.strftime("%Y%m%d") if hasattr(value, "strftime") else "", length)


def _bcd(digits: str, length: int) -> bytes:
    return bytes.fromhex(digits.ljust(2 * length, "F")[: 2 * length])


def _pack_pin(pin: str) -> bytes:
    return bytes.fromhex(pin + ("F" if len(pin) % 2 else ""))


def _unpack_pin(packed: bytes) -> str | None:
    digits = packed.hex().upper()
    if digits.endswith("F"):
        digits = digits[:-1]
    return digits if digits.isdigit() and 4 <= len(digits) <= 12 else None


def _body(apdu: bytes) -> bytes | None:
    """The command data of a case 3 or 4 short APDU, None if Lc does not fit."""
    if len(apdu) < 6:
        return None
    lc = apdu[4]
    if len(apdu) not in (5 + lc, 6 + lc) or lc == 0:
        return None
    return apdu[5 : 5 + lc]


def _le(apdu: bytes) -> int | None:
    """Le of a case 2 short APDU (0 means up to 256), None if there is none."""
    if len(apdu) == 5:
        return apdu[4] or 256
    return None
