"""The social security card as the kiosk sees it: an immutable snapshot of what was read.

Field names follow shared/reference/ssc-card.md (EF05 identifies the card, EF06 the holder).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class CardVersion(StrEnum):
    V1 = "1.00"
    V2 = "2.00"
    V3 = "3.00"


class CardStatus(StrEnum):
    """The card's status as the platform decides it (Art. 2: loss report, lifting, cancellation)."""

    NORMAL = "normal"
    TEMPORARILY_LOST = "temporarily_lost"
    LOST = "lost"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


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


class CardAction(StrEnum):
    """What a resident may ask about the card's life (Art. 2, para. 3: 挂失、解挂、补领、换领)."""

    TEMPORARY_LOSS = "temporary_loss"
    FORMAL_LOSS = "formal_loss"
    LOSS_LIFTING = "loss_lifting"
    REISSUE = "reissue"
    REPLACEMENT = "replacement"
    PIN_CHANGE = "pin_change"


# Which status allows which request: the one table the kiosk's menus and offers and the platform's
# checks all read, so that the kiosk never offers what the platform would refuse. Art. 2 leaves
# the rules to the national and provincial ones; what the kiosk tells the resident decides the
# rest: a formal report stops the card for good (原卡作废，需补领), so only a temporary one is
# lifted, and a temporary report becomes formal by asking for the new card (the reissue), not by
# a second report. An expired card can only be exchanged; a cancelled one allows nothing.
ALLOWED: Mapping[CardStatus, frozenset[CardAction]] = {
    CardStatus.NORMAL: frozenset(
        {
            CardAction.TEMPORARY_LOSS,
            CardAction.FORMAL_LOSS,
            CardAction.REPLACEMENT,
            CardAction.PIN_CHANGE,
        }
    ),
    CardStatus.TEMPORARILY_LOST: frozenset({CardAction.LOSS_LIFTING, CardAction.REISSUE}),
    CardStatus.LOST: frozenset({CardAction.REISSUE}),
    CardStatus.CANCELLED: frozenset(),
    CardStatus.EXPIRED: frozenset({CardAction.REPLACEMENT}),
}


def allows(status: CardStatus | str, action: CardAction) -> bool:
    """Whether a card in this status may have this request; an unknown status allows nothing."""
    try:
        return action in ALLOWED[CardStatus(status)]
    except ValueError:
        return False
