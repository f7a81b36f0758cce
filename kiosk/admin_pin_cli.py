"""`kiosk admin-pin`: makes the hash of a service PIN for the config's kiosk.admin_pin_hash.

The PIN is typed twice without echo (or read from standard input with --stdin, for
provisioning scripts) and never written anywhere; only its salted hash is printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.domain.admin_pin import MAX_DIGITS, MIN_DIGITS, hash_pin


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stdin", action="store_true", help="read the PIN from standard input (one line)"
    )


def run(args: argparse.Namespace) -> int:
    if args.stdin:
        pin = sys.stdin.readline().strip()
        again = pin
    else:
        try:
            pin = getpass.getpass(f"service PIN ({MIN_DIGITS}-{MAX_DIGITS} digits): ")
            again = getpass.getpass("the same PIN again: ")
        except (EOFError, KeyboardInterrupt):
            print("kiosk admin-pin: no PIN given", file=sys.stderr)
            return 2
    if pin != again:
        print("kiosk admin-pin: the two PINs differ", file=sys.stderr)
        return 2
    try:
        stored = hash_pin(pin)
    except ValueError as error:
        print(f"kiosk admin-pin: {error}", file=sys.stderr)
        return 2
    print(f'admin_pin_hash = "{stored}"')
    return 0
