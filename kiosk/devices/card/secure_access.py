"""Secure access for version 3.00 cards: who computes the cryptogram that opens EF06.

The real scheme, its keys and their diversification are the card issuer's secrets and live in a
PSAM (a SAM card in a second reader slot) or the platform's HSM. None of that is here. What is
here is a DEMO scheme of this project's own, so that the simulator, the virtual card and the
tests exercise the same seam a real PSAM will plug into:

    card key   = HMAC-SHA256(DEMO_MASTER_KEY, card identifier bytes)
    cryptogram = HMAC-SHA256(card key, challenge)[:16]

and, for a new PIN set at a service counter (RELOAD PIN, which also unblocks the PIN):

    reload key = HMAC-SHA256(DEMO_MASTER_KEY, "reload-pin" || card identifier bytes)
    MAC        = HMAC-SHA256(reload key, challenge || packed new PIN)[:4]

It is not the issuer's algorithm and the key is public: it protects nothing.
"""

from __future__ import annotations

import hashlib
import hmac

from kiosk.devices.card.protocol import (
    CRYPTOGRAM_LENGTH,
    RELOAD_MAC_LENGTH,
    PinReset,
    SecureAccess,
)
from kiosk.domain.card import CardInfo
from kiosk.domain.errors import CardMisread

# Public on purpose: demo cards only. Real keys come from the issuer, inside a PSAM or HSM.
DEMO_MASTER_KEY = b"onecard-kiosk demo master key, not a real issuer key"

SECURE_ACCESS_KINDS = ("none", "simulated")


def demo_card_key(identifier: bytes) -> bytes:
    """The diversified key a demo card holds (a real card's key is put there by its issuer)."""
    return hmac.new(DEMO_MASTER_KEY, identifier, hashlib.sha256).digest()


def demo_cryptogram(card_key: bytes, challenge: bytes) -> bytes:
    return hmac.new(card_key, challenge, hashlib.sha256).digest()[:CRYPTOGRAM_LENGTH]


_RELOAD_LABEL = b"reload-pin"


def demo_reload_key(identifier: bytes, master_key: bytes = DEMO_MASTER_KEY) -> bytes:
    """The key a demo card checks a RELOAD PIN's MAC with (a separate key, as issuers keep one
    per purpose)."""
    return hmac.new(master_key, _RELOAD_LABEL + identifier, hashlib.sha256).digest()


def demo_reload_mac(reload_key: bytes, challenge: bytes, packed_pin: bytes) -> bytes:
    return hmac.new(reload_key, challenge + packed_pin, hashlib.sha256).digest()[:RELOAD_MAC_LENGTH]


class SimulatedPsam:
    """A PSAM that knows the demo master key."""

    def __init__(self, master_key: bytes = DEMO_MASTER_KEY) -> None:
        self._master_key = master_key

    @property
    def name(self) -> str:
        return "simulated PSAM (demo key)"

    def cryptogram(self, card: CardInfo, challenge: bytes) -> bytes:
        try:
            identifier = bytes.fromhex(card.identifier)
        except ValueError:
            raise CardMisread("card identifier is not hex") from None
        card_key = hmac.new(self._master_key, identifier, hashlib.sha256).digest()
        return demo_cryptogram(card_key, challenge)

    def reload_pin_mac(self, card: CardInfo, challenge: bytes, packed_pin: bytes) -> bytes:
        try:
            identifier = bytes.fromhex(card.identifier)
        except ValueError:
            raise CardMisread("card identifier is not hex") from None
        return demo_reload_mac(demo_reload_key(identifier, self._master_key), challenge, packed_pin)


def make_pin_reset(kind: str) -> PinReset | None:
    """ "none" -> None (PINs are reset at a counter with a module only), "simulated" -> the demo
    PSAM."""
    if kind == "none":
        return None
    if kind in ("simulated", "simulated-psam"):
        return SimulatedPsam()
    raise ValueError(f"unknown PIN reset module {kind!r}; known: {', '.join(SECURE_ACCESS_KINDS)}")


def make_secure_access(kind: str) -> SecureAccess | None:
    """ "none" -> None (EF05 only; the platform names the holder), "simulated" -> demo PSAM."""
    if kind == "none":
        return None
    if kind in ("simulated", "simulated-psam"):
        return SimulatedPsam()
    raise ValueError(f"unknown secure access {kind!r}; known: {', '.join(SECURE_ACCESS_KINDS)}")
