"""The service PIN that lets staff out of the locked-down kiosk and onto its health screen.

Stored in the config only as a salted PBKDF2 hash (`kiosk admin-pin` makes one), so a copy of the
config file does not give the PIN away. Checked in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

SCHEME = "pbkdf2_sha256"
ITERATIONS = 200_000
# The form `kiosk admin-pin` writes: scheme$iterations$salt$hash, salt and hash in hex.
HASH_PATTERN = re.compile(r"^pbkdf2_sha256\$(\d{4,7})\$([0-9a-f]{32})\$([0-9a-f]{64})$")
MIN_DIGITS = 6
MAX_DIGITS = 12
# A demo kiosk without a configured hash takes this PIN (README: the dev panel's notes). A
# deployed kiosk without one has no service exit at all.
DEMO_PIN = "147258"


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    if not (pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS):
        raise ValueError(f"a service PIN is {MIN_DIGITS} to {MAX_DIGITS} digits")
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return f"{SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def is_pin_hash(stored: str) -> bool:
    return HASH_PATTERN.match(stored) is not None


def pin_matches(pin: bytes | bytearray, stored: str) -> bool:
    """True when `pin` (ASCII digits) is the one `stored` was made from."""
    found = HASH_PATTERN.match(stored)
    if found is None:
        return False
    iterations, salt, expected = int(found[1]), bytes.fromhex(found[2]), found[3]
    digest = hashlib.pbkdf2_hmac("sha256", bytes(pin), salt, iterations)
    return hmac.compare_digest(digest.hex(), expected)
