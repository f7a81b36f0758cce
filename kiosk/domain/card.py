"""The social security card as the kiosk sees it: an immutable snapshot of what was read.

Field names follow shared/reference/ssc-card.md (EF05 identifies the card, EF06 the holder).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

# The card's status and what it allows live in kiosk.domain.card_status, which the session
# loads before its first frame without these records; named here too for their many readers.
from kiosk.domain.card_status import ALLOWED, CardAction, CardStatus, allows


class CardVersion(StrEnum):
    V1 = "1.00"
    V2 = "2.00"
    V3 = "3.00"


@dataclass(frozen=True)
class CardInfo:
    """EF05: who issued the card and which card it is. Holds no personal data but the number."""

    identifier: str  # 16 bytes as upper-case hex: region BCD + RID + unique bytes
    type: str
    version: CardVersion
    issuer: str  # initialising organisation, upper-case hex
    issued: dt.date | None
    expires: dt.date | None
    number: str

    def expired_on(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass(frozen=True)
class Holder:
    """EF06: the holder. Personal data: never logged, dropped when the session ends."""

    ssn: str
    name: str
    sex: str
    ethnicity: str
    birthplace: str
    birth_date: dt.date | None

    def __repr__(self) -> str:  # a stray repr in a log must not carry personal data
        return "Holder(<personal data>)"


@dataclass(frozen=True)
class CardSnapshot:
    """Everything read from one card in one reader, taken at one moment."""

    reader: str
    atr: str
    card: CardInfo
    holder: Holder | None  # None when EF06 needs secure access that is not configured

    def __repr__(self) -> str:
        return f"CardSnapshot(reader={self.reader!r}, version={self.card.version.value})"


def gbk_characters() -> set[str]:
    """Every character a holder's name on the chip can hold (EF06 names are GBK): what a font
    that shows names must cover. Found by decoding every two-byte code, plus printable ASCII."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                chars.add(bytes([lead, trail]).decode("gbk"))
            except UnicodeDecodeError:
                continue  # a code GBK leaves unassigned
    return chars


__all__ = [
    "ALLOWED",
    "CardAction",
    "CardInfo",
    "CardSnapshot",
    "CardStatus",
    "CardVersion",
    "Holder",
    "allows",
    "gbk_characters",
]
