"""The demo residents' e-codes (DEMO DATA ONLY): one rule for the demo platform, which seeds
them, and the kiosk's dev panel, which holds a demo phone to the scanner or types its digits."""

from __future__ import annotations

import hashlib


def demo_ecode(card_number: str) -> str:
    """The demo e-code of a demo card: what the simulated scanner reads for it."""
    return f"DEMO-ECODE-{card_number}"


def demo_ecode_digits(card_number: str) -> str:
    """The same e-code as the 18 digits shown under its QR code, for the kiosk's keypad when
    the phone cannot be held to the scanner."""
    digest = hashlib.sha256(f"ecode-digits:{card_number}".encode()).digest()
    return f"89{int.from_bytes(digest[:8], 'big') % 10**16:016d}"
