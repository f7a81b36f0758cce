"""`kiosk card read` and `kiosk card emulate`.

read: the first card in a matching PC/SC reader, optionally after verifying a PIN from stdin.
emulate: a virtual social security card, from a profile, served to pcscd through vpcd.

Exit codes of read: 0 read; 1 the card could not be read; 2 usage; 3 no reader or no card in
time; 4 not a social security card; 5 wrong PIN or PIN blocked. Errors are one line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import signal
import sys
from types import FrameType
from typing import Any, cast

from kiosk.devices.commands import bounded, dispatch, fail
from kiosk.devices.commands import write as _write
from kiosk.domain.card import CardSnapshot
from kiosk.domain.errors import (
    CardError,
    CardRemoved,
    NotSocialSecurityCard,
    PinBlocked,
    ReaderUnavailable,
    WrongPin,
)
from kiosk.domain.privacy import mask_name, mask_number

EXIT_OK = 0
EXIT_CARD_ERROR = 1
EXIT_NO_CARD = 3
EXIT_NOT_SSC = 4
EXIT_PIN = 5

PIN_BUFFER = 64


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="card_command", metavar="{read,emulate}")

    read = commands.add_parser("read", help="read the first social security card present")
    read.add_argument("--reader", metavar="NAME", help="reader name pattern (regex, any case)")
    read.add_argument(
        "--pin-stdin", action="store_true", help="read a PIN from stdin and verify it first"
    )
    read.add_argument("--json", action="store_true", help="print the card as JSON")
    read.add_argument(
        "--timeout", type=_seconds, default=10.0, metavar="S", help="wait this long for a card"
    )
    read.add_argument(
        "--secure-access",
        choices=("none", "simulated"),
        default="none",
        help="for version 3.00 cards: none (card data only) or the demo PSAM",
    )

    emulate = commands.add_parser("emulate", help="serve a virtual card to pcscd through vpcd")
    emulate.add_argument("--profile", required=True, metavar="FILE", help="card profile (TOML)")
    emulate.add_argument("--port", type=_port, default=35963, help="vpcd port (default 35963)")
    emulate.add_argument("--host", default="127.0.0.1", help="vpcd host (default 127.0.0.1)")
    emulate.add_argument(
        "--wait", type=_seconds, default=10.0, metavar="S", help="wait this long for vpcd"
    )


def run(args: argparse.Namespace) -> int:
    return dispatch(
        args,
        args.card_command,
        "card",
        read=run_read,
        emulate=run_emulate,
    )


# --- read ----------------------------------------------------------------------------------


def run_read(args: argparse.Namespace) -> int:
    from kiosk.devices.card.pcsc import PcscCardReader
    from kiosk.devices.card.secure_access import make_secure_access

    pin: bytearray | None = None
    if args.pin_stdin:
        pin = _read_pin()
        if pin is None:
            return fail("card read", "the PIN on stdin must be 4 to 12 digits")
    try:
        reader = PcscCardReader(
            reader_pattern=args.reader, secure_access=make_secure_access(args.secure_access)
        )
    except Exception as error:  # re.error from a bad pattern
        return fail("card read", f"bad --reader pattern: {error}")
    pin_state = "not_checked"
    try:
        reader.wait_for_card(args.timeout)
        if pin is not None:
            reader.verify_pin(pin)
            pin_state = "verified"
        snapshot = reader.read()
    except CardError as error:
        code, message = _explain(error, args.timeout)
        return fail("card read", message, code)
    finally:
        if pin is not None:
            pin[:] = bytes(len(pin))
        reader.stop()
    if args.json:
        _write(json.dumps(snapshot_json(snapshot, pin_state), ensure_ascii=False) + "\n")
    else:
        _write(_human(snapshot, pin_state))
    return EXIT_OK


def snapshot_json(snapshot: CardSnapshot, pin_state: str) -> dict[str, Any]:
    card = snapshot.card
    holder = snapshot.holder
    return {
        "reader": snapshot.reader,
        "atr": snapshot.atr.upper(),
        "card": {
            "identifier": card.identifier.upper(),
            "type": card.type,
            "version": card.version.value,
            "issuer": card.issuer.upper(),
            "issued": _date(card.issued),
            "expires": _date(card.expires),
            "number": card.number,
        },
        "holder": None
        if holder is None
        else {
            "ssn": holder.ssn,
            "name": holder.name,
            "sex": holder.sex,
            "ethnicity": holder.ethnicity,
            "birthplace": holder.birthplace,
            "birth_date": _date(holder.birth_date),
        },
        "pin": pin_state,
    }


def _human(snapshot: CardSnapshot, pin_state: str) -> str:
    card, holder = snapshot.card, snapshot.holder
    lines = [
        f"reader   {snapshot.reader}",
        f"card     version {card.version.value}, type {card.type}, "
        f"number {mask_number(card.number, 2, 2)}",
        f"valid    {_date(card.issued)} to {_date(card.expires)}",
    ]
    if holder is None:
        lines.append("holder   (needs secure access; the platform names the holder)")
    else:
        lines.append(f"holder   {mask_name(holder.name)}, {mask_number(holder.ssn)}")
    lines.append(f"PIN      {pin_state.replace('_', ' ')}")
    lines.append("(personal data masked; --json prints it whole)")
    return "\n".join(lines) + "\n"


def _explain(error: CardError, timeout: float) -> tuple[int, str]:
    if isinstance(error, WrongPin):
        plural = "try" if error.tries_left == 1 else "tries"
        return EXIT_PIN, f"wrong PIN: {error.tries_left} {plural} left"
    if isinstance(error, PinBlocked):
        return EXIT_PIN, "the PIN is blocked; only a service counter can unblock it"
    if isinstance(error, NotSocialSecurityCard):
        return EXIT_NOT_SSC, "the card in the reader is not a social security card"
    if isinstance(error, ReaderUnavailable):
        detail = f" ({error})" if str(error) else ""
        return EXIT_NO_CARD, f"no card reader available{detail}"
    if isinstance(error, CardRemoved):
        if str(error) == "no card in the reader":
            return EXIT_NO_CARD, f"no card in the reader within {timeout:g} s"
        return EXIT_NO_CARD, "the card was removed while it was being read"
    detail = str(error) or type(error).__name__
    return EXIT_CARD_ERROR, f"could not read the card: {detail}"


def _read_pin() -> bytearray | None:
    """One line of digits from stdin into a buffer we can wipe (a str could not be)."""
    buffer = bytearray(PIN_BUFFER)
    view = memoryview(buffer)
    size = 0
    stream = cast(io.BufferedIOBase, sys.stdin.buffer)
    while size < PIN_BUFFER:
        count = stream.readinto(view[size:])
        if not count:
            break
        size += count
        if b"\n" in buffer[:size]:
            break
    view.release()
    end = size
    newline = buffer.find(b"\n", 0, size)
    if newline >= 0:
        end = newline
    if end and buffer[end - 1] == 0x0D:
        end -= 1
    pin = bytearray(buffer[:end])
    buffer[:] = bytes(PIN_BUFFER)
    if not 4 <= len(pin) <= 12 or not pin.isdigit():
        pin[:] = bytes(len(pin))
        return None
    return pin


# --- emulate -------------------------------------------------------------------------------


def run_emulate(args: argparse.Namespace) -> int:
    from kiosk.devices.card.profile import ProfileError, load_profile
    from kiosk.devices.card.virtual_card import VirtualSocialSecurityCard
    from kiosk.devices.card.vpcd import Ended, VpcdCardEmulator, VpcdUnreachable

    try:
        profile = load_profile(args.profile)
    except ProfileError as error:
        return fail("card emulate", str(error))
    emulator = VpcdCardEmulator(VirtualSocialSecurityCard(profile), args.host, args.port)
    _terminate_as_interrupt()
    try:
        try:
            emulator.insert(timeout=args.wait)
        except VpcdUnreachable as error:
            return fail("card emulate", str(error), EXIT_NO_CARD)
        _note(f"card {profile.label!r} is in the vpcd reader on {args.host}:{args.port}")
        while True:
            ended = emulator.wait()
            if ended is Ended.PULLED:
                _note("the card was pulled out (the profile's remove_after fault)")
                return EXIT_OK
            if ended is Ended.REMOVED:
                return EXIT_OK
            # vpcd went away with pcscd: keep the card "in hand" until the reader is back.
            _note("vpcd closed the connection; waiting for it to come back")
            while True:
                try:
                    emulator.insert(timeout=1.0)
                    break
                except VpcdUnreachable:
                    continue
            _note("card back in the vpcd reader")
    except KeyboardInterrupt:
        emulator.remove()
        return EXIT_OK


def _terminate_as_interrupt() -> None:
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # ValueError: not the main thread (a test calling run directly).
    with contextlib.suppress(ValueError):
        signal.signal(signal.SIGTERM, interrupt)


# --- small things ------------------------------------------------------------------------


_seconds = bounded(float, 0, 86_400, "a number of seconds", "seconds must be from 0 to 86400")
_port = bounded(int, 1, 65535, "a port", "a port is from 1 to 65535")


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _note(message: str) -> None:
    sys.stderr.write(f"kiosk card emulate: {message}\n")
    sys.stderr.flush()
